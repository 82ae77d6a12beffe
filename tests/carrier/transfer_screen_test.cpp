// Screened transfers: the TwiML a transfer rings with, what the staff member hears, what their
// key does, and which transfer results count as a person reached.
#include <catch2/catch.hpp>

#include <date/date.h>

#include <fstream>
#include <memory>

#include "carrier/reply_twiml.hpp"
#include "carrier/transfer_screen.hpp"
#include "carrier/webhooks.hpp"
#include "contract/check.hpp"
#include "support/call_fakes.hpp"
#include "support/corpus.hpp"

using namespace voiceops;

namespace {

// A store's answer that must be there: true or false.
bool yes(const Result<bool, std::string>& answer) {
  REQUIRE(answer);
  return *answer;
}

constexpr const char* xml_head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

// The shipped after-hours contract on a Monday night: a safety call goes to the on-call
// technician's transfer step, whose `next` (oncall_unreachable) is its failure path.
struct AfterHours {
  contract::CheckedContract checked = contract::check_contract_file(
      testing::source_dir() + "/contracts/after-hours-service.toml", false);
  calls::MemorySessionStore sessions;
  testing::OkTools tools;
  testing::NoMessages messages;
  std::unique_ptr<carrier::Webhooks> service;

  AfterHours() {
    REQUIRE(checked.contract);
    carrier::WebhookOptions options;
    options.public_url = testing::test_public_url;
    options.auth_token = testing::test_auth_token;
    options.clock = [] {  // 21:00 in Austin
      return std::chrono::sys_seconds{
          date::sys_days{date::year{2026} / 11 / 24}.time_since_epoch() + std::chrono::hours{3}};
    };
    auto contract = std::make_shared<contract::Contract>(*checked.contract);
    service = std::make_unique<carrier::Webhooks>(std::vector<calls::Workflow>{{contract, nullptr}},
                                                  sessions, tools, messages, options);
  }

  carrier::HttpResponse post(const std::string& path, const carrier::FormParams& params,
                             bool sign = true) {
    return service->handle(testing::carrier_post(path, params, sign));
  }

  // A caller with no heat who says yes to the gas question: told to get out, and transferred.
  std::string safety_call(const std::string& sid) {
    post("/twilio/voice", {{"CallSid", sid}, {"From", "+15125550142"}, {"To", "+15125550101"}});
    post("/twilio/gather", {{"CallSid", sid},
                            {"SpeechResult", "my furnace is blowing cold air"},
                            {"Confidence", "0.93"}});
    return post("/twilio/gather",
                {{"CallSid", sid}, {"SpeechResult", "yes"}, {"Confidence", "0.93"}})
        .body;
  }

  std::string screen(const std::string& sid, const std::string& leg,
                     const std::string& destination = "oncall_tech") {
    return post("/twilio/screen?destination=" + destination,
                {{"CallSid", leg}, {"ParentCallSid", sid}, {"To", "+15125550150"}})
        .body;
  }

  std::string key(const std::string& sid, const std::string& leg, const std::string& digits,
                  const std::string& destination = "oncall_tech") {
    carrier::FormParams params = {{"CallSid", leg}, {"ParentCallSid", sid}};
    if (!digits.empty()) params.push_back({"Digits", digits});
    return post("/twilio/screen-answer?destination=" + destination, params).body;
  }

  std::string dial_result(const std::string& sid, const std::string& leg,
                          const std::string& status = "completed") {
    return post("/twilio/dial",
                {{"CallSid", sid}, {"DialCallStatus", status}, {"DialCallSid", leg}})
        .body;
  }

  engine::CallState state(const std::string& sid) {
    auto s = service->calls().call_state(sid);
    REQUIRE(s);
    return *s;
  }
};

// oncall_unreachable says "Our technician didn't pick up on the first try, so ..." (escaped).
constexpr const char* oncall_unreachable = "pick up on the first try, so I&apos;m going to text";

}  // namespace

