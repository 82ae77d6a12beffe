#include "base/time_spec.hpp"

#include <date/date.h>

#include <charconv>
#include <sstream>

namespace voiceops {

Result<std::int64_t, std::string> parse_time_spec(std::string_view text,
                                                  std::chrono::sys_seconds now) {
  const std::string why = "\"" + std::string(text) +
                          "\" is not a time: write 90m, 24h, 7d, 2026-11-22 or "
                          "2026-11-22T14:30:00Z";
  if (text.size() >= 2 && text.size() <= 8) {
    const char unit = text.back();
    long long amount = 0;
    const std::string_view digits = text.substr(0, text.size() - 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), amount);
    if (ec == std::errc() && end == digits.data() + digits.size() && amount >= 0) {
      const long long unit_seconds = unit == 's'   ? 1
                                     : unit == 'm' ? 60
                                     : unit == 'h' ? 3600
                                     : unit == 'd' ? 86400
                                     : unit == 'w' ? 604800
                                                   : 0;
      if (unit_seconds > 0) return now.time_since_epoch().count() - amount * unit_seconds;
    }
  }
  const std::string input(text);
  for (const char* format : {"%FT%TZ", "%FT%T%Ez", "%FT%RZ", "%FT%R%Ez", "%F"}) {
    std::istringstream in(input);
    date::sys_seconds when;
    in >> date::parse(format, when);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof())
      return when.time_since_epoch().count();
  }
  return unexpected(why);
}

std::string format_utc(std::int64_t unix_seconds) {
  return date::format("%F %TZ", date::sys_seconds{std::chrono::seconds{unix_seconds}});
}

}  // namespace voiceops
