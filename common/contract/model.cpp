#include "contract/model.hpp"

#include <algorithm>

namespace voiceops::contract {
namespace {

template <typename T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::vector<Text> Step::successors() const {
  std::vector<Text> result;
  for (const Text* t : {&next, &on_ok, &on_error}) {
    if (!t->value.empty()) result.push_back(*t);
  }
  for (const auto& [answer, target] : branch) result.push_back(target);
  return result;
}

const Destination* Contract::destination(std::string_view id) const {
  return find_by_id(destinations, id);
}
const System* Contract::system(std::string_view id) const {
  return find_by_id(systems, id);
}
const Question* Contract::question(std::string_view id) const {
  return find_by_id(questions, id);
}
const Intent* Contract::intent(std::string_view id) const {
  return find_by_id(intents, id);
}
const Step* Contract::step(std::string_view id) const {
  return find_by_id(steps, id);
}
const Concept* Contract::concept_named(std::string_view id) const {
  return find_by_id(concepts, id);
}

const ToolCallMapping* Contract::tool_call(std::string_view call) const {
  for (const auto& mapping : tool_calls)
    if (mapping.call == call) return &mapping;
  return nullptr;
}

int default_priority(Trigger trigger) {
  switch (trigger) {
    case Trigger::safety: return 10;
    case Trigger::asks_for_person: return 20;
    case Trigger::custom: return 30;
    case Trigger::high_value_lead: return 40;
    case Trigger::out_of_scope: return 50;
    case Trigger::tool_failure:
    case Trigger::repeated_confusion:
    case Trigger::unknown: return 90;
  }
  return 90;
}

int priority_of(const EscalationRow& row) {
  return row.priority ? row.priority->value : default_priority(row.trigger.value);
}

const char* to_string(Hours hours) {
  switch (hours) {
    case Hours::always: return "always";
    case Hours::business_hours: return "business_hours";
    case Hours::after_hours: return "after_hours";
    case Hours::never: return "never";
  }
  return "?";
}

const char* to_string(StepKind kind) {
  switch (kind) {
    case StepKind::ask: return "ask";
    case StepKind::say: return "say";
    case StepKind::call: return "call";
    case StepKind::transfer: return "transfer";
    case StepKind::end: return "end";
  }
  return "?";
}

}  // namespace voiceops::contract
