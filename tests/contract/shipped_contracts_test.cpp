// What users copy must be clean: shipped contracts and every `contract init` template validate
// with no diagnostics at all, even under --strict.
#include <catch2/catch.hpp>

#include <filesystem>

#include "contract/check.hpp"
#include "contract/templates.hpp"
#include "support/corpus.hpp"

using namespace voiceops;

namespace {
void require_clean(const contract::CheckedContract& checked) {
  for (const auto& d : checked.diagnostics.all()) {
    UNSCOPED_INFO(d.file << ":" << d.where.line << ":" << d.where.column << ": " << d.rule << ": "
                         << d.message);
  }
  CHECK(checked.diagnostics.all().empty());
  CHECK(checked.status == ExitStatus::ok);
}
}  // namespace

TEST_CASE("shipped contracts validate with no warnings", "[contract][shipped]") {
  const std::string folder = testing::source_dir() + "/contracts";
  int contracts = 0;
  for (const char* name :
       {"after-hours-service.toml", "missed-call-booking.toml", "ops-line.toml"}) {
    DYNAMIC_SECTION(name) {
      require_clean(contract::check_contract_file(folder + "/" + name, true));
    }
    ++contracts;
  }
  CHECK(contracts == 3);
}

TEST_CASE("every contract init template validates with no warnings", "[contract][templates]") {
  REQUIRE(contract::contract_templates().size() >= 3);
  for (const auto& t : contract::contract_templates()) {
    DYNAMIC_SECTION(std::string(t.name)) {
      require_clean(contract::check_contract_text(t.text, std::string(t.name) + ".toml", true));
    }
  }
  CHECK(contract::find_template("minimal") != nullptr);
  CHECK(contract::find_template("nope") == nullptr);
}
