#pragma once
// Caller promises of contact, read the way the engine reads callers (nlu/concepts.hpp): the words
// that tie contact to a time soon ("within the hour", "shortly", "tonight", "right back"), in any
// word form, and not when denied or supposed ("we can't call you tonight").
#include <optional>
#include <string>
#include <string_view>

namespace voiceops::contract {

// The words of `promise` that promise contact soon, or nothing.
std::optional<std::string> soon_contact_promise(std::string_view promise);

// The words of `promise` that promise contact "tomorrow", or nothing: wrong on a Friday night, a
// weekend or the eve of a holiday for a destination staffed in business hours only.
std::optional<std::string> tomorrow_contact_promise(std::string_view promise);

}  // namespace voiceops::contract
