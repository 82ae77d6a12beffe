#pragma once
// The --since/--until values people type: "90m", "24h", "7d" (that long before now), "2026-11-22"
// (midnight UTC), "2026-11-22T14:30:00Z" or with an offset ("...T09:30:00-05:00").
#include <chrono>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace voiceops {

// Unix seconds, or why the text is not a time.
Result<std::int64_t, std::string> parse_time_spec(std::string_view text,
                                                  std::chrono::sys_seconds now);

// "2026-11-22 14:30:05Z"
std::string format_utc(std::int64_t unix_seconds);

}  // namespace voiceops
