// Pack files: malformed packs get file:line diagnostics; the shipped packs pass, deterministically.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "contract/check.hpp"
#include "contract/directory.hpp"
#include "support/corpus.hpp"
#include "testcalls/pack.hpp"
#include "testcalls/report_writers.hpp"
#include "testcalls/runner.hpp"

using namespace voiceops;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("voiceops-pack-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

}  // namespace

TEST_CASE("a malformed call script is reported with its position", "[testcalls][pack]") {
  auto dir = scratch("malformed");
  write(dir / "pack.toml", "schema_version = 1\ncontract = \"x.toml\"\n");
  write(dir / "a.toml",
        "[call]\nkind = \"happy_path\"\nfrom = \"+15125550142\"\nat = 2026-11-23T21:14:00-06:00\n\n"
        "[[turn]]\nsay = \"hi\"\nconfidnce = 0.5\n\n[expect]\noutcome = \"succes\"\n");
  std::vector<Diagnostic> diagnostics;
  auto outcome = testcalls::load_pack(dir.string(), diagnostics);
  CHECK_FALSE(outcome.pack);
  CHECK(outcome.status == ExitStatus::data_error);
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].rule == "unknown-key");
  CHECK(diagnostics[0].where.line == 8);
  CHECK(diagnostics[0].hint == "did you mean 'confidence'?");
  CHECK(diagnostics[1].rule == "bad-value");
  CHECK(diagnostics[1].where.line == 11);
  fs::remove_all(dir);
}

TEST_CASE("a missing pack folder is 66, an empty one is 65", "[testcalls][pack]") {
  std::vector<Diagnostic> diagnostics;
  CHECK(testcalls::load_pack("/nonexistent/pack", diagnostics).status == ExitStatus::no_input);
  auto dir = scratch("empty");
  write(dir / "pack.toml", "schema_version = 1\ncontract = \"x.toml\"\n");
  diagnostics.clear();
  CHECK(testcalls::load_pack(dir.string(), diagnostics).status == ExitStatus::data_error);
  fs::remove_all(dir);
}

TEST_CASE("a call time without a UTC offset is refused", "[testcalls][pack]") {
  auto dir = scratch("offset");
  write(dir / "pack.toml", "schema_version = 1\ncontract = \"x.toml\"\n");
  write(dir / "a.toml",
        "[call]\nkind = \"happy_path\"\nfrom = \"+15125550142\"\nat = 2026-11-23T21:14:00\n\n"
        "[[turn]]\nsay = \"hi\"\n\n[expect]\noutcome = \"success\"\n");
  std::vector<Diagnostic> diagnostics;
  testcalls::load_pack(dir.string(), diagnostics);
  REQUIRE_FALSE(diagnostics.empty());
  CHECK(diagnostics[0].where.line == 4);
  fs::remove_all(dir);
}

TEST_CASE("every shipped pack passes, with byte-identical output run to run",
          "[testcalls][shipped]") {
  int packs = 0;
  for (const auto& entry : fs::directory_iterator(testing::source_dir() + "/testcalls")) {
    if (!entry.is_directory()) continue;
    ++packs;
    DYNAMIC_SECTION(entry.path().filename().string()) {
      std::vector<Diagnostic> diagnostics;
      auto loaded = testcalls::load_pack(entry.path().string(), diagnostics);
      for (const auto& d : diagnostics)
        UNSCOPED_INFO(d.file << ":" << d.where.line << ": " << d.message);
      REQUIRE(loaded.pack);
      auto checked = contract::check_contract_file(loaded.pack->contract, false);
      REQUIRE(checked.contract);
      const auto directory = contract::directory_of(*checked.contract);
      auto first =
          testcalls::run_pack(*loaded.pack, *checked.contract, directory ? &*directory : nullptr);
      auto second =
          testcalls::run_pack(*loaded.pack, *checked.contract, directory ? &*directory : nullptr);
      const std::string text = testcalls::text_report({first}, {});
      INFO(text);
      CHECK(first.passed());
      CHECK(text == testcalls::text_report({second}, {}));
      CHECK(testcalls::json_report({first}) == testcalls::json_report({second}));
      for (const auto& call : first.calls) {
        CHECK(testcalls::transcript_markdown(call, *checked.contract).find("**Summary:**") !=
              std::string::npos);
      }
    }
  }
  CHECK(packs >= 3);
}

// The runner plays the carrier's screen: a person presses 1, a voicemail greeting presses
// nothing, a staff member who cannot take the call presses 2; only the first reaches a person.
TEST_CASE("a transfer that reaches voicemail or is declined takes the transfer's failure step",
          "[testcalls][screen]") {
  const std::string contract = testing::source_dir() + "/contracts/after-hours-service.toml";
  auto checked = contract::check_contract_file(contract, false);
  REQUIRE(checked.contract);
  const std::string call_head =
      "[call]\nkind = \"escalation\"\nfrom = \"+15125550135\"\nat = 2026-11-27T02:15:00-06:00\n\n"
      "[[turn]]\nsay = \"our heater stopped and it's getting cold in here\"\n\n"
      "[[turn]]\nsay = \"yeah the detector in the hallway keeps going off\"\n\n";
  const std::string paged =
      "[[turn]]\nsay = \"we're outside now this number's fine\"\n\n[[turn]]\nsay = \"yes\"\n\n";
  const std::string failure_step =
      "[expect]\noutcome = \"failure\"\nsay = [\"Our technician didn't pick up on the first try, "
      "so I'm going to text them your number.\", \"Our on-call technician has your number\"]\n";
  for (const char* result : {"voicemail", "declined", "completed"}) {
    DYNAMIC_SECTION(result) {
      const bool taken = std::string(result) == "completed";
      auto dir = scratch(std::string("screen-") + result);
      write(dir / "pack.toml", "schema_version = 1\ncontract = \"" + contract + "\"\n");
      write(dir / "a.toml",
            call_head + (taken ? "" : paged) + "[transfer]\nresult = \"" + result + "\"\n\n" +
                (taken ? "[expect]\noutcome = \"escalated\"\nnever_say = [\"pick up on the "
                         "first try\"]\n"
                       : failure_step));
      std::vector<Diagnostic> diagnostics;
      auto loaded = testcalls::load_pack(dir.string(), diagnostics);
      for (const auto& d : diagnostics) UNSCOPED_INFO(d.where.line << ": " << d.message);
      REQUIRE(loaded.pack);
      auto report = testcalls::run_pack(*loaded.pack, *checked.contract, nullptr);
      REQUIRE(report.calls.size() == 1);
      const testcalls::CallReport& call = report.calls.front();
      std::string transcript;
      for (const auto& line : call.transcript) transcript += line.text + " " + line.note + "\n";
      INFO(transcript);
      for (const auto& failure : call.failures)
        UNSCOPED_INFO(failure.kind << ": " << failure.message);
      CHECK(call.passed());
      CHECK(transcript.find("staff hears: URGENT after-hours safety call") != std::string::npos);
      const char* key = taken                               ? "staff presses 1"
                        : std::string(result) == "declined" ? "staff presses 2"
                                                            : "voicemail answers; no key";
      CHECK(transcript.find(key) != std::string::npos);
      fs::remove_all(dir);
    }
  }
}
