// The CallHandler's frame: committed writes reported, the answers given without the engine (the
// human fallback, a transfer still under way), and what a host may read of a call. The turns are
// in call_turns.cpp.
#include "calls/call_handler.hpp"

#include "engine/business_hours.hpp"

namespace voiceops::calls {

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

Voice voice_of(const contract::Contract& contract) {
  const contract::Answers& answers = contract.answers;
  return {answers.voice ? answers.voice->value : std::string(),
          answers.language ? answers.language->value : std::string()};
}

Reply goodbye(const std::string& text) {
  Reply reply;
  if (!text.empty()) reply.actions.emplace_back(engine::Say{text});
  reply.actions.emplace_back(engine::EndCall{});
  return reply;
}

Reply handoff(const std::string& say, const std::string& destination, const std::string& number,
              int dial_timeout_s) {
  Reply reply;
  reply.actions.emplace_back(engine::Say{say});
  reply.actions.emplace_back(engine::Transfer{destination, number, {}, dial_timeout_s});
  reply.actions.emplace_back(engine::Say{"Sorry, nobody could pick up. Please call us back."});
  reply.actions.emplace_back(engine::EndCall{});
  reply.unattended_transfer = true;
  return reply;
}

CallHandler::CallHandler(std::vector<Workflow> workflows, SessionStore& sessions, ToolRunner& tools,
                         Messenger& messenger, Clock clock, Observer* observer,
                         RollbackView* rollback)
    : router_(std::move(workflows)),
      sessions_(sessions),
      tools_(tools),
      messenger_(messenger),
      clock_(std::move(clock)),
      observer_(observer),
      rollback_(rollback) {
  if (!clock_) {
    clock_ = [] {
      return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    };
  }
}

void CallHandler::committed(const Writes& writes, const std::vector<WriteResult>& results) const {
  using Kind = Observation::Kind;
  for (std::size_t i = 0; i < writes.size() && i < results.size(); ++i) {
    const WriteResult& result = results[i];
    if (const auto* turn = std::get_if<TurnRecord>(&writes[i])) {
      // Told once the turn is in the store, so a host that reacts by reading the call finds it.
      // A failed write is told too: the turn happened, and the caller got an answer.
      const engine::CallState& state = turn->state;
      if (!result) observe(Kind::store_error, state.call_id, state.workflow, result.error());
      bool started = false;
      for (const CallEvent& event : turn->events) {
        if (event.kind == "escalation")
          observe(Kind::escalation, state.call_id, state.workflow, event.detail);
        started = started || event.kind == "started";
      }
      if (started) observe(Kind::call_started, state.call_id, state.workflow);
      observe(Kind::turn, state.call_id, state.workflow);
      if (state.phase == engine::Phase::ended && state.outcome)
        observe(Kind::call_ended, state.call_id, state.workflow, engine::to_string(*state.outcome));
      // Staff hear of the turn even when the write failed: the caller was promised it.
      for (const engine::Notify& notice : turn->notices)
        messenger_.notify(state, notice, static_cast<bool>(result));
    } else if (const auto* accepted = std::get_if<TransferAcceptance>(&writes[i])) {
      if (!result) observe(Kind::store_error, accepted->call_id, "", result.error());
    } else {
      const auto& finish = std::get<CallFinish>(writes[i]);
      if (!result) {
        observe(Kind::store_error, finish.call_id, finish.workflow, result.error());
      } else if (*result && observer_) {
        Observation finalized{Kind::call_finalized, finish.call_id, finish.workflow, finish.status};
        finalized.duration_s = finish.duration_s;
        finalized.cost = finish.cost;
        observer_->on_event(finalized);
      }
    }
  }
}

Reply CallHandler::human_fallback(const std::string& call_id, const std::string& to,
                                  FallbackReason reason, const std::string& detail) const {
  const auto now = clock_();
  // The call may have started under the other hours' workflow: any for this number will do.
  const Workflow* workflow = router_.select(to, now);
  if (!workflow) workflow = router_.any_for(to);
  observe_fallback(reason, call_id, workflow ? workflow->contract->workflow.id.value : "", detail);
  if (!workflow)
    return goodbye("Sorry, something went wrong on our side. Please call us back later.");

  const contract::Contract& c = *workflow->contract;
  const contract::Destination* destination = c.destination(c.workflow.human_fallback.value);
  const bool business = engine::in_business_hours(c.hours, now).value_or(false);
  const bool staffed = destination && engine::staffed_now(*destination, business);
  Reply reply;
  if (staffed && destination->kind.value == contract::DestinationKind::phone &&
      !destination->number.value.empty()) {
    reply =
        handoff("Sorry, something went wrong on our side. Let me get you to someone who can help.",
                destination->id, destination->number.value, destination->dial_timeout_s.value);
  } else {
    reply = goodbye(business ? "Sorry, something went wrong on our side. Please call us back in a "
                               "few minutes."
                             : "Sorry, something went wrong on our side, and our office is "
                               "closed. Please call us back during business hours.");
  }
  reply.voice = voice_of(c);
  return reply;
}

Reply CallHandler::still_transferring(const Workflow& workflow,
                                      const engine::CallState& state) const {
  const contract::Destination* destination =
      workflow.contract->destination(state.transfer_destination);
  Reply reply;
  reply.reprompt = state.last_prompt;
  reply.voice = voice_of(*workflow.contract);
  if (!destination || destination->number.value.empty()) {
    reply.actions.emplace_back(engine::Gather{state.last_prompt, {}, true, true, 5, 0});
    return reply;
  }
  reply.actions.emplace_back(engine::Say{"I'm still connecting you. One moment."});
  reply.actions.emplace_back(
      engine::Transfer{destination->id, destination->number.value, state.transfer_summary,
                       destination->dial_timeout_s.value, destination->screened()});
  return reply;
}

void CallHandler::observe_fallback(FallbackReason reason, const std::string& call_id,
                                   const std::string& workflow, std::string detail) const {
  if (!observer_) return;
  Observation event{Observation::Kind::fallback, call_id, workflow, std::move(detail)};
  event.reason = reason;
  observer_->on_event(event);
}

void CallHandler::observe(Observation::Kind kind, const std::string& call_id,
                          const std::string& workflow, std::string detail) const {
  if (observer_) observer_->on_event({kind, call_id, workflow, std::move(detail)});
}

std::optional<engine::CallState> CallHandler::call_state(const std::string& call_id) {
  auto saved = sessions_.load(call_id);
  if (!saved || !*saved) return std::nullopt;
  auto state = engine::deserialize(**saved);
  if (!state) return std::nullopt;
  return std::move(*state);
}

std::string CallHandler::summary(const engine::CallState& state) const {
  const Workflow* workflow = router_.of(state);
  return workflow ? router_.dialogue(*workflow).summary(state) : std::string();
}

}  // namespace voiceops::calls
