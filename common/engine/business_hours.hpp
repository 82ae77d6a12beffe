#pragma once
// Whether a moment is inside the contract's business hours, in the contract's time zone, with
// its holidays.
#include <chrono>
#include <string>
#include <string_view>

#include "contract/model.hpp"
#include "util/result.hpp"

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

}  // namespace voiceops::engine
