// The checked-in completion scripts are what `voiceops completion SHELL` prints today; if the CLI
// changes, regenerate them with scripts/generate-completions.sh.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support/corpus.hpp"
#include "support/process.hpp"

using voiceops::testing::cli_path;
using voiceops::testing::run_process;
using voiceops::testing::source_dir;

namespace {
std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

TEST_CASE("checked-in completions match the CLI", "[cli][completion]") {
  for (const auto& [shell, file] :
       {std::pair{"bash", "voiceops.bash"}, {"zsh", "_voiceops"}, {"fish", "voiceops.fish"}}) {
    auto r = run_process({cli_path(), "completion", shell});
    INFO(shell << ": regenerate with scripts/generate-completions.sh");
    REQUIRE(r.status == 0);
    CHECK(r.out == read(source_dir() + "/completions/" + file));
  }
}

TEST_CASE("the completions offer every command and option", "[cli][completion]") {
  const std::string bash = read(source_dir() + "/completions/voiceops.bash");
  for (const char* word :
       {"contract", "directory", "version", "validate", "show", "init", "set-pin", "--strict",
        "--format", "--template", "--no-color", "--config"}) {
    CHECK(bash.find(word) != std::string::npos);
  }
  CHECK(bash.find("completion") ==
        bash.find("completion for voiceops"));  // hidden command not offered
}

TEST_CASE("bash completes subcommands and option values", "[cli][completion]") {
  if (!std::filesystem::exists("/bin/bash")) {
    WARN("no bash");
    return;
  };
  const std::string script = source_dir() + "/completions/voiceops.bash";
  auto complete = [&](const std::string& line) {
    const std::string program = "source '" + script + "'; COMP_WORDS=(" + line +
                                "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
                                "_voiceops; printf '%s\\n' \"${COMPREPLY[@]}\"";
    return run_process({"/bin/bash", "--norc", "-c", program}).out;
  };
  CHECK(complete("voiceops co") == "contract\n");
  CHECK(complete("voiceops contract ''") == "validate\nshow\ninit\ntry\n");
  CHECK(complete("voiceops contract validate --format ''") == "text\njson\n");
  CHECK(complete("voiceops --no-color contract show --f") == "--format\n");
  CHECK(complete("voiceops contract init --template m") == "minimal\nmissed-call-booking\n");
}

TEST_CASE("zsh and fish accept the scripts", "[cli][completion]") {
  if (std::filesystem::exists("/usr/bin/zsh")) {
    auto r = run_process({"/usr/bin/zsh", "-n", source_dir() + "/completions/_voiceops"});
    CHECK(r.status == 0);
  }
  if (std::filesystem::exists("/usr/bin/fish")) {
    auto r =
        run_process({"/usr/bin/fish", "--no-execute", source_dir() + "/completions/voiceops.fish"});
    CHECK(r.status == 0);
    auto completions = run_process(
        {"/usr/bin/fish", "--no-config", "-c",
         "source " + source_dir() +
             "/completions/voiceops.fish; complete -C 'voiceops contract validate --format '"});
    CHECK(completions.out.find("json") != std::string::npos);
  }
}
