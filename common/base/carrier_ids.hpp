#pragma once
// Identifiers the carrier uses: its resource IDs (SIDs), two capital letters naming the kind (AC
// an account, SK an API key, MG a Messaging Service, SM a text, CA a call) and 32 hexadecimal
// digits; and phone numbers in E.164.
#include <algorithm>
#include <cctype>
#include <string_view>

namespace voiceops {

inline bool is_sid(std::string_view text, std::string_view prefix) {
  return text.size() == 34 && text.starts_with(prefix) &&
         std::all_of(text.begin() + 2, text.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// E.164: '+', a country code not starting with 0, and the number; North American numbers are
// exactly country code 1 and ten digits.
inline bool is_e164(std::string_view number) {
  if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] == '0') return false;
  if (!std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  if (number[1] == '1') return number.size() == 12;
  return number.size() >= 8;
}

}  // namespace voiceops
