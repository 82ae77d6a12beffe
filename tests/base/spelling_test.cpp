#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "base/spelling.hpp"

using voiceops::closest_match;
using voiceops::edit_distance;

TEST_CASE("edit distance counts a swap of neighbours as one edit", "[spelling]") {
  CHECK(edit_distance("success_event", "success_event") == 0);
  CHECK(edit_distance("sucess_event", "success_event") == 1);
  CHECK(edit_distance("max_attemtps", "max_attempts") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("closest match suggests typos and nothing for unrelated words", "[spelling]") {
  const std::vector<std::string_view> keys = {"success_event", "failure_event", "human_fallback"};
  CHECK(closest_match("sucess_event", std::span<const std::string_view>(keys)) == "success_event");
  CHECK(closest_match("failure_evnt", std::span<const std::string_view>(keys)) == "failure_event");
  CHECK_FALSE(closest_match("banana", std::span<const std::string_view>(keys)).has_value());
  CHECK_FALSE(closest_match("x", std::span<const std::string_view>(keys)).has_value());
}
