#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "nlu/nlu.hpp"

using namespace voiceops::nlu;

TEST_CASE("mentions matches whole normalised words", "[nlu][mentions]") {
  CHECK(mentions("it smells like gas", "smells like gas"));
  CHECK(mentions("It smells like GAS!", "gas"));
  CHECK(mentions("yeah um it uh smells like gas", "smells like gas"));
  CHECK(mentions("there's a gas smell", "gas smell"));
  CHECK(mentions("it's leaking", "it is leaking"));
  CHECK(mentions("the alarms are going off", "alarm"));
  CHECK(mentions("my dad's eighty nine", "dad"));
  CHECK(mentions("the smoke detector keeps beeping", "smoke detector"));
  // Whole words only.
  CHECK_FALSE(mentions("i know", "no"));
  CHECK_FALSE(mentions("the gasket broke", "gas"));
  CHECK_FALSE(mentions("gaslight", "gas"));
  CHECK_FALSE(mentions("smells like gas", "smells like propane"));
  CHECK_FALSE(mentions("it smells", ""));
  CHECK_FALSE(mentions("", "gas"));
}

TEST_CASE("mentions: a negator within three words negates", "[nlu][mentions]") {
  CHECK_FALSE(mentions("doesn't smell like anything weird", "smell"));
  CHECK_FALSE(mentions("doesn't smell like anything weird", "weird"));
  CHECK_FALSE(mentions("no alarms going off", "alarms going off"));
  CHECK_FALSE(mentions("no alarms going off", "alarm"));
  CHECK_FALSE(mentions("it's not an emergency", "emergency"));
  CHECK_FALSE(mentions("i don't smell gas", "gas"));
  CHECK_FALSE(mentions("never smelled gas", "gas"));
  CHECK_FALSE(mentions("nothing smells weird", "smells"));
  CHECK_FALSE(mentions("we're without heat", "heat"));
  CHECK_FALSE(mentions("there's no sign of smoke", "smoke"));
  CHECK_FALSE(mentions("no gas or smoke", "smoke"));
  CHECK_FALSE(mentions("isn't leaking", "leaking"));
  CHECK(mentions("this is an emergency", "emergency"));
  // Too far from the negator.
  CHECK(mentions("no one came to fix the furnace", "furnace"));
}

TEST_CASE("mentions: negation stops at a pause, a new clause or an answering 'no'",
          "[nlu][mentions]") {
  // Safety first: a "no" that answers the agent does not cancel what follows.
  CHECK(mentions("no, it smells like gas", "gas"));
  CHECK(mentions("no it smells like gas", "gas"));
  CHECK(mentions("no the furnace is leaking", "furnace"));
  CHECK(mentions("i don't know, it smells like gas", "gas"));
  CHECK(mentions("not sure but it smells like gas", "gas"));
  CHECK(mentions("no heat and the alarm is going off", "alarm"));
  CHECK(mentions("i don't think it's gas", "gas"));
  // A phrase that contains its own negation.
  CHECK(mentions("there's no heat", "no heat"));
  CHECK_FALSE(mentions("there's no heat", "heat"));
}

TEST_CASE("mentions: 'not' reaches past verbs of perceiving, having and being only",
          "[nlu][mentions]") {
  CHECK_FALSE(mentions("i don't see any smoke", "smoke"));
  CHECK_FALSE(mentions("we don't have any heat", "heat"));
  CHECK_FALSE(mentions("i haven't noticed any smell of gas", "gas"));
  CHECK_FALSE(mentions("it doesn't seem to be leaking", "leaking"));
  CHECK_FALSE(mentions("i don't want to talk to anyone", "talk"));
  // Other verbs take the negation and leave the thing standing: these are still about gas, the
  // alarm, the heat.
  CHECK(mentions("we can't get rid of the gas smell", "gas"));
  CHECK(mentions("i can't turn off the alarm", "alarm"));
  CHECK(mentions("i can't stop the water", "water"));
}

