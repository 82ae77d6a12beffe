#pragma once
// voiceopsd's message worker: a thread that sends the message outbox's due rows (texts and
// emails, ops/message_sender.hpp) as soon as a turn that decided one is committed, and every few
// seconds for the retries, off the webhooks' threads. Counts what it sent, gave up on or
// suppressed into /metrics, and logs every message that failed for good as an error.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "host/log.hpp"
#include "host/metrics.hpp"
#include "ops/message_sender.hpp"
#include "store/call_store.hpp"

namespace voiceops::host {

struct MessageHealth {
  std::string last_error;
  std::uint64_t texts_sent = 0, texts_failed = 0, texts_suppressed = 0;
  std::uint64_t emails_sent = 0, emails_failed = 0, unrouted = 0;
  bool texts = false, email = false;  // which channels are set up
};

class MessageWorker {
 public:
  using Clock = std::function<std::chrono::sys_seconds()>;
  // Either gateway may be null (that channel is not set up).
  MessageWorker(store::CallStore& store, std::unique_ptr<ops::TextGateway> texts,
                std::unique_ptr<ops::MailGateway> mail, ops::MessageRouting routing,
                ops::MessagePolicy policy, Log& log, Metrics& metrics, Clock clock,
                std::chrono::milliseconds poll_every);
  ~MessageWorker();

  void wake();
  // A message whose turn the store could not keep: tried from memory, with the same retries,
  // until it is sent or given up on (lost if voiceopsd stops first; at most 1000 wait).
  void send_unkept(store::MessageItem item);
  void stop();
  MessageHealth health() const;

 private:
  void run(std::stop_token stop);
  void note(const ops::MessageRun& run);
  void send_unkept_due(std::int64_t now, ops::MessageRun& run);
  // Hands what only memory holds to the store, when it takes writes.
  void keep_unkept(std::int64_t now);

  store::CallStore& store_;
  std::unique_ptr<ops::TextGateway> texts_;  // used on the worker thread only
  std::unique_ptr<ops::MailGateway> mail_;
  Log& log_;
  Metrics& metrics_;
  Clock clock_;
  std::chrono::milliseconds poll_every_;
  std::mt19937_64 random_;
  ops::MessageSender sender_;

  mutable std::mutex mutex_;
  std::condition_variable_any woken_cv_;
  bool woken_ = false;
  std::vector<store::MessageItem> unkept_;  // guarded by mutex_
  MessageHealth health_;
  std::string last_store_error_;
  std::jthread thread_;  // last: stops (and joins) before the rest goes
};

}  // namespace voiceops::host
