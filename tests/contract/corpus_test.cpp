// Every broken-contract fixture yields exactly the diagnostics it declares, each with a hint, and
// the declared exit status; every valid fixture validates clean.
#include <catch2/catch.hpp>

#include <algorithm>

#include "contract/check.hpp"
#include "support/corpus.hpp"

using namespace voiceops;
using testing::ExpectedDiagnostic;

namespace {

std::vector<ExpectedDiagnostic> actual_of(const Diagnostics& diagnostics) {
  std::vector<ExpectedDiagnostic> actual;
  for (const Diagnostic& d : diagnostics.all()) {
    actual.push_back({d.where.line, d.where.column,
                      d.severity == Severity::error ? "error" : "warning", d.rule});
  }
  return actual;
}

std::string describe(const std::vector<ExpectedDiagnostic>& list) {
  std::string out;
  for (const auto& d : list) {
    out += "  " + std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.severity + " " +
           d.rule + "\n";
  }
  return out.empty() ? "  (none)\n" : out;
}

void check_fixture(const testing::Fixture& fixture) {
  INFO("fixture " << fixture.path.string());
  REQUIRE(fixture.exit_status >= 0);
  REQUIRE_FALSE(fixture.diagnostics.empty());
  auto checked = contract::check_contract_file(fixture.path.string(), false);
  auto actual = actual_of(checked.diagnostics);
  // Diagnostics about the fixture's own directory file carry that file's positions: compare rule
  // and severity for those, position for the rest.
  INFO("expected:\n" << describe(fixture.diagnostics) << "actual:\n" << describe(actual));
  for (const Diagnostic& d : checked.diagnostics.all()) {
    INFO(d.file << ":" << d.where.line << ":" << d.where.column << " " << d.message);
    CHECK_FALSE(d.hint.empty());
    CHECK_FALSE(d.message.empty());
  }
  auto sorted = [](std::vector<ExpectedDiagnostic> v) {
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return std::tie(a.line, a.column, a.rule) < std::tie(b.line, b.column, b.rule);
    });
    return v;
  };
  CHECK(sorted(actual) == sorted(fixture.diagnostics));
  CHECK(to_int(checked.status) == fixture.exit_status);
}

}  // namespace

TEST_CASE("each broken contract reports exactly its declared diagnostics", "[contract][corpus]") {
  const auto fixtures = testing::load_fixtures(testing::source_dir() + "/tests/contract/fixtures/broken");
  REQUIRE(fixtures.size() >= 40);
  for (const auto& fixture : fixtures) {
    DYNAMIC_SECTION(fixture.path.filename().string()) {
      check_fixture(fixture);
    }
  }
}

TEST_CASE("bad input files get one diagnostic and exit 65", "[contract][corpus]") {
  const auto fixtures = testing::load_fixtures(testing::source_dir() + "/tests/contract/fixtures/badinput");
  REQUIRE(fixtures.size() >= 4);
  for (const auto& fixture : fixtures) {
    DYNAMIC_SECTION(fixture.path.filename().string()) {
      check_fixture(fixture);
    }
  }
}

TEST_CASE("the minimal fixtures validate with no diagnostics", "[contract][corpus]") {
  for (const char* name : {"minimal.toml", "minimal-internal.toml"}) {
    const std::string path = testing::source_dir() + "/tests/contract/fixtures/valid/" + name;
    auto checked = contract::check_contract_file(path, true);
    INFO(path);
    for (const auto& d : checked.diagnostics.all()) {
      UNSCOPED_INFO(d.file << ":" << d.where.line << ":" << d.where.column << " " << d.rule << " "
                           << d.message);
    }
    CHECK(checked.diagnostics.all().empty());
    CHECK(checked.status == ExitStatus::ok);
  }
}