TEST_CASE("mentions: a denial right after the phrase", "[nlu][mentions]") {
  CHECK_FALSE(mentions("the co detector is not going off or anything", "co detector"));
  CHECK_FALSE(mentions("checked for gas leaks none found", "gas leak"));
  CHECK_FALSE(mentions("the alarm is not", "alarm"));
  CHECK_FALSE(mentions("nobody's dizzy or anything it's just hot", "dizzy"));
  // Not a denial of presence.
  CHECK(mentions("the furnace is not working", "furnace"));
  CHECK(mentions("the gas smell is not going away", "gas smell"));
  CHECK(mentions("the alarm won't stop", "alarm"));
  CHECK(mentions("the alarm is not stopping", "alarm"));
  CHECK(mentions("the gas smell is not that strong", "gas smell"));
  CHECK_FALSE(mentions("the noise is not a problem", "noise"));
}

TEST_CASE("mentions_any is true when one phrase is mentioned", "[nlu][mentions]") {
  CHECK(mentions_any("we're all dizzy and sleepy", {"carbon monoxide", "dizzy", "headache"}));
  CHECK_FALSE(mentions_any("nobody is dizzy", {"dizzy", "headache"}));
  CHECK_FALSE(mentions_any("no headache, not dizzy", {"dizzy", "headache"}));
  CHECK_FALSE(mentions_any("it smells like gas", {}));
}

TEST_CASE("asks_for_person recognises requests for a person in many forms", "[nlu][person]") {
  for (const char* text : {"can i talk to somebody",
                           "is there a real person",
                           "operator",
                           "representative",
                           "Representative!",
                           "a human please",
                           "speak to someone",
                           "agent",
                           "agent please",
                           "can i speak with a live agent",
                           "let me speak with a manager",
                           "i want an agent",
                           "get me a representative",
                           "transfer me please",
                           "i need a real person",
                           "why can't i talk to a person",
                           "put me through to someone",
                           "customer service",
                           "can i just talk to a human being",
                           "0",
                           "i pressed zero",
                           "talk to someone please"}) {
    INFO(text);
    CHECK(asks_for_person(text));
  }
}

TEST_CASE("asks_for_person hears a person asked for in unlisted words", "[nlu][person]") {
  for (const char* text :
       {"honey, i'm not going to do all this with a machine, can you get me somebody who actually "
        "works there",
        "get me somebody i can talk to", "i'm tired of talking to a robot",
        "can you patch me through to marcus real quick", "i want someone who works there"}) {
    INFO(text);
    CHECK(asks_for_person(text));
  }
  // A visit, or the equipment called "the machine", is no person for the caller.
  for (const char* text :
       {"can you get me someone out here today", "the machine outside is not running",
        "get me somebody to come look at it", "it's not the machine, it's the thermostat"}) {
    INFO(text);
    CHECK_FALSE(asks_for_person(text));
  }
}

TEST_CASE("asks_for_person ignores people mentioned for other reasons", "[nlu][person]") {
  for (const char* text :
       {"", "i don't want to talk to anyone", "no i don't need a human",
        "i need someone to come fix it", "can you send somebody out", "are you an agent",
        "can i talk to you about my bill", "my agent said", "is somebody coming today", "zero",
        "the furnace", "a person came by yesterday", "the technician"}) {
    INFO(text);
    CHECK_FALSE(asks_for_person(text));
  }
}

TEST_CASE("rank_intents ranks by example overlap and keywords", "[nlu][intents]") {
  const std::vector<IntentPattern> intents = {
      {"no_heat", {"my heat is not working", "the furnace stopped", "no heat"}, {"furnace"}},
      {"gas_leak", {"i smell gas", "it smells like gas"}, {"gas", "propane"}},
      {"billing", {"i have a question about my bill", "dispute my bill"}, {"bill", "invoice"}},
      {"emergency", {"this is an emergency"}, {"emergency"}},
  };
  const auto top = [&](std::string_view utterance) {
    return rank_intents(utterance, intents).front().id;
  };
  CHECK(top("yeah um so the thing upstairs uh it just quit on us like an hour ago, the furnace") ==
        "no_heat");
  CHECK(top("the heat stopped working") == "no_heat");
  CHECK(top("we've got no heat") == "no_heat");
  CHECK(top("it smells like propane in here") == "gas_leak");
  CHECK(top("i'm smelling gas") == "gas_leak");
  CHECK(top("i want to dispute my bill") == "billing");
  CHECK(top("there's a problem with my invoice") == "billing");

  const auto ranked = rank_intents("my heat isn't working", intents);
  REQUIRE(ranked.size() == intents.size());
  CHECK(ranked[0].id == "no_heat");
  CHECK(ranked[0].score > 0.9);
  for (std::size_t i = 1; i < ranked.size(); ++i) {
    CHECK(ranked[i - 1].score >= ranked[i].score);
    CHECK(ranked[i].score >= 0.0);
    CHECK(ranked[i].score <= 1.0);
  }
}

