#pragma once
// Word forms: the English Snowball stemmer (libstemmer) behind one small class, plus the irregular
// forms a stemmer cannot know ("smelt" is "smell", "fell" is "fall", "children" is "child").
// Contract phrases and caller words meet as lemmas, so "smelling gas", "smelt gas" and "gas
// smells" all reach the phrase "smell gas".
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sb_stemmer;

namespace voiceops::nlu {

class WordForms {
 public:
  WordForms();
  ~WordForms();
  WordForms(WordForms&&) noexcept;
  WordForms& operator=(WordForms&&) noexcept;
  WordForms(const WordForms&) = delete;
  WordForms& operator=(const WordForms&) = delete;

  // The lemma of one normalised word: possessive dropped ("dad's" -> "dad"), irregular forms
  // mapped, then stemmed ("smelling" -> "smell", "dizziness" -> "dizzi"). Digits, single letters
  // and words with no letters are returned as they are. Not thread-safe: one per thread or turn.
  std::string lemma(std::string_view word);

 private:
  std::string stem(std::string_view word);
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> known_;
  struct Free {
    void operator()(sb_stemmer* stemmer) const;
  };
  std::unique_ptr<sb_stemmer, Free> stemmer_;
};

}  // namespace voiceops::nlu
