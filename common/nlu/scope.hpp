#pragma once
// How a mention stands in what the caller said: as a present fact, denied, hedged, supposed,
// asked for, or in the past. NegEx-style: trigger words before (and a few after) the mention,
// each reaching only as far as its clause. "no gas smell but the detector's going off" denies
// the gas and affirms the alarm; "if it starts to smell like gas" supposes it; "can you put in a
// co detector" asks for one; "we had a gas leak last year" is history; "i don't think it's gas,
// maybe" is a hedge, which the engine answers with one direct question.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "nlu/nlu.hpp"

namespace voiceops::nlu {

enum class Polarity { affirmed, negated, hedged, hypothetical, requested, historical };
std::string_view to_string(Polarity polarity);

struct Scope {
  Polarity polarity = Polarity::affirmed;
  std::string
      cue;  // the trigger words that set the polarity ("no", "if", "maybe"); empty when affirmed
};

// The scopes of mentions in one utterance: its triggers found once, each mention's read from them.
class ScopeReader {
 public:
  explicit ScopeReader(const detail::Tokens& tokens);
  Scope of(std::size_t begin, std::size_t end) const;

 private:
  const detail::Tokens& tokens_;
  std::vector<int> trigger_;        // per word: the trigger starting there, -1 for none
  std::vector<int> plain_trigger_;  // the same, not counting the question triggers
  std::vector<int> history_;        // per word: the history marker starting there
};

// The scope of the words [begin, end) of `tokens` (normalised, as detail::normalize_tokens
// gives them; `lemmas` are the tokens' lemmas, WordForms::lemma).
Scope scope_of(const detail::Tokens& tokens, const std::vector<std::string>& lemmas,
               std::size_t begin, std::size_t end);

}  // namespace voiceops::nlu
