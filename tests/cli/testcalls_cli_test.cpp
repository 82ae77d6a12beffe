// `voiceops testcalls run|new` as CI runs them.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/corpus.hpp"
#include "support/process.hpp"

using voiceops::testing::cli_path;
using voiceops::testing::run_process;
using voiceops::testing::source_dir;
namespace fs = std::filesystem;

namespace {

fs::path scratch() {
  auto dir = fs::temp_directory_path() / ("voiceops-testcalls-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("testcalls new scaffolds a five-call pack whose calls pass", "[cli][testcalls]") {
  const auto dir = scratch();
  const std::string contract = source_dir() + "/contracts/after-hours-service.toml";
  auto made = run_process(
      {cli_path(), "testcalls", "new", "--contract", contract, (dir / "pack").string()});
  INFO(made.err);
  REQUIRE(made.status == 0);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir / "pack"))
    files += entry.path().extension() == ".toml";
  CHECK(files == 6);
  // Refuses to overwrite, and writes nothing when it refuses.
  CHECK(
      run_process({cli_path(), "testcalls", "new", "--contract", contract, (dir / "pack").string()})
          .status == 64);

  auto run = run_process({cli_path(), "testcalls", "run", "--format", "json", "--junit",
                          (dir / "out/junit.xml").string(), "--transcripts",
                          (dir / "transcripts").string(), (dir / "pack").string()});
  auto doc = nlohmann::json::parse(run.out);
  // Five calls that pass; the pack itself fails on coverage: a scaffold is a start, not a pack.
  REQUIRE(doc["packs"].size() == 1);
  for (const auto& call : doc["packs"][0]["calls"]) {
    INFO(call.dump());
    CHECK(call["passed"] == true);
  }
  CHECK(run.status == 1);
  CHECK_FALSE(doc["packs"][0]["coverage_failures"].empty());
  const std::string junit = read(dir / "out/junit.xml");
  CHECK(junit.find("<testsuites") != std::string::npos);
  CHECK(junit.find("engine_us_per_turn") != std::string::npos);
  CHECK(junit.find("<failure type=\"coverage_gap\"") != std::string::npos);
  const std::string transcript = read(dir / "transcripts/after-hours-service/01-happy-path.md");
  CHECK(transcript.find("**Summary:**") != std::string::npos);
  CHECK(transcript.find("**Agent:**") != std::string::npos);
  CHECK(transcript.find("| Cost |") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("testcalls run: missing and malformed packs, and text output is stable",
          "[cli][testcalls]") {
  CHECK(run_process({cli_path(), "testcalls", "run", "/nonexistent/pack"}).status == 66);
  const auto dir = scratch();
  fs::create_directories(dir / "bad");
  std::ofstream(dir / "bad/pack.toml") << "schema_version = 1\ncontract = \"../../x.toml\"\n";
  std::ofstream(dir / "bad/call.toml") << "[call]\nkind = \"happy_path\"\n[[turn]\n";
  auto bad = run_process({cli_path(), "testcalls", "run", (dir / "bad").string()});
  CHECK(bad.status == 65);
  CHECK(bad.err.find("call.toml:3:") != std::string::npos);

  fs::create_directories(dir / "nocontract");
  std::ofstream(dir / "nocontract/pack.toml")
      << "schema_version = 1\ncontract = \"missing.toml\"\n";
  std::ofstream(dir / "nocontract/a.toml")
      << "[call]\nkind = \"happy_path\"\nfrom = \"+15125550142\"\nat = 2026-11-23T21:14:00-06:00\n"
         "[[turn]]\nsay = \"hi\"\n[expect]\noutcome = \"success\"\n";
  auto missing = run_process({cli_path(), "testcalls", "run", (dir / "nocontract").string()});
  CHECK(missing.status == 66);
  CHECK(missing.err.find("not valid") != std::string::npos);

  auto first = run_process(
      {cli_path(), "testcalls", "run", source_dir() + "/testcalls/after-hours-service"});
  auto second = run_process(
      {cli_path(), "testcalls", "run", source_dir() + "/testcalls/after-hours-service"});
  CHECK(first.out == second.out);
  CHECK(first.out.find(" passed, ") != std::string::npos);
  fs::remove_all(dir);
}
