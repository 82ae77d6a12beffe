#pragma once
// What an operator has rolled back (voiceops rollback), as the turn loop reads it on every call
// arrival and every webhook: no reload, no restart. Settings are kept per scope, one for every
// workflow and one per workflow; what applies to a call is the two merged.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace voiceops::calls {

struct Rollback {
  // Every new call dials this number (E.164) instead of meeting the agent.
  std::optional<std::string> forward_to;
  // With forward_to: calls in progress are moved there too, at their next webhook.
  bool move_calls_in_progress = false;
  // In business hours calls go straight to the contract's human fallback destination.
  bool after_hours_only = false;
  // Intents the agent no longer handles: a caller who wants one gets the human fallback.
  std::vector<std::string> disabled_intents;

  bool empty() const { return !forward_to && !after_hours_only && disabled_intents.empty(); }
  bool disables(const std::string& intent) const;
  // `narrow` (a workflow's own settings) over `wide` (those for every workflow): a number set for
  // the workflow wins; flags and disabled intents add up.
  static Rollback merged(const Rollback& wide, const Rollback& narrow);
};

class RollbackView {
 public:
  virtual ~RollbackView() = default;
  // What applies to calls of `workflow` now. An error (the store cannot be read) is reported by
  // the caller and treated as no rollback: the agent keeps answering.
  virtual Result<Rollback, std::string> rollback_for(const std::string& workflow) = 0;
};

}  // namespace voiceops::calls
