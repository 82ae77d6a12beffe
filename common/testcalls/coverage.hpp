#pragma once
// A pack's coverage of its contract: the five kinds of call (happy path, corrections,
// interruptions, integration failure, escalation), every escalation row fired, every system's
// failure path, both hours, and the pack's budgets. Findings go to report.coverage.
#include "contract/model.hpp"
#include "testcalls/pack.hpp"
#include "testcalls/runner.hpp"

namespace voiceops::testcalls {

void check_coverage(const Pack& pack, const contract::Contract& contract, PackReport& report);

}  // namespace voiceops::testcalls
