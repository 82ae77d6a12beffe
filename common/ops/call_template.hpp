#pragma once
// The contracts' templates ("{caller_name} at {callback_number}"), filled from a call: the one
// reading of `[tool_calls]` values and domains (Odoo) and of a text's body.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "engine/call_state.hpp"

namespace voiceops::ops {

// The text of `text` with each {name} replaced by `lookup(name)`.
std::string fill_template(std::string_view text,
                          const std::function<std::string(std::string_view)>& lookup);

// What {name} stands for in a call: a question's answer, or one of the call's facts (caller,
// called, call_id, intent, summary, workflow; started_at and now as `format_time` writes them).
// Empty for an unanswered question or an unknown name.
std::string call_value(const engine::CallState& call, const std::string& summary, std::int64_t now,
                       std::string_view name,
                       const std::function<std::string(std::int64_t)>& format_time);

}  // namespace voiceops::ops
