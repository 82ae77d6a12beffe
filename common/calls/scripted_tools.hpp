#pragma once
// Scripted integration outcomes (DESIGN section 4): what each system answers on a test call.
// The test-pack runner answers tool calls from them in-process; with `--target` it sends them to
// a staging daemon in the VoiceopsIntegrations webhook parameter, which the daemon honours only
// when its config says [testing] scripted_integrations = true.
#include <map>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "engine/events.hpp"

namespace voiceops::calls {

inline constexpr std::string_view scripted_integrations_param = "VoiceopsIntegrations";

// ok, error, timeout, duplicate, malformed; or ok after `delay_ms` (a timeout when that is longer
// than the tool's own timeout).
struct ScriptedOutcome {
  std::string status = "ok";
  int delay_ms = 0;
};

using ScriptedOutcomes = std::map<std::string, ScriptedOutcome>;  // by tool name

// The tool's result under `outcome` (ok when the script says nothing about it), and the
// simulated milliseconds it took.
struct ScriptedAnswer {
  engine::ToolResult result;
  int spent_ms = 0;
};
ScriptedAnswer answer_from_script(const ScriptedOutcomes& outcomes, const engine::CallTool& tool);

// "odoo.helpdesk.ticket.create=timeout,calendar.slots.read=ok:2500": names and statuses are
// [A-Za-z0-9._-]; the order is the map's, so the text is stable.
std::string encode_scripted_outcomes(const ScriptedOutcomes& outcomes);
Result<ScriptedOutcomes, std::string> decode_scripted_outcomes(std::string_view text);

}  // namespace voiceops::calls