// The after-hours contract's intents: equipment words ("heat pump", "furnace") are shared by
// several intents, the symptom ("noise") tells them apart.
TEST_CASE("rank_intents: words shared by many intents weigh less", "[nlu][intents]") {
  const std::vector<IntentPattern> intents = {
      {"no_heat",
       {"yeah um the heat's not working", "my furnace quit on us like an hour ago",
        "it's blowing cold air and the heater's on", "no heat in the house and it's freezing",
        "the heat pump stopped heating"},
       {"no heat", "furnace", "heater", "heat pump", "not heating", "blowing cold"}},
      {"no_cooling",
       {"my ac stopped working",
        "it's eighty nine in the bedroom and the air's running but it's not cold",
        "the outside unit isn't turning on", "air conditioner's blowing warm air"},
       {"my ac", "the ac", "a c", "air conditioner", "not cooling", "blowing warm", "air's out"}},
      {"noise_or_smell",
       {"the furnace is making a loud banging noise",
        "there's a grinding sound from the outside unit",
        "it smells kind of like burning dust when the heat comes on",
        "there's a musty smell from the vents"},
       {"noise", "banging", "grinding", "squealing", "rattling", "smell", "smells"}},
  };
  const auto top = [&](std::string_view utterance) {
    return rank_intents(utterance, intents).front().id;
  };
  CHECK(top("the heat pump outside is making this awful loud buzzing noise") == "noise_or_smell");
  CHECK(top("the heat pump is making a loud noise") == "noise_or_smell");
  CHECK(top("the furnace is making a loud noise") == "noise_or_smell");
  CHECK(top("the heat pump stopped heating") == "no_heat");
  CHECK(top("hi the heat pump's not heating at all the house is down to sixty") == "no_heat");
  CHECK(top("my ac stopped working") == "no_cooling");
  CHECK(top("yeah um so the thing upstairs uh it just quit on us like an hour ago") == "no_heat");
}

TEST_CASE("rank_intents: negated words and keywords do not count", "[nlu][intents]") {
  const std::vector<IntentPattern> intents = {
      {"emergency", {"this is an emergency"}, {"emergency"}},
      {"no_heat", {"no heat", "the heat is not working"}, {}},
      {"heat_ok", {"the heat is working"}, {}},
  };
  const auto ranked = rank_intents("it's not an emergency", intents);
  for (const auto& r : ranked) {
    if (r.id == "emergency") CHECK(r.score == 0.0);
  }
  CHECK(rank_intents("the heat is working fine", intents).front().id == "heat_ok");
  CHECK(rank_intents("the heat isn't working", intents).front().id == "no_heat");
}

TEST_CASE("rank_intents breaks ties by id and handles empty input", "[nlu][intents]") {
  const std::vector<IntentPattern> intents = {
      {"b", {"furnace repair"}, {}}, {"a", {"furnace repair"}, {}}, {"c", {"water heater"}, {}}};
  const auto ranked = rank_intents("furnace repair", intents);
  REQUIRE(ranked.size() == 3);
  CHECK(ranked[0].id == "a");
  CHECK(ranked[1].id == "b");
  CHECK(ranked[2].id == "c");
  CHECK(ranked[2].score == 0.0);
  CHECK(rank_intents("", intents).front().score == 0.0);
  CHECK(rank_intents("hello", {}).empty());
}

TEST_CASE("mentions: 'elderly' matches an old person described by age", "[nlu][mentions]") {
  CHECK(mentions("the heat's out and my dad's eighty nine", "elderly"));
  CHECK(mentions("my mother is ninety two and she's cold", "elderly"));
  CHECK(mentions("we have my 92 year old grandma staying with us", "elderly"));
  CHECK(mentions("my elderly neighbor", "elderly"));
  // A temperature, a young person, or no person at all.
  CHECK_FALSE(mentions("it's eighty nine in the bedroom", "elderly"));
  CHECK_FALSE(mentions("my son is twelve and the heat's out", "elderly"));
  CHECK_FALSE(mentions("she's ninety degrees in here", "elderly"));
  CHECK_FALSE(mentions("the unit is twenty two years old", "elderly"));
}
