#include "engine/business_hours.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace voiceops::engine {

Result<LocalMoment, std::string> to_local(std::string_view time_zone,
                                          std::chrono::sys_seconds utc) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(time_zone);
  } catch (const std::exception& error) {
    return unexpected("unknown time zone '" + std::string(time_zone) + "': " + error.what());
  }
  return to_local(*zone, utc);
}

const date::time_zone* time_zone_named(std::string_view time_zone) {
  try {
    return date::locate_zone(time_zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

LocalMoment to_local(const date::time_zone& zone, std::chrono::sys_seconds utc) {
  const auto local = zone.to_local(utc);
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const date::weekday weekday{day};
  LocalMoment moment;
  moment.wall = std::chrono::sys_seconds{local.time_since_epoch()};
  moment.weekday = static_cast<int>((weekday.c_encoding() + 6) % 7);
  moment.minute_of_day =
      static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
  // "YYYY-MM-DD" by hand: date::format goes through iostreams, on every summary and turn.
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  moment.date = text;
  return moment;
}

bool in_business_hours(const contract::BusinessHours& hours, const LocalMoment& moment) {
  const bool holiday = std::any_of(hours.holidays.begin(), hours.holidays.end(),
                                   [&](const contract::Text& h) { return h.value == moment.date; });
  if (holiday) return false;
  const contract::DayHours& day = hours.days[moment.weekday];
  return day.open && moment.minute_of_day >= day.opens_minute &&
         moment.minute_of_day < day.closes_minute;
}

std::optional<bool> in_business_hours(const contract::BusinessHours& hours,
                                      std::chrono::sys_seconds utc) {
  auto local = to_local(hours.time_zone.value, utc);
  if (!local) return std::nullopt;
  return in_business_hours(hours, *local);
}

bool hours_apply(contract::Hours when, bool business_hours) {
  switch (when) {
    case contract::Hours::always: return true;
    case contract::Hours::business_hours: return business_hours;
    case contract::Hours::after_hours: return !business_hours;
    case contract::Hours::never: return false;
  }
  return false;
}

}  // namespace voiceops::engine
