#pragma once
// Counting spoken words: call-length estimates and the speaking-rate clock both need it.
#include <string_view>

namespace voiceops {

int count_words(std::string_view text);

}  // namespace voiceops
