#pragma once
// Concepts: what a contract's lexicon says callers mean ("gas_smell", "vulnerable_person"), found
// in an utterance by word forms rather than by literal phrases, each hit with its scope (denied,
// hedged, supposed, asked for, past). Rules only: the same words always give the same hits.
//
// A concept is written as (voiceops-contract(5), LEXICON):
//   terms  - phrases that mean it: "smell gas", "rotten egg", "#65-120 year old", "@relative is
//            #70-120". Words match by lemma (WordForms), so "smelt gas", "smelling gas" and
//            "smells like gas" all match "smell gas" (up to three small words such as "like",
//            "of", "some", "kind" may sit between two words of a term). "#A-B" is a number from A
//            to B said in words or digits; "@other" is any term of another concept; "=word"
//            is that word exactly, not its other forms ("=flames" but not "flame").
//   near   - groups of terms that, all heard in one sentence, suggest it without saying it:
//            [["smell", "odor"], ["gas", "propane"]]. A near hit is weaker than a term.
//   except - phrases whose words never count for it ("gas furnace", "gas water heater").
//   unless - phrases that, heard in the same sentence, explain it away: a detector beeping
//            "because the battery's low" is no alarm. A hit so explained is denied.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"
#include "nlu/nlu.hpp"
#include "nlu/scope.hpp"
#include "nlu/word_forms.hpp"

namespace voiceops::nlu {

struct ConceptSource {
  std::string id;
  std::vector<std::string> terms;
  std::vector<std::vector<std::string>> near;
  std::vector<std::string> except;
  std::vector<std::string> unless;
};

// One utterance prepared for concept matching: normalised tokens, their lemmas and the numbers
// said, each at the token it starts on.
struct Heard {
  Heard(std::string_view utterance, WordForms& forms);
  Heard(detail::Tokens normalised, WordForms& forms);  // tokens as detail::normalize_tokens gives
  detail::Tokens tokens;
  std::vector<std::string> lemmas;
  struct Number {
    long long value = -1;  // -1: no number starts here
    std::size_t end = 0;
  };
  std::vector<Number> numbers;
};

struct ConceptHit {
  std::string concept_id;
  std::size_t begin = 0, end = 0;  // the words [begin, end) of Heard::tokens
  std::string words;               // what fired it, normalised ("smells like gas")
  bool near = false;               // suggested by words in one sentence, not said as a term
  Scope scope;
  bool affirmed() const { return scope.polarity == Polarity::affirmed; }
  // What the call is about: a topic is raised by asking about it, supposing it or wanting it
  // ("i was wondering if you're hiring", "can you install a mini split"), not by denying it or
  // placing it in the past ("we had a tune-up last year").
  bool raises_topic() const {
    return !near && scope.polarity != Polarity::negated && scope.polarity != Polarity::historical;
  }
};

class Lexicon {
 public:
  Lexicon() = default;
  // Errors (an unknown "@concept", a concept that refers to itself, a bad "#A-B") are returned
  // as one message naming the concept and the term.
  static Result<Lexicon, std::string> compile(const std::vector<ConceptSource>& sources,
                                              WordForms& forms);

  // Every hit of every concept, by concept (in source order), then by position.
  std::vector<ConceptHit> find(const Heard& heard) const;
  // The hits of one list of terms written like a concept's (an escalation row's keywords).
  bool empty() const { return concepts_.empty(); }
  std::size_t size() const { return concepts_.size(); }

 private:
  struct Piece {
    enum class Kind { word, exact, number, reference } kind = Kind::word;
    int id = -1;  // the lemma (word) or the word (exact) interned in ids_
    long long low = 0, high = 0;
    std::size_t target = 0;
  };
  using Term = std::vector<Piece>;
  struct Compiled {
    std::string id;
    std::vector<Term> terms;
    std::vector<std::vector<Term>> near;
    std::vector<Term> except;
    std::vector<Term> unless;
    std::vector<std::size_t> unanchored;  // terms that start with a number or a reference
  };
  // The terms that start with each word (by id of ids_), as (concept, term) pairs: an utterance
  // tries only the terms its words can start.
  struct TermRef {
    std::size_t concept_index, term;
  };
  struct Span {
    std::size_t begin = 0, end = 0;
  };
  // One utterance's words as ids of ids_, so matching compares integers (concepts.cpp).
  struct Probe;

  static std::optional<Term> compile_term(std::string_view text,
                                          const std::vector<ConceptSource>& sources,
                                          WordForms& forms,
                                          std::unordered_map<std::string, int>& ids,
                                          std::unordered_map<std::string, std::vector<int>>& words,
                                          std::string& error);
  // Where `term` matches starting at `at` (the end of the match), given the term hits of the
  // concepts already evaluated.
  std::optional<std::size_t> match_at(const Term& term, const Probe& probe, std::size_t piece,
                                      std::size_t at,
                                      const std::vector<std::vector<Span>>& term_hits) const;
  std::vector<Span> matches(const Term& term, const Probe& probe,
                            const std::vector<std::vector<Span>>& term_hits) const;
  void find_near(const Compiled& c, std::size_t index, const Probe& probe,
                 const std::vector<std::vector<Span>>& term_hits, const std::vector<char>& masked,
                 std::vector<ConceptHit>& hits) const;
  void explain_away(const Compiled& c, const Probe& probe,
                    const std::vector<std::vector<Span>>& term_hits,
                    std::vector<ConceptHit>& hits) const;

  std::vector<Compiled> concepts_;
  std::vector<std::size_t> order_;  // evaluation order: each concept after those it refers to
  std::unordered_map<std::string, int> ids_;         // lemmas and exact words of every term
  std::vector<std::vector<TermRef>> starting_with_;  // per id
};

}  // namespace voiceops::nlu
