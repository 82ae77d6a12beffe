#include "connectors/http_answers.hpp"

#include <algorithm>
#include <charconv>

#include "base/utf8.hpp"

namespace voiceops::connectors {

std::optional<int> retry_after_seconds(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  int value = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), value);
  if (header.empty() || ec != std::errc() || end != header.data() + header.size() || value < 0)
    return std::nullopt;
  return std::min(value, 24 * 3600);
}

std::string one_line(std::string_view text, std::size_t max_bytes) {
  std::string line(utf8_prefix(text, max_bytes));
  for (char& c : line)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return line;
}

}  // namespace voiceops::connectors
