// libFuzzer target: one line on the daemon's control socket, answered by a real DaemonCore over
// a store in a temporary folder with the shipped contracts. Checks, beyond "no crash": a request
// that decodes round-trips through its encoding, and every answer is one JSON object with a
// boolean "ok", whatever the request.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "control/requests.hpp"
#include "host/daemon_core.hpp"

namespace {

struct Fixture {
  std::filesystem::path folder;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> sink{std::fopen("/dev/null", "w"), std::fclose};
  std::unique_ptr<voiceops::host::Log> log;
  std::unique_ptr<voiceops::host::DaemonCore> core;

  Fixture() {
    char pattern[] = "/tmp/voiceops-control-fuzz-XXXXXX";
    folder = ::mkdtemp(pattern);
    voiceops::config::Config config;
    config.store.path = (folder / "voiceops.db").string();
    config.contracts.paths = {std::string(VOICEOPS_SOURCE_DIR) + "/contracts/*.toml"};
    config.twilio.validate_signatures = false;
    log = std::make_unique<voiceops::host::Log>(sink.get());
    auto started = voiceops::host::DaemonCore::start(
        config, [](std::string_view) { return std::optional<std::string>(); }, *log);
    if (!started) __builtin_trap();
    core = std::move(*started);
  }
  ~Fixture() {
    core.reset();
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;  // one daemon core for the whole run, as the socket has
  const std::string_view request(reinterpret_cast<const char*>(data), size);
  // A request that decodes encodes to one that decodes to the same.
  if (auto decoded = voiceops::control::decode_request(request)) {
    const std::string line = voiceops::control::encode(*decoded);
    auto again = voiceops::control::decode_request(line);
    if (!again || voiceops::control::encode(*again) != line) __builtin_trap();
  }
  const std::string answer = fixture.core->handle_control(request);
  const auto parsed = nlohmann::json::parse(answer, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("ok") ||
      !parsed["ok"].is_boolean())
    __builtin_trap();
  return 0;
}
