// Each request as a turn: the call's state loaded, late and retried requests answered without
// the engine, the dialogue and its tool calls run, the turn's record prepared for the store.
#include "calls/call_handler.hpp"

#include <algorithm>

#include "engine/cost.hpp"

namespace voiceops::calls {
namespace {

constexpr int max_tool_rounds = 16;  // a flow of call steps chained by on_ok is short

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

// What the call's record says of the actions the turn took: lines spoken, transfers, notices.
void record_action(TurnRecord& record, const engine::Action& action) {
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
      action);
}

Reply ask_again(const engine::CallState& state, const Workflow* workflow) {
  Reply reply;
  reply.actions.emplace_back(engine::Gather{state.last_prompt, {}, true, true, 5, 0});
  reply.reprompt = state.last_prompt;
  if (workflow) reply.voice = voice_of(*workflow->contract);
  return reply;
}

}  // namespace

Reply CallHandler::handle(const CallInput& input, Writes& writes) {
  if (std::holds_alternative<engine::CallArrived>(input.event)) return arrive(input, writes);
  return run_turn(input, writes);
}

Reply CallHandler::arrive(const CallInput& input, Writes& writes) {
  // The carrier retries a request it got no answer to: pick the call up where it is.
  auto saved = sessions_.load(input.call_id);
  if (!saved) {  // never start a call over because its state could not be read
    observe(Observation::Kind::store_error, input.call_id, "", saved.error());
    return human_fallback(input.call_id, input.to, FallbackReason::store_error, saved.error());
  }
  if (*saved) {
    auto state = engine::deserialize(**saved);
    if (state && state->phase != engine::Phase::ended) {
      observe(Observation::Kind::late_webhook, input.call_id, state->workflow, "duplicate");
      const Workflow* workflow = router_.of(*state);
      if (workflow && state->phase == engine::Phase::transfer)
        return still_transferring(*workflow, *state);
      return ask_again(*state, workflow);
    }
  }
  return run_turn(input, writes);
}

void CallHandler::finish(const CallEnd& end, Writes& writes) {
  run_turn({end.call_id, end.to, engine::HungUp{}, {}, end.tools}, writes);

  CallFinish finish;
  finish.call_id = end.call_id;
  finish.status = end.status;
  finish.at = clock_().time_since_epoch().count();
  finish.duration_s = end.duration_s;
  // The state after the hang-up turn just prepared (not yet committed), else the stored one.
  std::optional<engine::CallState> state;
  if (!writes.empty()) {
    if (const auto* turn = std::get_if<TurnRecord>(&writes.back())) state = turn->state;
  }
  if (!state) state = call_state(end.call_id);
  if (state) {
    finish.workflow = state->workflow;
    // The carrier's duration, else the time since the call arrived.
    if (!finish.duration_s && state->started_at > 0)
      finish.duration_s = std::max<std::int64_t>(0, finish.at - state->started_at);
    if (const Workflow* workflow = router_.of(*state); workflow && finish.duration_s) {
      finish.cost = engine::call_cost(workflow->contract->cost, *state,
                                      static_cast<double>(*finish.duration_s));
    }
  }
  writes.push_back(std::move(finish));
}

