#include "host/metrics.hpp"

#include <fmt/format.h>

#include "host/process_metrics.hpp"

namespace voiceops::host {
namespace {

// Label values are escaped as the exposition format requires: backslash, quote, newline.
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

Metrics::Metrics() : started_(std::chrono::system_clock::now()) {}

void Metrics::call_started(const std::string& workflow) {
  std::lock_guard lock(mutex_);
  ++calls_started_[workflow];
}

void Metrics::call_ended(const std::string& workflow, const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++calls_ended_[{workflow, outcome}];
}

void Metrics::call_finalized(const std::string& workflow, const std::string& status,
                             std::optional<std::int64_t> duration_s, std::optional<double> cost) {
  std::lock_guard lock(mutex_);
  ++calls_finalized_[status];
  if (workflow.empty()) return;
  if (cost) call_costs_[workflow] += *cost;
  if (duration_s && *duration_s >= 0) {
    CallLengths& lengths = call_lengths_[workflow];
    const auto seconds = static_cast<double>(*duration_s);
    for (std::size_t i = 0; i < call_bounds_seconds.size(); ++i)
      if (seconds <= call_bounds_seconds[i]) ++lengths.buckets[i];
    ++lengths.count;
    lengths.sum += seconds;
  }
}

void Metrics::escalation(const std::string& workflow, const std::string& trigger) {
  std::lock_guard lock(mutex_);
  ++escalations_[{workflow, trigger}];
}

void Metrics::signature_failure() {
  std::lock_guard lock(mutex_);
  ++signature_failures_;
}

void Metrics::fallback(const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++fallbacks_[reason];
}

void Metrics::store_error() {
  std::lock_guard lock(mutex_);
  ++store_errors_;
}

void Metrics::store_fault() {
  std::lock_guard lock(mutex_);
  ++store_faults_;
}

void Metrics::late_webhook(const std::string& kind) {
  std::lock_guard lock(mutex_);
  ++late_webhooks_[kind];
}

void Metrics::accept_failure() {
  std::lock_guard lock(mutex_);
  ++accept_failures_;
}

void Metrics::reload(bool ok) {
  std::lock_guard lock(mutex_);
  ++(ok ? reloads_ok_ : reloads_failed_);
}

void Metrics::rollback_change(const std::string& action) {
  std::lock_guard lock(mutex_);
  ++rollback_changes_[action];
}

void Metrics::messages(const std::string& channel, const std::string& result, int count) {
  if (count <= 0) return;
  std::lock_guard lock(mutex_);
  messages_[{channel, result}] += static_cast<std::uint64_t>(count);
}

void Metrics::delivery(const std::string& status) {
  std::lock_guard lock(mutex_);
  ++deliveries_[status];
}

void Metrics::sweep_closed(int calls) {
  std::lock_guard lock(mutex_);
  abandoned_ += static_cast<std::uint64_t>(calls);
}

void Metrics::webhook(const std::string& endpoint, int status, std::chrono::nanoseconds took) {
  const double seconds = std::chrono::duration<double>(took).count();
  std::lock_guard lock(mutex_);
  ++http_requests_[status];
  Histogram& h = webhook_latency_[endpoint];
  for (std::size_t i = 0; i < bounds_seconds.size(); ++i)
    if (seconds <= bounds_seconds[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::http_request(int status) {
  std::lock_guard lock(mutex_);
  ++http_requests_[status];
}

std::string Metrics::render(const Gauges& gauges) const {
  // Read from /proc before taking the lock: the webhooks' counters never wait on a file read.
  const std::string process = render_process_metrics();
  std::lock_guard lock(mutex_);
  std::string out;
  header(out, "voiceops_calls_started_total", "counter", "Calls answered, by workflow.");
  for (const auto& [workflow, n] : calls_started_)
    out += fmt::format("voiceops_calls_started_total{{workflow=\"{}\"}} {}\n", label(workflow), n);
  header(out, "voiceops_calls_total", "counter",
         "Calls the engine ended, by workflow and outcome.");
  for (const auto& [key, n] : calls_ended_)
    out += fmt::format("voiceops_calls_total{{workflow=\"{}\",outcome=\"{}\"}} {}\n",
                       label(key.first), label(key.second), n);
  header(out, "voiceops_calls_finalized_total", "counter",
         "Calls closed by the carrier's final status callback, by status.");
  for (const auto& [status, n] : calls_finalized_)
    out += fmt::format("voiceops_calls_finalized_total{{status=\"{}\"}} {}\n", label(status), n);
  header(out, "voiceops_call_duration_seconds", "histogram",
         "How long finished calls lasted, as the carrier counts them, by workflow.");
  for (const auto& [workflow, h] : call_lengths_) {
    for (std::size_t i = 0; i < call_bounds_seconds.size(); ++i)
      out += fmt::format("voiceops_call_duration_seconds_bucket{{workflow=\"{}\",le=\"{}\"}} {}\n",
                         label(workflow), call_bounds_seconds[i], h.buckets[i]);
    out += fmt::format("voiceops_call_duration_seconds_bucket{{workflow=\"{}\",le=\"+Inf\"}} {}\n",
                       label(workflow), h.count);
    out += fmt::format("voiceops_call_duration_seconds_sum{{workflow=\"{}\"}} {}\n",
                       label(workflow), h.sum);
    out += fmt::format("voiceops_call_duration_seconds_count{{workflow=\"{}\"}} {}\n",
                       label(workflow), h.count);
  }
  header(out, "voiceops_call_cost_dollars_total", "counter",
         "What finished calls cost under their contracts' pricing ([cost]), by workflow.");
  for (const auto& [workflow, dollars] : call_costs_)
    out += fmt::format("voiceops_call_cost_dollars_total{{workflow=\"{}\"}} {:.6f}\n",
                       label(workflow), dollars);
  header(out, "voiceops_calls_abandoned_total", "counter",
         "Calls closed by the sweeper because no final status callback came.");
  out += fmt::format("voiceops_calls_abandoned_total {}\n", abandoned_);
  header(out, "voiceops_active_calls", "gauge", "Calls in progress.");
  out += fmt::format("voiceops_active_calls {}\n", gauges.active_calls);
  header(out, "voiceops_escalations_total", "counter",
         "Escalation rows fired, by workflow and trigger.");
  for (const auto& [key, n] : escalations_)
    out += fmt::format("voiceops_escalations_total{{workflow=\"{}\",trigger=\"{}\"}} {}\n",
                       label(key.first), label(key.second), n);
  header(out, "voiceops_signature_failures_total", "counter",
         "Webhooks refused for a bad X-Twilio-Signature.");
  out += fmt::format("voiceops_signature_failures_total {}\n", signature_failures_);
  header(out, "voiceops_fallbacks_total", "counter",
         "Calls sent to the human fallback because the engine could not answer, by reason.");
  for (const auto& [reason, n] : fallbacks_)
    out += fmt::format("voiceops_fallbacks_total{{reason=\"{}\"}} {}\n", label(reason), n);
  header(out, "voiceops_store_errors_total", "counter", "Failed store reads and writes.");
  out += fmt::format("voiceops_store_errors_total {}\n", store_errors_);
  header(out, "voiceops_store_faults_total", "counter",
         "Times the store stopped taking writes (full disk, read-only file system, I/O error).");
  out += fmt::format("voiceops_store_faults_total {}\n", store_faults_);
  header(out, "voiceops_late_webhooks_total", "counter",
         "Webhooks for a call that had already moved on (late or repeated), by kind.");
  for (const auto& [kind, n] : late_webhooks_)
    out += fmt::format("voiceops_late_webhooks_total{{kind=\"{}\"}} {}\n", label(kind), n);
  header(out, "voiceops_accept_failures_total", "counter",
         "Connections the kernel could not hand over (out of file descriptors).");
  out += fmt::format("voiceops_accept_failures_total {}\n", accept_failures_);
  header(out, "voiceops_http_requests_total", "counter", "HTTP requests answered, by status code.");
  for (const auto& [status, n] : http_requests_)
    out += fmt::format("voiceops_http_requests_total{{code=\"{}\"}} {}\n", status, n);
  header(out, "voiceops_webhook_duration_seconds", "histogram",
         "Time to answer a carrier webhook, by endpoint.");
  for (const auto& [endpoint, h] : webhook_latency_) {
    for (std::size_t i = 0; i < bounds_seconds.size(); ++i)
      out +=
          fmt::format("voiceops_webhook_duration_seconds_bucket{{endpoint=\"{}\",le=\"{}\"}} {}\n",
                      label(endpoint), bounds_seconds[i], h.buckets[i]);
    out +=
        fmt::format("voiceops_webhook_duration_seconds_bucket{{endpoint=\"{}\",le=\"+Inf\"}} {}\n",
                    label(endpoint), h.count);
    out += fmt::format("voiceops_webhook_duration_seconds_sum{{endpoint=\"{}\"}} {}\n",
                       label(endpoint), h.sum);
    out += fmt::format("voiceops_webhook_duration_seconds_count{{endpoint=\"{}\"}} {}\n",
                       label(endpoint), h.count);
  }
  header(out, "voiceops_contracts_loaded", "gauge", "Workflow contracts in service.");
  out += fmt::format("voiceops_contracts_loaded {}\n", gauges.contracts_loaded);
  header(out, "voiceops_rollback_changes_total", "counter",
         "Rollback changes made through the daemon, by action.");
  for (const auto& [action, n] : rollback_changes_)
    out += fmt::format("voiceops_rollback_changes_total{{action=\"{}\"}} {}\n", label(action), n);
  header(out, "voiceops_messages_total", "counter",
         "Texts and emails to staff, by channel and result: sent, failed (given up), "
         "suppressed (the recipient opted out) or unrouted (no channel set up).");
  // Every series from the start, so a rate() alert on failures has a zero to start from.
  for (const char* channel : {"sms", "email"}) {
    for (const char* result : {"sent", "failed", "suppressed", "unrouted"}) {
      auto it = messages_.find({channel, result});
      out += fmt::format("voiceops_messages_total{{channel=\"{}\",result=\"{}\"}} {}\n", channel,
                         result, it == messages_.end() ? 0 : it->second);
    }
  }
  header(out, "voiceops_message_deliveries_total", "counter",
         "The carrier's delivery reports on texts, by status.");
  for (const auto& [status, n] : deliveries_)
    out += fmt::format("voiceops_message_deliveries_total{{status=\"{}\"}} {}\n", label(status), n);
  header(out, "voiceops_reloads_total", "counter", "Contract reloads, by result.");
  out += fmt::format("voiceops_reloads_total{{result=\"ok\"}} {}\n", reloads_ok_);
  out += fmt::format("voiceops_reloads_total{{result=\"failed\"}} {}\n", reloads_failed_);
  header(out, "voiceops_export_queue", "gauge", "Finished calls waiting in the export outbox.");
  out += fmt::format("voiceops_export_queue{{state=\"pending\"}} {}\n", gauges.outbox_pending);
  out += fmt::format("voiceops_export_queue{{state=\"dead\"}} {}\n", gauges.outbox_dead);
  header(out, "voiceops_export_oldest_age_seconds", "gauge",
         "Age of the oldest finished call not yet exported (0 when none waits).");
  out += fmt::format("voiceops_export_oldest_age_seconds {}\n", gauges.outbox_oldest_age_s);
  if (gauges.odoo) {
    const OdooGauges& odoo = *gauges.odoo;
    header(out, "voiceops_odoo_up", "gauge", "1 when the last exchange with Odoo worked.");
    out += fmt::format("voiceops_odoo_up {}\n", odoo.reachable ? 1 : 0);
    header(out, "voiceops_export_calls_total", "counter",
           "Finished calls sent to Odoo, failed (to be tried again) and given up (dead letters).");
    out += fmt::format("voiceops_export_calls_total{{result=\"sent\"}} {}\n", odoo.sent);
    out += fmt::format("voiceops_export_calls_total{{result=\"failed\"}} {}\n", odoo.failed);
    out += fmt::format("voiceops_export_calls_total{{result=\"dead\"}} {}\n", odoo.dead);
    header(out, "voiceops_export_requests_total", "counter", "Requests the export sent to Odoo.");
    out += fmt::format("voiceops_export_requests_total {}\n", odoo.requests);
  }
  header(out, "voiceops_store_writable", "gauge", "1 when the store accepted a write probe.");
  out += fmt::format("voiceops_store_writable {}\n", gauges.store_writable ? 1 : 0);
  header(out, "voiceops_start_time_seconds", "gauge", "When the daemon started (Unix time).");
  out += fmt::format(
      "voiceops_start_time_seconds {}\n",
      std::chrono::duration_cast<std::chrono::seconds>(started_.time_since_epoch()).count());
  out += process;
  return out;
}

}  // namespace voiceops::host
