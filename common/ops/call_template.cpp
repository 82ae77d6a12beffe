#include "ops/call_template.hpp"

namespace voiceops::ops {

std::string fill_template(std::string_view text,
                          const std::function<std::string(std::string_view)>& lookup) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find('{', at);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out += text.substr(at);
      break;
    }
    out += text.substr(at, open - at);
    out += lookup(text.substr(open + 1, close - open - 1));
    at = close + 1;
  }
  return out;
}

std::string call_value(const engine::CallState& call, const std::string& summary, std::int64_t now,
                       std::string_view name,
                       const std::function<std::string(std::int64_t)>& format_time) {
  if (name == "caller") return call.from;
  if (name == "called") return call.to;
  if (name == "call_id") return call.call_id;
  if (name == "intent") return call.intent;
  if (name == "summary") return summary;
  if (name == "workflow") return call.workflow;
  if (name == "started_at") return format_time(call.started_at);
  if (name == "now") return format_time(now);
  const auto slot = call.slots.find(std::string(name));
  return slot == call.slots.end() ? std::string() : slot->second.value;
}

}  // namespace voiceops::ops
