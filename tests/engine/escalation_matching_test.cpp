// Escalation rows on the shipped contracts and their lexicon: everyday wording of real
// emergencies fires, harmless mentions do not, a doubt is asked about, rows compete by priority.
// Each line is one utterance at one point of a call, as `voiceops contract try` shows it.
#include <catch2/catch.hpp>

#include <date/date.h>

#include "contract/check.hpp"
#include "contract/directory.hpp"
#include "engine/dialogue.hpp"
#include "support/corpus.hpp"

using namespace voiceops;

namespace {

struct Case {
  const char* contract;
  const char* intent;  // "" at the greeting
  const char* step;    // "" at the intent's first step
  const char* said;
  double confidence;
  const char* expect;  // "fires <row>", "asks <row>" or "none"
};

// Monday 2026-11-23: 21:14 in Austin is after hours, 10:00 business hours.
std::chrono::sys_seconds when(const std::string& contract) {
  const auto day = date::sys_days{date::year{2026} / 11 / 23}.time_since_epoch();
  return std::chrono::sys_seconds{contract == "missed-call-booking"
                                      ? day + std::chrono::hours{16}
                                      : day + std::chrono::hours{27} + std::chrono::minutes{14}};
}

std::string verdict(const Case& c) {
  const auto checked = contract::check_contract_file(
      testing::source_dir() + "/contracts/" + c.contract + ".toml", false);
  REQUIRE(checked.contract);
  const auto directory = contract::directory_of(*checked.contract);
  const engine::Dialogue dialogue(*checked.contract, directory ? &*directory : nullptr);
  const std::string from =
      std::string(c.contract) == "ops-line" ? "+15125550161" : "+15125550142";  // Rob's phone
  auto state = dialogue.begin_at(from, when(c.contract), c.intent, c.step);
  REQUIRE(state);
  const engine::Explanation e = dialogue.explain(*state, c.said, c.confidence);
  for (const auto& row : e.rows) {
    if (row.verdict == "fires") return "fires " + row.name;
    if (row.verdict == "asks first") return "asks " + row.name;
  }
  return "none";
}

}  // namespace

TEST_CASE("safety rows fire on everyday wording, by meaning", "[engine][escalation]") {
  const Case cases[] = {
      {"after-hours-service", "", "", "yeah the house smells like rotten eggs", 0.9,
       "fires gas_smell"},
      {"after-hours-service", "", "", "we're smelling propane by the water heater", 0.9,
       "fires gas_smell"},
      {"after-hours-service", "no_heat", "ask_name", "hold on there's a hissing from the gas line",
       0.9, "fires gas_smell"},
      {"after-hours-service", "", "", "the co detector keeps going off", 0.9,
       "fires carbon_monoxide"},
      {"after-hours-service", "no_heat", "ask_name", "we're all real dizzy and my head is pounding",
       0.9, "fires carbon_monoxide"},
      {"after-hours-service", "no_heat", "ask_name", "the kids threw up and they're so sleepy", 0.9,
       "fires carbon_monoxide"},
      {"after-hours-service", "no_heat", "ask_name", "my dad's eighty nine and he lives with us",
       0.9, "fires no_heat_or_cooling_vulnerable"},
      {"after-hours-service", "no_heat", "ask_name", "the baby's only three weeks old", 0.9,
       "fires no_heat_or_cooling_vulnerable"},
      {"after-hours-service", "no_cooling", "ask_name", "i'm eight months pregnant and it's so hot",
       0.9, "fires no_heat_or_cooling_vulnerable"},
      {"after-hours-service", "no_cooling", "ask_name", "my husband's on oxygen", 0.9,
       "fires no_heat_or_cooling_vulnerable"},
      {"after-hours-service", "", "", "there's smoke coming out of the outside unit", 0.9,
       "fires smoke_or_fire"},
      {"after-hours-service", "", "", "the breaker box is sparking", 0.9, "fires smoke_or_fire"},
      {"after-hours-service", "", "", "my husband got zapped touching the furnace", 0.9,
       "fires electrical_hazard"},
      {"missed-call-booking", "", "", "it smells like burning plastic from the vents", 0.9,
       "fires smoke_or_fire"},
      {"ops-line", "job_closeout", "", "i caught a jolt off the disconnect", 0.9,
       "fires employee_injury"},
      {"ops-line", "job_closeout", "", "tyler came off the ladder and smacked his head", 0.9,
       "fires employee_injury"},
      {"ops-line", "job_closeout", "", "co was reading three hundred ppm in the basement", 0.9,
       "fires site_gas_or_co"},
      {"missed-call-booking", "", "",
       "my dad was working on the big fan thing outside and he got shocked really bad", 0.9,
       "fires electrical_hazard"},
      {"missed-call-booking", "book_appointment", "ask_problem",
       "my husband and me both got real bad headaches and we're kinda sick to our stomach", 0.9,
       "fires carbon_monoxide"},
      {"ops-line", "end_of_day", "",
       "the install crew dumped the refrigerant on the changeout instead of recovering it", 0.9,
       "fires compliance_issue"},
      {"missed-call-booking", "", "",
       "every time the heater kicks on there's a smell like somebody left the stove on without "
       "lighting it",
       0.9, "fires gas_smell"},
  };
  for (const Case& c : cases) {
    INFO(c.contract << ": \"" << c.said << "\"");
    CHECK(verdict(c) == c.expect);
  }
}

