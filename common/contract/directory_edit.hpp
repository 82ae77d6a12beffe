#pragma once
// Changing one person's pin_hash in a staff directory file without disturbing anything else in it
// (comments, order, other people).
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace voiceops::contract {

// Returns the new file text with `person_id`'s pin_hash set to `pin_hash`.
Result<std::string, std::string> set_pin_hash_in_text(std::string_view text,
                                                      const std::string& file,
                                                      std::string_view person_id,
                                                      std::string_view pin_hash);

}  // namespace voiceops::contract
