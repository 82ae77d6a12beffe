// What the DaemonCore hears as calls go (metrics, live events, the log), and the store's
// health changes, each said once.
#include "host/daemon_core.hpp"

#include <fmt/format.h>

#include "host/core_helpers.hpp"

namespace voiceops::host {

// Said once per change, with the cause: a full disk fails every call's write, and the log must
// not say so once per call.
void DaemonCore::store_health_changed(bool writable, const std::string& cause) {
  if (writable) {
    log_.notice("the store takes writes again; calls are answered normally");
    replay_kept();
    return;
  }
  metrics_.store_fault();
  log_.error("store fault: " + cause +
             "; callers get the human fallback and /readyz answers 503 until a write succeeds");
}

void DaemonCore::on_event(const calls::Observation& event) {
  using Kind = calls::Observation::Kind;
  const std::int64_t at = clock_().time_since_epoch().count();
  const std::string id = short_id(event.call_id);
  switch (event.kind) {
    case Kind::call_started:
      metrics_.call_started(event.workflow);
      live_events_.publish("started", event.call_id, event.workflow, "", at);
      log_.info(fmt::format("call {}: answered by workflow {}", id, event.workflow));
      break;
    case Kind::turn: live_events_.publish("turn", event.call_id, event.workflow, "", at); break;
    case Kind::escalation:
      metrics_.escalation(event.workflow, event.detail);
      live_events_.publish("escalation", event.call_id, event.workflow, event.detail, at);
      log_.notice(fmt::format("call {}: escalation {}", id, event.detail));
      break;
    case Kind::call_ended:
      metrics_.call_ended(event.workflow, event.detail);
      live_events_.publish("ended", event.call_id, event.workflow, event.detail, at);
      log_.info(fmt::format("call {}: ended, {}", id, event.detail));
      break;
    case Kind::call_finalized:
      metrics_.call_finalized(event.workflow, event.detail, event.duration_s, event.cost);
      live_events_.publish("finalized", event.call_id, event.workflow, event.detail, at);
      if (exporter_) exporter_->wake();  // its outbox row is in (or about to be)
      break;
    case Kind::fallback:
      metrics_.fallback(calls::to_string(event.reason));
      // While a store fault is in force it was logged once with its cause; each call it sends
      // to the fallback is a short line, not the cause again.
      if (event.reason == calls::FallbackReason::store_error && !store_->health().writable()) {
        log_.info(fmt::format("call {}: human fallback (store fault in force)", id));
        break;
      }
      log_.warning(fmt::format("call {}: human fallback without the engine: {}{}{}", id,
                               calls::to_string(event.reason), event.detail.empty() ? "" : ": ",
                               event.detail));
      break;
    case Kind::signature_failure:
      metrics_.signature_failure();
      log_.warning(
          fmt::format("refused a webhook with a bad X-Twilio-Signature (call {}); check "
                      "[server] public_url against the URL the carrier calls",
                      id.empty() ? "?" : id));
      break;
    case Kind::late_webhook:
      metrics_.late_webhook(event.detail);
      log_.info(fmt::format("call {}: a late or repeated webhook ({})", id, event.detail));
      break;
    case Kind::store_error:
      metrics_.store_error();
      if (!store_->health().writable()) break;  // the fault's own line says why
      log_.error(fmt::format("call {}: store: {}", id, event.detail));
      break;
  }
}
}  // namespace voiceops::host