TEST_CASE("a transfer rings for the destination's time and is screened", "[screen]") {
  calls::Reply reply;
  reply.voice = {"Polly.Joanna", "en-US"};
  reply.actions = {engine::Say{"Connecting you now."},
                   engine::Transfer{"oncall_tech", "+15125550150", "URGENT: gas smell.", 25, true}};
  CHECK(carrier::reply_twiml(reply) == std::string(xml_head) + R"(<Response>
  <Say voice="Polly.Joanna" language="en-US">Connecting you now.</Say>
  <Dial action="/twilio/dial" method="POST" timeout="25">
    <Number url="/twilio/screen?destination=oncall_tech" method="POST">+15125550150</Number>
  </Dial>
</Response>
)");

  SECTION("a voicemail box answers itself: no screen") {
    reply.voice = {};
    reply.actions = {
        engine::Transfer{"manager_voicemail", "+15125550159", "A message.", 20, false}};
    CHECK(carrier::reply_twiml(reply) == std::string(xml_head) + R"(<Response>
  <Dial action="/twilio/dial" method="POST" timeout="20">
    <Number>+15125550159</Number>
  </Dial>
</Response>
)");
  }
  SECTION("nothing waits for the human fallback's handoff: no screen, no result") {
    calls::Reply handoff =
        calls::handoff("Let me get you to someone.", "answering_service", "+15125550180", 30);
    CHECK(carrier::reply_twiml(handoff) == std::string(xml_head) + R"(<Response>
  <Say>Let me get you to someone.</Say>
  <Dial timeout="30">
    <Number>+15125550180</Number>
  </Dial>
  <Say>Sorry, nobody could pick up. Please call us back.</Say>
  <Hangup/>
</Response>
)");
  }
}

TEST_CASE("the contract's voice speaks every <Say>, listening and reprompting too", "[screen]") {
  calls::Reply reply;
  reply.voice = {"Google.en-US-Neural2-F", "en-US"};
  reply.actions = {engine::Gather{"What is your address?", {}, true, false, 5, 0}};
  const std::string said = carrier::reply_twiml(reply);
  CHECK(
      said.find(
          R"(<Say voice="Google.en-US-Neural2-F" language="en-US">What is your address?</Say>)") !=
      std::string::npos);
  // The caller's words are recognised in the contract's language too.
  CHECK(said.find(R"(speechTimeout="auto" language="en-US")") != std::string::npos);
  reply.voice = {};
  CHECK(carrier::reply_twiml(reply).find("language=") == std::string::npos);
  reply.voice = {"Google.en-US-Neural2-F", "en-US"};
  reply.actions = {};
  CHECK(
      carrier::reply_twiml(reply).find(
          R"(<Say voice="Google.en-US-Neural2-F" language="en-US">Sorry, could you say that again?</Say>)") !=
      std::string::npos);
}

TEST_CASE("the screen: the summary, press 1, and a hang-up when no key comes", "[screen]") {
  calls::TransferScreen screen{true, "URGENT: gas smell at 21 Oak Street.", {"alice", "en-GB"}};
  CHECK(carrier::screen_twiml(screen, "oncall_tech") == std::string(xml_head) + R"(<Response>
  <Gather input="dtmf" action="/twilio/screen-answer?destination=oncall_tech" method="POST" timeout="8" numDigits="1">
    <Say voice="alice" language="en-GB">URGENT: gas smell at 21 Oak Street.</Say>
    <Say voice="alice" language="en-GB">Press 1 to take this call.</Say>
  </Gather>
  <Say voice="alice" language="en-GB">No key was pressed. Goodbye.</Say>
  <Hangup/>
</Response>
)");
  CHECK(carrier::screen_answer_twiml(screen, true) == std::string(xml_head) + "<Response/>\n");
  CHECK(carrier::screen_answer_twiml(screen, false) ==
        std::string(xml_head) + "<Response>\n  <Hangup/>\n</Response>\n");
  screen.waiting = false;  // the caller hung up meanwhile
  const std::string gone = std::string(xml_head) + R"(<Response>
  <Say voice="alice" language="en-GB">Sorry, the caller is no longer on the line. Goodbye.</Say>
  <Hangup/>
</Response>
)";
  CHECK(carrier::screen_twiml(screen, "oncall_tech") == gone);
  CHECK(carrier::screen_answer_twiml(screen, true) == gone);
  CHECK(carrier::screen_failure_twiml(true) == std::string(xml_head) + "<Response/>\n");
  CHECK(carrier::screen_failure_twiml(false).find("<Hangup/>") != std::string::npos);
}

