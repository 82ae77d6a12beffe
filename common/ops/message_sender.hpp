#pragma once
// Empties the message outbox (store/message_queue.hpp): texts through the carrier's Messages API,
// emails through Mailgun, each once.
// - The carrier has no idempotency key, so after an ambiguous failure (a timeout, a connection
//   that broke after sending, a 5xx) the row is marked uncertain, and before it is sent again the
//   account's message list is searched for it: found, it is sent; the search failing, it waits.
// - 21211 (not a number) and other refusals are dead letters; 21610 (the recipient texted STOP)
//   is a dead letter and suppresses that recipient until an operator clears it.
// - 429/20429, 5xx and the network are retried with exponential backoff and jitter, never
//   sooner than Retry-After; after max_attempts a row is dead.
// - A dead page or notice raises an alert: an email to [email] alerts_to, and the worker's log.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "connectors/mailgun/mail_client.hpp"
#include "connectors/twilio/rest_client.hpp"
#include "store/message_queue.hpp"

namespace voiceops::ops {

// What sends a text: the carrier's REST API in the daemon; a fake in unit tests.
class TextGateway {
 public:
  virtual ~TextGateway() = default;
  virtual Result<connectors::twilio::Message, connectors::twilio::Error> send(
      const connectors::twilio::OutgoingSms& sms) = 0;
  // The account's texts to `to`, newest first, back to those made around `since` (Unix s).
  virtual Result<std::vector<connectors::twilio::Message>, connectors::twilio::Error> sent_to(
      const std::string& to, std::int64_t since) = 0;
};

class MailGateway {
 public:
  virtual ~MailGateway() = default;
  virtual Result<std::string, connectors::mailgun::Error> send(
      const connectors::mailgun::Mail& mail) = 0;
};

// Where each kind of message goes.
struct MessageRouting {
  std::string messaging_service_sid;  // texts from this service...
  std::string sms_from;               // ...or this number; neither: the number the call came to
  std::string status_callback;        // <public_url>/twilio/message-status; empty: no reports
  std::string email_from;
  std::vector<std::string> summaries_to;  // queue and voicemail destinations' summaries
  std::vector<std::string> alerts_to;     // alerts
};

struct MessagePolicy {
  int max_attempts = 10;
  std::chrono::seconds first_delay{10};
  std::chrono::seconds max_delay{900};
  int batch = 20;  // rows claimed at a time
  // How long a claimed row is left to its sender: longer than a batch of requests takes. Only
  // the daemon sends, so it matters after a crash: the rows are due again this soon.
  std::chrono::seconds lease{60};
  int max_rounds = 10;  // per run, so the worker looks up (stop, metrics) between runs
};

// A message that failed for good, for the host to log and count.
struct MessageAlert {
  store::MessageItem item;
  std::string error;
};

struct MessageRun {
  int texts_sent = 0, texts_failed = 0, texts_suppressed = 0;
  int emails_sent = 0, emails_failed = 0;
  int texts_unrouted = 0, emails_unrouted = 0;  // no channel set up for them
  int dead = 0, unrouted = 0, retried = 0, found_sent = 0;
  int rounds = 0;
  std::vector<MessageAlert> alerts;  // dead rows this run, and alerts that could not be sent
  std::string last_error;
  std::string store_error;
};

// Among the account's texts to a number, the one an unclear attempt at `body`, first tried at
// `since` (Unix seconds), may have created: the same body, created no earlier than a minute
// before (clocks differ), not failed. A text with no readable date never matches: a second
// text is a nuisance, a page never sent is not.
const connectors::twilio::Message* earlier_attempt(
    const std::vector<connectors::twilio::Message>& sent, const std::string& body,
    std::int64_t since);

// Seconds before attempt `attempts + 1`: first_delay doubled per failure up to max_delay, less
// a random half ("equal jitter"); never under `retry_after`.
std::int64_t message_backoff(int attempts, const MessagePolicy& policy, double random01,
                             std::optional<int> retry_after);

// The text of an alert about `item`, which failed with `error`: what, to whom, for which call
// (the number masked), and what to do.
std::string alert_text(const store::MessageItem& item, const std::string& error);
// The alert email about `item` to `alerts_to` (an unrouted row when that is empty).
store::NewMessage alert_message(const store::MessageItem& item, const std::string& error,
                                const std::vector<std::string>& alerts_to);

class MessageSender {
 public:
  using Random = std::function<double()>;  // [0, 1)
  // Either gateway may be null: that channel is not set up, and its rows are unrouted.
  MessageSender(store::MessageQueue& queue, TextGateway* texts, MailGateway* mail,
                MessageRouting routing, MessagePolicy policy, Random random);

  MessageRun run(std::int64_t now, std::stop_token stop = {});
  // One attempt at a message the store could not keep (its turn's write failed): no row is
  // claimed or recorded; the caller keeps the outcome, and the item, in memory.
  store::MessageOutcome send_unkept(const store::MessageItem& item, std::int64_t now,
                                    MessageRun& run);

 private:
  store::MessageOutcome send_text(const store::MessageItem& item, std::int64_t now,
                                  MessageRun& run);
  store::MessageOutcome send_mail(const store::MessageItem& item, std::int64_t now,
                                  MessageRun& run);
  store::MessageOutcome retry_or_die(const store::MessageItem& item, store::MessageOutcome outcome,
                                     std::optional<int> retry_after, std::int64_t now);
  void raise_alerts(const std::vector<store::MessageItem>& items,
                    const std::vector<store::MessageOutcome>& outcomes, std::int64_t now,
                    MessageRun& run);

  store::MessageQueue& queue_;
  TextGateway* texts_;
  MailGateway* mail_;
  MessageRouting routing_;
  MessagePolicy policy_;
  Random random_;
};

}  // namespace voiceops::ops
