#define CATCH_CONFIG_ENABLE_OPTIONAL_STRINGMAKER
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>

#include <date/date.h>

#include "nlu/nlu.hpp"

using voiceops::nlu::extract_datetime;
using voiceops::nlu::LocalDateTime;

namespace {

// Local wall times of calls; 2026-11-24 is a Tuesday.
std::chrono::sys_seconds at(date::year_month_day day, int hour, int minute = 0) {
  return std::chrono::sys_seconds{date::sys_days{day} + std::chrono::hours{hour} +
                                  std::chrono::minutes{minute}};
}
const auto kTuesdayMorning = at(date::year{2026} / 11 / 24, 10, 15);

std::optional<std::string> when(std::string_view utterance,
                                std::chrono::sys_seconds now = kTuesdayMorning) {
  const auto found = extract_datetime(utterance, now);
  if (!found) return std::nullopt;
  return found->text();
}

}  // namespace

TEST_CASE("LocalDateTime::text shows the time, else the part of the day", "[nlu][datetime]") {
  CHECK(LocalDateTime{2026, 11, 24, 15, 0, ""}.text() == "2026-11-24 15:00");
  CHECK(LocalDateTime{2026, 1, 2, 9, 5, ""}.text() == "2026-01-02 09:05");
  CHECK(LocalDateTime{2026, 11, 24, -1, 0, "morning"}.text() == "2026-11-24 morning");
  CHECK(LocalDateTime{2026, 11, 24, -1, 0, ""}.text() == "2026-11-24");
}

TEST_CASE("extract_datetime: relative days", "[nlu][datetime]") {
  CHECK(when("today") == "2026-11-24");
  CHECK(when("tomorrow") == "2026-11-25");
  CHECK(when("the day after tomorrow") == "2026-11-26");
  CHECK(when("in 3 days") == "2026-11-27");
  CHECK(when("in a week") == "2026-12-01");
  CHECK(when("in a couple of days") == "2026-11-26");
  CHECK(when("tonight") == "2026-11-24 evening");
  CHECK(when("this afternoon") == "2026-11-24 afternoon");
  CHECK(when("this evening") == "2026-11-24 evening");
  CHECK(when("in the morning") == "2026-11-24 morning");
  CHECK(when("tomorrow morning") == "2026-11-25 morning");
  CHECK(when("tomorrow night") == "2026-11-25 evening");
  // Month and year boundaries.
  CHECK(when("tomorrow", at(date::year{2026} / 12 / 31, 9)) == "2027-01-01");
  CHECK(when("tomorrow", at(date::year{2028} / 2 / 28, 9)) == "2028-02-29");
}

TEST_CASE("extract_datetime: weekdays", "[nlu][datetime]") {
  // Said on a Tuesday: "tuesday" and "next tuesday" are a week ahead, "this tuesday" is today.
  CHECK(when("tuesday") == "2026-12-01");
  CHECK(when("next tuesday") == "2026-12-01");
  CHECK(when("this tuesday") == "2026-11-24");
  CHECK(when("wednesday") == "2026-11-25");
  CHECK(when("on friday") == "2026-11-27");
  CHECK(when("this friday") == "2026-11-27");
  CHECK(when("next friday") == "2026-11-27");
  CHECK(when("monday") == "2026-11-30");
  CHECK(when("sunday") == "2026-11-29");
  CHECK_FALSE(when("last tuesday").has_value());
  // Said on a Friday.
  const auto friday = at(date::year{2026} / 11 / 27, 16);
  CHECK(when("this friday", friday) == "2026-11-27");
  CHECK(when("friday", friday) == "2026-12-04");
  CHECK(when("next friday", friday) == "2026-12-04");
  CHECK(when("saturday", friday) == "2026-11-28");
  // Across a year end.
  CHECK(when("monday", at(date::year{2026} / 12 / 30, 9)) == "2027-01-04");
}

TEST_CASE("extract_datetime: days of the month", "[nlu][datetime]") {
  CHECK(when("the thirtieth") == "2026-11-30");
  CHECK(when("on the 30th") == "2026-11-30");
  CHECK(when("the 24th") == "2026-11-24");
  // Past this month: next month.
  CHECK(when("the twenty third") == "2026-12-23");
  CHECK(when("the ninth") == "2026-12-09");
  CHECK(when("the first") == "2026-12-01");
  // Not in every month: the next month that has it.
  CHECK(when("the thirty first", at(date::year{2026} / 11 / 5, 9)) == "2026-12-31");
  CHECK(when("the thirtieth", at(date::year{2027} / 2 / 2, 9)) == "2027-03-30");
  CHECK(when("november 24") == "2026-11-24");
  CHECK(when("december the first") == "2026-12-01");
  CHECK(when("december twenty fourth") == "2026-12-24");
  CHECK(when("the 5th of december") == "2026-12-05");
  CHECK(when("january 3rd") == "2027-01-03");
  CHECK(when("march 2 2027") == "2027-03-02");
  // An ordinal that is not a date. (Was "2026-11-25": "first thing" is the morning, and a caller
  // saying it wants the morning window.)
  CHECK(when("first thing tomorrow") == "2026-11-25 morning");
  CHECK(when("the fourteenth, after lunch") == "2026-12-14 afternoon");
  CHECK_FALSE(when("at first").has_value());
  CHECK_FALSE(when("may i ask something").has_value());
}

