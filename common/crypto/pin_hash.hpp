#pragma once
// Keypad PINs are stored only as salted PBKDF2-HMAC-SHA256 hashes:
//   pbkdf2-sha256$<iterations>$<base64 salt>$<base64 derived key>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace voiceops::crypto {

inline constexpr int default_pin_iterations = 600000;  // OWASP 2023 guidance for PBKDF2-SHA256

// A PIN is 4 to 8 ASCII digits.
bool is_valid_pin(std::string_view pin);

Result<std::string, std::string> hash_pin(std::string_view pin,
                                          int iterations = default_pin_iterations);

// Constant-time comparison of the derived key.
bool verify_pin(std::string_view pin, std::string_view encoded);

bool is_pin_hash(std::string_view encoded);

}  // namespace voiceops::crypto
