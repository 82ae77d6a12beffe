#pragma once
// voiceops rollback's rules, for the CLI and (through the control socket) the daemon alike: which
// changes make sense against the loaded contracts, and how the state reads to an operator.
#include <string>
#include <vector>

#include "base/exit_status.hpp"
#include "base/result.hpp"
#include "calls/rollback.hpp"
#include "calls/workflow_router.hpp"
#include "store/rollback_store.hpp"

namespace voiceops::ops {

struct RollbackProblem {
  ExitStatus status = ExitStatus::data_error;
  std::string message;
  std::string hint;
};

// Checks `change` against the loaded workflows: a known workflow; for forward-all an E.164
// number that is not one the agent answers (a loop); for disable- and enable-intent an intent
// one of the workflows has (65 with the list of valid ones).
Result<bool, RollbackProblem> check_change(const store::RollbackChange& change,
                                           const std::vector<calls::Workflow>& workflows);

// One line an operator reads: "forward every new call to +15125550100 (calls in progress too)".
std::vector<std::string> describe(const calls::Rollback& settings);

// Every intent of the workflows (or of `workflow` only), sorted, without repeats.
std::vector<std::string> intents_of(const std::vector<calls::Workflow>& workflows,
                                    const std::string& workflow = {});

}  // namespace voiceops::ops
