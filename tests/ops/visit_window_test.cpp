// Where a booked visit goes: the caller's day and window as UTC times in the business's time
// zone, and the days, holidays and windows it refuses before asking Odoo anything.
#include <catch2/catch.hpp>

#include "ops/call_record.hpp"
#include "ops/visit_window.hpp"

using namespace voiceops;

namespace {

contract::ToolCallMapping booking() {
  contract::ToolCallMapping mapping;
  mapping.windows = {{{"morning", {}}, 8 * 60, 12 * 60}, {{"afternoon", {}}, 12 * 60, 17 * 60}};
  mapping.capacity.value = 3;
  return mapping;
}

contract::BusinessHours chicago_weekdays() {
  contract::BusinessHours hours;
  hours.time_zone.value = "America/Chicago";
  for (int day = 0; day < 5; ++day) hours.days[day] = {true, 7 * 60 + 30, 17 * 60 + 30, {}};
  hours.holidays.push_back({"2026-12-25", {}});
  return hours;
}

// 2026-12-01 00:00:00 UTC: every test day below is after it.
constexpr std::chrono::sys_seconds december_first{std::chrono::seconds(1796083200)};

std::string utc_text(std::int64_t seconds) {
  return ops::odoo_datetime(seconds);
}

}  // namespace

TEST_CASE("a window is the local hours of the day, in UTC") {
  // Tuesday 8 December 2026; Chicago is UTC-6 in winter.
  const auto morning = ops::resolve_visit_window(booking(), chicago_weekdays(), "2026-12-08",
                                                 "morning", december_first);
  REQUIRE(morning);
  CHECK(utc_text(morning->start) == "2026-12-08 14:00:00");
  CHECK(utc_text(morning->stop) == "2026-12-08 18:00:00");
  // The window's name as the caller's answer has it, in any case; a time after the day is ignored.
  const auto afternoon = ops::resolve_visit_window(booking(), chicago_weekdays(),
                                                   "2026-12-08 15:00", "Afternoon", december_first);
  REQUIRE(afternoon);
  CHECK(utc_text(afternoon->start) == "2026-12-08 18:00:00");
  CHECK(utc_text(afternoon->stop) == "2026-12-08 23:00:00");
}

TEST_CASE(
    "summer time moves the window's UTC hours, and a window across the change keeps "
    "its local hours") {
  // Chicago is UTC-5 from 8 March 2026.
  const auto summer = ops::resolve_visit_window(booking(), chicago_weekdays(), "2026-06-09",
                                                "morning", std::chrono::sys_seconds{});
  REQUIRE(summer);
  CHECK(utc_text(summer->start) == "2026-06-09 13:00:00");
  // A window that starts in a skipped hour (02:00-03:00 on 8 March) starts at the change.
  auto night = booking();
  night.windows = {{{"night", {}}, 2 * 60 + 30, 4 * 60}};
  night.weekdays = {{6, {}}};  // Sunday
  const auto gap = ops::resolve_visit_window(night, chicago_weekdays(), "2026-03-08", "night",
                                             std::chrono::sys_seconds{});
  REQUIRE(gap);
  CHECK(utc_text(gap->start) == "2026-03-08 08:00:00");
  CHECK(utc_text(gap->stop) == "2026-03-08 09:00:00");
}

TEST_CASE(
    "days the business does not book, holidays, unknown windows and bad days are "
    "refused with a reason") {
  const auto refused = [](const contract::ToolCallMapping& mapping, std::string_view day,
                          std::string_view window) {
    auto result =
        ops::resolve_visit_window(mapping, chicago_weekdays(), day, window, december_first);
    REQUIRE_FALSE(result);
    return result.error();
  };
  CHECK(refused(booking(), "2026-12-12", "morning") == "closed: no visits are booked on Saturdays");
  CHECK(refused(booking(), "2026-12-25", "morning") == "closed: 2026-12-25 is a holiday");
  CHECK(refused(booking(), "2026-12-08", "evening").starts_with("no window: 'evening'"));
  CHECK(refused(booking(), "", "morning").starts_with("no day:"));
  CHECK(refused(booking(), "next tuesday", "morning").starts_with("no day:"));
  CHECK(refused(booking(), "2026-02-30", "morning").starts_with("no day:"));
  CHECK(refused(booking(), "2026-1-8", "morning").starts_with("no day:"));
  // The mapping's own days win over [hours]: Saturdays only.
  auto saturdays = booking();
  saturdays.weekdays = {{5, {}}};
  CHECK(ops::resolve_visit_window(saturdays, chicago_weekdays(), "2026-12-12", "morning",
                                  december_first));
  CHECK(refused(saturdays, "2026-12-08", "morning") == "closed: no visits are booked on Tuesdays");
}

TEST_CASE("a window that has begun is refused; one later the same day is not") {
  // 2026-12-08 15:00 UTC is 09:00 in Chicago: the morning window has begun.
  const std::chrono::sys_seconds nine{std::chrono::seconds(1796083200 + 7 * 86400 + 15 * 3600)};
  const auto morning =
      ops::resolve_visit_window(booking(), chicago_weekdays(), "2026-12-08", "morning", nine);
  REQUIRE_FALSE(morning);
  CHECK(morning.error() == "past: the morning window of 2026-12-08 has begun");
  CHECK(ops::resolve_visit_window(booking(), chicago_weekdays(), "2026-12-08", "afternoon", nine));
  CHECK_FALSE(
      ops::resolve_visit_window(booking(), chicago_weekdays(), "2026-11-30", "afternoon", nine));
}

TEST_CASE("an unknown time zone is the contract's fault, said as such") {
  auto hours = chicago_weekdays();
  hours.time_zone.value = "Mars/Olympus";
  const auto window =
      ops::resolve_visit_window(booking(), hours, "2026-12-08", "morning", december_first);
  REQUIRE_FALSE(window);
  CHECK(window.error().starts_with("config: unknown time zone"));
}