TEST_CASE("a transfer that reaches voicemail takes the transfer's failure step", "[screen]") {
  AfterHours f;
  const std::string transferring = f.safety_call("CA1");
  INFO(transferring);
  REQUIRE(
      transferring.find(
          R"(<Number url="/twilio/screen?destination=oncall_tech" method="POST">+15125550150</Number>)") !=
      std::string::npos);
  CHECK(transferring.find(R"(timeout="25")") != std::string::npos);  // dial_timeout_s

  const std::string screen = f.screen("CA1", "CALEG1");
  CHECK(screen.find("URGENT after-hours safety call") != std::string::npos);
  CHECK(screen.find("<Say>Press 1 to take this call.</Say>") != std::string::npos);
  // The Gather times out on the greeting; the carrier reports the answered leg as completed.
  const std::string after = f.dial_result("CA1", "CALEG1");
  INFO(after);
  CHECK(after.find(oncall_unreachable) != std::string::npos);
  CHECK(f.state("CA1").transfer_result == "not-accepted");
  CHECK(f.state("CA1").step == "ask_safety_callback");
}

TEST_CASE("a transfer the technician takes with 1 counts as answered", "[screen]") {
  AfterHours f;
  f.safety_call("CA1");
  f.screen("CA1", "CALEG1");
  CHECK(f.key("CA1", "CALEG1", "1") == std::string(xml_head) + "<Response/>\n");
  REQUIRE(yes(f.sessions.transfer_accepted("CA1", "CALEG1")));
  const std::string after = f.dial_result("CA1", "CALEG1");
  CHECK(after.find(oncall_unreachable) == std::string::npos);
  const engine::CallState s = f.state("CA1");
  CHECK(s.transfer_result == "completed");
  CHECK(s.phase == engine::Phase::ended);
  CHECK(s.outcome == engine::Outcome::escalated);
}

TEST_CASE("a refusal, another leg's acceptance, or a busy phone is no person reached", "[screen]") {
  AfterHours f;
  SECTION("a key other than 1 hangs up the staff leg") {
    f.safety_call("CA1");
    CHECK(f.key("CA1", "CALEG1", "2") ==
          std::string(xml_head) + "<Response>\n  <Hangup/>\n</Response>\n");
    CHECK(f.key("CA1", "CALEG1", "") ==
          std::string(xml_head) + "<Response>\n  <Hangup/>\n</Response>\n");
    CHECK_FALSE(yes(f.sessions.transfer_accepted("CA1", "")));
    CHECK(f.dial_result("CA1", "CALEG1").find(oncall_unreachable) != std::string::npos);
  }
  SECTION("the acceptance belongs to the leg that took the call") {
    f.safety_call("CA1");
    f.key("CA1", "CALEG1", "1");
    CHECK(f.dial_result("CA1", "CALEG2").find(oncall_unreachable) != std::string::npos);
  }
  SECTION("a screen of another destination neither screens nor takes this transfer") {
    f.safety_call("CA1");
    CHECK(f.screen("CA1", "CALEG1", "answering_service").find("no longer on the line") !=
          std::string::npos);
    CHECK(f.key("CA1", "CALEG1", "1", "answering_service").find("<Hangup/>") != std::string::npos);
    CHECK(f.dial_result("CA1", "CALEG1").find(oncall_unreachable) != std::string::npos);
  }
  SECTION("busy takes the same failure step, as before") {
    f.safety_call("CA1");
    CHECK(f.dial_result("CA1", "CALEG1", "busy").find(oncall_unreachable) != std::string::npos);
    CHECK(f.state("CA1").transfer_result == "busy");
  }
}

TEST_CASE("screen webhooks are checked like every webhook", "[screen]") {
  AfterHours f;
  f.safety_call("CA1");
  const carrier::FormParams leg = {{"CallSid", "CALEG1"}, {"ParentCallSid", "CA1"}};
  CHECK(f.post("/twilio/screen?destination=oncall_tech", leg, false).status == 403);
  CHECK(f.post("/twilio/screen-answer?destination=oncall_tech",
               {{"CallSid", "CALEG1"}, {"ParentCallSid", "CA1"}, {"Digits", "1"}}, false)
            .status == 403);
  CHECK_FALSE(yes(f.sessions.transfer_accepted("CA1", "")));
  // Signed for another query (another destination) is signed for another URL.
  carrier::HttpRequest moved = testing::carrier_post("/twilio/screen?destination=oncall_tech", leg);
  moved.target = "/twilio/screen?destination=answering_service";
  CHECK(f.service->handle(moved).status == 403);
  CHECK(f.post("/twilio/screen", {{"CallSid", "CALEG1"}}).status == 400);     // no ParentCallSid
  CHECK(f.post("/twilio/screen", {{"ParentCallSid", "CA1"}}).status == 400);  // no CallSid
  CHECK(f.post("/twilio/screen-answer",
               {{"CallSid", "CALEG1"}, {"ParentCallSid", "CA1"}, {"ParentCallSid", "CA2"}})
            .status == 400);
  carrier::HttpRequest get = testing::carrier_post("/twilio/screen", leg);
  get.method = "GET";
  CHECK(f.service->handle(get).status == 405);
}