Reply CallHandler::run_turn(const CallInput& input, Writes& writes) {
  const std::string& call_id = input.call_id;
  engine::Event event = input.event;
  const auto now = clock_();
  engine::CallState state;
  const bool arriving = std::holds_alternative<engine::CallArrived>(event);
  const bool hanging_up = std::holds_alternative<engine::HungUp>(event);
  const Workflow* workflow = nullptr;
  if (arriving) {
    state.call_id = call_id;
    workflow = router_.select(std::get<engine::CallArrived>(event).to, now);
  } else {
    auto saved = sessions_.load(call_id);
    if (!saved) {
      observe(Observation::Kind::store_error, call_id, "", saved.error());
      return hanging_up
                 ? goodbye("")
                 : human_fallback(call_id, input.to, FallbackReason::store_error, saved.error());
    }
    if (!*saved) {
      return hanging_up ? goodbye("")
                        : human_fallback(call_id, input.to, FallbackReason::unknown_call);
    }
    auto loaded = engine::deserialize(**saved);
    if (!loaded)
      return human_fallback(call_id, input.to, FallbackReason::state_unreadable, loaded.error());
    state = std::move(*loaded);
    // A late request for a call that is over (out-of-order callbacks): nothing left to do but
    // hang up cleanly. The status callback after the end is expected, not late.
    if (state.phase == engine::Phase::ended) {
      if (!hanging_up)
        observe(Observation::Kind::late_webhook, call_id, state.workflow, "after_end");
      return goodbye("");
    }
    workflow = router_.of(state);
    if (!workflow)
      return human_fallback(call_id, input.to, FallbackReason::workflow_not_loaded, state.workflow);
    // The caller's words arriving while a transfer is under way are a late or repeated gather:
    // the transfer goes on, with a word to the caller, and the engine is not asked.
    const bool caller_input = std::holds_alternative<engine::SpeechHeard>(event) ||
                              std::holds_alternative<engine::KeypadDigits>(event) ||
                              std::holds_alternative<engine::NoInput>(event);
    if (caller_input && state.phase == engine::Phase::transfer) {
      observe(Observation::Kind::late_webhook, call_id, state.workflow, "during_transfer");
      return still_transferring(*workflow, state);
    }
    // A retry of the request this call last took: answered again, the turn not run twice.
    if (!input.retry_token.empty() && input.retry_token == state.last_webhook_token) {
      observe(Observation::Kind::late_webhook, call_id, state.workflow, "duplicate");
      if (state.phase == engine::Phase::transfer) return still_transferring(*workflow, state);
      return ask_again(state, workflow);
    }
    state.last_webhook_token = input.retry_token;
    // An answered transfer nobody took (a voicemail greeting, a refusal) reached no person.
    if (const auto* result = std::get_if<engine::TransferResult>(&event);
        result && result->status == engine::TransferStatus::completed &&
        screened_transfer(*workflow, state) && !transfer_taken(input))
      event = engine::TransferResult{engine::TransferStatus::not_accepted};
  }
  if (!workflow) {
    observe_fallback(FallbackReason::no_workflow, call_id, "",
                     "no workflow answers this number now");
    return goodbye(
        "Sorry, this line isn't taking calls right now. Please call back during business hours.");
  }
  const engine::Dialogue& dialogue = router_.dialogue(*workflow);
  const std::string& workflow_id = workflow->contract->workflow.id.value;
  const std::size_t escalations_before = state.escalations.size();

  TurnRecord record;
  record.at = now.time_since_epoch().count();
  if (std::string line = caller_line(event); !line.empty())
    record.lines.push_back({"caller", std::move(line)});
  std::size_t recorded = 0;  // actions already in the record, so tool lines land in order
  const auto record_actions = [&](const std::vector<engine::Action>& actions) {
    for (; recorded < actions.size(); ++recorded) record_action(record, actions[recorded]);
  };

  // Every turn ends here, the engine's or one the rollback took over: the call's start, what it
  // used (for its cost: the one count the store and the test-pack runner share), the record.
  const auto finish_turn = [&](Reply reply) {
    if (arriving) record.events.insert(record.events.begin(), {"started", workflow_id});
    if (std::holds_alternative<engine::SpeechHeard>(event) ||
        std::holds_alternative<engine::NoInput>(event))
      ++state.speech_requests;
    for (const TranscriptLine& line : record.lines) {
      if (line.speaker == "agent") state.spoken_characters += static_cast<long>(line.text.size());
    }
    record.blob = engine::serialize(state);
    record.summary = dialogue.summary(state);
    reply.reprompt = state.last_prompt;
    reply.voice = voice_of(*workflow->contract);
    record.state = std::move(state);
    writes.push_back(std::move(record));
    return reply;
  };
  const std::optional<Rollback> rollback =
      hanging_up ? std::nullopt : rollback_of(call_id, workflow_id);
  if (rollback) {
    if (auto reply = rolled_back(*rollback, *workflow, state, event, now, record))
      return finish_turn(std::move(*reply));
  }

  std::vector<engine::Action> actions = dialogue.handle(state, event, now);
  if (rollback) {
    if (auto reply = intent_disabled(*rollback, *workflow, state, escalations_before, now, record))
      return finish_turn(std::move(*reply));
  }
  for (int round = 0; round < max_tool_rounds && !actions.empty() &&
                      std::holds_alternative<engine::CallTool>(actions.back());
       ++round) {
    const engine::CallTool tool = std::get<engine::CallTool>(actions.back());
    actions.pop_back();
    record_actions(actions);
    calls::ToolContext context = input.tools;
    context.contract = workflow->contract.get();
    context.summary = dialogue.summary(state);
    const engine::ToolResult result = tools_.run(state, tool, context);
    const std::string outcome = engine::to_string(result.status);
    record.lines.push_back({"tool", tool.name + ": " + outcome});
    record.events.push_back({"tool", tool.name + " " + outcome});
    // What it made or found, for the call's export to link to: "record helpdesk.ticket 42".
    for (const auto& made : result.records)
      record.events.push_back({"record", made.model + " " + std::to_string(made.id)});
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
  return finish_turn(Reply{std::move(actions), {}, false});
}

}  // namespace voiceops::calls
