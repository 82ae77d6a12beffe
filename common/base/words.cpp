#include "base/words.hpp"

#include <cctype>

namespace voiceops {

int count_words(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool letter = !std::isspace(static_cast<unsigned char>(c));
    if (letter && !in_word) ++words;
    in_word = letter;
  }
  return words;
}

}  // namespace voiceops
