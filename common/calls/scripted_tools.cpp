#include "calls/scripted_tools.hpp"

#include <charconv>

namespace voiceops::calls {
namespace {

bool plain_name(std::string_view text) {
  if (text.empty() || text.size() > 200) return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

ScriptedAnswer answer_from_script(const ScriptedOutcomes& outcomes, const engine::CallTool& tool) {
  ScriptedOutcome script;
  if (auto it = outcomes.find(tool.name); it != outcomes.end()) script = it->second;
  ScriptedAnswer answer{{tool.name, engine::ToolStatus::ok, ""}, script.delay_ms};
  if (script.status == "timeout" || (script.delay_ms > 0 && script.delay_ms > tool.timeout_ms)) {
    answer.result.status = engine::ToolStatus::timeout;
    answer.spent_ms = tool.timeout_ms;
  } else if (auto status = engine::tool_status_from(script.status)) {
    answer.result.status = *status;
  }
  return answer;
}

std::string encode_scripted_outcomes(const ScriptedOutcomes& outcomes) {
  std::string text;
  for (const auto& [name, outcome] : outcomes) {
    if (!text.empty()) text += ',';
    text += name + '=' + outcome.status;
    if (outcome.delay_ms > 0) text += ':' + std::to_string(outcome.delay_ms);
  }
  return text;
}

Result<ScriptedOutcomes, std::string> decode_scripted_outcomes(std::string_view text) {
  ScriptedOutcomes outcomes;
  if (text.size() > 16 * 1024) return unexpected(std::string("longer than 16 KiB"));
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos)
      return unexpected("\"" + std::string(item) + "\" is not tool=status");
    const std::string_view name = item.substr(0, equals);
    std::string_view status = item.substr(equals + 1);
    ScriptedOutcome outcome;
    if (const std::size_t colon = status.find(':'); colon != std::string_view::npos) {
      const std::string_view delay = status.substr(colon + 1);
      auto [end, ec] = std::from_chars(delay.data(), delay.data() + delay.size(), outcome.delay_ms);
      if (ec != std::errc() || end != delay.data() + delay.size() || outcome.delay_ms < 0 ||
          outcome.delay_ms > 3'600'000)
        return unexpected("\"" + std::string(item) + "\": the delay is not milliseconds");
      status = status.substr(0, colon);
    }
    if (!plain_name(name) || !plain_name(status))
      return unexpected("\"" + std::string(item) + "\" is not tool=status");
    if (status != "timeout" && !engine::tool_status_from(status))
      return unexpected("\"" + std::string(item) + "\": unknown status");
    outcome.status = std::string(status);
    outcomes[std::string(name)] = outcome;
  }
  return outcomes;
}

}  // namespace voiceops::calls
