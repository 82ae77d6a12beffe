// What rollback does to a call (voiceops rollback), read at every webhook: a new call forwarded to
// the old number, or in business hours sent straight to people; a call in progress moved when
// the operator said --now; a caller who wants a disabled intent handed to a person with the
// contract's promise. Safety escalations always go first. Each ends the agent's part of the call
// and is recorded like any turn.
#include "calls/call_handler.hpp"

#include "engine/business_hours.hpp"

namespace voiceops::calls {
namespace {

// The contract's words for handing a caller to a person: its asks_for_person row's promise.
std::string handoff_promise(const contract::Contract& contract) {
  for (const auto& row : contract.escalation) {
    if (row.trigger.value == contract::Trigger::asks_for_person && !row.promise.value.empty())
      return row.promise.value;
  }
  return "Let me get you to someone who can help.";
}

}  // namespace

std::optional<calls::Rollback> CallHandler::rollback_of(const std::string& call_id,
                                                        const std::string& workflow) const {
  if (!rollback_) return std::nullopt;
  auto rollback = rollback_->rollback_for(workflow);
  if (!rollback) {
    // The agent keeps answering: a rollback that cannot be read is reported, not guessed at.
    observe(Observation::Kind::store_error, call_id, workflow,
            "reading the rollback state: " + rollback.error());
    return std::nullopt;
  }
  if (rollback->empty()) return std::nullopt;
  return std::move(*rollback);
}

std::optional<Reply> CallHandler::rolled_back(const Rollback& rollback, const Workflow& workflow,
                                              engine::CallState& state, const engine::Event& event,
                                              std::chrono::sys_seconds now, TurnRecord& record) {
  const bool arriving = std::holds_alternative<engine::CallArrived>(event);
  // A hang-up ends the call anyway; a transfer's result, or a call already with a person, is
  // left to the engine: --now must not dial a caller who is talking to staff again.
  if (std::holds_alternative<engine::HungUp>(event) ||
      std::holds_alternative<engine::TransferResult>(event) ||
      state.phase == engine::Phase::transfer)
    return std::nullopt;
  const contract::Contract& c = *workflow.contract;

  std::optional<std::string> number;
  std::string why;
  std::string say;
  if (rollback.forward_to && (arriving || rollback.move_calls_in_progress)) {
    number = rollback.forward_to;
    why = "forward_all";
    if (!arriving) say = "I'm transferring you now.";
  } else if (arriving && rollback.after_hours_only &&
             engine::in_business_hours(c.hours, now).value_or(false)) {
    const contract::Destination* people = c.destination(c.workflow.human_fallback.value);
    if (people && people->kind.value == contract::DestinationKind::phone &&
        !people->number.value.empty()) {
      number = people->number.value;
      why = "after_hours_only";
    }
  }
  if (!number) return std::nullopt;
  if (arriving) {
    const auto& arrived = std::get<engine::CallArrived>(event);
    state.workflow = c.workflow.id.value;
    state.from = arrived.from;
    state.to = arrived.to;
    state.started_at = now.time_since_epoch().count();
    state.after_hours = !engine::in_business_hours(c.hours, now).value_or(false);
  }
  state.phase = engine::Phase::ended;
  state.outcome = engine::Outcome::escalated;
  state.event = "rollback." + why;
  state.transfer_destination = "rollback";
  Reply reply;
  if (!say.empty()) {
    reply.actions.emplace_back(engine::Say{say});
    record.lines.push_back({"agent", say});
  }
  reply.actions.emplace_back(engine::Transfer{"rollback", *number, {}});
  reply.unattended_transfer = true;
  record.events.push_back({"transfer", "rollback " + why});
  record.events.push_back({"ended", "escalated " + state.event});
  return reply;
}

std::optional<Reply> CallHandler::intent_disabled(
    const Rollback& rollback, const Workflow& workflow, engine::CallState& state,
    std::size_t escalations_before, std::chrono::sys_seconds now, TurnRecord& record) {
  // On any turn of a call whose intent is disabled, including the turn that chose it and a call
  // already under way when the operator disabled it.
  if (state.intent.empty()) return std::nullopt;
  // Safety first: an escalation the same words fired, the one direct question about a possible
  // emergency, a message an escalation row is taking, a transfer: each goes ahead, and the
  // rollback takes the call at a later turn, if any.
  if (state.escalations.size() > escalations_before || state.phase == engine::Phase::ended ||
      state.phase == engine::Phase::transfer || state.phase == engine::Phase::safety_check ||
      state.phase == engine::Phase::take_message)
    return std::nullopt;
  if (!rollback.disables(state.intent)) return std::nullopt;
  const contract::Contract& c = *workflow.contract;
  const contract::Destination* people = c.destination(c.workflow.human_fallback.value);
  const bool business = engine::in_business_hours(c.hours, now).value_or(false);
  Reply reply;
  state.phase = engine::Phase::ended;
  state.outcome = engine::Outcome::escalated;
  state.event = "rollback.intent_disabled";
  if (people && engine::staffed_now(*people, business) &&
      people->kind.value == contract::DestinationKind::phone && !people->number.value.empty()) {
    const std::string promise = handoff_promise(c);
    reply = handoff(promise, people->id, people->number.value, people->dial_timeout_s.value);
    state.transfer_destination = people->id;
    record.lines.push_back({"agent", promise});
    record.events.push_back({"transfer", people->id});
  } else {
    const std::string sorry =
        "Sorry, we can't take that over the phone right now. Please call us back during "
        "business hours.";
    reply = goodbye(sorry);
    record.lines.push_back({"agent", sorry});
  }
  record.events.push_back({"ended", "escalated " + state.event});
  return reply;
}

}  // namespace voiceops::calls