TEST_CASE("a screen after the caller hung up, or for an unknown call, puts nobody through",
          "[screen]") {
  AfterHours f;
  f.safety_call("CA1");
  f.post("/twilio/status", {{"CallSid", "CA1"}, {"CallStatus", "completed"}});
  CHECK(f.screen("CA1", "CALEG1").find("no longer on the line") != std::string::npos);
  CHECK(f.key("CA1", "CALEG1", "1").find("<Hangup/>") != std::string::npos);
  CHECK_FALSE(yes(f.sessions.transfer_accepted("CA1", "")));
  CHECK(f.screen("CAnobody", "CALEG9").find("<Hangup/>") != std::string::npos);
}

TEST_CASE("a staff leg's webhook that fails never dials, and a 1 still puts them through",
          "[screen]") {
  AfterHours f;
  const carrier::FormParams taken = {
      {"CallSid", "CALEG1"}, {"ParentCallSid", "CA1"}, {"Digits", "1"}};
  CHECK(f.service->fallback_answer(taken, calls::FallbackReason::store_error).body ==
        std::string(xml_head) + "<Response/>\n");
  const std::string refused =
      f.service
          ->fallback_answer(carrier::FormParams{{"CallSid", "CALEG1"}, {"ParentCallSid", "CA1"}},
                            calls::FallbackReason::internal_error)
          .body;
  CHECK(refused.find("<Hangup/>") != std::string::npos);
  CHECK(refused.find("<Dial") == std::string::npos);
}

TEST_CASE("a transfer to a voicemail box is not screened: its answering is the point", "[screen]") {
  std::ifstream in(testing::source_dir() + "/tests/contract/fixtures/valid/minimal.toml");
  std::string text{std::istreambuf_iterator<char>(in), {}};
  const std::string phone = "[destinations.on_call]\nkind = \"phone\"";
  REQUIRE(text.find(phone) != std::string::npos);
  text.replace(text.find(phone), phone.size(), "[destinations.on_call]\nkind = \"voicemail\"");
  auto checked = contract::check_contract_text(text, "voicemail.toml", false);
  REQUIRE(checked.contract);
  calls::MemorySessionStore sessions;
  testing::OkTools tools;
  testing::NoMessages messages;
  carrier::WebhookOptions options;
  options.public_url = testing::test_public_url;
  options.auth_token = testing::test_auth_token;
  options.clock = [] {
    return std::chrono::sys_seconds{date::sys_days{date::year{2026} / 11 / 24}.time_since_epoch() +
                                    std::chrono::hours{3}};
  };
  carrier::Webhooks service({{std::make_shared<contract::Contract>(*checked.contract), nullptr}},
                            sessions, tools, messages, options);
  const auto post = [&](const std::string& path, const carrier::FormParams& params) {
    return service.handle(testing::carrier_post(path, params)).body;
  };
  post("/twilio/voice", {{"CallSid", "CA1"}, {"From", "+15125550142"}, {"To", "+15125550100"}});
  const std::string dialling =
      post("/twilio/gather",
           {{"CallSid", "CA1"}, {"SpeechResult", "can I talk to a real person please"}});
  INFO(dialling);
  CHECK(dialling.find("<Number>+15125550142</Number>") != std::string::npos);  // no screen
  post("/twilio/dial",
       {{"CallSid", "CA1"}, {"DialCallStatus", "completed"}, {"DialCallSid", "CALEG1"}});
  auto state = service.calls().call_state("CA1");
  REQUIRE(state);
  CHECK(state->transfer_result == "completed");
  CHECK(state->outcome == engine::Outcome::escalated);
}
