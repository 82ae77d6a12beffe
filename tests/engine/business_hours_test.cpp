#include <catch2/catch.hpp>

#include <date/date.h>

#include "engine/business_hours.hpp"

using namespace voiceops;

namespace {
std::chrono::sys_seconds utc(int y, unsigned m, unsigned d, int hour, int minute) {
  return std::chrono::sys_seconds{date::sys_days{date::year{y} / m / d}.time_since_epoch() +
                                  std::chrono::hours{hour} + std::chrono::minutes{minute}};
}
}  // namespace

TEST_CASE("local time follows the zone's daylight-saving rules", "[engine][hours]") {
  // 2026-11-23 16:14 UTC is 10:14 in Chicago (CST, UTC-6), a Monday.
  auto winter = engine::to_local("America/Chicago", utc(2026, 11, 23, 16, 14));
  REQUIRE(winter);
  CHECK(winter->date == "2026-11-23");
  CHECK(winter->weekday == 0);
  CHECK(winter->minute_of_day == 10 * 60 + 14);
  // 2026-07-06 15:00 UTC is 10:00 in Chicago (CDT, UTC-5).
  auto summer = engine::to_local("America/Chicago", utc(2026, 7, 6, 15, 0));
  REQUIRE(summer);
  CHECK(summer->minute_of_day == 10 * 60);
  CHECK_FALSE(engine::to_local("Mars/Olympus_Mons", utc(2026, 1, 1, 0, 0)));
}

TEST_CASE("business hours respect weekdays, closing time and holidays", "[engine][hours]") {
  contract::BusinessHours hours;
  hours.time_zone.value = "America/Chicago";
  for (int d = 0; d < 5; ++d) hours.days[d] = {true, 7 * 60 + 30, 17 * 60 + 30, {}};
  hours.holidays.push_back({"2026-11-26", {}});
  auto at = [&](int y, unsigned m, unsigned d, int h, int min) {
    return engine::in_business_hours(hours,
                                     *engine::to_local("America/Chicago", utc(y, m, d, h, min)));
  };
  CHECK(at(2026, 11, 23, 13, 30));        // Monday 07:30 local: opening minute
  CHECK_FALSE(at(2026, 11, 23, 13, 29));  // 07:29
  CHECK_FALSE(at(2026, 11, 23, 23, 30));  // 17:30: closed
  CHECK_FALSE(at(2026, 11, 28, 16, 0));   // Saturday
  CHECK_FALSE(at(2026, 11, 26, 16, 0));   // Thanksgiving, a holiday
}
