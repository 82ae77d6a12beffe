#include <catch2/catch.hpp>

#include "nlu/nlu.hpp"

using namespace voiceops::nlu;

TEST_CASE("speak_phone reads digit by digit in groups", "[nlu][speak]") {
  CHECK(speak_phone("+15125550142") == "5 1 2, 5 5 5, 0 1 4 2");
  CHECK(speak_phone("5125550142") == "5 1 2, 5 5 5, 0 1 4 2");
  CHECK(speak_phone("+442079460958") == "4 4 2, 0 7 9, 4 6 0, 9 5 8");
  CHECK(speak_phone("+4930123456") == "4 9 3, 0 1 2, 3 4 5 6");
  CHECK(speak_phone("") == "");
  // Round trip: what is read back is read in again as the same number.
  CHECK(extract_phone(speak_phone("+15125550142")) == "+15125550142");
}

TEST_CASE("speak_time says times the way people do", "[nlu][speak]") {
  CHECK(speak_time(15, 0) == "3 p.m.");
  CHECK(speak_time(9, 30) == "9:30 a.m.");
  CHECK(speak_time(12, 0) == "noon");
  CHECK(speak_time(0, 0) == "midnight");
  CHECK(speak_time(12, 30) == "12:30 p.m.");
  CHECK(speak_time(0, 15) == "12:15 a.m.");
  CHECK(speak_time(23, 5) == "11:05 p.m.");
  CHECK(speak_time(-1, 0) == "");
  CHECK(speak_time(24, 0) == "");
  CHECK(speak_time(10, 60) == "");
}

TEST_CASE("speak_house_number says house numbers in pairs", "[nlu][speak]") {
  CHECK(speak_house_number(415) == "four fifteen");
  CHECK(speak_house_number(4106) == "forty one oh six");
  CHECK(speak_house_number(21) == "twenty one");
  CHECK(speak_house_number(1200) == "twelve hundred");
  CHECK(speak_house_number(7) == "seven");
  CHECK(speak_house_number(0) == "zero");
  CHECK(speak_house_number(10) == "ten");
  CHECK(speak_house_number(100) == "one hundred");
  CHECK(speak_house_number(105) == "one oh five");
  CHECK(speak_house_number(2409) == "twenty four oh nine");
  CHECK(speak_house_number(1970) == "nineteen seventy");
  CHECK(speak_house_number(2000) == "two thousand");
  CHECK(speak_house_number(2005) == "twenty oh five");
  CHECK(speak_house_number(12345) == "one two three four five");
  CHECK(speak_house_number(-3) == "");
  // Round trip through words_to_digits.
  for (const int n : {7, 21, 105, 415, 618, 1200, 1970, 2409, 4106, 9999}) {
    INFO(n);
    CHECK(words_to_digits(speak_house_number(n)) == std::to_string(n));
  }
}

TEST_CASE("speak_digits reads digits one by one", "[nlu][speak]") {
  CHECK(speak_digits("26018") == "2 6 0 1 8");
  CHECK(speak_digits("7") == "7");
  CHECK(speak_digits("") == "");
  CHECK(speak_digits("26-018") == "2 6 0 1 8");
}
