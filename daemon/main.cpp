// voiceopsd: the daemon that answers live calls. This build answers --version and --help; the
// HTTP server, store and systemd integration come with the daemon issue (see voiceops(1)).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "version.hpp"

int main(int argc, char** argv) {
  CLI::App app("voiceopsd: answers the carrier's webhooks for voiceops workflows", "voiceopsd");
  app.set_version_flag("--version", std::string("voiceopsd ") + voiceops::version_string);
  std::string config;
  app.add_option("--config", config, "Configuration file (default: /etc/voiceops/voiceops.toml)")
      ->type_name("FILE");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 64;
  }
  std::fputs(
      "voiceopsd: the daemon is not built yet; this binary answers --version and --help only\n",
      stderr);
  return 69;
}
