#include "support/corpus.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace voiceops::testing {
namespace {

bool parse_expectation(const std::string& line, Fixture& fixture) {
  std::istringstream in(line);
  std::string hash, tag;
  in >> hash >> tag;
  if (hash != "#") return false;
  if (tag == "expect-exit:") {
    in >> fixture.exit_status;
    return true;
  }
  if (tag != "expect:") return false;
  ExpectedDiagnostic d;
  std::string position;
  in >> position >> d.severity >> d.rule;
  const auto colon = position.find(':');
  d.line = static_cast<unsigned>(std::stoul(position.substr(0, colon)));
  d.column = static_cast<unsigned>(std::stoul(position.substr(colon + 1)));
  fixture.diagnostics.push_back(d);
  return true;
}

}  // namespace

std::vector<Fixture> load_fixtures(const std::filesystem::path& folder) {
  std::map<std::string, Fixture> by_name;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".toml") continue;
    Fixture fixture;
    fixture.path = entry.path();
    std::ifstream file(entry.path(), std::ios::binary);
    std::string line;
    for (int i = 0; i < 12 && std::getline(file, line); ++i) parse_expectation(line, fixture);
    by_name[entry.path().filename().string()] = std::move(fixture);
  }
  std::ifstream side(folder / "expect.txt");
  std::string line;
  while (std::getline(side, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(": ");
    auto it = by_name.find(line.substr(0, colon));
    if (it != by_name.end()) parse_expectation(line.substr(colon + 2), it->second);
  }
  std::vector<Fixture> fixtures;
  for (auto& [name, fixture] : by_name) fixtures.push_back(std::move(fixture));
  return fixtures;
}

std::string source_dir() {
  return VOICEOPS_SOURCE_DIR;
}
std::string cli_path() {
  return VOICEOPS_CLI;
}

}  // namespace voiceops::testing
