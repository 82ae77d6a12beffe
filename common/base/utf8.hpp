#pragma once
// UTF-8 well-formedness, as RFC 3629 defines it: no overlong forms, no surrogates, nothing past
// U+10FFFF.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace voiceops {

struct Utf8Char {
  std::uint32_t code_point = 0;
  std::size_t length = 0;  // bytes; 0 when the bytes at that offset are not valid UTF-8
};

// Decodes the character starting at `at` (which must be < text.size()).
Utf8Char decode_utf8_at(std::string_view text, std::size_t at);

// The offset of the first byte that does not start a valid UTF-8 character, if any.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) {
  return !find_invalid_utf8(text).has_value();
}

}  // namespace voiceops
