#include "calls/workflow_router.hpp"

#include <algorithm>

#include "engine/business_hours.hpp"

namespace voiceops::calls {
namespace {

bool answers(const contract::Contract& contract, const std::string& to) {
  return std::any_of(contract.answers.numbers.begin(), contract.answers.numbers.end(),
                     [&](const contract::Text& number) { return number.value == to; });
}

}  // namespace

WorkflowRouter::WorkflowRouter(std::vector<Workflow> workflows) : workflows_(std::move(workflows)) {
  for (const Workflow& w : workflows_) {
    dialogues_.push_back(std::make_unique<engine::Dialogue>(*w.contract, w.directory.get()));
  }
}

const Workflow* WorkflowRouter::select(const std::string& to, std::chrono::sys_seconds now) const {
  const Workflow* always = nullptr;
  for (const Workflow& w : workflows_) {
    const contract::Contract& c = *w.contract;
    if (!answers(c, to)) continue;
    const contract::Hours when = c.answers.when.value;
    if (when == contract::Hours::always) {
      always = always ? always : &w;
      continue;
    }
    const bool business = engine::in_business_hours(c.hours, now).value_or(false);
    if (engine::hours_apply(when, business)) return &w;
  }
  return always;
}

const Workflow* WorkflowRouter::any_for(const std::string& to) const {
  for (const Workflow& w : workflows_) {
    if (answers(*w.contract, to)) return &w;
  }
  return nullptr;
}

const Workflow* WorkflowRouter::of(const engine::CallState& state) const {
  for (const Workflow& w : workflows_) {
    if (w.contract->workflow.id.value == state.workflow) return &w;
  }
  return nullptr;
}

const engine::Dialogue& WorkflowRouter::dialogue(const Workflow& workflow) const {
  return *dialogues_[static_cast<std::size_t>(&workflow - workflows_.data())];
}

}  // namespace voiceops::calls
