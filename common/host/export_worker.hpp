#pragma once
// voiceopsd's Odoo export: a thread that sends the outbox's due rows (ops/odoo_export.hpp) every
// few seconds and as soon as a call ends, off the webhooks' threads, so a slow or absent Odoo
// never holds up a caller. What it last saw of Odoo is what `daemon status`, /readyz's body and
// /metrics report.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <stop_token>
#include <string>
#include <thread>

#include "connectors/odoo/odoo_client.hpp"
#include "host/log.hpp"
#include "ops/odoo_export.hpp"
#include "store/call_store.hpp"

namespace voiceops::host {

struct ExportHealth {
  bool reachable = true;  // the last exchange with Odoo worked (or none was needed yet)
  std::string last_error;
  std::string last_error_kind;  // connectors::odoo::kind_name
  std::optional<std::int64_t> last_success_at;
  std::string protocol;  // json2 or jsonrpc, once known
  std::uint64_t sent = 0, failed = 0, dead = 0, requests = 0;
};

class ExportWorker {
 public:
  using Clock = std::function<std::chrono::sys_seconds()>;
  ExportWorker(store::CallStore& store, connectors::odoo::Client odoo, ops::ExportPolicy policy,
               Log& log, Clock clock, std::chrono::milliseconds poll_every);
  ~ExportWorker();

  // A call ended: look at the outbox now rather than at the next poll.
  void wake();
  // Stops the thread (between two requests to Odoo) and waits for it; wake() stays harmless.
  void stop();
  ExportHealth health() const;

 private:
  void run(std::stop_token stop);
  void note(const ops::ExportRun& run, std::int64_t now);

  store::CallStore& store_;
  connectors::odoo::Client odoo_;  // used on the worker thread only
  Log& log_;
  Clock clock_;
  std::chrono::milliseconds poll_every_;
  int max_batches_;
  std::mt19937_64 random_;
  ops::OdooExporter exporter_;

  mutable std::mutex mutex_;  // guards health_ and woken_
  std::condition_variable_any woken_cv_;
  bool woken_ = false;
  ExportHealth health_;
  std::string last_store_error_;  // logged once until it changes
  std::jthread thread_;           // last: stops (and joins) before the rest goes
};

}  // namespace voiceops::host
