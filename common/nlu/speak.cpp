// Reading values back the way people say them.
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "nlu/nlu.hpp"

namespace voiceops::nlu {

namespace {

constexpr std::array<std::string_view, 20> kSmallNumbers = {
    "zero",     "one",     "two",     "three",     "four",     "five",    "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 10> kTens = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};

std::string below_hundred(int n) {
  if (n < 20) return std::string(kSmallNumbers[static_cast<std::size_t>(n)]);
  std::string out(kTens[static_cast<std::size_t>(n / 10)]);
  if (n % 10 != 0) out += " " + std::string(kSmallNumbers[static_cast<std::size_t>(n % 10)]);
  return out;
}

// "05" -> "oh five", "15" -> "fifteen": the second half of "forty one oh six".
std::string pair_after(int n) {
  return n < 10 ? "oh " + std::string(kSmallNumbers[static_cast<std::size_t>(n)])
                : below_hundred(n);
}

std::string digits_only(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

std::string spaced(std::string_view digits) {
  std::string out;
  for (const char c : digits) {
    if (!out.empty()) out += ' ';
    out += c;
  }
  return out;
}

}  // namespace

std::string speak_phone(std::string_view e164) {
  std::string digits = digits_only(e164);
  const bool plus = e164.find('+') != std::string_view::npos;
  if ((digits.size() == 11 && digits[0] == '1') || (digits.size() == 10 && !plus)) {
    if (digits.size() == 11) digits.erase(0, 1);  // the country code goes without saying
    return spaced(digits.substr(0, 3)) + ", " + spaced(digits.substr(3, 3)) + ", " +
           spaced(digits.substr(6));
  }
  // Elsewhere: groups of three, never leaving a single digit at the end.
  std::string out;
  std::size_t i = 0;
  while (i < digits.size()) {
    std::size_t length = digits.size() - i <= 4 ? digits.size() - i : 3;
    if (!out.empty()) out += ", ";
    out += spaced(std::string_view(digits).substr(i, length));
    i += length;
  }
  return out;
}

std::string speak_time(int hour, int minute) {
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return "";
  if (hour == 12 && minute == 0) return "noon";
  if (hour == 0 && minute == 0) return "midnight";
  const int on_dial = hour % 12 == 0 ? 12 : hour % 12;
  const std::string_view half = hour < 12 ? "a.m." : "p.m.";
  if (minute == 0) return fmt::format("{} {}", on_dial, half);
  return fmt::format("{}:{:02} {}", on_dial, minute, half);
}

std::string speak_house_number(int number) {
  if (number < 0) return "";
  if (number < 100) return below_hundred(number);
  if (number < 1000) {
    const std::string hundreds(kSmallNumbers[static_cast<std::size_t>(number / 100)]);
    const int rest = number % 100;
    return rest == 0 ? hundreds + " hundred" : hundreds + " " + pair_after(rest);
  }
  if (number < 10000) {
    const int high = number / 100, low = number % 100;
    if (low != 0) return below_hundred(high) + " " + pair_after(low);
    if (high % 10 == 0) {
      return std::string(kSmallNumbers[static_cast<std::size_t>(high / 10)]) + " thousand";
    }
    return below_hundred(high) + " hundred";  // "twelve hundred"
  }
  // Longer numbers are read digit by digit.
  std::string out;
  for (const char c : std::to_string(number)) {
    if (!out.empty()) out += ' ';
    out += kSmallNumbers[static_cast<std::size_t>(c - '0')];
  }
  return out;
}

std::string speak_digits(std::string_view digits) {
  return spaced(digits_only(digits));
}

}  // namespace voiceops::nlu
