#include "control/staging_call_state.hpp"

#include <nlohmann/json.hpp>

namespace voiceops::control {

using nlohmann::json;

std::string encode(const StagingCallState& s) {
  json slots = json::object();
  for (const auto& [name, value] : s.slots) slots[name] = value;
  json body = {{"call", s.call},
               {"workflow", s.workflow},
               {"after_hours", s.after_hours},
               {"intent", s.intent},
               {"outcome", s.outcome ? json(*s.outcome) : json(nullptr)},
               {"event", s.event},
               {"slots", slots},
               {"transfer_destination", s.transfer_destination},
               {"turns", s.turns},
               {"escalation_rows", s.escalation_rows ? json(*s.escalation_rows) : json::array()},
               {"summary", s.summary}};
  if (s.speech_requests) body["speech_requests"] = *s.speech_requests;
  if (s.spoken_characters) body["spoken_characters"] = *s.spoken_characters;
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<StagingCallState, std::string> decode_staging_call_state(std::string_view body) {
  const json j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("call"))
    return unexpected(std::string("not a call's state as JSON"));
  StagingCallState s;
  const auto text = [&](const char* key, std::string& into) {
    if (auto it = j.find(key); it != j.end() && it->is_string()) into = it->get<std::string>();
  };
  text("call", s.call);
  text("workflow", s.workflow);
  text("intent", s.intent);
  text("event", s.event);
  text("transfer_destination", s.transfer_destination);
  text("summary", s.summary);
  if (auto it = j.find("after_hours"); it != j.end() && it->is_boolean())
    s.after_hours = it->get<bool>();
  if (auto it = j.find("outcome"); it != j.end() && it->is_string())
    s.outcome = it->get<std::string>();
  if (auto it = j.find("turns"); it != j.end() && it->is_number_integer()) s.turns = it->get<int>();
  if (auto it = j.find("slots"); it != j.end() && it->is_object()) {
    for (const auto& [name, value] : it->items())
      if (value.is_string()) s.slots[name] = value.get<std::string>();
  }
  if (auto it = j.find("escalation_rows"); it != j.end() && it->is_array()) {
    std::vector<int> rows;
    for (const auto& row : *it)
      if (row.is_number_integer()) rows.push_back(row.get<int>());
    s.escalation_rows = std::move(rows);
  }
  // Counts a reader takes only when they fit: a negative or huge count is no count.
  if (auto it = j.find("speech_requests"); it != j.end() && it->is_number_integer() &&
                                           it->get<std::int64_t>() >= 0 &&
                                           it->get<std::int64_t>() <= 1'000'000)
    s.speech_requests = it->get<int>();
  if (auto it = j.find("spoken_characters"); it != j.end() && it->is_number_integer() &&
                                             it->get<std::int64_t>() >= 0 &&
                                             it->get<std::int64_t>() <= 1'000'000'000)
    s.spoken_characters = it->get<long>();
  return s;
}

}  // namespace voiceops::control
