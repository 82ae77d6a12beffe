// The engine on the shipped contracts: behaviour the known-gap calls found missing.
#include <catch2/catch.hpp>

#include <date/date.h>

#include "contract/check.hpp"
#include "contract/directory.hpp"
#include "engine/dialogue.hpp"
#include "support/corpus.hpp"

using namespace voiceops;
using namespace voiceops::engine;

namespace {

// Monday 2026-11-23: 21:14 in Chicago is after hours, 10:00 is business hours.
const std::chrono::sys_seconds after_hours_utc{
    date::sys_days{date::year{2026} / 11 / 24}.time_since_epoch() + std::chrono::hours{3} +
    std::chrono::minutes{14}};
const std::chrono::sys_seconds business_hours_utc{
    date::sys_days{date::year{2026} / 11 / 23}.time_since_epoch() + std::chrono::hours{16}};

struct Shipped {
  explicit Shipped(const std::string& name, std::chrono::sys_seconds when)
      : checked(contract::check_contract_file(
            testing::source_dir() + "/contracts/" + name + ".toml", false)),
        directory(checked.contract ? contract::directory_of(*checked.contract) : std::nullopt),
        dialogue(*checked.contract, directory ? &*directory : nullptr),
        now(when) {}

  std::vector<Action> send(const Event& event) { return dialogue.handle(state, event, now); }
  std::vector<Action> arrive(const std::string& from, const std::string& to) {
    return send(CallArrived{from, to});
  }
  std::vector<Action> say(const std::string& text, double confidence = 0.9) {
    return send(SpeechHeard{text, confidence, std::nullopt});
  }

