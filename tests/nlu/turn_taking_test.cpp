#include <catch2/catch.hpp>

#include <string>

#include "nlu/nlu.hpp"

using namespace voiceops::nlu;

TEST_CASE("is_backchannel: short acknowledgements on their own", "[nlu][turns]") {
  for (const char* text : {"mm-hmm", "Mm-hmm.", "mhm", "uh-huh", "okay", "ok", "OK.", "yeah",
                           "right", "sure", "got it", "i see", "oh okay", "yeah yeah",
                           "okay, got it", "all right", "alright", "um", "hmm"}) {
    INFO(text);
    CHECK(is_backchannel(text));
  }
}

TEST_CASE("is_backchannel: real answers and requests are not backchannels", "[nlu][turns]") {
  for (const char* text :
       {"", "   ", "okay yes that's right", "yeah that's right", "yes", "no", "yeah no",
        "okay so what now", "okay the furnace", "right, the nineteenth", "sure, tuesday works",
        "hold on", "what", "yeah it smells like gas"}) {
    INFO(text);
    CHECK_FALSE(is_backchannel(text));
  }
}

TEST_CASE("is_repeat_request: asking to hear it again or to wait", "[nlu][turns]") {
  for (const char* text : {"hold on",
                           "hang on a second",
                           "sorry what",
                           "sorry?",
                           "what?",
                           "huh",
                           "pardon",
                           "pardon me",
                           "say that again",
                           "can you say that again",
                           "can you repeat that",
                           "what was that",
                           "what did you say",
                           "i didn't catch that",
                           "sorry, i missed that",
                           "one second",
                           "wait",
                           "excuse me",
                           "come again",
                           "you cut out",
                           "one more time please",
                           "hold on let me get a pen"}) {
    INFO(text);
    CHECK(is_repeat_request(text));
  }
  for (const char* text : {"", "what is the earliest you can come", "sorry, it's 21",
                           "wait, actually make it thursday", "uh-huh", "it's a repeat problem",
                           "what time", "yes", "the heat is out again", "no need to repeat that"}) {
    INFO(text);
    CHECK_FALSE(is_repeat_request(text));
  }
}

namespace {
void check_correction(std::string_view utterance, std::string_view replacement,
                      std::string_view replaced) {
  INFO(utterance);
  const Correction c = detect_correction(utterance);
  CHECK(c.is_correction);
  CHECK(c.replacement == replacement);
  CHECK(c.replaced == replaced);
}
}  // namespace

TEST_CASE("detect_correction: the header's and CALLERS.md's forms", "[nlu][turns][correction]") {
  check_correction("no, it's 21 not 12", "21", "12");
  check_correction("it's 21 not 12", "21", "12");
  check_correction("actually wednesday", "wednesday", "");
  check_correction("actually make it thursday", "thursday", "");
  check_correction("i said maria", "maria", "");
  check_correction("i said kowalski, with a k", "kowalski", "");
  check_correction("no wait it's 21 oak street not 12", "21 oak street", "12");
  check_correction("not the ninth, the nineteenth", "the nineteenth", "the ninth");
  check_correction("no, not the ninth, the nineteenth", "the nineteenth", "the ninth");
  check_correction("job two six oh eight one, no, two six oh one eight", "two six oh one eight",
                   "two six oh eight one");
}

TEST_CASE("detect_correction: more ways to correct", "[nlu][turns][correction]") {
  check_correction("no not the ninth the nineteenth", "the nineteenth", "the ninth");
  check_correction("tuesday, i mean thursday", "thursday", "tuesday");
  check_correction("tuesday no wednesday", "wednesday", "tuesday");
  check_correction("thursday not tuesday", "thursday", "tuesday");
  check_correction("kowalski not kowalsky", "kowalski", "kowalsky");
  check_correction("make it 3 instead", "3", "");
  check_correction("no, the nineteenth", "the nineteenth", "");
  check_correction("sorry, the nineteenth", "the nineteenth", "");
  check_correction("hold on, it's 21 not 12", "21", "12");
  check_correction("oh wait, it should be tomorrow", "tomorrow", "");
  check_correction("I meant Tuesday.", "tuesday", "");
  check_correction("the ninth sorry the nineteenth", "the nineteenth", "the ninth");
}

TEST_CASE("detect_correction: spelled and partial name corrections", "[nlu][turns][correction]") {
  check_correction("no the first name is spelled s i o b h a n", "s i o b h a n", "");
  check_correction("no it's o neill with two l's", "o neill", "");
  check_correction("no i said kowalski with a k", "kowalski", "");
  check_correction("no how about friday", "friday", "");
  check_correction("no i want thursday", "thursday", "");
  check_correction("oh sorry it's 4106", "4106", "");
  check_correction("no the fourteenth not the fourth", "the fourteenth", "the fourth");
}

TEST_CASE("detect_correction: which part of a name is corrected", "[nlu][turns][correction]") {
  CHECK(detect_correction("no the first name is spelled s i o b h a n").name_part ==
        NamePart::first);
  CHECK(detect_correction("no my last name is kowalski").name_part == NamePart::last);
  CHECK(detect_correction("no the surname is spelled k o w a l s k i").name_part == NamePart::last);
  CHECK(detect_correction("no i said kowalski with a k").name_part == NamePart::any);
  CHECK(detect_correction("no it's 21 not 12").name_part == NamePart::any);
}

TEST_CASE("detect_correction: answers and negations are not corrections",
          "[nlu][turns][correction]") {
  for (const char* text :
       {"", "no", "yes", "no heat", "no problem", "the nineteenth", "the furnace is not working",
        "it's not working", "i'm not sure", "no it isn't", "no that's wrong", "actually",
        "sorry what", "it's tom reyes at 40 birch and it's the furnace",
        "doesn't smell like anything weird", "i said", "no alarms going off",
        // A "no" that explains itself restates nothing.
        "no we're one tech short this afternoon", "no, the heat is out", "no we're fine",
        "no we just moved in", "no i don't think so",
        "no it was a quick capacitor swap i just did it",
        "wait actually it smells like gas in the utility room", "no that's fine"}) {
    INFO(text);
    const Correction c = detect_correction(text);
    CHECK_FALSE(c.is_correction);
    CHECK(c.replacement.empty());
    CHECK(c.replaced.empty());
  }
}
