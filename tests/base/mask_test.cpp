#include <catch2/catch.hpp>

#include "base/mask.hpp"

TEST_CASE("phone numbers are masked but distinguishable", "[mask]") {
  CHECK(voiceops::mask_phone("+15125550161") ==
        "+1512555\xe2\x80\xa2\xe2\x80\xa2"
        "61");
  const std::string masked = voiceops::mask_phone("+447700900123");
  CHECK(masked.find("900") == std::string::npos);
  CHECK(masked.substr(masked.size() - 2) == "23");
  CHECK(voiceops::mask_phone("123") == "***");
}

TEST_CASE("numbers quoted in another system's message are masked") {
  CHECK(voiceops::mask_numbers_in("Invalid phone +15125550142 for partner 42") ==
        "Invalid phone " + voiceops::mask_phone("+15125550142") + " for partner 42");
  CHECK(voiceops::mask_numbers_in("ticket 1234567 and 123456") ==
        "ticket " + voiceops::mask_phone("1234567") + " and 123456");
  CHECK(voiceops::mask_numbers_in("") == "");
  // Dates and times stay readable; a number after them is still masked.
  CHECK(voiceops::mask_numbers_in("full: 2026-12-08 18:00:00 to 2026-12-08 23:00:00 UTC") ==
        "full: 2026-12-08 18:00:00 to 2026-12-08 23:00:00 UTC");
  CHECK(voiceops::mask_numbers_in("2026-12-08 +15125550142") ==
        "2026-12-08 " + voiceops::mask_phone("+15125550142"));
  CHECK(voiceops::mask_numbers_in("512-555-0142-1") != "512-555-0142-1");
  CHECK(voiceops::mask_numbers_in("+") == "+");
}

TEST_CASE("numbers written with separators are masked too") {
  CHECK(voiceops::mask_numbers_in("phone +1 (512) 555-0161 is invalid") ==
        "phone " + voiceops::mask_phone("+15125550161") + " is invalid");
  CHECK(voiceops::mask_numbers_in("ticket 42 (3 lines)") == "ticket 42 (3 lines)");
}
