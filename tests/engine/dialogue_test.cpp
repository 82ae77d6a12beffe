// The engine, event by event, on the minimal after-hours contract.
#include <catch2/catch.hpp>

#include <date/date.h>

#include "contract/check.hpp"
#include "engine/dialogue.hpp"
#include "support/corpus.hpp"

using namespace voiceops;
using namespace voiceops::engine;

namespace {

// Monday 2026-11-23 21:14 in Chicago (after hours) is 2026-11-24 03:14 UTC.
const std::chrono::sys_seconds after_hours_utc{
    date::sys_days{date::year{2026} / 11 / 24}.time_since_epoch() + std::chrono::hours{3} +
    std::chrono::minutes{14}};

struct Harness {
  contract::CheckedContract checked = contract::check_contract_file(
      testing::source_dir() + "/tests/contract/fixtures/valid/minimal.toml", false);
  Dialogue dialogue{*checked.contract, nullptr};
  CallState state;

  std::vector<Action> send(const Event& event) {
    return dialogue.handle(state, event, after_hours_utc);
  }
  std::vector<Action> say(const std::string& text, double confidence = 0.9,
                          std::optional<int> barge = {}) {
    return send(SpeechHeard{text, confidence, barge});
  }
};

template <typename T>
const T* last_of(const std::vector<Action>& actions) {
  for (auto it = actions.rbegin(); it != actions.rend(); ++it) {
    if (const T* a = std::get_if<T>(&*it)) return a;
  }
  return nullptr;
}

std::string all_said(const std::vector<Action>& actions) {
  std::string out;
  for (const auto& a : actions) {
    if (const auto* s = std::get_if<Say>(&a)) out += s->text + "\n";
    if (const auto* g = std::get_if<Gather>(&a)) out += g->prompt + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a cooperative caller goes from greeting to success", "[engine][dialogue]") {
  Harness h;
  REQUIRE(h.checked.contract);
  h.state.call_id = "CA1";
  auto greeting = h.send(CallArrived{"+15125550142", "+15125550100"});
  REQUIRE(last_of<Gather>(greeting));
  CHECK(h.state.after_hours);
  CHECK(h.state.call_id == "CA1");
  auto name = h.say("um yeah can someone call me back");
  REQUIRE(last_of<Gather>(name));
  CHECK(last_of<Gather>(name)->prompt == "What is your name?");
  h.say("it's maria lopez");
  CHECK(h.state.slots.at("caller_name").value == "Maria Lopez");
  auto tool = h.say("five one two five five five zero one four two");
  CHECK(h.state.slots.at("callback_phone").value == "+15125550142");
  const CallTool* call = last_of<CallTool>(tool);
  REQUIRE(call);
  CHECK(call->name == "crm.lead.create");
  CHECK(call->timeout_ms == 5000);
  auto done = h.send(ToolResult{"crm.lead.create", ToolStatus::ok, "42", {{"crm.lead", 42}}});
  // What a tool made is the call's for later steps (a visit found is the visit moved).
  CHECK(h.state.records == std::map<std::string, std::int64_t>{{"crm.lead", 42}});
  const EndCall* end = last_of<EndCall>(done);
  REQUIRE(end);
  CHECK(end->outcome == Outcome::success);
  CHECK(end->event == "callback_lead_created");
  CHECK(all_said(done).find("next business day") != std::string::npos);
  // After the end, events change nothing.
  CHECK(h.say("hello?").empty());
}

TEST_CASE("a safety word escalates on any turn; an unsure one is asked about first",
          "[engine][dialogue]") {
  SECTION("heard clearly: the row fires at once") {
    Harness h;
    h.send(CallArrived{"+15125550142", "+15125550100"});
    h.say("can someone call me back");
    auto actions = h.say("there's a gas smell in the kitchen", 0.62);
    const Transfer* transfer = last_of<Transfer>(actions);
    REQUIRE(transfer);
    CHECK(transfer->destination == "on_call");
    CHECK(all_said(actions).find("Please hold for the on-call technician.") != std::string::npos);
    CHECK(h.state.escalations == std::vector<int>{1});
    auto ended = h.send(TransferResult{TransferStatus::completed});
    REQUIRE(last_of<EndCall>(ended));
    CHECK(last_of<EndCall>(ended)->outcome == Outcome::escalated);
    CHECK(last_of<EndCall>(ended)->event == "escalation.safety");
  }
  SECTION("below the confidence floor: one direct question, then the row on a yes") {
    Harness h;
    h.send(CallArrived{"+15125550142", "+15125550100"});
    h.say("can someone call me back");
    auto asked = h.say("there's a gas smell in the kitchen", 0.41);
    CHECK_FALSE(last_of<Transfer>(asked));
    REQUIRE(last_of<Gather>(asked));
    CHECK(h.state.phase == Phase::safety_check);
    CHECK(h.state.escalations.empty());
    auto actions = h.say("yes");
    REQUIRE(last_of<Transfer>(actions));
    CHECK(h.state.escalations == std::vector<int>{1});
  }
  SECTION("silence after the question is no reason to drop it") {
    Harness h;
    h.send(CallArrived{"+15125550142", "+15125550100"});
    h.say("can someone call me back");
    h.say("i think maybe there's a gas smell, i'm not sure", 0.9);
    REQUIRE(h.state.phase == Phase::safety_check);
    auto actions = h.send(NoInput{});
    CHECK(last_of<Transfer>(actions));
  }
  SECTION("a clear no goes back to the call, without asking again") {
    Harness h;
    h.send(CallArrived{"+15125550142", "+15125550100"});
    h.say("can someone call me back");
    h.say("maybe there's a gas smell", 0.9);
    REQUIRE(h.state.phase == Phase::safety_check);
    auto actions = h.say("no, no gas at all");
    CHECK_FALSE(last_of<Transfer>(actions));
    CHECK(h.state.phase != Phase::safety_check);
    CHECK(h.state.escalations.empty());
  }
}

TEST_CASE("a negated trigger word is not a trigger", "[engine][dialogue]") {
  Harness h;
  h.send(CallArrived{"+15125550142", "+15125550100"});
  h.say("can someone call me back");
  auto actions = h.say("no gas smell or anything it's maria lopez");
  CHECK_FALSE(last_of<Transfer>(actions));
  CHECK(h.state.escalations.empty());
}

TEST_CASE("asking for a person transfers with a summary for staff", "[engine][dialogue]") {
  Harness h;
  h.send(CallArrived{"+15125550142", "+15125550100"});
  auto actions = h.say("can i just talk to a real person");
  const Transfer* transfer = last_of<Transfer>(actions);
  REQUIRE(transfer);
  CHECK(transfer->summary.size() <= 300);
  CHECK(transfer->summary.find("+15125550142") != std::string::npos);
}

TEST_CASE("a failed transfer never leaves the caller hanging", "[engine][dialogue]") {
  Harness h;
  h.send(CallArrived{"+15125550142", "+15125550100"});
  h.say("can i talk to somebody");
  auto actions = h.send(TransferResult{TransferStatus::no_answer});
  CHECK_FALSE(all_said(actions).empty());
  REQUIRE(last_of<EndCall>(actions));
  CHECK(last_of<EndCall>(actions)->outcome == Outcome::escalated);
}

TEST_CASE("repeat requests repeat the prompt and keep every slot", "[engine][dialogue]") {
  Harness h;
  h.send(CallArrived{"+15125550142", "+15125550100"});
  h.say("can someone call me back");
  h.say("maria lopez");
  auto repeat = h.say("sorry what was that");
  REQUIRE(last_of<Gather>(repeat));
  CHECK(last_of<Gather>(repeat)->prompt == "What number should we call you back on?");
  CHECK(h.state.slots.at("caller_name").value == "Maria Lopez");
  CHECK(h.state.attempts == 0);
}

TEST_CASE("a backchannel while the agent talks is not an answer", "[engine][dialogue]") {
  Harness h;
  h.send(CallArrived{"+15125550142", "+15125550100"});
  h.say("can someone call me back");
  auto actions = h.say("mm-hmm", 0.9, 300);
  CHECK(h.state.slots.count("caller_name") == 0);
  REQUIRE(last_of<Gather>(actions));
  // The rest of "What is your name?" is still said.
  CHECK(last_of<Gather>(actions)->prompt.find("name") != std::string::npos);
}

TEST_CASE("low confidence and silence re-prompt, then take the human fallback",
          "[engine][dialogue]") {
  Harness h;
  h.send(CallArrived{"+15125550142", "+15125550100"});
  h.say("can someone call me back");
  auto unsure = h.say("mmm rhubarb", 0.2);
  REQUIRE(last_of<Gather>(unsure));
  CHECK(last_of<Gather>(unsure)->prompt.find("Sorry, what name should I put down?") !=
        std::string::npos);
  auto silent = h.send(NoInput{});
  // max_attempts defaults to 2: the second failure hands over.
  CHECK((last_of<Transfer>(silent) || last_of<EndCall>(silent)));
}

TEST_CASE("a tool failure follows the step's on_error path", "[engine][dialogue]") {
  Harness h;
  h.send(CallArrived{"+15125550142", "+15125550100"});
  h.say("can someone call me back");
  h.say("maria lopez");
  h.say("512 555 0142");
  auto failed = h.send(ToolResult{"crm.lead.create", ToolStatus::timeout, "", {{"crm.lead", 7}}});
  CHECK(h.state.records.empty());  // a failed step's records are not the call's to change
  REQUIRE(last_of<EndCall>(failed));
  CHECK(last_of<EndCall>(failed)->outcome == Outcome::failure);
  CHECK(h.state.tool_failures == std::vector<std::string>{"crm.lead.create:timeout"});
}

TEST_CASE("the caller's own number answers 'this number is fine'", "[engine][dialogue]") {
  Harness h;
  h.send(CallArrived{"+15125550199", "+15125550100"});
  h.say("can someone call me back");
  h.say("maria lopez");
  h.say("this number's fine");
  CHECK(h.state.slots.at("callback_phone").value == "+15125550199");
}

TEST_CASE("a correction overwrites the right slot and is confirmed back", "[engine][dialogue]") {
  Harness h;
  h.send(CallArrived{"+15125550142", "+15125550100"});
  h.say("can someone call me back");
  h.say("maria lopez");
  auto corrected = h.say("no wait i said marie lopez");
  CHECK(h.state.slots.at("caller_name").value == "Marie Lopez");
  CHECK(all_said(corrected).find("Marie Lopez") != std::string::npos);
}

TEST_CASE("the summary stays within 300 characters", "[engine][dialogue]") {
  Harness h;
  h.send(CallArrived{"+15125550142", "+15125550100"});
  h.say("can someone call me back");
  h.say("maria lopez");
  h.state.slots["callback_phone"] = {std::string(400, 'x'), true};
  const std::string summary = h.dialogue.summary(h.state);
  CHECK(summary.size() <= 300);
  CHECK(summary.find("Maria Lopez") != std::string::npos);
  CHECK(summary.find("Next: ") != std::string::npos);
}

TEST_CASE("the summary is one plain sentence in local time, with no engine words",
          "[engine][dialogue]") {
  Harness h;
  // 2026-11-23 21:14 America/Chicago is a Monday evening.
  h.send(CallArrived{"+15125550142", "+15125550100"});
  h.say("can someone call me back");
  h.say("maria lopez");
  const std::string summary = h.dialogue.summary(h.state);
  CHECK(summary.find("ESCALATED") == std::string::npos);
  CHECK(summary.find("_") == std::string::npos);  // no ids
  CHECK(summary.find("Maria Lopez (+15125550142)") != std::string::npos);
  CHECK((summary.find(" a.m.: ") != std::string::npos ||
         summary.find(" p.m.: ") != std::string::npos));
}
