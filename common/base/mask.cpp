#include "base/mask.hpp"

#include <algorithm>

namespace voiceops {

std::string mask_phone(std::string_view number) {
  if (number.size() <= 4) return std::string(number.size(), '*');
  const std::size_t keep_front = std::min<std::size_t>(number.size() - 4, 8);
  std::string out(number.substr(0, keep_front));
  for (std::size_t i = keep_front; i + 2 < number.size(); ++i) out += "\u2022";
  out += number.substr(number.size() - 2);
  return out;
}

std::string mask_numbers_in(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool plus = text[i] == '+';
    std::size_t end = i + (plus ? 1 : 0);
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    const std::size_t digits = end - i - (plus ? 1 : 0);
    if (digits >= 7) {
      out += mask_phone(text.substr(i, end - i));
      i = end;
    } else {
      out += text[i];
      ++i;
    }
  }
  return out;
}

}  // namespace voiceops
