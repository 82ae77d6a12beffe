// libFuzzer target: arbitrary bytes as a call script (the pack parser) and as the TwiML the
// runner follows (the TwiML reader). Neither may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "testcalls/pack.hpp"
#include "testcalls/twiml_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<voiceops::Diagnostic> diagnostics;
  auto call = voiceops::testcalls::parse_call_script(text, "call.toml", diagnostics);
  if (call && !diagnostics.empty()) {
    for (const auto& d : diagnostics) {
      if (d.severity == voiceops::Severity::error) __builtin_trap();  // parsed despite an error
    }
  }
  (void)voiceops::testcalls::read_twiml(text);
  return 0;
}
