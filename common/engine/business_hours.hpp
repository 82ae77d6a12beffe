#pragma once
// Whether a moment is inside the contract's business hours, in the contract's time zone, with
// its holidays.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "contract/model.hpp"

namespace date {
class time_zone;
}

namespace voiceops::engine {

struct LocalMoment {
  std::chrono::sys_seconds wall;  // local wall-clock time, stored as if it were UTC
  int weekday = 0;                // 0 = Monday
  int minute_of_day = 0;
  std::string date;  // "YYYY-MM-DD"
};

// Fails only for a time zone the system's tzdata does not know.
Result<LocalMoment, std::string> to_local(std::string_view time_zone, std::chrono::sys_seconds utc);
// The zone looked up once (time_zone_named) for every moment after; null for an unknown zone.
const date::time_zone* time_zone_named(std::string_view time_zone);
LocalMoment to_local(const date::time_zone& zone, std::chrono::sys_seconds utc);

bool in_business_hours(const contract::BusinessHours& hours, const LocalMoment& moment);
// The same for a moment in UTC, in the contract's zone; nullopt for a zone tzdata lacks.
std::optional<bool> in_business_hours(const contract::BusinessHours& hours,
                                      std::chrono::sys_seconds utc);

// Whether something kept for `when` (a destination's staffed hours, a workflow's or a row's
// hours) applies at a moment in or out of business hours.
bool hours_apply(contract::Hours when, bool business_hours);
// Whether someone answers at `destination` now: its staffed hours against business hours.
inline bool staffed_now(const contract::Destination& destination, bool business_hours) {
  return hours_apply(destination.staffed.value, business_hours);
}

}  // namespace voiceops::engine
