// The control socket's answers: status, reload, calls.list, calls.show, rollback.
#include "host/daemon_core.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "base/mask.hpp"
#include "control/call_records.hpp"
#include "control/requests.hpp"
#include "host/core_helpers.hpp"
#include "ops/rollback.hpp"
#include "version.hpp"

namespace voiceops::host {

namespace {

control::CallRecord record_of(const store::CallRow& c) {
  control::CallRecord r;
  r.id = c.id;
  r.workflow = c.workflow;
  r.caller = c.caller;
  r.called = c.called;
  r.status = c.status;
  r.phase = c.phase;
  r.started_at = c.started_at;
  r.updated_at = c.updated_at;
  r.ended_at = c.ended_at;
  r.duration_s = c.duration_s;
  r.after_hours = c.after_hours;
  r.intent = c.intent;
  r.outcome = c.outcome;
  r.event = c.event;
  r.escalation = c.escalation;
  r.destination = c.destination;
  r.turns = c.turns;
  r.summary = c.summary;
  r.cost = c.cost;
  return r;
}

}  // namespace

std::string DaemonCore::status_json() {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(reload_mutex_);
    if (contract_ids_) ids = *contract_ids_;
  }
  json j = {{"ok", true},
            {"version", version_string},
            {"pid", static_cast<long>(getpid())},
            {"uptime_s", std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::steady_clock::now() - started_)
                             .count()},
            {"listen", config_.server.listen},
            {"store", store_->path()},
            {"contracts", ids},
            {"signature_validation", config_.twilio.validate_signatures},
            {"scripted_integrations", config_.testing.scripted_integrations},
            {"events_subscribers", live_events_.subscribers()}};
  if (auto stats = store_->stats()) {
    j["active_calls"] = stats->active_calls;
    j["export_queue"] = {{"pending", stats->outbox_pending}, {"dead", stats->outbox_dead}};
  } else {
    j["store_error"] = stats.error();
  }
  j["odoo"] = odoo_status();
  j["messages"] = messages_status();
  return dump(j);
}

json DaemonCore::messages_status() {
  const MessageHealth health = message_worker_->health();
  json j = {{"texts", health.texts ? "carrier REST API" : "not set up"},
            {"email", health.email ? "Mailgun" : "not set up"},
            {"texts_sent", health.texts_sent},
            {"texts_failed", health.texts_failed},
            {"texts_suppressed", health.texts_suppressed},
            {"emails_sent", health.emails_sent},
            {"emails_failed", health.emails_failed},
            {"unrouted", health.unrouted}};
  if (!health.last_error.empty()) j["last_error"] = mask_numbers_in(health.last_error);
  const std::int64_t now = clock_().time_since_epoch().count();
  if (auto status = store_->message_status(now)) {
    j["pending"] = status->pending;
    j["dead"] = status->dead;
    j["suppressed_recipients"] = status->suppressed_recipients;
    if (status->oldest_pending_at) j["oldest_pending_age_s"] = now - *status->oldest_pending_at;
  }
  return j;
}

json DaemonCore::odoo_status() {
  if (!exporter_) return nullptr;
  const ExportHealth health = exporter_->health();
  const std::int64_t now = clock_().time_since_epoch().count();
  json j = {{"url", config_.odoo.url},
            {"database", config_.odoo.database},
            {"state", health.reachable ? "ok" : "unreachable"},
            {"protocol", health.protocol},
            {"sent", health.sent},
            {"failed", health.failed},
            {"dead", health.dead},
            {"requests", health.requests}};
  if (!health.last_error.empty()) {
    j["last_error"] = health.last_error;
    j["last_error_kind"] = health.last_error_kind;
  }
  if (health.last_success_at) j["last_success_at"] = *health.last_success_at;
  if (auto outbox = store_->outbox_status(now)) {
    if (outbox->oldest_pending_at) j["oldest_pending_age_s"] = now - *outbox->oldest_pending_at;
    j["due"] = outbox->due;
  }
  // Which workflows' records wait: every workflow's calls are exported, so all of them.
  json affected = json::array();
  std::lock_guard lock(reload_mutex_);
  if (contract_ids_ && !health.reachable) affected = *contract_ids_;
  j["workflows_affected"] = affected;
  return j;
}

std::string DaemonCore::handle_control(std::string_view line) {
  auto request = control::decode_request(line);
  if (!request) return error_json(request.error());
  return std::visit([this](const auto& r) { return answer_control(r); }, *request);
}

std::string DaemonCore::answer_control(const control::StatusRequest&) {
  return status_json();
}

std::string DaemonCore::answer_control(const control::ReloadRequest&) {
  const ReloadOutcome outcome = reload();
  return dump(
      json{{"ok", outcome.ok}, {"contracts", outcome.contracts}, {"errors", outcome.errors}});
}

std::string DaemonCore::answer_control(const control::CallsListRequest& list) {
  store::CallQuery query;
  query.since = list.since;
  query.active_only = list.active;
  query.limit = list.limit;
  auto calls = store_->list_calls(query);
  if (!calls) return error_json("store: " + calls.error());
  json out = json::array();
  for (const auto& c : *calls) out.push_back(control::to_json(record_of(c)));
  return dump(json{{"ok", true}, {"calls", out}});
}

std::string DaemonCore::answer_control(const control::CallsShowRequest& show) {
  auto detail = store_->show_call(show.call);
  if (!detail) return error_json("store: " + detail.error());
  if (!*detail)
    return dump(json{{"ok", false}, {"error", "no call " + show.call}, {"not_found", true}});
  control::CallRecord call = record_of((*detail)->call);
  call.transcript.emplace();
  for (const auto& line : (*detail)->transcript)
    call.transcript->push_back({line.at, line.speaker, line.text});
  call.events.emplace();
  for (const auto& e : (*detail)->events) call.events->push_back({e.at, e.kind, e.detail});
  return dump(json{{"ok", true}, {"call", control::to_json(call)}});
}

std::string DaemonCore::answer_control(const control::RollbackRequest& r) {
  store::RollbackChange change;
  change.action = r.action;
  change.argument = r.argument;
  change.workflow = r.workflow;
  change.now = r.now;
  change.reason = r.reason;
  change.who = r.who.empty() ? std::string("unknown") : r.who;
  change.via = "daemon";
  change.at = clock_().time_since_epoch().count();
  // Checked against the contracts in service now, which is what the change will meet.
  std::shared_ptr<carrier::Webhooks> webhooks = webhooks_.load();
  if (auto checked = ops::check_change(change, webhooks->calls().workflows()); !checked) {
    return dump(json{{"ok", false},
                     {"error", checked.error().message},
                     {"hint", checked.error().hint},
                     {"status", to_int(checked.error().status)}});
  }
  auto entry = store_->apply_rollback(change);
  if (!entry) {
    metrics_.store_error();
    return error_json("store: the rollback was not written: " + entry.error());
  }
  metrics_.rollback_change(change.action);
  const std::string scope = change.workflow.empty() ? "every workflow" : change.workflow;
  log_.info(fmt::format("rollback {}{}{} for {} by {}: {}", change.action,
                        change.argument.empty() ? "" : " ", change.argument, scope, change.who,
                        change.reason));
  live_events_.publish("rollback", "", change.workflow,
                       change.action + (change.argument.empty() ? "" : " " + change.argument),
                       change.at);
  return dump(json{{"ok", true}, {"id", entry->id}, {"via", "daemon"}});
}

}  // namespace voiceops::host
