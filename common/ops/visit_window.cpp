#include "ops/visit_window.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace voiceops::ops {
namespace {

constexpr std::array<std::string_view, 7> day_names = {
    "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"};

bool same_words(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool books_on(const contract::ToolCallMapping& mapping, const contract::BusinessHours& hours,
              int weekday) {
  if (mapping.weekdays.empty()) return hours.days[weekday].open;
  return std::any_of(mapping.weekdays.begin(), mapping.weekdays.end(),
                     [&](const auto& day) { return day.value == weekday; });
}

}  // namespace

Result<VisitWindow, std::string> resolve_visit_window(const contract::ToolCallMapping& mapping,
                                                      const contract::BusinessHours& hours,
                                                      std::string_view day,
                                                      std::string_view window_name,
                                                      std::chrono::sys_seconds now) {
  const std::string_view date_part = day.substr(0, 10);
  bool shaped = date_part.size() == 10 && date_part[4] == '-' && date_part[7] == '-';
  for (const std::size_t at : {0, 1, 2, 3, 5, 6, 8, 9})
    shaped = shaped && std::isdigit(static_cast<unsigned char>(date_part[at]));
  if (!shaped) return unexpected("no day: '" + std::string(day) + "' is not a date");
  const auto window = std::find_if(
      mapping.windows.begin(), mapping.windows.end(),
      [&](const contract::ArrivalWindow& w) { return same_words(w.name.value, window_name); });
  if (window == mapping.windows.end())
    return unexpected("no window: '" + std::string(window_name) + "' is not one of the windows");
  const auto number = [&](std::size_t at, std::size_t length) {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (date_part[i] - '0');
    return value;
  };
  const date::year_month_day ymd{date::year{number(0, 4)},
                                 date::month{static_cast<unsigned>(number(5, 2))},
                                 date::day{static_cast<unsigned>(number(8, 2))}};
  if (!ymd.ok()) return unexpected("no day: '" + std::string(day) + "' is not a date");
  const date::local_days local_day{ymd};
  const int weekday = static_cast<int>((date::weekday{local_day}.c_encoding() + 6) % 7);
  if (!books_on(mapping, hours, weekday)) {
    return unexpected("closed: no visits are booked on " + std::string(day_names[weekday]));
  }
  const bool holiday = std::any_of(hours.holidays.begin(), hours.holidays.end(),
                                   [&](const auto& h) { return h.value == date_part; });
  if (holiday) return unexpected("closed: " + std::string(date_part) + " is a holiday");
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(hours.time_zone.value);
  } catch (const std::exception&) {
    return unexpected("config: unknown time zone '" + hours.time_zone.value + "'");
  }
  // A window's edge in a daylight-saving gap or overlap is taken at its earliest instant.
  const auto utc = [&](int minute) {
    const date::local_seconds local = local_day + std::chrono::minutes(minute);
    return zone->to_sys(local, date::choose::earliest).time_since_epoch().count();
  };
  const VisitWindow visit{utc(window->starts_minute), utc(window->ends_minute)};
  if (visit.start <= now.time_since_epoch().count()) {
    return unexpected("past: the " + window->name.value + " window of " + std::string(date_part) +
                      " has begun");
  }
  return visit;
}

}  // namespace voiceops::ops
