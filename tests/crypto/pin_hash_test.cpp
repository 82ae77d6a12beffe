#include <catch2/catch.hpp>

#include "crypto/pin_hash.hpp"

using namespace voiceops::crypto;

TEST_CASE("PINs are 4 to 8 digits", "[pin]") {
  CHECK(is_valid_pin("1234"));
  CHECK(is_valid_pin("12345678"));
  CHECK_FALSE(is_valid_pin("123"));
  CHECK_FALSE(is_valid_pin("123456789"));
  CHECK_FALSE(is_valid_pin("12a4"));
  CHECK_FALSE(is_valid_pin(""));
}

TEST_CASE("a hashed PIN verifies, a wrong one does not, and salts differ", "[pin]") {
  auto first = hash_pin("4821", 2000);
  auto second = hash_pin("4821", 2000);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->rfind("pbkdf2-sha256$2000$", 0) == 0);
  CHECK(first->find("4821") == std::string::npos);
  CHECK(*first != *second);
  CHECK(is_pin_hash(*first));
  CHECK(verify_pin("4821", *first));
  CHECK(verify_pin("4821", *second));
  CHECK_FALSE(verify_pin("4822", *first));
  CHECK_FALSE(verify_pin("48210", *first));
}

TEST_CASE("the default hash uses the documented work factor", "[pin]") {
  auto hash = hash_pin("0000");
  REQUIRE(hash);
  CHECK(hash->rfind("pbkdf2-sha256$600000$", 0) == 0);
}

TEST_CASE("malformed hashes are recognised and never verify", "[pin]") {
  for (const char* bad : {"", "1234", "pbkdf2-sha256$600000$c2FsdA==",
                          "sha1$1000$c2FsdHNhbHQ=$a2V5", "pbkdf2-sha256$abc$c2FsdHNhbHQ=$a2V5",
                          "pbkdf2-sha256$10$c2FsdHNhbHQ=$a2V5", "pbkdf2-sha256$600000$!!!!$a2V5"}) {
    INFO(bad);
    CHECK_FALSE(is_pin_hash(bad));
    CHECK_FALSE(verify_pin("1234", bad));
  }
  CHECK_FALSE(hash_pin("12").has_value());
}
