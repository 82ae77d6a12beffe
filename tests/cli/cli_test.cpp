// The built `voiceops` as scripts and CI see it: exit statuses, streams, formats, colour.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "crypto/pin_hash.hpp"
#include "support/corpus.hpp"
#include "support/process.hpp"

using voiceops::testing::cli_path;
using voiceops::testing::run_process;
using voiceops::testing::source_dir;

namespace {

voiceops::testing::ProcessResult voiceops_cli(std::vector<std::string> args,
                                              const std::string& input = {},
                                              std::vector<std::string> env = {}) {
  args.insert(args.begin(), cli_path());
  return run_process(args, input, env);
}

std::string shipped(const std::string& name) {
  return source_dir() + "/contracts/" + name;
}
std::string fixture(const std::string& name) {
  return source_dir() + "/tests/contract/fixtures/" + name;
}

std::filesystem::path scratch_dir() {
  auto dir =
      std::filesystem::temp_directory_path() / ("voiceops-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("validate: valid contracts exit 0 with a verdict on stdout", "[cli]") {
  auto r = voiceops_cli({"contract", "validate", "--strict", shipped("after-hours-service.toml"),
                         shipped("missed-call-booking.toml"), shipped("ops-line.toml")});
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("after-hours-service.toml: valid\n") != std::string::npos);
  CHECK(r.out.find("ops-line.toml: valid\n") != std::string::npos);
  // The whole folder, as a CI job would name it: the staff directory is recognised as one.
  auto all = voiceops_cli({"contract", "validate", "--strict", shipped("after-hours-service.toml"),
                           shipped("ops-directory.toml")});
  CHECK(all.status == 0);
  CHECK(all.out.find("ops-directory.toml: valid (staff directory)\n") != std::string::npos);
}

TEST_CASE("validate: diagnostics are file:line:column: severity: message [rule] plus a hint",
          "[cli]") {
  const std::string file = fixture("broken/intent-conflict-allowed-and-out-of-scope.toml");
  auto r = voiceops_cli({"contract", "validate", file});
  CHECK(r.status == 1);
  const std::regex line("^" +
                        std::regex_replace(file, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                        R"(:\d+:\d+: error: .+ \[intent-conflict\]\n    hint: .+\n$)");
  CHECK(std::regex_match(r.err, line));
  CHECK(r.out.find(": invalid (1 error, 0 warnings)") != std::string::npos);
}

TEST_CASE("validate: every broken fixture exits with its declared status", "[cli]") {
  for (const auto& f : voiceops::testing::load_fixtures(source_dir() + "/tests/contract/fixtures/broken")) {
    auto r = voiceops_cli({"contract", "validate", f.path.string()});
    INFO(f.path.string() << "\n" << r.err);
    CHECK(r.status == f.exit_status);
    CHECK(std::regex_search(r.err, std::regex(R"(^\S+\.toml:\d+:\d+: (error|warning): )")));
  }
}

TEST_CASE("validate: with several files the most severe status wins", "[cli]") {
  auto r = voiceops_cli({"contract", "validate", shipped("after-hours-service.toml"),
                         fixture("broken/intent-conflict-allowed-and-out-of-scope.toml"),
                         fixture("badinput/binary.toml"), "/nonexistent.toml"});
  CHECK(r.status == 66);
  auto r2 = voiceops_cli({"contract", "validate",
                          fixture("broken/intent-conflict-allowed-and-out-of-scope.toml"),
                          fixture("badinput/binary.toml")});
  CHECK(r2.status == 65);
}

TEST_CASE("validate: bad input of every kind gets one diagnostic and its status", "[cli]") {
  const auto dir = scratch_dir();
  const std::string big = (dir / "big.toml").string();
  {
    std::ofstream out(big, std::ios::binary);
    std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 50; ++i) out << chunk;
  }
  struct Case {
    std::string file;
    int status;
    std::string rule;
  };
  for (const Case& c : {Case{big, 65, "too-large"}, Case{dir.string(), 66, "not-a-file"},
                        Case{(dir / "missing.toml").string(), 66, "missing-file"},
                        Case{fixture("badinput/empty.toml"), 65, "empty-file"},
                        Case{fixture("badinput/binary.toml"), 65, "encoding"},
                        Case{fixture("badinput/deeply-nested.toml"), 65, "parse-error"},
                        Case{fixture("badinput/duplicate-keys.toml"), 65, "parse-error"},
                        Case{fixture("broken/schema-newer-version-2.toml"), 65, "schema-newer"}}) {
    auto r = voiceops_cli({"contract", "validate", c.file});
    INFO(c.file << "\n" << r.err);
    CHECK(r.status == c.status);
    CHECK(r.err.find("[" + c.rule + "]") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 2);  // one diagnostic, one hint
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("validate: an unreadable file is 77", "[cli]") {
  const auto dir = scratch_dir();
  const auto file = dir / "secret.toml";
  std::filesystem::copy_file(shipped("after-hours-service.toml"), file,
                             std::filesystem::copy_options::overwrite_existing);
  ::chmod(file.c_str(), 0);
  std::vector<std::string> argv = {cli_path(), "contract", "validate", file.string()};
  if (::geteuid() == 0) {
    // root reads anything; drop to nobody so the permission check is real.
    if (!std::filesystem::exists("/usr/bin/setpriv")) {
      WARN("setpriv is needed to drop root");
      return;
    };
    ::chmod(dir.c_str(), 0755);
    argv.insert(argv.begin(),
                {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  }
  auto r = run_process(argv);
  INFO(r.err);
  CHECK(r.status == 77);
  CHECK(r.err.find("[permission]") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("validate --format json is one document on stdout", "[cli]") {
  auto r = voiceops_cli({"contract", "validate", "--format", "json", shipped("ops-line.toml"),
                         fixture("broken/not-e164-dashes.toml")});
  CHECK(r.status == 1);
  CHECK(r.err.empty());
  auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["files"].size() == 2);
  CHECK(doc["valid"] == false);
  CHECK(doc["status"] == 1);
  CHECK(doc["files"][0]["valid"] == true);
  const auto& d = doc["files"][1]["diagnostics"][0];
  CHECK(d["rule"] == "not-e164");
  CHECK(d["severity"] == "error");
  CHECK(d["line"].get<int>() > 0);
  CHECK_FALSE(d["hint"].get<std::string>().empty());
}

TEST_CASE("colour: never when not a terminal, never with NO_COLOR or --no-color", "[cli]") {
  const std::string file = fixture("broken/not-e164-dashes.toml");
  for (const auto& r : {voiceops_cli({"contract", "validate", file}),
                        voiceops_cli({"--no-color", "contract", "validate", file}),
                        voiceops_cli({"contract", "validate", file}, {}, {"NO_COLOR=1"})}) {
    CHECK(r.err.find('\x1b') == std::string::npos);
    CHECK(r.out.find('\x1b') == std::string::npos);
  }
  if (std::filesystem::exists("/usr/bin/script")) {
    // Under a pseudo-terminal colour appears, unless NO_COLOR is set.
    const std::string command = cli_path() + " contract validate " + file;
    auto tty = run_process({"/usr/bin/script", "-qec", command, "/dev/null"});
    CHECK(tty.out.find("\x1b[") != std::string::npos);
    auto quiet = run_process({"/usr/bin/script", "-qec", command, "/dev/null"}, {}, {"NO_COLOR=1"});
    CHECK(quiet.out.find("\x1b[") == std::string::npos);
  }
}

TEST_CASE("usage errors exit 64, never CLI11's own codes", "[cli]") {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{},
                                             {"contract"},
                                             {"bogus"},
                                             {"contract", "validate"},
                                             {"contract", "validate", "--format", "xml", "x"},
                                             {"contract", "validate", "--nope", "x"},
                                             {"contract", "show"},
                                             {"directory", "set-pin", "f"}}) {
    auto r = voiceops_cli(args);
    INFO(r.err);
    CHECK(r.status == 64);
    CHECK_FALSE(r.err.empty());
  }
  CHECK(voiceops_cli({"--help"}).status == 0);
  CHECK(voiceops_cli({"contract", "validate", "--help"}).status == 0);
}

TEST_CASE("version and --version", "[cli]") {
  auto r = voiceops_cli({"version"});
  CHECK(r.status == 0);
  CHECK(r.out.rfind("voiceops ", 0) == 0);
  auto j = nlohmann::json::parse(voiceops_cli({"version", "--format", "json"}).out);
  CHECK(j["contract_schema_version"] == 1);
  CHECK(voiceops_cli({"--version"}).out.rfind("voiceops ", 0) == 0);
}

TEST_CASE("contract show renders tables, markdown and json", "[cli]") {
  auto text = voiceops_cli({"contract", "show", shipped("after-hours-service.toml")});
  CHECK(text.status == 0);
  for (const char* heading : {"Workflow contract", "System map", "Escalation table",
                              "Numbers and hours", "Owners", "Destinations"}) {
    CHECK(text.out.find(heading) != std::string::npos);
  }
  auto md = voiceops_cli({"contract", "show", "--format", "markdown", shipped("ops-line.toml")});
  CHECK(md.status == 0);
  CHECK(md.out.find("## Escalation table\n\n| Trigger | Agent action | Staff destination | Caller "
                    "promise |") != std::string::npos);
  CHECK(md.out.find("## Roles") != std::string::npos);
  auto json =
      voiceops_cli({"contract", "show", "--format", "json", shipped("missed-call-booking.toml")});
  CHECK(json.status == 0);
  auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["escalation"].size() >= 5);
  CHECK(doc["systems"].size() >= 2);
  auto broken = voiceops_cli({"contract", "show", fixture("broken/not-e164-dashes.toml")});
  CHECK(broken.status == 1);
  CHECK(broken.out.empty());
}

TEST_CASE("contract init writes templates that validate and never clobbers", "[cli]") {
  const auto dir = scratch_dir();
  auto list = voiceops_cli({"contract", "init", "--list-templates"});
  CHECK(list.out.find("minimal\n") != std::string::npos);
  for (const char* name : {"minimal", "after-hours-service", "missed-call-booking"}) {
    const std::string out = (dir / (std::string(name) + ".toml")).string();
    auto r = voiceops_cli({"contract", "init", "--template", name, "--output", out});
    INFO(name << ": " << r.err);
    CHECK(r.status == 0);
    CHECK(voiceops_cli({"contract", "validate", "--strict", out}).status == 0);
    auto again = voiceops_cli({"contract", "init", "--template", name, "--output", out});
    CHECK(again.status == 64);
    CHECK(again.err.find("--force") != std::string::npos);
    CHECK(
        voiceops_cli({"contract", "init", "--template", name, "--output", out, "--force"}).status ==
        0);
  }
  auto stdout_init = voiceops_cli({"contract", "init"});
  CHECK(stdout_init.status == 0);
  CHECK(stdout_init.out.find("schema_version = 1") != std::string::npos);
  CHECK(voiceops_cli({"contract", "init", "--template", "nope"}).status == 64);
  std::filesystem::remove_all(dir);
}

TEST_CASE("directory set-pin stores only a hash and keeps the file", "[cli]") {
  const auto dir = scratch_dir();
  const auto file = dir / "staff.toml";
  std::filesystem::copy_file(shipped("ops-directory.toml"), file,
                             std::filesystem::copy_options::overwrite_existing);
  auto listed = nlohmann::json::parse(
      voiceops_cli({"directory", "list", "--format", "json", file.string()}).out);
  const std::string person = listed["people"][0]["id"];
  const std::string before = [&] {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();

  auto r = voiceops_cli({"directory", "set-pin", file.string(), person}, "73915\n");
  INFO(r.err);
  REQUIRE(r.status == 0);
  std::ifstream in(file);
  const std::string after(std::istreambuf_iterator<char>(in), {});
  CHECK(after.find("73915") == std::string::npos);
  const auto at = after.find("pin_hash = \"pbkdf2-sha256$600000$");
  REQUIRE(at != std::string::npos);
  const auto start = after.find('"', at) + 1;
  CHECK(voiceops::crypto::verify_pin("73915", after.substr(start, after.find('"', start) - start)));
  CHECK(after.size() > before.size());
  // Every comment line survives.
  std::istringstream lines(before);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#", 0) == 0) CHECK(after.find(line) != std::string::npos);
  }
  auto relisted = nlohmann::json::parse(
      voiceops_cli({"directory", "list", "--format", "json", file.string()}).out);
  CHECK(relisted["people"][0]["pin_set"] == true);
  CHECK(voiceops_cli({"contract", "validate", "--strict", shipped("ops-line.toml")}).status == 0);

  CHECK(voiceops_cli({"directory", "set-pin", file.string(), person}, "12\n").status == 65);
  CHECK(voiceops_cli({"directory", "set-pin", file.string(), "no_such_person"}, "1234\n").status ==
        65);
  CHECK(voiceops_cli({"directory", "set-pin", (dir / "missing.toml").string(), person}, "1234\n")
            .status == 66);
  std::filesystem::remove_all(dir);
}

TEST_CASE("directory list masks phone numbers", "[cli]") {
  auto r = voiceops_cli({"directory", "list", shipped("ops-directory.toml")});
  CHECK(r.status == 0);
  CHECK(r.out.find("\xe2\x80\xa2") != std::string::npos);
  CHECK(std::regex_search(r.out, std::regex(R"(\+1\d{10})")) == false);
}

#ifdef VOICEOPS_DAEMON
TEST_CASE("voiceopsd answers --version and --help, and refuses a missing config", "[cli][daemon]") {
  const std::string daemon = VOICEOPS_DAEMON;
  auto version = run_process({daemon, "--version"});
  CHECK(version.status == 0);
  CHECK(version.out.rfind("voiceopsd ", 0) == 0);
  CHECK(run_process({daemon, "--help"}).status == 0);
  CHECK(run_process({daemon, "--bogus"}).status == 64);
  auto missing = run_process({daemon, "--config", "/nonexistent/voiceops.toml"});
  CHECK(missing.status == 78);
  CHECK(missing.err.find("/nonexistent/voiceops.toml") != std::string::npos);
  CHECK(missing.err.rfind("<3>", 0) == 0);  // journald priority prefix
}
#endif

TEST_CASE("exit statuses for inputs and outputs that are not what they seem", "[cli]") {
  const auto dir = scratch_dir();
  SECTION("a FIFO is refused at once, never waited on") {
    const auto fifo = (dir / "contract.fifo").string();
    std::filesystem::remove(fifo);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto r = voiceops_cli({"contract", "validate", fifo});
    CHECK(r.status == 66);
    CHECK((r.out + r.err).find("not a regular file") != std::string::npos);
    std::filesystem::remove(fifo);
  }
  SECTION("a file name that is not UTF-8 still gets one JSON document") {
    auto r =
        voiceops_cli({"contract", "validate", "--format", "json", "/nonexistent/\xff\xfe.toml"});
    CHECK(r.status == 66);
    CHECK_NOTHROW(nlohmann::json::parse(r.out));
  }
  SECTION("a call id that is not UTF-8, or far too long, is a usage error before any socket") {
    auto bad = voiceops_cli({"calls", "show", "CA\xff"}, {}, {"VOICEOPS_CONFIG=/nonexistent"});
    CHECK(bad.status == 64);
    CHECK(bad.err.find("not valid UTF-8") != std::string::npos);
    auto huge = voiceops_cli({"calls", "show", std::string(100 * 1024, 'C')}, {},
                             {"VOICEOPS_CONFIG=/nonexistent"});
    CHECK(huge.status == 64);
    CHECK(huge.err.find("at most 256 bytes") != std::string::npos);
  }
  SECTION("output that cannot be written is 74, not success") {
    auto full = run_process({"/bin/sh", "-c", "\"$0\" version > /dev/full", cli_path()});
    CHECK(full.status == 74);
    CHECK(full.err.find("cannot write the output") != std::string::npos);
    auto closed = run_process({"/bin/sh", "-c", "\"$0\" version >&-", cli_path()});
    CHECK(closed.status == 74);
  }
}
