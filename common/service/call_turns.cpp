// Each carrier webhook as an engine event: the call's state loaded, late and retried webhooks
// answered without the engine, the turn and its tool calls run, the writes prepared.
#include "service/call_service.hpp"

#include "service/call_service_detail.hpp"
#include "service/scripted_integrations.hpp"
#include "twilio/twiml.hpp"

namespace voiceops::service {

HttpResponse CallService::on_voice(const twilio::FormParams& form, Writes& writes) {
  const std::string call_id = param(form, "CallSid");
  // The carrier retries a webhook it got no answer to: pick the call up where it is.
  auto saved = sessions_.load(call_id);
  if (!saved) {  // never start a call over because its state could not be read
    observe(ServiceEvent::Kind::store_error, call_id, "", saved.error());
    return fallback_answer(form, FallbackReason::store_error, saved.error());
  }
  if (*saved) {
    auto state = engine::deserialize(**saved);
    if (state && state->phase != engine::Phase::ended) {
      observe(ServiceEvent::Kind::late_webhook, call_id, state->workflow, "duplicate");
      const Workflow* workflow = workflow_of(*state);
      if (workflow && state->phase == engine::Phase::transfer)
        return still_transferring(*workflow, *state);
      return render(*state, {engine::Gather{state->last_prompt, {}, true, true, 5, 0}});
    }
  }
  return run_event(form, engine::CallArrived{param(form, "From"), param(form, "To")}, writes);
}

HttpResponse CallService::on_gather(const twilio::FormParams& form, Writes& writes,
                                    const std::string& token) {
  const std::string digits = param(form, "Digits");
  const std::string speech = param(form, "SpeechResult");
  if (!digits.empty()) return run_event(form, engine::KeypadDigits{digits}, writes, token);
  if (speech.empty()) return run_event(form, engine::NoInput{}, writes, token);
  engine::SpeechHeard heard{speech, 1.0, std::nullopt};
  if (const std::string confidence = param(form, "Confidence"); !confidence.empty()) {
    char* end = nullptr;
    const double value = std::strtod(confidence.c_str(), &end);
    if (end && *end == '\0' && value >= 0 && value <= 1) heard.confidence = value;
  }
  // Not a carrier parameter: the test-pack runner says where on the prompt the caller cut in.
  if (const std::string barge = param(form, "VoiceopsBargeInMs"); !barge.empty()) {
    char* end = nullptr;
    const long value = std::strtol(barge.c_str(), &end, 10);
    if (end && *end == '\0' && value >= 0 && value < 3'600'000)
      heard.barge_in_ms = static_cast<int>(value);
  }
  return run_event(form, heard, writes, token);
}

HttpResponse CallService::on_dial(const twilio::FormParams& form, Writes& writes,
                                  const std::string& token) {
  auto status = dial_status(param(form, "DialCallStatus"));
  return run_event(form, engine::TransferResult{status.value_or(engine::TransferStatus::failed)},
                   writes, token);
}

HttpResponse CallService::on_status(const twilio::FormParams& form, Writes& writes) {
  const std::string status = param(form, "CallStatus");
  const bool final_status = status == "completed" || status == "busy" || status == "no-answer" ||
                            status == "failed" || status == "canceled";
  HttpResponse response;
  response.body = twilio::TwimlResponse().str();
  if (!final_status) return response;
  const std::string call_id = param(form, "CallSid");
  run_event(form, engine::HungUp{}, writes);

  CallFinish finish;
  finish.call_id = call_id;
  finish.status = status;
  finish.at = options_.clock().time_since_epoch().count();
  if (const std::string duration = param(form, "CallDuration"); !duration.empty()) {
    char* end = nullptr;
    const long long seconds = std::strtoll(duration.c_str(), &end, 10);
    if (end && *end == '\0' && seconds >= 0 && seconds < 7 * 24 * 3600) finish.duration_s = seconds;
  }
  // The state after the hang-up turn just prepared (not yet committed), else the stored one.
  std::optional<engine::CallState> state;
  if (!writes.empty()) {
    if (const auto* turn = std::get_if<TurnRecord>(&writes.back())) state = turn->state;
  }
  if (!state) state = call_state(call_id);
  if (state) {
    finish.workflow = state->workflow;
    finish.speech_requests = state->turns;
    if (const Workflow* workflow = workflow_of(*state))
      finish.cost_model = workflow->contract->cost;
  }
  writes.push_back(std::move(finish));
  return response;
}

namespace {

std::string caller_line(const engine::Event& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, engine::SpeechHeard>) {
          return e.barge_in_ms ? e.text + " (interrupting)" : e.text;
        } else if constexpr (std::is_same_v<E, engine::KeypadDigits>) {
          return "(keypad, " + std::to_string(e.digits.size()) + " digits)";
        } else if constexpr (std::is_same_v<E, engine::NoInput>) {
          return "(silence)";
        } else if constexpr (std::is_same_v<E, engine::HungUp>) {
          return "(hangs up)";
        } else {
          return {};
        }
      },
      event);
}

}  // namespace

