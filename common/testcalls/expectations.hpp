#pragma once
// What a played call is checked against: the call's expectations (outcome, event, destination,
// escalation, hours, slots, phrases said and never said, summary, budgets), and whether a daemon
// reached with --target can reproduce the call at all (its hours, its dates).
#include <chrono>
#include <optional>
#include <string>

#include "contract/model.hpp"
#include "testcalls/pack.hpp"
#include "testcalls/runner.hpp"

namespace voiceops::testcalls {

// What the target could not show is listed as unchecked rather than judged.
struct Observed {
  bool escalation = true;
  bool destination = true;
};

void check_expectations(const ScriptedCall& call, const contract::Contract& contract,
                        CallReport& report, const std::string& agent_said,
                        const Observed& observed);

// A daemon routes by its own clock: a call scripted in the other hours than now would reach the
// other hours' workflow (or answers), so it cannot be reproduced there.
std::optional<std::string> hours_mismatch(const ScriptedCall& call,
                                          const contract::Contract& contract,
                                          std::chrono::sys_seconds now);

// A daemon resolves "next Thursday" against today, not the call's scripted day: expectations that
// name a resolved date (a datetime slot, or a date in a phrase) cannot be reproduced there.
std::optional<std::string> date_dependence(const ScriptedCall& call,
                                           const contract::Contract& contract);

// Text compared as a caller would hear it: lower case, runs of space as one.
std::string lower(std::string text);
std::string squeeze(const std::string& text);
// An amount as the reports print it: four decimals.
std::string money(double value);

}  // namespace voiceops::testcalls
