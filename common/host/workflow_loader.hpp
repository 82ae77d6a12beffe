#pragma once
// The daemon's contracts: every file the config's [contracts] paths match, each checked the way
// `voiceops contract validate` checks it, with the Ops line's staff directory beside it. All or
// nothing: one bad file keeps the whole set from loading (a reload then keeps the old set).
#include <string>
#include <vector>

#include "base/result.hpp"
#include "calls/workflow_router.hpp"

namespace voiceops::host {

struct LoadedWorkflows {
  std::vector<calls::Workflow> workflows;
  std::vector<std::string> files;
};

// Errors are whole lines, "file:line:column: error: message", ready to print.
Result<LoadedWorkflows, std::vector<std::string>> load_workflows(
    const std::vector<std::string>& patterns);

}  // namespace voiceops::host