TEST_CASE("harmless mentions of safety words do not fire", "[engine][escalation]") {
  const Case cases[] = {
      {"after-hours-service", "", "", "our gas furnace quit it's blowing cold air", 0.9, "none"},
      {"after-hours-service", "no_heat", "ask_name", "no gas smell or anything like that", 0.9,
       "none"},
      {"after-hours-service", "no_heat", "ask_name", "nobody's dizzy or anything it's just cold",
       0.9, "none"},
      {"after-hours-service", "no_heat", "ask_name", "the co detector is not going off", 0.9,
       "none"},
      {"after-hours-service", "no_heat", "ask_name",
       "the co detector's been chirping cause it's like ten years old", 0.9, "none"},
      {"missed-call-booking", "", "", "can your tech put in a carbon monoxide detector", 0.9,
       "none"},
      {"after-hours-service", "no_heat", "ask_name",
       "if it ever starts to smell like gas what should i do", 0.9, "none"},
      {"after-hours-service", "no_cooling", "ask_name", "it's eighty nine in the bedroom", 0.9,
       "none"},
      {"after-hours-service", "no_heat", "ask_name", "the whole thing is giving me a headache", 0.9,
       "none"},
      {"after-hours-service", "thermostat_problem", "ask_name",
       "my mom is ninety one she's visiting", 0.9, "none"},  // no heat or cooling problem
      {"after-hours-service", "no_heat", "ask_name", "we had a gas leak years ago", 0.9, "none"},
      {"after-hours-service", "no_heat", "ask_name", "the igniter sparks but it won't light", 0.9,
       "none"},
      {"ops-line", "job_closeout", "", "co was two ppm everything checked out", 0.9, "none"},
      {"ops-line", "end_of_day", "", "a customer said she was shocked how quiet it is now", 0.9,
       "none"},
      {"ops-line", "am_pulse", "",
       "my overtime isn't on my check, i was on the phones all saturday night with that gas leak "
       "at the pruitt house",
       0.9, "none"},
      {"after-hours-service", "water_leak_from_unit", "ask_name",
       "there's water leaking onto the floor, it's not near any outlets or anything", 0.9, "none"},
      {"missed-call-booking", "", "",
       "can the tech look at our carbon monoxide detector, it's not going off, it's just old", 0.9,
       "none"},
  };
  for (const Case& c : cases) {
    INFO(c.contract << ": \"" << c.said << "\"");
    CHECK(verdict(c) == c.expect);
  }
}

TEST_CASE("a doubt or an unsure recogniser gets one direct question", "[engine][escalation]") {
  const Case cases[] = {
      {"after-hours-service", "no_heat", "ask_name",
       "maybe it smells a little like gas i'm not sure", 0.9, "asks gas_smell"},
      {"after-hours-service", "no_heat", "ask_name", "i smell gas", 0.38, "asks gas_smell"},
      {"missed-call-booking", "book_appointment", "ask_name",
       "could it be carbon monoxide making us tired", 0.9, "asks carbon_monoxide"},
  };
  for (const Case& c : cases) {
    INFO(c.contract << ": \"" << c.said << "\"");
    CHECK(verdict(c) == c.expect);
  }
}

TEST_CASE("rows compete by priority and by what the call is", "[engine][escalation]") {
  const Case cases[] = {
      // A quote for a whole new system is a lead, not a price question.
      {"after-hours-service", "", "", "how much would a whole new system cost us", 0.9,
       "fires replacement_enquiry"},
      // A system this company installed is a service call, not a lead.
      {"missed-call-booking", "", "",
       "the new heat pump you guys put in last year is blowing warm air", 0.9, "none"},
      // Safety comes before a person.
      {"after-hours-service", "", "", "i smell gas can i talk to a real person", 0.9,
       "fires gas_smell"},
      {"after-hours-service", "", "", "can i just talk to a real person", 0.9,
       "fires caller_asks_for_person"},
      {"missed-call-booking", "", "", "y'all had a guy out friday and it quit on us again", 0.9,
       "fires repeat_repair"},
  };
  for (const Case& c : cases) {
    INFO(c.contract << ": \"" << c.said << "\"");
    CHECK(verdict(c) == c.expect);
  }
}
