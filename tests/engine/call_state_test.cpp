#include <catch2/catch.hpp>

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
  s.outcome = Outcome::escalated;
  s.event = "escalation.safety";
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
}

TEST_CASE("damaged call state is an error, not a crash", "[engine][state]") {
  CHECK_FALSE(deserialize(""));
  CHECK_FALSE(deserialize("not msgpack at all"));
  CallState s;
  std::string blob = serialize(s);
  CHECK_FALSE(deserialize(blob.substr(0, blob.size() / 2)));
}