HttpResponse CallService::run_event(const twilio::FormParams& form, const engine::Event& event,
                                    Writes& writes, const std::string& token) {
  const std::string call_id = param(form, "CallSid");
  const auto now = options_.clock();
  engine::CallState state;
  const bool arriving = std::holds_alternative<engine::CallArrived>(event);
  const bool hanging_up = std::holds_alternative<engine::HungUp>(event);
  const Workflow* workflow = nullptr;
  if (arriving) {
    state.call_id = call_id;
    workflow = select_workflow(std::get<engine::CallArrived>(event).to, now);
  } else {
    auto saved = sessions_.load(call_id);
    if (!saved) {
      observe(ServiceEvent::Kind::store_error, call_id, "", saved.error());
      return hanging_up ? apology("")
                        : fallback_answer(form, FallbackReason::store_error, saved.error());
    }
    if (!*saved) {
      return hanging_up ? apology("") : fallback_answer(form, FallbackReason::unknown_call);
    }
    auto loaded = engine::deserialize(**saved);
    if (!loaded) return fallback_answer(form, FallbackReason::state_unreadable, loaded.error());
    state = std::move(*loaded);
    // A late webhook for a call that is over (out-of-order callbacks): nothing left to do but
    // hang up cleanly. The status callback after the end is expected, not late.
    if (state.phase == engine::Phase::ended) {
      if (!hanging_up)
        observe(ServiceEvent::Kind::late_webhook, call_id, state.workflow, "after_end");
      return apology("");
    }
    workflow = workflow_of(state);
    if (!workflow)
      return fallback_answer(form, FallbackReason::workflow_not_loaded, state.workflow);
    // The caller's words arriving while a transfer is under way are a late or repeated gather:
    // the transfer goes on, with a word to the caller, and the engine is not asked.
    const bool caller_input = std::holds_alternative<engine::SpeechHeard>(event) ||
                              std::holds_alternative<engine::KeypadDigits>(event) ||
                              std::holds_alternative<engine::NoInput>(event);
    if (caller_input && state.phase == engine::Phase::transfer) {
      observe(ServiceEvent::Kind::late_webhook, call_id, state.workflow, "during_transfer");
      return still_transferring(*workflow, state);
    }
    // A retry of the webhook this call last took: answered again, the turn not run twice.
    if (!token.empty() && token == state.last_webhook_token) {
      observe(ServiceEvent::Kind::late_webhook, call_id, state.workflow, "duplicate");
      if (state.phase == engine::Phase::transfer) return still_transferring(*workflow, state);
      return render(state, {engine::Gather{state.last_prompt, {}, true, true, 5, 0}});
    }
    state.last_webhook_token = token;
  }
  if (!workflow) {
    observe_fallback(FallbackReason::no_workflow, call_id, "",
                     "no workflow answers this number now");
    return apology(
        "Sorry, this line isn't taking calls right now. Please call back during business hours.");
  }
  const engine::Dialogue& dialogue = *dialogue_of(*workflow);
  const std::string& workflow_id = workflow->contract->workflow.id.value;
  const std::size_t escalations_before = state.escalations.size();

  TurnRecord record;
  record.at = now.time_since_epoch().count();
  if (std::string line = caller_line(event); !line.empty())
    record.lines.push_back({"caller", std::move(line)});
  std::size_t recorded = 0;  // actions already in record.lines, so tool lines land in order
  const auto record_actions = [&](const std::vector<engine::Action>& actions) {
    for (; recorded < actions.size(); ++recorded) {
      std::visit(
          [&](const auto& a) {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, engine::Say>) {
              record.lines.push_back({"agent", a.text});
            } else if constexpr (std::is_same_v<A, engine::Gather>) {
              if (!a.prompt.empty()) record.lines.push_back({"agent", a.prompt});
            } else if constexpr (std::is_same_v<A, engine::Transfer>) {
              record.events.push_back({"transfer", a.destination});
            } else if constexpr (std::is_same_v<A, engine::Notify>) {
              record.events.push_back({"notify", a.destination});
            } else if constexpr (std::is_same_v<A, engine::EndCall>) {
              record.events.push_back(
                  {"ended", std::string(engine::to_string(a.outcome)) + " " + a.event});
            }
          },
          actions[recorded]);
    }
  };

  ToolContext tool_context;
  if (const std::string* script = twilio::find_param(form, scripted_integrations_param))
    tool_context.scripted_integrations = *script;
  std::vector<engine::Action> actions = dialogue.handle(state, event, now);
  for (int round = 0; round < max_tool_rounds && !actions.empty() &&
                      std::holds_alternative<engine::CallTool>(actions.back());
       ++round) {
    const engine::CallTool tool = std::get<engine::CallTool>(actions.back());
    actions.pop_back();
    record_actions(actions);
    const engine::ToolResult result = tools_.run(state, tool, tool_context);
    const std::string outcome = engine::to_string(result.status);
    record.lines.push_back({"tool", tool.name + ": " + outcome});
    record.events.push_back({"tool", tool.name + " " + outcome});
    auto more = dialogue.handle(state, result, now);
    actions.insert(actions.end(), more.begin(), more.end());
  }
  record_actions(actions);
  for (const auto& action : actions) {
    if (const auto* notice = std::get_if<engine::Notify>(&action))
      record.notices.push_back(*notice);
  }
  for (std::size_t i = escalations_before; i < state.escalations.size(); ++i) {
    const auto row = static_cast<std::size_t>(state.escalations[i]);
    const std::string trigger =
        row < workflow->contract->escalation.size()
            ? std::string(to_string(workflow->contract->escalation[row].trigger.value))
            : std::string("unknown");
    record.events.push_back({"escalation", trigger});
  }
  if (arriving) record.events.insert(record.events.begin(), {"started", workflow_id});

  record.blob = engine::serialize(state);
  record.summary = dialogue.summary(state);
  HttpResponse response = render(state, actions);
  record.state = std::move(state);
  writes.push_back(std::move(record));
  return response;
}
}  // namespace voiceops::service
