#pragma once
// Broken-contract fixtures state what the validator must report in their first lines:
//   # expect: <line>:<column> <error|warning> <rule-id>
//   # expect-exit: <status>
// Fixtures that cannot hold a comment (empty or binary files) are described in expect.txt.
#include <filesystem>
#include <string>
#include <vector>

namespace voiceops::testing {

struct ExpectedDiagnostic {
  unsigned line = 0, column = 0;
  std::string severity, rule;
  bool operator==(const ExpectedDiagnostic&) const = default;
};

struct Fixture {
  std::filesystem::path path;
  std::vector<ExpectedDiagnostic> diagnostics;
  int exit_status = -1;
};

std::vector<Fixture> load_fixtures(const std::filesystem::path& folder);
std::string source_dir();
std::string cli_path();

}  // namespace voiceops::testing
