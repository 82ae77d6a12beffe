#include "crypto/pin_hash.hpp"

#include "crypto/base64.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

namespace voiceops::crypto {
namespace {

constexpr std::string_view scheme = "pbkdf2-sha256";
constexpr std::size_t salt_bytes = 16;
constexpr std::size_t key_bytes = 32;

struct ParsedHash {
  int iterations = 0;
  std::vector<unsigned char> salt, key;
};

std::optional<ParsedHash> parse(std::string_view encoded) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dollar = encoded.find('$', start);
    parts.push_back(encoded.substr(start, dollar - start));
    if (dollar == std::string_view::npos) break;
    start = dollar + 1;
  }
  if (parts.size() != 4 || parts[0] != scheme) return std::nullopt;
  ParsedHash parsed;
  auto [end, error] =
      std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), parsed.iterations);
  if (error != std::errc() || end != parts[1].data() + parts[1].size() ||
      parsed.iterations < 1000 || parsed.iterations > 10'000'000) {
    return std::nullopt;
  }
  auto salt = unbase64(parts[2]);
  auto key = unbase64(parts[3]);
  if (!salt || !key || salt->size() < 8 || key->size() != key_bytes) return std::nullopt;
  parsed.salt = std::move(*salt);
  parsed.key = std::move(*key);
  return parsed;
}

bool derive(std::string_view pin, const std::vector<unsigned char>& salt, int iterations,
            std::vector<unsigned char>& key) {
  key.assign(key_bytes, 0);
  return PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(),
                           static_cast<int>(salt.size()), iterations, EVP_sha256(),
                           static_cast<int>(key.size()), key.data()) == 1;
}

}  // namespace

bool is_valid_pin(std::string_view pin) {
  return pin.size() >= 4 && pin.size() <= 8 &&
         std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<std::string, std::string> hash_pin(std::string_view pin, int iterations) {
  if (!is_valid_pin(pin)) return unexpected(std::string("a PIN is 4 to 8 digits"));
  std::vector<unsigned char> salt(salt_bytes), key;
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return unexpected(std::string("the system random number generator failed"));
  }
  if (!derive(pin, salt, iterations, key)) return unexpected(std::string("PBKDF2 failed"));
  std::string encoded = std::string(scheme) + "$" + std::to_string(iterations) + "$" +
                        base64(salt) + "$" + base64(key);
  OPENSSL_cleanse(key.data(), key.size());
  return encoded;
}

bool verify_pin(std::string_view pin, std::string_view encoded) {
  auto parsed = parse(encoded);
  if (!parsed || !is_valid_pin(pin)) return false;
  std::vector<unsigned char> key;
  if (!derive(pin, parsed->salt, parsed->iterations, key)) return false;
  const bool same = CRYPTO_memcmp(key.data(), parsed->key.data(), key.size()) == 0;
  OPENSSL_cleanse(key.data(), key.size());
  return same;
}

bool is_pin_hash(std::string_view encoded) {
  return parse(encoded).has_value();
}

}  // namespace voiceops::crypto
