// The documents the CLI and the daemon share: control requests (what the CLI encodes is what
// the daemon decodes; anything else is refused with why) and the staging call state.
#include <catch2/catch.hpp>

#include "control/call_records.hpp"
#include "control/requests.hpp"
#include "control/staging_call_state.hpp"

using namespace voiceops::control;

TEST_CASE("every control request survives encoding and decoding", "[control]") {
  CallsListRequest list;
  list.since = 1764979200;
  list.active = true;
  list.limit = 7;
  for (const Request& request :
       {Request{StatusRequest{}}, Request{ReloadRequest{false}}, Request{list},
        Request{CallsListRequest{}}, Request{CallsShowRequest{"CA0123456789abcdef"}},
        Request{RollbackRequest{"forward-all", "+15125550180", "", "gas calls misrouted",
                                "root (sudo by alice)", true}},
        Request{RollbackRequest{"clear", "", "after_hours_service", "fixed", "bob", false}}}) {
    const std::string line = encode(request);
    INFO(line);
    CHECK(line.find('\n') == std::string::npos);
    auto back = decode_request(line);
    REQUIRE(back);
    CHECK(encode(*back) == line);
  }
  auto decoded = decode_request(encode(list));
  REQUIRE(decoded);
  const auto& got = std::get<CallsListRequest>(*decoded);
  CHECK(got.since == 1764979200);
  CHECK(got.active);
  CHECK(got.limit == 7);
}

TEST_CASE("malformed control requests are refused with why", "[control]") {
  const auto refused = [](std::string_view line) {
    auto r = decode_request(line);
    REQUIRE_FALSE(r);
    return r.error();
  };
  CHECK_THAT(refused("not json"), Catch::Contains("\"command\""));
  CHECK_THAT(refused("[1,2]"), Catch::Contains("\"command\""));
  CHECK_THAT(refused(R"({"command":7})"), Catch::Contains("\"command\""));
  CHECK_THAT(refused(R"({"command":"reboot"})"), Catch::Contains("unknown command"));
  CHECK_THAT(refused(R"({"command":"calls.list","limit":0})"), Catch::Contains("1 to 100000"));
  CHECK_THAT(refused(R"({"command":"calls.list","limit":100001})"), Catch::Contains("limit"));
  CHECK_THAT(refused(R"({"command":"calls.list","limit":"5"})"), Catch::Contains("limit"));
  CHECK_THAT(refused(R"({"command":"calls.list","since":"yesterday"})"), Catch::Contains("since"));
  CHECK_THAT(refused(R"({"command":"calls.show"})"), Catch::Contains("\"call\""));
  CHECK_THAT(refused(R"({"command":"calls.show","call":")" + std::string(300, 'C') + "\"}"),
             Catch::Contains("256"));
  CHECK_THAT(refused(R"({"command":"reload","wait":"no"})"), Catch::Contains("wait"));
  CHECK_THAT(refused(R"({"command":"rollback","action":"reboot"})"), Catch::Contains("action"));
  CHECK_THAT(refused(R"({"command":"rollback","action":"clear","reason":5})"),
             Catch::Contains("reason"));
  CHECK_THAT(refused(R"({"command":"rollback","action":"clear","now":"yes"})"),
             Catch::Contains("now"));
  CHECK_THAT(refused(R"({"command":"rollback","action":"clear","reason":")" +
                     std::string(1001, 'x') + "\"}"),
             Catch::Contains("1000"));
  // A request without the optional fields takes their defaults.
  auto reload = decode_request(R"({"command":"reload"})");
  REQUIRE(reload);
  CHECK(std::get<ReloadRequest>(*reload).wait);
}

TEST_CASE("the staging call state reads back as it was written, and leniently", "[control]") {
  StagingCallState state;
  state.call = "CAstaging";
  state.workflow = "after-hours-service";
  state.after_hours = true;
  state.intent = "no_heat";
  state.outcome = "success";
  state.event = "ticket_created";
  state.slots = {{"caller_name", "Ann Lee"}, {"service_address", "12 Elm St, Austin"}};
  state.transfer_destination = "oncall_tech";
  state.turns = 7;
  state.escalation_rows = std::vector<int>{0, 3};
  state.summary = "Ann Lee: no heat.";
  auto back = decode_staging_call_state(encode(state));
  REQUIRE(back);
  CHECK(encode(*back) == encode(state));
  CHECK(back->slots.at("caller_name") == "Ann Lee");
  CHECK(back->escalation_rows == std::vector<int>{0, 3});

  // An older daemon said nothing of escalation rows: unchecked, not "none fired".
  auto older = decode_staging_call_state(R"({"call":"CA1","turns":"many","outcome":null})");
  REQUIRE(older);
  CHECK_FALSE(older->escalation_rows);
  CHECK_FALSE(older->outcome);
  CHECK(older->turns == 0);
  CHECK_FALSE(decode_staging_call_state("[]"));
  CHECK_FALSE(decode_staging_call_state(R"({"workflow":"w"})"));
}

TEST_CASE("a call record reads back as the daemon wrote it", "[control]") {
  CallRecord call;
  call.id = "CA0123";
  call.workflow = "after-hours-service";
  call.caller = "+15125550142";
  call.called = "+15125550101";
  call.status = "completed";
  call.phase = "ended";
  call.started_at = 1764979200;
  call.updated_at = 1764979261;
  call.ended_at = 1764979261;
  call.duration_s = 61;
  call.after_hours = true;
  call.outcome = "success";
  call.turns = 6;
  call.summary = "Ann Lee, no heat";
  call.cost = 0.1128;
  call.transcript = std::vector<TranscriptRecord>{{1764979200, "agent", "Thanks for calling."}};
  call.events = std::vector<EventRecord>{{1764979261, "status", "completed"}};
  const auto j = to_json(call);
  auto back = call_record_from(nlohmann::json::parse(j.dump()));
  REQUIRE(back);
  CHECK(to_json(*back).dump() == j.dump());
  CHECK_FALSE(back->intent);
  CHECK(back->cost == 0.1128);

  // A list entry has no transcript; a newer daemon's extra keys are ignored.
  auto listed = j;
  listed.erase("transcript");
  listed.erase("events");
  listed["recording_url"] = "https://example.com/r.mp3";
  auto entry = call_record_from(listed);
  REQUIRE(entry);
  CHECK_FALSE(entry->transcript);

  auto wrong = j;
  wrong["turns"] = "six";
  CHECK_FALSE(call_record_from(wrong));
  wrong = j;
  wrong.erase("id");
  CHECK_FALSE(call_record_from(wrong));
  CHECK_FALSE(call_record_from(nlohmann::json::array()));
}
