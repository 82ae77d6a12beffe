// Stepping through the contract's flow: ask steps whose slot is filled are skipped (or read back
// once), say steps speak, call steps wait for their tool, transfer steps dial, end steps end.
#include "engine/prepared_contract.hpp"
#include "engine/turn.hpp"

namespace voiceops::engine {

using contract::Question;
using contract::Step;
using contract::StepKind;

void Dialogue::Turn::continue_after_answer() {
  const Step* step = c_.step(s_.step);
  if (!step) return fallback();
  const Question* q = c_.question(step->target.value);
  // Branches compare the answer; a free-text answer on a step without branches is not normalised.
  const std::string value = q && !step->branch.empty() && s_.slots.count(q->id)
                                ? nlu::normalize(s_.slots[q->id].value)
                                : "";
  s_.phase = Phase::ask;
  for (const auto& [answer, target] : step->branch) {
    if (answer.value != "other" && nlu::normalize(answer.value) == value)
      return go_to(target.value);
  }
  for (const auto& [answer, target] : step->branch) {
    if (answer.value == "other") return go_to(target.value);
  }
  go_to(step->next.value);
}

void Dialogue::Turn::go_to(const std::string& step_id) {
  // Bounded: a contract's say/ask-already-filled chain cannot loop forever.
  std::string next = step_id;
  for (int hops = 0; hops < 256; ++hops) {
    const Step* step = c_.step(next);
    if (!step) return fallback();
    s_.step = step->id;
    s_.attempts = 0;
    switch (step->kind) {
      case StepKind::say:
        say(render(step->target.value));
        next = step->next.value;
        continue;
      case StepKind::ask: {
        const Question* q = c_.question(step->target.value);
        if (!q) return fallback();
        auto it = s_.slots.find(q->id);
        // A second step asking an answered question (a retry after "that day is full") wants
        // a new answer; a value the caller gave unasked just skips the question.
        if (it != s_.slots.end() && !it->second.asked_at.empty() &&
            it->second.asked_at != step->id) {
          s_.slots.erase(it);
          it = s_.slots.end();
        }
        if (it != s_.slots.end()) {
          s_.phase = Phase::ask;
          if (!q->confirm.value.empty() && !it->second.confirmed) return read_back(*q);
          return continue_after_answer();
        }
        s_.phase = Phase::ask;
        return gather_raw(q->prompt.value);
      }
      case StepKind::call: {
        s_.phase = Phase::tool;
        CallTool call{step->target.value, step->timeout_ms, {}};
        for (const auto& [name, slot] : s_.slots) call.arguments.emplace_back(name, slot.value);
        call.arguments.emplace_back("call_id", s_.call_id);
        actions_.push_back(std::move(call));
        return;
      }
      case StepKind::transfer: {
        const contract::Destination* destination = c_.destination(step->target.value);
        if (!destination || destination->number.value.empty()) {
          next = step->next.value;
          continue;
        }
        transfer_to(*destination, -1, step->summary.value);
        return;
      }
      case StepKind::end:
        say(render(step->say_before_end.value));
        if (step->target.value == "success")
          return end(Outcome::success, c_.workflow.success_event.value);
        return end(Outcome::failure, c_.workflow.failure_event.value);
    }
  }
  fallback();
}

void Dialogue::Turn::tool_result(const ToolResult& result) {
  if (s_.phase != Phase::tool) return;
  const Step* step = c_.step(s_.step);
  if (!step) return fallback();
  if (result.status == ToolStatus::ok || result.status == ToolStatus::duplicate) {
    for (const auto& record : result.records) s_.records[record.model] = record.id;
    return go_to(step->on_ok.value);
  }
  s_.tool_failures.push_back(result.name + ":" + to_string(result.status));
  if (!step->on_error.value.empty()) return go_to(step->on_error.value);
  if (int row = find_row(contract::Trigger::tool_failure); row >= 0) {
    escalate(row, "");
    return;
  }
  fallback();
}

void Dialogue::Turn::transfer_to(const contract::Destination& destination, int row,
                                 const std::string& summary) {
  s_.phase = Phase::transfer;
  s_.transfer_row = row;
  s_.transfer_destination = destination.id;
  s_.transfer_summary = summary.empty() ? d_.summary(s_) : render(summary);
  actions_.push_back(Transfer{destination.id, destination.number.value, s_.transfer_summary,
                              destination.dial_timeout_s.value, destination.screened()});
}

void Dialogue::Turn::transfer_result(const TransferResult& result) {
  if (s_.phase != Phase::transfer) return;
  const std::string trigger =
      s_.transfer_row >= 0
          ? std::string(
                to_string(c_.escalation[static_cast<std::size_t>(s_.transfer_row)].trigger.value))
          : std::string("transfer");
  s_.transfer_result = std::string(to_string(result.status));
  if (result.status == TransferStatus::completed) {
    return end(Outcome::escalated, "escalation." + trigger);
  }
  if (s_.transfer_row < 0) {
    if (const Step* step = c_.step(s_.step); step && !step->next.value.empty()) {
      return go_to(step->next.value);
    }
  }
  // Nobody picked up: never leave the caller hanging, pass the details on instead.
  say("I couldn't reach them just now, so I've sent them your details and they'll follow up.");
  message_destination(s_.transfer_destination);
  end(Outcome::escalated, "escalation." + trigger);
}

}  // namespace voiceops::engine
