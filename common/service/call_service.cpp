// The CallService's frame: requests checked and routed to their handler, writes reported once
// committed, the workflow for a number at a time, and what the host may read of a call.
// The turns are in call_turns.cpp, the TwiML answers in call_answers.cpp.
#include "service/call_service.hpp"

#include <algorithm>
#include <future>

#include "engine/business_hours.hpp"
#include "service/call_service_detail.hpp"
#include "twilio/signature.hpp"

namespace voiceops::service {

Result<std::optional<std::string>, std::string> MemorySessionStore::load(
    const std::string& call_id) {
  for (const auto& [id, state] : states_) {
    if (id == call_id) return std::optional<std::string>(state);
  }
  return std::optional<std::string>();
}

void SessionStore::commit(std::vector<StoreWrite> writes, Committed done) {
  std::vector<WriteResult> results;
  for (const StoreWrite& write : writes) {
    results.push_back(std::visit(
        [&](const auto& w) -> WriteResult {
          if constexpr (std::is_same_v<std::decay_t<decltype(w)>, TurnRecord>) {
            return save(w);
          } else {
            return finish(w);
          }
        },
        write));
  }
  done(std::move(writes), std::move(results));
}

Result<bool, std::string> MemorySessionStore::save(const TurnRecord& turn) {
  const std::string& call_id = turn.state.call_id;
  for (auto& [id, saved] : states_) {
    if (id == call_id) {
      saved = turn.blob;
      return true;
    }
  }
  states_.emplace_back(call_id, turn.blob);
  return true;
}

CallService::CallService(std::vector<Workflow> workflows, SessionStore& sessions, ToolRunner& tools,
                         Messenger& messenger, CallServiceOptions options)
    : workflows_(std::move(workflows)),
      sessions_(sessions),
      tools_(tools),
      messenger_(messenger),
      options_(std::move(options)) {
  for (const Workflow& w : workflows_) {
    dialogues_.push_back(std::make_unique<engine::Dialogue>(*w.contract, w.directory.get()));
  }
  if (!options_.clock) {
    options_.clock = [] {
      return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    };
  }
}

HttpResponse CallService::handle(const HttpRequest& request) {
  Prepared prepared = prepare(request);
  if (!prepared.writes.empty()) {
    // The store may commit on another thread (the daemon's); either way, wait for it here.
    std::promise<void> done;
    auto committed_here = done.get_future();
    sessions_.commit(std::move(prepared.writes),
                     [&](std::vector<StoreWrite> writes, std::vector<WriteResult> results) {
                       committed(writes, results);
                       done.set_value();
                     });
    committed_here.wait();
  }
  return std::move(prepared.response);
}

Prepared CallService::prepare(const HttpRequest& request) {
  return prepare(request, twilio::decode_form(request.body));
}

Prepared CallService::prepare(const HttpRequest& request,
                              const Result<twilio::FormParams, twilio::FormError>& form) {
  Prepared out;
  const auto answer = [&](HttpResponse response) {
    out.response = std::move(response);
    return std::move(out);
  };
  const std::string_view path = request.path();
  const bool known = path == "/twilio/voice" || path == "/twilio/gather" ||
                     path == "/twilio/dial" || path == "/twilio/status";
  if (!known) return answer(plain(404, "not found"));
  if (request.method != "POST") return answer(plain(405, "use POST"));
  // The carrier posts forms. A JSON body (or anything else) is not one, whatever it holds.
  if (const std::string_view type = request.header("Content-Type"); !type.empty()) {
    const std::string_view media = type.substr(0, type.find(';'));
    std::string lowered;
    for (char c : media)
      if (c != ' ' && c != '\t')
        lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered != "application/x-www-form-urlencoded")
      return answer(plain(415, "webhooks are application/x-www-form-urlencoded forms"));
  }
  if (!form) return answer(plain(400, "malformed form: " + form.error().message));
  // One call, one number: a form naming two of either is not the carrier's.
  for (const char* name : {"CallSid", "To", "From"}) {
    int seen = 0;
    for (const auto& [key, value] : *form) seen += key == name ? 1 : 0;
    if (seen > 1) return answer(plain(400, std::string("duplicate parameter ") + name));
  }
  if (options_.validate_signatures) {
    const auto check =
        twilio::verify_signature(options_.auth_token, options_.public_url + request.target, *form,
                                 request.header("X-Twilio-Signature"));
    if (!check.valid) {
      observe(ServiceEvent::Kind::signature_failure, param(*form, "CallSid"), "");
      return answer(plain(403, "invalid X-Twilio-Signature"));
    }
  }
  if (param(*form, "CallSid").empty()) return answer(plain(400, "no CallSid"));
  // The carrier sends the same token again when it retries a webhook (connection overrides).
  const std::string token(request.header("I-Twilio-Idempotency-Token"));
  if (path == "/twilio/voice") return answer(on_voice(*form, out.writes));
  if (path == "/twilio/gather") return answer(on_gather(*form, out.writes, token));
  if (path == "/twilio/dial") return answer(on_dial(*form, out.writes, token));
  return answer(on_status(*form, out.writes));
}