TEST_CASE("extract_datetime: clock times and the afternoon rule", "[nlu][datetime]") {
  CHECK(when("at 3") == "2026-11-24 15:00");
  CHECK(when("at 8") == "2026-11-24 08:00");
  CHECK(when("at 12") == "2026-11-24 12:00");
  CHECK(when("at seven") == "2026-11-24 07:00");
  CHECK(when("at six") == "2026-11-24 18:00");
  CHECK(when("after 5") == "2026-11-24 17:00");
  CHECK(when("around 1") == "2026-11-24 13:00");
  CHECK(when("9 am") == "2026-11-24 09:00");
  CHECK(when("nine a.m.") == "2026-11-24 09:00");
  CHECK(when("3 pm") == "2026-11-24 15:00");
  CHECK(when("3pm") == "2026-11-24 15:00");
  CHECK(when("5 in the morning") == "2026-11-24 05:00");
  CHECK(when("seven in the evening") == "2026-11-24 19:00");
  CHECK(when("at 8 tonight") == "2026-11-24 20:00");
  CHECK(when("12 am") == "2026-11-24 00:00");
  CHECK(when("12 pm") == "2026-11-24 12:00");
  CHECK(when("at three o'clock") == "2026-11-24 15:00");
  CHECK(when("3:30") == "2026-11-24 15:30");
  CHECK(when("9:30") == "2026-11-24 09:30");
  CHECK(when("at 15:00") == "2026-11-24 15:00");
  CHECK(when("9:30pm") == "2026-11-24 21:30");
  CHECK(when("noon") == "2026-11-24 12:00");
  CHECK(when("midnight") == "2026-11-24 00:00");
  CHECK(when("two thirty") == "2026-11-24 14:30");
  CHECK(when("ten forty five") == "2026-11-24 10:45");
  CHECK(when("two oh five") == "2026-11-24 14:05");
  CHECK(when("half past two") == "2026-11-24 14:30");
  CHECK(when("quarter to four") == "2026-11-24 15:45");
  CHECK(when("quarter after nine") == "2026-11-24 09:15");
  CHECK(when("ten after three") == "2026-11-24 15:10");
}

TEST_CASE("extract_datetime: a date and a time together", "[nlu][datetime]") {
  CHECK(when("next tuesday at 3") == "2026-12-01 15:00");
  CHECK(when("monday at 9 am") == "2026-11-30 09:00");
  CHECK(when("tomorrow morning at 9") == "2026-11-25 09:00");
  CHECK(when("tomorrow at 6 in the morning") == "2026-11-25 06:00");
  CHECK(when("this afternoon at 3") == "2026-11-24 15:00");
  CHECK(when("friday at 10:15 am") == "2026-11-27 10:15");
  CHECK(when("the 30th at 2") == "2026-11-30 14:00");
  CHECK(when("today at noon") == "2026-11-24 12:00");
  CHECK(when("um tomorrow uh after 5 works") == "2026-11-25 17:00");
  CHECK(when("afternoon's fine") == "2026-11-24 afternoon");
  CHECK(when("um how about friday then") == "2026-11-27");
  // The last one said wins.
  CHECK(when("tuesday, no, wednesday at 4") == "2026-11-25 16:00");
}

TEST_CASE("extract_datetime: numbers that are not times", "[nlu][datetime]") {
  CHECK_FALSE(when("nineteen seventy").has_value());
  CHECK_FALSE(when("in 20 minutes").has_value());
  CHECK_FALSE(when("it's been 3 days").has_value());
  CHECK_FALSE(when("3").has_value());
  CHECK_FALSE(when("the furnace").has_value());
  CHECK_FALSE(when("").has_value());
  // A house number said like a time.
  CHECK_FALSE(when("one twenty three main street").has_value());
  CHECK_FALSE(when("six eighteen pecan street").has_value());
  // A date's number is not also the hour; a date already past this year is next year's.
  CHECK(when("november 3") == "2027-11-03");
}
