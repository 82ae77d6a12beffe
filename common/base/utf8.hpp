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

// The first `max_chars` characters of `text` (a character is a UTF-8 sequence; a stray byte
// counts as one): for limits counted in characters, such as a text message's 1600.
inline std::string_view utf8_first_chars(std::string_view text, std::size_t max_chars) {
  std::size_t at = 0;
  for (std::size_t chars = 0; at < text.size() && chars < max_chars; ++chars) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  }
  return text.substr(0, at);
}

// The longest start of `text` of at most `max_bytes` that does not end inside a character:
// for shortening what another system wrote (a character cut in two is invalid UTF-8).
inline std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  // Back off continuation bytes (10xxxxxx) to the start of the character cut.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace voiceops
