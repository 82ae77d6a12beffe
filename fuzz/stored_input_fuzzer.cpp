// libFuzzer target: what the daemon reads back or is handed that it did not write itself in this
// run. The first byte picks the reader, the rest is its input:
//   0  a call's engine state as read back from the store (MessagePack): a state that decodes
//      encodes to bytes that decode to the same encoding again;
//   1  the VoiceopsIntegrations webhook parameter: outcomes that decode encode to text that
//      decodes to the same outcomes;
//   2  the configuration file (voiceops.toml): a refusal always carries an error with a line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "engine/call_state.hpp"
#include "calls/scripted_tools.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace voiceops;
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto state = engine::deserialize(bytes);
      if (!state) {
        if (state.error().empty()) __builtin_trap();
        break;
      }
      const std::string once = engine::serialize(*state);
      auto again = engine::deserialize(once);
      if (!again || engine::serialize(*again) != once) __builtin_trap();
      break;
    }
    case 1: {
      auto outcomes = calls::decode_scripted_outcomes(bytes);
      if (!outcomes) break;
      const std::string text = calls::encode_scripted_outcomes(*outcomes);
      auto again = calls::decode_scripted_outcomes(text);
      if (!again || calls::encode_scripted_outcomes(*again) != text) __builtin_trap();
      break;
    }
    default: {
      auto config = config::parse_config(bytes, "fuzz.toml");
      if (!config) {
        bool has_error = false;
        for (const auto& d : config.error().all())
          has_error = has_error || (d.severity == Severity::error && d.where.line >= 1);
        if (!has_error) __builtin_trap();
      }
      break;
    }
  }
  return 0;
}
