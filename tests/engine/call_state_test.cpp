#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/call_state.hpp"

using namespace voiceops::engine;

TEST_CASE("call state survives serialisation exactly", "[engine][state]") {
  CallState s;
  s.workflow = "after-hours-service";
  s.call_id = "CA123";
  s.from = "+15125550142";
  s.to = "+15125550101";
  s.started_at = 1795000000;
  s.after_hours = true;
  s.phase = Phase::confirm;
  s.intent = "no_heat";
  s.step = "ask_address";
  s.attempts = 1;
  s.last_prompt = "What's the address?";
  s.last_prompt_is_confirmation = true;
  s.slots["address"] = {"21 Oak Street", false, "ask_address"};
  s.slots["caller_name"] = {"Maria Lopez", true};
  s.out_of_scope_topic = "billing_dispute";
  s.escalations = {3, 1};
  s.transfer_row = 3;
  s.tool_failures = {"odoo.helpdesk.ticket.create:timeout"};
  s.turns = 7;
  s.speech_requests = 5;
  s.spoken_characters = 1234;
  s.outcome = Outcome::escalated;
  s.event = "escalation.safety";
  s.records["calendar.event"] = 42;
  const std::string blob = serialize(s);
  CHECK(blob.size() < 600);
  auto back = deserialize(blob);
  REQUIRE(back);
  CHECK(serialize(*back) == blob);
  CHECK(back->slots.at("address").value == "21 Oak Street");
  CHECK_FALSE(back->slots.at("address").confirmed);
  CHECK(back->slots.at("address").asked_at == "ask_address");
  CHECK(back->out_of_scope_topic == "billing_dispute");
  CHECK(back->phase == Phase::confirm);
  CHECK(back->outcome == Outcome::escalated);
  CHECK(back->escalations == std::vector<int>{3, 1});
  CHECK(back->speech_requests == 5);
  CHECK(back->spoken_characters == 1234);
  CHECK(back->records.at("calendar.event") == 42);
}

TEST_CASE("damaged call state is an error, not a crash", "[engine][state]") {
  CHECK_FALSE(deserialize(""));
  CHECK_FALSE(deserialize("not msgpack at all"));
  CallState s;
  std::string blob = serialize(s);
  CHECK_FALSE(deserialize(blob.substr(0, blob.size() / 2)));
}