  contract::CheckedContract checked;
  std::optional<contract::Directory> directory;
  Dialogue dialogue;
  std::chrono::sys_seconds now;
  CallState state;
};

const Gather* last_gather(const std::vector<Action>& actions) {
  for (auto it = actions.rbegin(); it != actions.rend(); ++it) {
    if (const auto* gather = std::get_if<Gather>(&*it)) return gather;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a reprompt that apologises gets no second apology", "[engine][shipped]") {
  Shipped call("after-hours-service", after_hours_utc);
  call.arrive("+15125550142", "+15125550101");
  call.say("my ac stopped working");
  call.say("no");
  const auto actions = call.say("its uh mm", 0.42);
  const Gather* gather = last_gather(actions);
  REQUIRE(gather);
  CHECK(gather->prompt.starts_with("Sorry, I didn't catch that. What's your first and last name?"));
  CHECK(gather->prompt.find("Sorry, I didn't quite catch that.") == std::string::npos);
}

TEST_CASE("an out-of-scope call's summary names what the caller wanted", "[engine][shipped]") {
  Shipped call("after-hours-service", after_hours_utc);
  call.arrive("+15125550123", "+15125550101");
  call.say("yeah hi um i want to dispute my bill you guys charged me twice");
  // The out-of-scope row takes a message: name and number first.
  REQUIRE(call.state.phase == Phase::take_message);
  call.say("it's dana reyes");
  call.say("this number's fine");
  REQUIRE(call.state.phase == Phase::ended);
  const std::string summary = call.dialogue.summary(call.state);
  CHECK(summary.find("billing dispute") != std::string::npos);
  CHECK(summary.find("Dana Reyes (+15125550123)") != std::string::npos);
  CHECK(summary.find("A question the agent does not answer") != std::string::npos);
  CHECK(summary.find("Next: call Dana Reyes back at +15125550123") != std::string::npos);
}

TEST_CASE("a long summary cuts the caller's free text, not the address", "[engine][shipped]") {
  Shipped call("after-hours-service", after_hours_utc);
  CallState& s = call.state;
  s.from = "+15125550171";
  s.intent = "noise_or_smell";
  s.slots["caller_name"] = {"Tom Reyes", true};
  s.slots["callback_number"] = {"+15125550171", true};
  s.slots["service_address"] = {"618 West Oak Lane", true};
  s.slots["problem_details"] = {std::string(200, 'g'), true};
  s.slots["access_notes"] = {std::string(150, 'a'), true};
  s.tool_failures = {"odoo.helpdesk.ticket.create:timeout"};
  s.outcome = Outcome::failure;
  const std::string summary = call.dialogue.summary(s);
  CHECK(summary.size() <= 300);
  CHECK(summary.find("Tom Reyes (+15125550171) about noise or smell at 618 West Oak Lane; ") !=
        std::string::npos);
  CHECK(summary.find("...") != std::string::npos);
  CHECK(summary.find("odoo") == std::string::npos);  // no tool ids
  CHECK(
      summary.ends_with("Not completed; a system did not answer. Next: call Tom Reyes back at "
                        "+15125550171."));
}

TEST_CASE("a retry step asks an answered question again", "[engine][shipped]") {
  Shipped call("missed-call-booking", business_hours_utc);
  call.arrive("+15125550157", "+15125550101");
  CallState& s = call.state;
  s.intent = "book_appointment";
  s.step = "check_availability";
  s.phase = Phase::tool;
  s.slots["preferred_date"] = {"2026-12-03 morning", true, "ask_date"};
  s.slots["arrival_window"] = {"morning", true, "ask_window"};
  const auto actions =
      call.send(ToolResult{"calendar.availability.check", ToolStatus::timeout, ""});
  const Gather* gather = last_gather(actions);
  REQUIRE(gather);
  CHECK(s.step == "ask_date_retry");
  CHECK(s.slots.count("preferred_date") == 0);
  CHECK(gather->prompt == call.checked.contract->question("preferred_date")->prompt.value);
}

TEST_CASE("a spelled first name keeps the surname", "[engine][shipped]") {
  Shipped call("after-hours-service", after_hours_utc);
  call.arrive("+15125550142", "+15125550101");
  call.say("my ac stopped working");
  call.say("no");
  call.say("it's shivon oh neil", 0.66);
  REQUIRE(call.state.slots.at("caller_name").value == "Shivon O'Neil");
  call.say("no the first name is spelled s i o b h a n");
  CHECK(call.state.slots.at("caller_name").value == "Siobhan O'Neil");
}

TEST_CASE("Ops line: a caller on someone else's phone switches identity with a PIN",
          "[engine][shipped][ops]") {
  Shipped call("ops-line", business_hours_utc);
  REQUIRE(call.directory);
  call.arrive("+15125550161", "+15125550190");  // Rob's phone
  REQUIRE(call.state.person_id == "rob_martinez");
  const auto actions = call.say("this is dee i'm on rob's phone");
  CHECK(call.state.phase == Phase::identify_pin);
  CHECK(call.state.person_id == "dee_okafor");
  CHECK(call.state.slots.count("caller_name") == 0);
  const Gather* gather = last_gather(actions);
  REQUIRE(gather);
  CHECK(gather->prompt.find("Please key in your staff PIN.") != std::string::npos);
  CHECK_FALSE(gather->speech);
}

TEST_CASE("Ops line: the owner's own name or a request changes nothing", "[engine][shipped][ops]") {
  Shipped call("ops-line", business_hours_utc);
  call.arrive("+15125550113", "+15125550190");  // Marcus
  call.say("this is marcus doing my morning manager check in");
  CHECK(call.state.person_id == "marcus_bell");
  CHECK(call.state.intent == "manager_check_in");
}

TEST_CASE("Ops line: someone with two roles says which one they are calling as",
          "[engine][shipped][ops]") {
  Shipped call("ops-line", business_hours_utc);
  call.arrive("+15125550111", "+15125550190");  // Ray: owner and install manager
  REQUIRE(call.state.slots.at("role").value == "owner");
  call.say("install manager check in");
  CHECK(call.state.intent == "manager_check_in");
  CHECK(call.state.slots.at("role").value == "install_manager");
}

TEST_CASE("an elderly parent described by age fires the vulnerable-occupant row",
          "[engine][shipped]") {
  Shipped call("missed-call-booking", business_hours_utc);
  call.arrive("+15125550174", "+15125550101");
  call.say("yeah i need somebody to come look at my heater");
  const auto actions =
      call.say("the heat's been out since last night and my dad's eighty nine he lives with us");
  CHECK(call.state.phase == Phase::transfer);
  CHECK(call.state.transfer_destination == "dispatch");
}

TEST_CASE("Ops line: a close-out answered in one breath, with denials, fills each question",
          "[engine][shipped][ops]") {
  Shipped call("ops-line", business_hours_utc);
  call.arrive("+15125550161", "+15125550190");  // Rob
  call.say("closing out job two six oh one eight");
  call.say("yep that's it");
  call.send(ToolResult{"odoo.project.task.read", ToolStatus::ok, "26018"});
  REQUIRE(call.state.step == "jc_diagnosis");
  call.say(
      "no, i got pulled off to an emergency call so the diagnosis isn't finished, no photos yet, "
      "didn't get to options, and the customer doesn't really understand what's wrong yet");
  CHECK(call.state.slots.at("diagnosis_done").value == "no");
  CHECK(call.state.slots.at("photos_uploaded").value == "no");
  CHECK(call.state.slots.at("options_presented").value == "no");
  CHECK(call.state.slots.at("customer_understanding").value == "no");
}

TEST_CASE("Ops line: a denial belongs to the label it leads to, not the next one",
          "[engine][shipped][ops]") {
  for (const auto& [said, diagnosis, photos] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"yes diagnosis done, no photos yet", "yes", "no"},
           {"no diagnosis, photos are up", "no", "yes"},
           {"diagnosis isn't finished, photos are up", "no", "yes"}}) {
    Shipped call("ops-line", business_hours_utc);
    call.arrive("+15125550161", "+15125550190");
    call.say("closing out job two six oh one eight");
    call.say("yep that's it");
    call.send(ToolResult{"odoo.project.task.read", ToolStatus::ok, "26018"});
    call.say(said);
    INFO(said);
    CHECK(call.state.slots.at("diagnosis_done").value == diagnosis);
    CHECK(call.state.slots.at("photos_uploaded").value == photos);
  }
}

