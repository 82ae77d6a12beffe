#pragma once
// The daemon's Prometheus metrics (text exposition format 0.0.4). Counters keyed by a few label
// values whose sets are small by construction (workflows, outcomes, triggers, fallback reasons).
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace voiceops::host {

// What the Odoo export worker has done since the daemon started (counters) and last saw.
struct OdooGauges {
  bool reachable = true;
  std::uint64_t sent = 0, failed = 0, dead = 0, requests = 0;
};

struct Gauges {
  int active_calls = 0;
  int contracts_loaded = 0;
  int outbox_pending = 0;
  int outbox_dead = 0;
  bool store_writable = true;
  std::int64_t outbox_oldest_age_s = 0;  // of the oldest row not yet sent; 0 when none
  std::optional<OdooGauges> odoo;        // none without [odoo]
};

class Metrics {
 public:
  Metrics();

  void call_started(const std::string& workflow);
  void call_ended(const std::string& workflow, const std::string& outcome);
  // The carrier's final word on a call: its status, and the call's length and cost when known.
  void call_finalized(const std::string& workflow, const std::string& status,
                      std::optional<std::int64_t> duration_s, std::optional<double> cost);
  void escalation(const std::string& workflow, const std::string& trigger);
  void signature_failure();
  void fallback(const std::string& reason);  // a short category, not free text
  void store_error();
  void store_fault();                          // the store went from writable to faulted
  void late_webhook(const std::string& kind);  // answered for a call already moved on
  void accept_failure();                       // the kernel refused to hand us a connection
  void reload(bool ok);
  void rollback_change(const std::string& action);
  void webhook(const std::string& endpoint, int status, std::chrono::nanoseconds took);
  void http_request(int status);
  void sweep_closed(int calls);
  // Texts and emails: `result` sent, failed (given up), suppressed (opted out, not sent) or
  // unrouted (no channel set up for it).
  void messages(const std::string& channel, const std::string& result, int count);
  // A delivery status callback's status: delivered, undelivered, failed...
  void delivery(const std::string& status);

  // The whole exposition; gauges are read at scrape time by the caller.
  std::string render(const Gauges& gauges) const;

 private:
  static constexpr std::array<double, 12> bounds_seconds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0};
  struct Histogram {
    std::array<std::uint64_t, bounds_seconds.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };

  // A call's length: most calls take one to five minutes; a stuck one runs for an hour.
  static constexpr std::array<double, 10> call_bounds_seconds = {15,  30,  60,   120,  180,
                                                                 300, 600, 1200, 1800, 3600};
  struct CallLengths {
    std::array<std::uint64_t, call_bounds_seconds.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::chrono::system_clock::time_point started_;
  std::map<std::string, std::uint64_t> calls_started_;                        // workflow
  std::map<std::pair<std::string, std::string>, std::uint64_t> calls_ended_;  // workflow, outcome
  std::map<std::string, std::uint64_t> calls_finalized_;                      // carrier status
  std::map<std::string, CallLengths> call_lengths_;                           // workflow
  std::map<std::string, double> call_costs_;                                  // workflow, dollars
  std::map<std::pair<std::string, std::string>, std::uint64_t> escalations_;  // workflow, trigger
  std::map<std::string, std::uint64_t> fallbacks_;                            // reason
  std::map<std::string, Histogram> webhook_latency_;                          // endpoint
  std::map<int, std::uint64_t> http_requests_;                                // status code
  std::map<std::string, std::uint64_t> late_webhooks_;                        // kind
  std::map<std::string, std::uint64_t> rollback_changes_;                     // action
  std::map<std::pair<std::string, std::string>, std::uint64_t> messages_;     // channel, result
  std::map<std::string, std::uint64_t> deliveries_;                           // status
  std::uint64_t signature_failures_ = 0, store_errors_ = 0, reloads_ok_ = 0, reloads_failed_ = 0,
                abandoned_ = 0, store_faults_ = 0, accept_failures_ = 0;
};

}  // namespace voiceops::host
