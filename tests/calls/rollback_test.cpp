// What voiceops rollback does to calls, through the webhooks as the carrier sees them: each
// setting on the very next webhook, read from the RollbackView every time.
#include <catch2/catch.hpp>

#include <date/date.h>

#include <memory>

#include "carrier/webhooks.hpp"
#include "contract/check.hpp"
#include "support/call_fakes.hpp"
#include "support/corpus.hpp"

using namespace voiceops;

namespace {

struct SetRollback final : calls::RollbackView {
  calls::Rollback settings;
  bool unreadable = false;
  int reads = 0;
  Result<calls::Rollback, std::string> rollback_for(const std::string&) override {
    ++reads;
    if (unreadable) return unexpected(std::string("disk I/O error"));
    return settings;
  }
};

// Monday 23 November 2026: 15:00 in Chicago (business hours), or 21:00 (after hours).
std::chrono::sys_seconds chicago(int hour) {
  return std::chrono::sys_seconds{date::sys_days{date::year{2026} / 11 / 23}.time_since_epoch() +
                                  std::chrono::hours{hour + 6}};
}

struct Fixture {
  contract::CheckedContract checked = contract::check_contract_file(
      testing::source_dir() + "/tests/contract/fixtures/valid/minimal.toml", false);
  calls::MemorySessionStore sessions;
  testing::OkTools tools;
  testing::NoMessages messages;
  SetRollback rollback;
  std::chrono::sys_seconds now = chicago(21);
  std::unique_ptr<carrier::Webhooks> service;

  // `always`: the contract answers in business hours too (the fixture's answers after hours).
  explicit Fixture(bool always = false) {
    carrier::WebhookOptions options;
    options.public_url = testing::test_public_url;
    options.auth_token = testing::test_auth_token;
    options.clock = [this] { return now; };
    options.rollback = &rollback;
    auto contract = std::make_shared<contract::Contract>(*checked.contract);
    if (always) contract->answers.when.value = contract::Hours::always;
    service = std::make_unique<carrier::Webhooks>(std::vector<calls::Workflow>{{contract, nullptr}},
                                                  sessions, tools, messages, options);
  }
  std::string arrive(const std::string& sid) {
    return service
        ->handle(testing::carrier_post(
            "/twilio/voice", {{"CallSid", sid}, {"From", "+15125550199"}, {"To", "+15125550100"}}))
        .body;
  }
  std::string say(const std::string& sid, const std::string& words) {
    return service
        ->handle(
            testing::carrier_post("/twilio/gather", {{"CallSid", sid}, {"SpeechResult", words}}))
        .body;
  }
  std::optional<engine::CallState> state(const std::string& sid) {
    return service->calls().call_state(sid);
  }
};

}  // namespace

TEST_CASE("rollback: with nothing set the agent answers, reading the state on every webhook",
          "[rollback]") {
  Fixture f;
  CHECK(f.arrive("CA1").find("<Gather") != std::string::npos);
  f.say("CA1", "can someone call me back");
  CHECK(f.rollback.reads >= 2);
}

TEST_CASE("rollback: forward-all dials the old number on the next call, with no agent",
          "[rollback]") {
  Fixture f;
  f.rollback.settings.forward_to = "+15125550177";
  const std::string twiml = f.arrive("CA1");
  CHECK(twiml.find("<Number>+15125550177</Number>") != std::string::npos);
  CHECK(twiml.find("<Gather") == std::string::npos);
  CHECK(twiml.find("action=") == std::string::npos);  // nothing waits for the dial's result
  auto state = f.state("CA1");
  REQUIRE(state);
  CHECK(state->phase == engine::Phase::ended);
  CHECK(state->event == "rollback.forward_all");
  CHECK(state->from == "+15125550199");
}

TEST_CASE("rollback: a call in progress finishes normally unless --now moves it", "[rollback]") {
  Fixture f;
  f.arrive("CA1");
  f.arrive("CA2");
  f.rollback.settings.forward_to = "+15125550177";
  // Without --now: the call in progress goes on with the agent.
  CHECK(f.say("CA1", "can someone call me back").find("<Gather") != std::string::npos);
  f.rollback.settings.move_calls_in_progress = true;
  const std::string moved = f.say("CA2", "can someone call me back");
  INFO(moved);
  CHECK(moved.find("transferring you now.") != std::string::npos);
  CHECK(moved.find("<Number>+15125550177</Number>") != std::string::npos);
  auto state = f.state("CA2");
  REQUIRE(state);
  CHECK(state->phase == engine::Phase::ended);
}

TEST_CASE("rollback: after-hours-only sends business-hours calls to people", "[rollback]") {
  Fixture f(true);
  f.rollback.settings.after_hours_only = true;
  f.now = chicago(15);
  const std::string business = f.arrive("CA1");
  CHECK(business.find("<Number>+15125550142</Number>") != std::string::npos);  // human_fallback
  CHECK(business.find("<Gather") == std::string::npos);
  f.now = chicago(21);
  CHECK(f.arrive("CA2").find("<Gather") != std::string::npos);  // after hours: the agent
}

TEST_CASE("rollback: a disabled intent hands the caller to people with the contract's promise",
          "[rollback]") {
  Fixture f;
  f.rollback.settings.disabled_intents = {"request_callback"};
  f.arrive("CA1");
  const std::string handed = f.say("CA1", "can someone call me back");
  CHECK(handed.find("<Number>+15125550142</Number>") != std::string::npos);
  CHECK(handed.find("What is your name?") == std::string::npos);
  auto state = f.state("CA1");
  REQUIRE(state);
  CHECK(state->event == "rollback.intent_disabled");
  CHECK(state->outcome == engine::Outcome::escalated);
}

TEST_CASE("rollback: a state that cannot be read leaves the agent answering", "[rollback]") {
  Fixture f;
  f.rollback.unreadable = true;
  CHECK(f.arrive("CA1").find("<Gather") != std::string::npos);
}

TEST_CASE("rollback: a safety escalation in the same words goes ahead of a disabled intent",
          "[rollback]") {
  Fixture f;
  f.rollback.settings.disabled_intents = {"request_callback"};
  f.arrive("CA1");
  const std::string answer =
      f.say("CA1", "can someone call me back, there's a gas smell in the basement");
  INFO(answer);
  auto state = f.state("CA1");
  REQUIRE(state);
  CHECK_FALSE(state->escalations.empty());  // the safety row fired and stands
  CHECK(state->event != "rollback.intent_disabled");
  CHECK(answer.find("Please hold for the on-call technician.") != std::string::npos);
}

TEST_CASE("rollback: --now leaves a call that is with a person alone", "[rollback]") {
  Fixture f;
  f.arrive("CA1");
  const std::string transferring = f.say("CA1", "can I talk to a real person please");
  REQUIRE(transferring.find("/twilio/dial") != std::string::npos);
  f.rollback.settings.forward_to = "+15125550177";
  f.rollback.settings.move_calls_in_progress = true;
  const std::string after =
      f.service
          ->handle(testing::carrier_post("/twilio/dial",
                                         {{"CallSid", "CA1"}, {"DialCallStatus", "completed"}}))
          .body;
  INFO(after);
  CHECK(after.find("+15125550177") == std::string::npos);  // not dialled a second time
}
