// The speech of /work/shared/CALLERS.md, end to end through the functions the engine calls.
#define CATCH_CONFIG_ENABLE_OPTIONAL_STRINGMAKER
#include <catch2/catch.hpp>

#include <chrono>

#include <date/date.h>

#include "nlu/nlu.hpp"

using namespace voiceops::nlu;

TEST_CASE("CALLERS: run-on speech with fillers", "[nlu][callers]") {
  const char* said = "yeah um so the thing upstairs uh it just quit on us like an hour ago";
  CHECK(normalize(said) == "yeah so the thing upstairs it just quit on us an hour ago");
  CHECK(mentions(said, "quit"));
  CHECK(mentions(said, "an hour ago"));
  CHECK_FALSE(is_backchannel(said));
  CHECK_FALSE(extract_name(said).has_value());
  CHECK_FALSE(extract_address(said).has_value());
}

TEST_CASE("CALLERS: numbers as words", "[nlu][callers]") {
  CHECK(extract_address("forty one oh six elm") == "4106 Elm");
  CHECK(words_to_digits("twenty four oh nine") == "2409");
  CHECK(words_to_digits("nineteen seventy") == "1970");
  CHECK(words_to_digits("six eighteen") == "618");
  const auto tuesday =
      std::chrono::sys_seconds{date::sys_days{date::year{2026} / 11 / 24} + std::chrono::hours{10}};
  CHECK(extract_datetime("the thirtieth", tuesday)->text() == "2026-11-30");
  CHECK(extract_datetime("two thirty", tuesday)->text() == "2026-11-24 14:30");
  CHECK(extract_datetime("noon", tuesday)->text() == "2026-11-24 12:00");
}

TEST_CASE("CALLERS: spelled names and pointing at the caller ID", "[nlu][callers]") {
  CHECK(extract_name("it's dana k o w a l s k i") == "Dana Kowalski");
  CHECK(extract_phone("this number's fine", "+15125550100") == "+15125550100");
  CHECK(extract_phone("call me back on the one I'm calling from", "+15125550100") ==
        "+15125550100");
  // "Same address as last time" is unknown here: the agent must ask.
  CHECK_FALSE(extract_address("same address as last time").has_value());
}

TEST_CASE("CALLERS: several answers at once", "[nlu][callers]") {
  const char* said = "it's Tom Reyes at 40 Birch and it's the furnace";
  CHECK(extract_name(said) == "Tom Reyes");
  CHECK(extract_address(said) == "40 Birch");
  CHECK(extract_choice(said, {{"furnace", {"heater"}}, {"water heater", {}}}) == "furnace");
}

TEST_CASE("CALLERS: negation and dismissal", "[nlu][callers]") {
  CHECK_FALSE(mentions("doesn't smell like anything weird", "smell"));
  CHECK_FALSE(mentions("no alarms going off", "alarms going off"));
  CHECK_FALSE(mentions("it's not an emergency", "emergency"));
  CHECK(mentions("it smells like gas", "smells like gas"));
  CHECK(mentions("smells like propane", "propane"));
}

TEST_CASE("CALLERS: the same words mean different things", "[nlu][callers]") {
  // A temperature, not an address.
  CHECK_FALSE(extract_address("it's eighty nine in the bedroom").has_value());
  CHECK(words_to_digits(normalize("it's eighty nine in the bedroom")) == "it is 89 in the bedroom");
  CHECK(mentions("my dad's eighty nine and the heat's out", "dad"));
  CHECK(mentions("we're all dizzy and sleepy", "dizzy"));
}

TEST_CASE("CALLERS: requests for a person", "[nlu][callers]") {
  CHECK(asks_for_person("can I talk to somebody"));
  CHECK(asks_for_person("is there a real person"));
  CHECK(asks_for_person("operator"));
  CHECK(asks_for_person("representative"));
  CHECK(asks_for_person("0"));
}

TEST_CASE("CALLERS: turn-taking", "[nlu][callers]") {
  CHECK(is_backchannel("mm-hmm"));
  CHECK(is_backchannel("okay"));
  CHECK(is_backchannel("yeah"));
  CHECK_FALSE(is_backchannel("okay yes that's right"));
  CHECK(extract_yes_no("okay yes that's right") == YesNo::yes);
  CHECK(is_repeat_request("hold on"));
  CHECK(is_repeat_request("sorry, what?"));
  CHECK(is_repeat_request("say that again"));

  const Correction ninth = detect_correction("no, not the ninth, the nineteenth");
  CHECK(ninth.is_correction);
  CHECK(ninth.replacement == "the nineteenth");
  CHECK(ninth.replaced == "the ninth");
  const Correction number = detect_correction("it's 21 not 12");
  CHECK(number.replacement == "21");
  CHECK(number.replaced == "12");
  CHECK(detect_correction("actually make it Thursday").replacement == "thursday");
  CHECK(detect_correction("I said Kowalski, with a k").replacement == "kowalski");
  CHECK(extract_name("I said Kowalski, with a k") == "Kowalski");
}

TEST_CASE("CALLERS: the Ops line", "[nlu][callers]") {
  CHECK(extract_scale("four-ish") == 4);
  CHECK(extract_scale("dragging today, a two") == 2);
  CHECK(extract_scale("between two and three, say two") == 2);
  CHECK(extract_scale("a four, well, a three really") == 3);
  CHECK(extract_digits("job two six oh eight one, no, two six oh one eight") == "26018");
  CHECK(extract_name("this is Dee, I'm on Rob's phone") == "Dee");
  CHECK(mentions("caught a jolt off the panel", "jolt"));
  CHECK(mentions("slipped off the step stool and hit my head", "hit my head"));
}
