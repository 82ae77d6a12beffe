#pragma once
// Reading what another system's server answered, the same way for every connector: how long it
// asks us to wait (Retry-After), and its own words made one printable line of bounded length.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace voiceops::connectors {

// Retry-After as whole seconds (capped at a day); nullopt when absent or an HTTP date.
std::optional<int> retry_after_seconds(std::string_view header);

// `text` on one line (newlines and tabs as spaces), at most `max_bytes`, never cut inside a
// UTF-8 character.
std::string one_line(std::string_view text, std::size_t max_bytes = 300);

}  // namespace voiceops::connectors
