#pragma once
// Base64 (RFC 4648, with padding) on OpenSSL: PIN hashes and HTTP basic authentication.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace voiceops::crypto {

std::string base64(std::span<const unsigned char> bytes);
inline std::string base64(std::string_view text) {
  return base64(std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size()));
}
// nullopt when `text` is not padded base64.
std::optional<std::vector<unsigned char>> unbase64(std::string_view text);

}  // namespace voiceops::crypto
