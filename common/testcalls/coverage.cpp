// A pack's coverage of its contract: the five kinds of call, every escalation row, failure paths,
// hours, budgets.
#include "testcalls/coverage.hpp"

#include <algorithm>
#include <set>

#include "testcalls/expectations.hpp"

namespace voiceops::testcalls {

void check_coverage(const Pack& pack, const contract::Contract& contract, PackReport& report) {
  auto gap = [&](std::string message) {
    report.coverage.push_back({"coverage_gap", std::move(message)});
  };
  for (const char* kind : call_kinds) {
    const bool present = std::any_of(pack.calls.begin(), pack.calls.end(),
                                     [&](const ScriptedCall& c) { return c.kind == kind; });
    if (!present)
      gap(std::string("no ") + kind + " call: the launch gate needs one of each of the five kinds");
  }
  const contract::Hours when = contract.answers.when.value;
  const bool any_after = std::any_of(report.calls.begin(), report.calls.end(),
                                     [](const CallReport& c) { return c.after_hours; });
  const bool any_business = std::any_of(report.calls.begin(), report.calls.end(),
                                        [](const CallReport& c) { return !c.after_hours; });
  if ((when == contract::Hours::always || when == contract::Hours::after_hours) && !any_after) {
    gap("no call after hours, when the workflow answers");
  }
  if ((when == contract::Hours::always || when == contract::Hours::business_hours) &&
      !any_business) {
    gap("no call in business hours, when the workflow answers");
  }
  const bool any_tool_failure =
      std::any_of(report.calls.begin(), report.calls.end(),
                  [](const CallReport& c) { return !c.failed_systems.empty(); });
  for (std::size_t i = 0; i < contract.escalation.size(); ++i) {
    const auto& row = contract.escalation[i];
    const bool applies = row.hours.value == contract::Hours::always ||
                         when == contract::Hours::always || row.hours.value == when;
    std::vector<std::string> hit_by;
    for (const auto& call : report.calls) {
      const bool hit = std::find(call.escalation_rows.begin(), call.escalation_rows.end(),
                                 int(i)) != call.escalation_rows.end();
      if (hit) hit_by.push_back(call.script->name);
    }
    std::string label = "row " + std::to_string(i + 1) + " " +
                        std::string(to_string(row.trigger.value)) +
                        (row.name.value.empty() ? "" : " (" + row.name.value + ")") + " -> " +
                        row.destination.value;
    // A tool failure the flow handles with on_error exercises the tool-failure rule as well.
    const bool covered = !hit_by.empty() ||
                         (row.trigger.value == contract::Trigger::tool_failure && any_tool_failure);
    report.row_coverage.emplace_back(label, hit_by);
    if (applies && !covered) gap("escalation " + label + " is exercised by no call");
  }
  std::set<std::string> called_systems;
  for (const auto& step : contract.steps) {
    if (step.kind == contract::StepKind::call)
      called_systems.insert(step.target.value.substr(0, step.target.value.find('.')));
  }
  for (const auto& system : called_systems) {
    const bool exercised =
        std::any_of(report.calls.begin(), report.calls.end(), [&](const CallReport& c) {
          return std::find(c.failed_systems.begin(), c.failed_systems.end(), system) !=
                 c.failed_systems.end();
        });
    if (!exercised)
      gap("the failure path of system '" + system +
          "' is exercised by no call (script an error or timeout)");
  }
  double total_cost = 0, total_duration = 0;
  for (const auto& call : report.calls) {
    total_cost += call.cost;
    total_duration += call.duration_s;
  }
  if (pack.budgets.max_total_cost && total_cost > *pack.budgets.max_total_cost + 1e-9) {
    report.coverage.push_back({"budget_exceeded", "the pack cost " + money(total_cost) + ", over " +
                                                      money(*pack.budgets.max_total_cost)});
  }
  if (pack.budgets.max_total_duration_s && total_duration > *pack.budgets.max_total_duration_s) {
    report.coverage.push_back(
        {"budget_exceeded", "the pack's calls lasted " + std::to_string(int(total_duration)) +
                                " s, over " + std::to_string(*pack.budgets.max_total_duration_s)});
  }
}

}  // namespace voiceops::testcalls
