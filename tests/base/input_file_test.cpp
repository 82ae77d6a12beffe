#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "base/input_file.hpp"

using namespace voiceops;

namespace {
std::string temp_file(const std::string& name, const std::string& contents) {
  const auto path = std::filesystem::temp_directory_path() / ("voiceops-test-" + name);
  std::ofstream(path, std::ios::binary) << contents;
  return path.string();
}
}  // namespace

TEST_CASE("reading inputs maps failures to sysexits", "[input]") {
  SECTION("a missing file is 66") {
    auto r = read_input_file("/nonexistent/contract.toml");
    REQUIRE_FALSE(r);
    CHECK(r.error().status == ExitStatus::no_input);
    CHECK(r.error().rule == "missing-file");
  }
  SECTION("a directory is 66") {
    auto r = read_input_file(std::filesystem::temp_directory_path().string());
    REQUIRE_FALSE(r);
    CHECK(r.error().status == ExitStatus::no_input);
    CHECK(r.error().rule == "not-a-file");
  }
  SECTION("a file over the limit is 65 and not read whole") {
    const std::string path = temp_file("large.toml", std::string(2048, 'a'));
    auto r = read_input_file(path, 1024);
    REQUIRE_FALSE(r);
    CHECK(r.error().status == ExitStatus::data_error);
    CHECK(r.error().rule == "too-large");
    std::remove(path.c_str());
  }
  SECTION("a device is not a file: refused at once, unless streams are allowed") {
    auto refused = read_input_file("/dev/zero", 4096);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().rule == "not-a-file");
    CHECK(refused.error().status == ExitStatus::no_input);
    // Where standard input is allowed ("-"), an endless one still stops at the limit.
    auto r = read_input_file("/dev/zero", 4096, Streams::allowed);
    REQUIRE_FALSE(r);
    CHECK(r.error().rule == "too-large");
  }
  SECTION("a readable file comes back whole") {
    const std::string path = temp_file("ok.toml", "schema_version = 1\n");
    auto r = read_input_file(path);
    REQUIRE(r);
    CHECK(*r == "schema_version = 1\n");
    std::remove(path.c_str());
  }
}

TEST_CASE("text checks find NUL bytes and invalid UTF-8 where they are", "[input]") {
  CHECK_FALSE(check_text("plain ascii\nand caf\xc3\xa9 and \xf0\x9f\x93\x9e\n").has_value());
  auto nul = check_text(std::string("ab\ncd\0", 6));
  REQUIRE(nul);
  CHECK(nul->rule == "encoding");
  CHECK(nul->where.line == 2);
  CHECK(nul->where.column == 3);
  auto latin1 = check_text("name = \"Jos\xe9\"\n");
  REQUIRE(latin1);
  CHECK(latin1->where.column == 12);
  CHECK(check_text("\xc0\xaf").has_value());          // overlong '/'
  CHECK(check_text("\xed\xa0\x80").has_value());      // UTF-16 surrogate
  CHECK(check_text("\xf4\x90\x80\x80").has_value());  // past U+10FFFF
  CHECK(check_text("\xe2\x82").has_value());          // truncated
}
