#include "calls/rollback.hpp"

#include <algorithm>

namespace voiceops::calls {

bool Rollback::disables(const std::string& intent) const {
  return std::find(disabled_intents.begin(), disabled_intents.end(), intent) !=
         disabled_intents.end();
}

Rollback Rollback::merged(const Rollback& wide, const Rollback& narrow) {
  Rollback out = wide;
  if (narrow.forward_to) {
    out.forward_to = narrow.forward_to;
    out.move_calls_in_progress = narrow.move_calls_in_progress;
  }
  out.after_hours_only = wide.after_hours_only || narrow.after_hours_only;
  for (const std::string& intent : narrow.disabled_intents) {
    if (!out.disables(intent)) out.disabled_intents.push_back(intent);
  }
  return out;
}

}  // namespace voiceops::calls
