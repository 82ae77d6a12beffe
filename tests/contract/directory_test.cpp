#include <catch2/catch.hpp>

#include "contract/directory.hpp"
#include "contract/directory_edit.hpp"
#include "crypto/pin_hash.hpp"

using namespace voiceops;
using namespace voiceops::contract;

namespace {
const char* directory_text =
    "# Staff directory\n"
    "schema_version = 1\n"
    "\n"
    "[[person]]\n"
    "id = \"rob_martinez\"   # lead tech\n"
    "name = \"Rob Martinez\"\n"
    "phones = [\"+15125550161\"]\n"
    "roles = [\"technician\"]\n"
    "\n"
    "[[person]]\n"
    "  id = \"dee_park\"\n"
    "  name = \"Dee Park\"\n"
    "  roles = [\"dispatch\"]\n"
    "  pin_hash = \"old\"\n";
}  // namespace

TEST_CASE("a directory parses people, phones and roles", "[directory]") {
  Diagnostics diagnostics("staff.toml");
  const std::string valid =
      std::string(directory_text).substr(0, std::string(directory_text).find("  pin_hash"));
  auto outcome = parse_directory(valid, "staff.toml", diagnostics);
  REQUIRE(outcome.directory);
  REQUIRE(outcome.directory->people.size() == 2);
  CHECK(outcome.directory->people[0].phones[0].value == "+15125550161");
  CHECK(outcome.directory->person("dee_park")->roles[0].value == "dispatch");
}

TEST_CASE("a clear-text PIN in the directory is an error", "[directory]") {
  Diagnostics diagnostics("staff.toml");
  auto outcome = parse_directory(
      "schema_version = 1\n[[person]]\nid = \"a\"\nname = \"A\"\nroles = [\"owner\"]\npin = "
      "\"1234\"\n",
      "staff.toml", diagnostics);
  CHECK_FALSE(outcome.directory);
  REQUIRE(diagnostics.all().size() == 1);
  CHECK(diagnostics.all()[0].rule == "clear-pin");
  CHECK(diagnostics.all()[0].where.line == 6);
}

TEST_CASE("setting a PIN hash inserts or replaces one line and keeps the rest", "[directory]") {
  auto hash = crypto::hash_pin("2468", 2000);
  REQUIRE(hash);
  auto inserted = set_pin_hash_in_text(directory_text, "staff.toml", "rob_martinez", *hash);
  REQUIRE(inserted);
  CHECK(inserted->find("id = \"rob_martinez\"   # lead tech\npin_hash = \"" + *hash + "\"\nname") !=
        std::string::npos);
  CHECK(inserted->find("# Staff directory\n") == 0);

  auto replaced = set_pin_hash_in_text(directory_text, "staff.toml", "dee_park", *hash);
  REQUIRE(replaced);
  CHECK(replaced->find("  pin_hash = \"" + *hash + "\"\n") != std::string::npos);
  CHECK(replaced->find("\"old\"") == std::string::npos);
  CHECK(replaced->size() == std::string(directory_text).size() - 3 + hash->size());

  auto missing = set_pin_hash_in_text(directory_text, "staff.toml", "nobody", *hash);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("nobody") != std::string::npos);
}

TEST_CASE("an inline person table is not edited blindly", "[directory]") {
  const char* inline_text =
      "schema_version = 1\nperson = [{ id = \"a\", name = \"A\", roles = [\"owner\"] }]\n";
  auto result = set_pin_hash_in_text(inline_text, "staff.toml", "a", "pbkdf2-sha256$1000$x$y");
  CHECK_FALSE(result);
}
