#include <catch2/catch.hpp>

#include "nlu/nlu.hpp"

using voiceops::nlu::normalize;
using voiceops::nlu::words_to_digits;

TEST_CASE("words_to_digits reads compound numbers", "[nlu][numbers]") {
  CHECK(words_to_digits("twenty one") == "21");
  CHECK(words_to_digits("seven") == "7");
  CHECK(words_to_digits("zero") == "0");
  CHECK(words_to_digits("twelve") == "12");
  CHECK(words_to_digits("ninety") == "90");
  CHECK(words_to_digits("a hundred and five") == "105");
  CHECK(words_to_digits("one hundred twenty") == "120");
  CHECK(words_to_digits("twelve hundred") == "1200");
  CHECK(words_to_digits("twenty five hundred") == "2500");
  CHECK(words_to_digits("two thousand twenty six") == "2026");
  CHECK(words_to_digits("two thousand and nine") == "2009");
  CHECK(words_to_digits("five thousand") == "5000");
  CHECK(words_to_digits("5 hundred") == "500");
}

TEST_CASE("words_to_digits reads numbers said in parts as people say them", "[nlu][numbers]") {
  CHECK(words_to_digits("forty one oh six") == "4106");
  CHECK(words_to_digits("forty one oh six elm") == "4106 elm");
  CHECK(words_to_digits("twenty four oh nine") == "2409");
  CHECK(words_to_digits("nineteen seventy") == "1970");
  CHECK(words_to_digits("six eighteen") == "618");
  CHECK(words_to_digits("nineteen oh five") == "1905");
  CHECK(words_to_digits("twenty twenty six") == "2026");
  CHECK(words_to_digits("five one two five five five zero one four two") == "5125550142");
  CHECK(words_to_digits("five one two, five five five, zero one four two") == "5125550142");
  CHECK(words_to_digits("double five") == "55");
  CHECK(words_to_digits("triple seven") == "777");
  CHECK(words_to_digits("double oh seven") == "007");
  CHECK(words_to_digits("oh two one three nine") == "02139");
}

TEST_CASE("words_to_digits leaves words that are not numbers here", "[nlu][numbers]") {
  // "oh" is zero only next to other digits; "o" only after one.
  CHECK(words_to_digits("oh, five") == "oh 5");
  CHECK(words_to_digits("oh i see") == "oh i see");
  CHECK(words_to_digits("k o w a l s k i") == "k o w a l s k i");
  // "one" standing for a thing.
  CHECK(words_to_digits("the one i am calling from") == "the one i am calling from");
  CHECK(words_to_digits("this one") == "this one");
  CHECK(words_to_digits("one of them") == "one of them");
  CHECK(words_to_digits("no one is home") == "no one is home");
  CHECK(words_to_digits("a one") == "a 1");
  // "a" and "and" belong to a number only around "hundred" and "thousand".
  CHECK(words_to_digits("between two and three say two") == "between 2 and 3 say 2");
  CHECK(words_to_digits("a four well a three really") == "a 4 well a 3 really");
  CHECK(words_to_digits("hundreds of them") == "hundreds of them");
  // Typed numbers keep their spacing.
  CHECK(words_to_digits("512 555 0142") == "512 555 0142");
  CHECK(words_to_digits("it is 21 not 12") == "it is 21 not 12");
}

TEST_CASE("words_to_digits writes ordinals as digits except first and second", "[nlu][numbers]") {
  CHECK(words_to_digits("the thirtieth") == "the 30th");
  CHECK(words_to_digits("the ninth") == "the 9th");
  CHECK(words_to_digits("the nineteenth") == "the 19th");
  CHECK(words_to_digits("twenty first street") == "21st street");
  CHECK(words_to_digits("thirty second") == "32nd");
  CHECK(words_to_digits("the third") == "the 3rd");
  CHECK(words_to_digits("the twelfth") == "the 12th");
  CHECK(words_to_digits("at first") == "at first");
  CHECK(words_to_digits("wait a second") == "wait a second");
  CHECK(words_to_digits("the 21st") == "the 21st");
}

TEST_CASE("words_to_digits works on raw text and on normalize output", "[nlu][numbers]") {
  CHECK(words_to_digits(normalize("It's Eighty-Nine in the bedroom")) == "it is 89 in the bedroom");
  CHECK(words_to_digits("Forty-One oh six Elm") == "4106 elm");
  CHECK(words_to_digits("") == "");
}
