#include "engine/call_state.hpp"

#include <nlohmann/json.hpp>

namespace voiceops::engine {
namespace {

constexpr int state_format = 1;

}  // namespace

std::string serialize(const CallState& s) {
  nlohmann::json slots = nlohmann::json::object();
  for (const auto& [name, slot] : s.slots) {
    slots[name] = {slot.value, slot.confirmed, slot.asked_at};
  }
  nlohmann::json j = {
      {"v", state_format},
      {"wf", s.workflow},
      {"id", s.call_id},
      {"from", s.from},
      {"to", s.to},
      {"t0", s.started_at},
      {"ah", s.after_hours},
      {"ph", static_cast<int>(s.phase)},
      {"in", s.intent},
      {"st", s.step},
      {"at", s.attempts},
      {"cl", s.clarifications},
      {"lp", s.last_prompt},
      {"lpc", s.last_prompt_is_confirmation},
      {"sl", slots},
      {"es", s.escalations},
      {"ew", s.escalation_words},
      {"oos", s.out_of_scope_topic},
      {"fp", s.flags_pending},
      {"tr", s.transfer_row},
      {"td", s.transfer_destination},
      {"tf", s.tool_failures},
      {"pid", s.person_id},
      {"pn", s.person_name},
      {"tu", s.turns},
      {"oc", s.outcome ? static_cast<int>(*s.outcome) : -1},
      {"ev", s.event},
  };
  const std::vector<std::uint8_t> bytes = nlohmann::json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

Result<CallState, std::string> deserialize(std::string_view blob) {
  const nlohmann::json j = nlohmann::json::from_msgpack(blob, true, false);
  if (j.is_discarded() || !j.is_object()) return unexpected(std::string("not a call state"));
  if (j.value("v", 0) != state_format) {
    return unexpected("call state format " + std::to_string(j.value("v", 0)) + " is not " +
                      std::to_string(state_format));
  }
  try {
    CallState s;
    s.workflow = j.at("wf").get<std::string>();
    s.call_id = j.at("id").get<std::string>();
    s.from = j.at("from").get<std::string>();
    s.to = j.at("to").get<std::string>();
    s.started_at = j.at("t0").get<std::int64_t>();
    s.after_hours = j.at("ah").get<bool>();
    const int phase = j.at("ph").get<int>();
    if (phase < 0 || phase > static_cast<int>(Phase::ended))
      return unexpected(std::string("bad phase"));
    s.phase = static_cast<Phase>(phase);
    s.intent = j.at("in").get<std::string>();
    s.step = j.at("st").get<std::string>();
    s.attempts = j.at("at").get<int>();
    s.clarifications = j.at("cl").get<int>();
    s.last_prompt = j.at("lp").get<std::string>();
    s.last_prompt_is_confirmation = j.at("lpc").get<bool>();
    for (const auto& [name, slot] : j.at("sl").items()) {
      s.slots[name] = {slot.at(0).get<std::string>(), slot.at(1).get<bool>(),
                       slot.size() > 2 ? slot.at(2).get<std::string>() : std::string()};
    }
    s.escalations = j.at("es").get<std::vector<int>>();
    s.escalation_words = j.value("ew", std::string());
    s.out_of_scope_topic = j.value("oos", std::string());
    s.flags_pending = j.value("fp", false);
    s.transfer_row = j.at("tr").get<int>();
    s.transfer_destination = j.at("td").get<std::string>();
    s.tool_failures = j.at("tf").get<std::vector<std::string>>();
    s.person_id = j.at("pid").get<std::string>();
    s.person_name = j.at("pn").get<std::string>();
    s.turns = j.at("tu").get<int>();
    const int outcome = j.at("oc").get<int>();
    if (outcome > static_cast<int>(Outcome::abandoned))
      return unexpected(std::string("bad outcome"));
    if (outcome >= 0) s.outcome = static_cast<Outcome>(outcome);
    s.event = j.at("ev").get<std::string>();
    return s;
  } catch (const nlohmann::json::exception& error) {
    return unexpected(std::string("damaged call state: ") + error.what());
  }
}

}  // namespace voiceops::engine