void CallService::committed(const std::vector<StoreWrite>& writes,
                            const std::vector<WriteResult>& results) const {
  for (std::size_t i = 0; i < writes.size() && i < results.size(); ++i) {
    const WriteResult& result = results[i];
    if (const auto* turn = std::get_if<TurnRecord>(&writes[i])) {
      // Told once the turn is in the store, so a host that reacts by reading the call finds it.
      // A failed write is told too: the turn happened, and the caller got an answer.
      const engine::CallState& state = turn->state;
      if (!result)
        observe(ServiceEvent::Kind::store_error, state.call_id, state.workflow, result.error());
      bool started = false;
      for (const CallEvent& event : turn->events) {
        if (event.kind == "escalation")
          observe(ServiceEvent::Kind::escalation, state.call_id, state.workflow, event.detail);
        started = started || event.kind == "started";
      }
      if (started) observe(ServiceEvent::Kind::call_started, state.call_id, state.workflow);
      observe(ServiceEvent::Kind::turn, state.call_id, state.workflow);
      if (state.phase == engine::Phase::ended && state.outcome)
        observe(ServiceEvent::Kind::call_ended, state.call_id, state.workflow,
                engine::to_string(*state.outcome));
      // Staff hear of the turn even when the write failed: the caller was promised it.
      for (const engine::Notify& notice : turn->notices) messenger_.notify(state, notice);
    } else {
      const auto& finish = std::get<CallFinish>(writes[i]);
      if (!result) {
        observe(ServiceEvent::Kind::store_error, finish.call_id, finish.workflow, result.error());
      } else if (*result) {
        observe(ServiceEvent::Kind::call_finalized, finish.call_id, finish.workflow, finish.status);
      }
    }
  }
}

const Workflow* CallService::select_workflow(const std::string& to,
                                             std::chrono::sys_seconds now) const {
  const Workflow* fallback = nullptr;
  for (const Workflow& w : workflows_) {
    const contract::Contract& c = *w.contract;
    const bool answers = std::any_of(c.answers.numbers.begin(), c.answers.numbers.end(),
                                     [&](const contract::Text& n) { return n.value == to; });
    if (!answers) continue;
    const contract::Hours when = c.answers.when.value;
    if (when == contract::Hours::always) {
      fallback = fallback ? fallback : &w;
      continue;
    }
    const bool business = engine::in_business_hours(c.hours, now).value_or(false);
    if (engine::hours_apply(when, business)) return &w;
  }
  return fallback;
}

const Workflow* CallService::workflow_of(const engine::CallState& state) const {
  for (const Workflow& w : workflows_) {
    if (w.contract->workflow.id.value == state.workflow) return &w;
  }
  return nullptr;
}

const engine::Dialogue* CallService::dialogue_of(const Workflow& workflow) const {
  return dialogues_[static_cast<std::size_t>(&workflow - workflows_.data())].get();
}

void CallService::observe_fallback(FallbackReason reason, const std::string& call_id,
                                   const std::string& workflow, std::string detail) const {
  if (!options_.observer) return;
  ServiceEvent event{ServiceEvent::Kind::fallback, call_id, workflow, std::move(detail)};
  event.reason = reason;
  options_.observer->on_event(event);
}

void CallService::observe(ServiceEvent::Kind kind, const std::string& call_id,
                          const std::string& workflow, std::string detail) const {
  if (options_.observer) options_.observer->on_event({kind, call_id, workflow, std::move(detail)});
}

const char* to_string(FallbackReason reason) {
  switch (reason) {
    case FallbackReason::unknown_call: return "unknown_call";
    case FallbackReason::store_error: return "store_error";
    case FallbackReason::state_unreadable: return "state_unreadable";
    case FallbackReason::workflow_not_loaded: return "workflow_not_loaded";
    case FallbackReason::no_workflow: return "no_workflow";
    case FallbackReason::internal_error: return "internal_error";
  }
  return "internal_error";
}

std::optional<engine::CallState> CallService::call_state(const std::string& call_id) {
  auto saved = sessions_.load(call_id);
  if (!saved || !*saved) return std::nullopt;
  auto state = engine::deserialize(**saved);
  if (!state) return std::nullopt;
  return std::move(*state);
}

std::string CallService::summary(const engine::CallState& state) const {
  const Workflow* workflow = workflow_of(state);
  return workflow ? dialogue_of(*workflow)->summary(state) : std::string();
}
}  // namespace voiceops::service
