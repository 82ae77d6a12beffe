// Whole-word phrase matching with negation scope: "no alarms going off" does not mention alarms
// going off.
#include <algorithm>

#include "nlu/detail.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::nlu {
namespace detail {

namespace {

// A subject or a conjunction starts a new clause that the negator before it does not reach:
// "i don't know, it smells like gas", "no heat but there's gas".
bool starts_clause(std::string_view word) {
  return is_one_of(word,
                   {"i",      "we",  "you",    "they",     "he",      "she",     "it", "there",
                    "but",    "and", "though", "although", "however", "because", "so", "then",
                    "except", "yet", "also",   "plus",     "until",   "unless"});
}

// Words that do not use up the three-word window: "doesn't smell like anything weird".
bool is_scope_transparent(std::string_view word) {
  return is_one_of(word, {"a",    "an",   "the",    "any",  "anything", "anyone",  "anybody",
                          "ever", "even", "really", "at",   "all",      "of",      "like",
                          "some", "my",   "our",    "your", "his",      "her",     "their",
                          "very", "too",  "much",   "more", "longer",   "actually"});
}

}  // namespace

bool is_negator(std::string_view word) {
  return is_one_of(word, {"no", "not", "never", "nothing", "without", "none", "nobody", "nobody's",
                          "neither", "nor", "nowhere", "noone"});
}

bool no_is_interjection(const Tokens& tokens, std::size_t index_of_no) {
  if (tokens[index_of_no].pause_after) return true;
  if (index_of_no + 1 >= tokens.size()) return true;
  return is_one_of(
      tokens[index_of_no + 1].text,
      {"it",   "i",     "we",   "you",    "they",   "he",    "she",  "there",    "that",
       "this", "the",   "is",   "am",     "are",    "was",   "wait", "actually", "sorry",
       "yes",  "yeah",  "no",   "not",    "my",     "our",   "well", "so",       "but",
       "and",  "just",  "oh",   "okay",   "thanks", "thank", "i'm",  "its",      "his",
       "her",  "their", "make", "change", "please"});
}

bool is_negated(const Tokens& tokens, std::size_t index) {
  int words_between = 0;
  for (std::size_t k = index; k-- > 0;) {
    const std::string& word = tokens[k].text;
    if (tokens[k].pause_after) return false;  // "no, it smells like gas"
    if (is_negator(word)) return !(word == "no" && no_is_interjection(tokens, k));
    if (starts_clause(word)) return false;
    if (!is_scope_transparent(word) && ++words_between > 2) return false;
  }
  return false;
}

}  // namespace detail

namespace {

// A denial right after the phrase: "the co detector is not going off", "gas leaks none found".
bool denied_after(const detail::Tokens& words, std::size_t end) {
  std::size_t k = end;
  while (k < words.size() && detail::is_one_of(words[k].text, {"is", "are", "was", "were", "has",
                                                               "have", "been", "it's"}))
    ++k;
  return k < words.size() && detail::is_one_of(words[k].text, {"not", "none", "never", "negative"});
}

bool mentions_in(const detail::Tokens& words, std::string_view phrase) {
  const detail::Tokens wanted = detail::normalize_tokens(phrase, /*drop_fillers=*/false);
  for (auto at = detail::find_phrase(words, wanted); at;
       at = detail::find_phrase(words, wanted, *at + 1)) {
    if (!detail::is_negated(words, *at) && !denied_after(words, *at + wanted.size())) return true;
  }
  return false;
}

}  // namespace

bool mentions(std::string_view utterance, std::string_view phrase) {
  return mentions_in(detail::normalize_tokens(utterance), phrase);
}

bool mentions_any(std::string_view utterance, const std::vector<std::string>& phrases) {
  // The utterance is tokenised once: the engine checks every escalation keyword on every turn.
  const detail::Tokens words = detail::normalize_tokens(utterance);
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](const std::string& phrase) { return mentions_in(words, phrase); });
}

}  // namespace voiceops::nlu