namespace {

// The encoding through nlohmann::json's DOM that serialize() used to be: saved states must stay
// byte-identical, so the hand-written encoder is checked against it.
nlohmann::json reference_json(const CallState& s) {
  nlohmann::json slots = nlohmann::json::object();
  for (const auto& [name, slot] : s.slots)
    slots[name] = {slot.value, slot.confirmed, slot.asked_at};
  return {{"v", 1},
          {"wf", s.workflow},
          {"wt", s.last_webhook_token},
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
          {"ts", s.transfer_summary},
          {"tf", s.tool_failures},
          {"pid", s.person_id},
          {"pn", s.person_name},
          {"tu", s.turns},
          {"us", s.speech_requests},
          {"uc", s.spoken_characters},
          {"oc", s.outcome ? static_cast<int>(*s.outcome) : -1},
          {"ev", s.event},
          {"tx", s.transfer_result},
          {"cn", s.concepts_heard},
          {"cg", s.confirm_group},
          {"sr", s.safety_row},
          {"ht", s.held_text},
          {"hc", s.held_confidence_milli},
          {"hp", s.held_phase},
          {"hq", s.held_prompt},
          {"mr", s.message_row},
          {"mp", s.message_part},
          {"mg", s.message},
          {"rc", s.records}};
}

std::string reference_blob(const nlohmann::json& j) {
  const std::vector<std::uint8_t> bytes = nlohmann::json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

TEST_CASE("call state bytes are what nlohmann's MessagePack made of it", "[engine][state]") {
  std::vector<CallState> states(4);
  // Every length and number boundary the encoder picks a form at.
  states[1].call_id = "CA" + std::string(32, '7');
  states[1].last_prompt = std::string(31, 'a');
  states[1].step = std::string(32, 'b');
  states[1].intent = std::string(255, 'c');
  states[1].event = std::string(256, 'd');
  states[1].escalation_words = std::string(70000, 'e');
  states[1].started_at = 4'102'444'800;  // beyond 32 bits
  states[1].transfer_row = -33;
  states[1].attempts = 128;
  states[1].clarifications = 65536;
  states[1].turns = 255;
  states[1].speech_requests = 70000;
  states[1].spoken_characters = 5'000'000'000L;
  states[1].outcome = Outcome::abandoned;
  for (int i = 0; i < 17; ++i) {
    states[1].escalations.push_back(i * 300 - 2000);
    states[1].slots["slot_" + std::to_string(i)] = {std::to_string(i), i % 2 == 0, "ask"};
    states[1].tool_failures.push_back("tool." + std::to_string(i) + ":error");
  }
  states[2].started_at = -1;
  states[2].transfer_row = -129;
  states[2].escalations = {-32, -128, -32768, -32769, 127, 32767, 65535};
  states[2].slots["ünïcode"] = {"Café 21 Oak Street", true, ""};
  states[3].phase = Phase::ended;
  states[3].after_hours = true;
  states[3].flags_pending = true;
  states[3].clarifications = std::numeric_limits<int>::min();
  states[3].attempts = std::numeric_limits<int>::max();
  states[3].phase = Phase::safety_check;
  states[3].concepts_heard = {"gas_smell", "vulnerable_person"};
  states[3].confirm_group = {"caller_name", "service_address"};
  states[3].safety_row = 2;
  states[3].held_text = "i think maybe it smells like gas";
  states[3].held_confidence_milli = 380;
  states[3].held_phase = static_cast<int>(Phase::ask);
  states[3].held_prompt = "Can I get your first and last name?";
  states[3].message_row = 7;
  states[3].message_part = "message";
  states[3].message = "tell marcus the cooler is out";
  states[3].transfer_result = "no-answer";
  states[3].transfer_summary = "URGENT: gas smell at 21 Oak Street; caller is outside.";
  states[3].last_webhook_token = "idempotency-token-0123";
  states[3].records = {{"calendar.event", 42}, {"res.partner", 5'000'000'000L}};
  for (const CallState& state : states) {
    const std::string expected = reference_blob(reference_json(state));
    const std::string blob = serialize(state);
    REQUIRE(blob == expected);
    auto back = deserialize(expected);
    REQUIRE(back);
    CHECK(serialize(*back) == expected);
  }
}

TEST_CASE("fields a newer version adds are skipped; missing ones are damage", "[engine][state]") {
  CallState s;
  s.call_id = "CA1";
  nlohmann::json j = reference_json(s);
  j["zz"] = {{"nested", {1, 2.5, nullptr, "x", {{"deep", true}}}}};
  auto back = deserialize(reference_blob(j));
  REQUIRE(back);
  CHECK(back->call_id == "CA1");

  // A state saved before a field was added (the retry token) still loads: calls in progress
  // survive an upgrade.
  nlohmann::json older = reference_json(s);
  older.erase("wt");
  older.erase("rc");  // and before the records a call found
  older.erase("ts");  // and before a transfer kept its summary for the staff screen
  REQUIRE(deserialize(reference_blob(older)));

  nlohmann::json missing = reference_json(s);
  missing.erase("ev");
  auto damaged = deserialize(reference_blob(missing));
  REQUIRE_FALSE(damaged);
  CHECK_THAT(damaged.error(), Catch::Contains("'ev'"));

  nlohmann::json wrong = reference_json(s);
  wrong["ah"] = "yes";
  CHECK_FALSE(deserialize(reference_blob(wrong)));
  wrong = reference_json(s);
  wrong["v"] = 2;
  auto newer = deserialize(reference_blob(wrong));
  REQUIRE_FALSE(newer);
  CHECK_THAT(newer.error(), Catch::Contains("format 2"));
  CHECK_FALSE(deserialize(serialize(s) + "x"));  // trailing bytes
}

TEST_CASE("every phase has its own name for the store and contract try", "[engine][state]") {
  std::set<std::string> names;
  for (int p = 0; p <= static_cast<int>(voiceops::engine::Phase::take_message); ++p) {
    const std::string name = voiceops::engine::to_string(static_cast<voiceops::engine::Phase>(p));
    INFO(p);
    CHECK(name != "unknown");
    names.insert(name);
  }
  CHECK(names.size() == static_cast<std::size_t>(voiceops::engine::Phase::take_message) + 1);
  CHECK(std::string(voiceops::engine::to_string(voiceops::engine::Phase::safety_check)) ==
        "safety_check");
}
