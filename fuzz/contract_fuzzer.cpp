// libFuzzer target: arbitrary bytes through everything `voiceops contract validate` does to a
// file after reading it (text checks, TOML parsing, the schema reader, every validation rule), and
// through the staff directory parser and the PIN-hash editor.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "contract/check.hpp"
#include "contract/directory.hpp"
#include "contract/directory_edit.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // A relative directory reference resolves under a folder that does not exist: no file access
  // beyond a failed stat.
  auto checked =
      voiceops::contract::check_contract_text(text, "/nonexistent-fuzz/contract.toml", false);
  if (checked.status == voiceops::ExitStatus::ok && checked.contract &&
      !checked.diagnostics.all().empty()) {
    // Warnings only: fine. A valid result must not carry errors.
    if (checked.diagnostics.has_errors()) __builtin_trap();
  }
  voiceops::Diagnostics diagnostics("directory.toml");
  auto directory = voiceops::contract::parse_directory(text, "directory.toml", diagnostics);
  if (directory.directory && !directory.directory->people.empty()) {
    const std::string id = directory.directory->people.front().id;
    (void)voiceops::contract::set_pin_hash_in_text(text, "directory.toml", id,
                                                   "pbkdf2-sha256$1000$c2FsdHNhbHQ=$a2V5");
  }
  return 0;
}
