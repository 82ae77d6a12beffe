#include "ops/rollback.hpp"

#include <algorithm>

#include "contract/validate.hpp"

namespace voiceops::ops {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::vector<std::string> intents_of(const std::vector<calls::Workflow>& workflows,
                                    const std::string& workflow) {
  std::vector<std::string> out;
  for (const auto& w : workflows) {
    if (!workflow.empty() && w.contract->workflow.id.value != workflow) continue;
    for (const auto& intent : w.contract->intents) out.push_back(intent.id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<bool, RollbackProblem> check_change(const store::RollbackChange& change,
                                           const std::vector<calls::Workflow>& workflows) {
  std::vector<std::string> ids;
  for (const auto& w : workflows) ids.push_back(w.contract->workflow.id.value);
  // A scope left by a workflow no longer loaded can still be cleared.
  if (!change.workflow.empty() && change.action != "clear" &&
      std::find(ids.begin(), ids.end(), change.workflow) == ids.end()) {
    return unexpected(RollbackProblem{
        ExitStatus::data_error, "no loaded contract has the workflow '" + change.workflow + "'",
        "workflows: " + joined(ids)});
  }
  if (change.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return unexpected(RollbackProblem{ExitStatus::usage, "a rollback change needs a --reason",
                                      "say why, for the history: --reason \"agent misroutes "
                                      "gas calls\""});
  }
  if (change.action == "forward-all") {
    if (!contract::is_e164(change.argument)) {
      return unexpected(RollbackProblem{
          ExitStatus::data_error, "'" + change.argument + "' is not an E.164 phone number",
          "write + country code and number with no spaces, e.g. +15125550100"});
    }
    for (const auto& w : workflows) {
      for (const auto& number : w.contract->answers.numbers) {
        if (number.value == change.argument) {
          return unexpected(RollbackProblem{
              ExitStatus::data_error,
              change.argument + " is a number the agent answers (" + w.contract->workflow.id.value +
                  "): forwarding there would loop",
              "forward to the old number people answered, the contract's rollback.forward_to"});
        }
      }
    }
  }
  if (change.action == "after-hours-only") {
    // In business hours the call dials the human fallback: it must be a number to dial.
    for (const auto& w : workflows) {
      const contract::Contract& c = *w.contract;
      if (!change.workflow.empty() && c.workflow.id.value != change.workflow) continue;
      const contract::Destination* people = c.destination(c.workflow.human_fallback.value);
      if (!people || people->kind.value != contract::DestinationKind::phone ||
          people->number.value.empty()) {
        return unexpected(RollbackProblem{
            ExitStatus::data_error,
            "workflow " + c.workflow.id.value + "'s human fallback (" +
                c.workflow.human_fallback.value + ") is not a phone number to send calls to",
            "use forward-all to send every call to a number instead"});
      }
    }
  }
  if (change.action == "disable-intent" || change.action == "enable-intent") {
    const auto valid = intents_of(workflows, change.workflow);
    if (std::find(valid.begin(), valid.end(), change.argument) == valid.end()) {
      return unexpected(RollbackProblem{
          ExitStatus::data_error,
          "no loaded contract" +
              (change.workflow.empty() ? std::string() : " of workflow " + change.workflow) +
              " has the intent '" + change.argument + "'",
          "intents: " + joined(valid)});
    }
  }
  return true;
}

std::vector<std::string> describe(const calls::Rollback& s) {
  std::vector<std::string> lines;
  if (s.forward_to) {
    lines.push_back("forward every new call to " + *s.forward_to +
                    (s.move_calls_in_progress ? " (calls in progress too)" : ""));
  }
  if (s.after_hours_only)
    lines.push_back("after hours only: in business hours, calls go to people");
  for (const auto& intent : s.disabled_intents)
    lines.push_back("intent " + intent + " disabled: callers who want it go to people");
  if (lines.empty()) lines.push_back("normal: the agent answers");
  return lines;
}

}  // namespace voiceops::ops