TEST_CASE("a bare name given to a description question fills the name, not the description",
          "[engine][shipped]") {
  Shipped call("missed-call-booking", business_hours_utc);
  call.arrive("+15125550131", "+15125550101");
  call.say("i need somebody to come look at my furnace");
  REQUIRE(call.state.step == "ask_problem");
  const auto actions = call.say("rita gonzales");
  CHECK(call.state.slots.count("problem_details") == 0);
  REQUIRE(call.state.slots.count("caller_name") == 1);
  CHECK(call.state.slots.at("caller_name").value == "Rita Gonzales");
}

TEST_CASE("a one-word fix to a name read back changes only the part it resembles",
          "[engine][shipped]") {
  Shipped call("missed-call-booking", business_hours_utc);
  call.arrive("+15125550185", "+15125550101");
  call.say("the outside unit's making a real loud buzzing noise, can somebody come take a look");
  call.say("ken harbor");
  REQUIRE(call.state.phase == Phase::confirm);
  call.say("no, harper, h a r p e r");
  CHECK(call.state.slots.at("caller_name").value == "Ken Harper");
}

TEST_CASE("a name with its spelling announced after it is taken whole", "[engine][shipped]") {
  Shipped call("after-hours-service", after_hours_utc);
  call.arrive("+15125550147", "+15125550101");
  call.say("yeah my heat pump's blowing cold air, it's fifty eight degrees in here");
  call.say("no, none of that");
  call.say("no, it's just me and the dog");
  call.say("gloria vance, that's v a n c e");
  REQUIRE(call.state.slots.count("caller_name") == 1);
  CHECK(call.state.slots.at("caller_name").value == "Gloria Vance");
}

TEST_CASE("a house number corrected at the read-back keeps the street and the city",
          "[engine][shipped]") {
  Shipped call("after-hours-service", after_hours_utc);
  call.arrive("+15125550170", "+15125550101");
  call.say("hey, uh, our heater's not putting out any heat, it's sixty one in the house");
  call.say("no");
  call.say("no");
  call.say("hector salinas, five one two five five five zero one seven zero");
  CHECK(call.state.slots.at("caller_name").value == "Hector Salinas");
  CHECK(call.state.slots.at("callback_number").value == "+15125550170");
  call.say("yes");
  call.say("twelve oak hollow drive, pflugerville");
  REQUIRE(call.state.phase == Phase::confirm);
  call.say("no it's twenty one, twenty one oak hollow");
  CHECK(call.state.slots.at("service_address").value == "21 Oak Hollow Drive, Pflugerville");
}

TEST_CASE("the day of a visit already booked is not the day wanted", "[engine][shipped]") {
  Shipped call("missed-call-booking", business_hours_utc);
  call.arrive("+15125550196", "+15125550101");
  call.say("yeah hi this is gail whitaker, i've got a visit tomorrow i need to push back");
  CHECK(call.state.intent == "reschedule_appointment");
  CHECK(call.state.slots.count("preferred_date") == 0);
}

TEST_CASE("an answer to the day question names the window too", "[engine][shipped]") {
  Shipped call("missed-call-booking", business_hours_utc);
  call.arrive("+15125550141", "+15125550101");
  call.say("my furnace is short cycling, can somebody come out and look at it");
  call.say("dwayne hollis");
  call.say("yes");
  call.say("this number");
  call.say("yes");
  call.say("forty five oh two running deer trail in leander");
  call.say("yes");
  REQUIRE(call.state.step == "ask_date");
  call.say("the fourteenth, after lunch if possible");
  REQUIRE(call.state.slots.count("arrival_window") == 1);
  CHECK(call.state.slots.at("arrival_window").value == "afternoon");
  CHECK(call.state.slots.at("preferred_date").value.ends_with("afternoon"));
}

TEST_CASE("a value given at a read-back joins it, and one yes confirms them all",
          "[engine][shipped]") {
  Shipped call("after-hours-service", after_hours_utc);
  call.arrive("+15125550177", "+15125550101");
  call.say(
      "this is marco diaz at forty two elm street in round rock, there's water dripping out "
      "of the air handler in the garage");
  REQUIRE(call.state.phase == Phase::confirm);
  REQUIRE(call.state.confirm_group.size() == 2);
  const auto actions = call.say("best number to reach me is the one i'm calling from");
  REQUIRE(call.state.phase == Phase::confirm);
  const Gather* gather = last_gather(actions);
  REQUIRE(gather != nullptr);
  CHECK(call.state.confirm_group.size() == 3);
  call.say("yes that's all right");
  for (const char* slot : {"caller_name", "callback_number", "service_address"}) {
    INFO(slot);
    REQUIRE(call.state.slots.count(slot) == 1);
    CHECK(call.state.slots.at(slot).confirmed);
  }
}
