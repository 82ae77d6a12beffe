#pragma once
// Comparing a secret the caller sent with the one we hold, in time that does not depend on
// where they differ (OpenSSL's CRYPTO_memcmp). Their lengths are no secret.
#include <openssl/crypto.h>

#include <string_view>

namespace voiceops {

inline bool secrets_equal(std::string_view given, std::string_view held) {
  if (given.size() != held.size()) return false;
  return given.empty() || CRYPTO_memcmp(given.data(), held.data(), held.size()) == 0;
}

}  // namespace voiceops
