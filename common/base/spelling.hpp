#pragma once
// "Did you mean" suggestions for mistyped keys and identifiers.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace voiceops {

// Optimal-string-alignment distance: edits, with a swap of two adjacent letters counting as one.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate within a distance that still looks like a typo, if any.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates);
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates);

}  // namespace voiceops
