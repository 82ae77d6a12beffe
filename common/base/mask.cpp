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
  // A number as people and systems write it: digits, with spaces, dashes, dots and brackets
  // between them ("+1 (512) 555-0161").
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto separator = [](char c) {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
  };
  // A date, "2026-12-08", is a time and not a number: kept as written.
  const auto date_at = [&](std::size_t at) {
    if (at + 10 > text.size() || (at > 0 && digit(text[at - 1]))) return false;
    for (std::size_t k = 0; k < 10; ++k) {
      const bool dash = k == 4 || k == 7;
      if (dash ? text[at + k] != '-' : !digit(text[at + k])) return false;
    }
    return at + 10 == text.size() || !digit(text[at + 10]);
  };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (date_at(i)) {
      out += text.substr(i, 10);
      i += 10;
      continue;
    }
    if (!digit(text[i]) && !(text[i] == '+' && i + 1 < text.size())) {
      out += text[i++];
      continue;
    }
    std::size_t end = i + (text[i] == '+' ? 1 : 0), last_digit = i;
    std::string digits = text[i] == '+' ? "+" : "";
    while (end < text.size() && (digit(text[end]) || separator(text[end]))) {
      if (digit(text[end])) {
        digits += text[end];
        last_digit = end;
      }
      ++end;
    }
    const std::size_t count = digits.size() - (digits.starts_with('+') ? 1 : 0);
    if (count >= 7) {
      out += mask_phone(digits);
      i = last_digit + 1;  // separators after the last digit stay as they were
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace voiceops
