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
  return is_one_of(word,
                   {"a",    "an",     "the",      "any", "anything", "anyone", "anybody", "ever",
                    "even", "really", "at",       "all", "of",       "like",   "some",    "my",
                    "our",  "your",   "his",      "her", "their",    "very",   "too",     "much",
                    "more", "longer", "actually", "to",  "be",       "been",   "being"});
}

// Negators that deny the noun phrase after them, whatever words lie between: "no alarms going
// off", "without any heat".
bool denies_what_follows(std::string_view word) {
  return is_one_of(word, {"no", "without", "none", "neither", "nobody", "nobody's", "noone"});
}

// Words through which "not", "never", "nothing" reach a phrase: perceiving, having, being,
// wanting. Any other verb takes the negation itself and leaves its object standing: "we can't
// get rid of the gas smell" and "i can't turn off the alarm" still mention gas and the alarm.
bool carries_negation(std::string_view word) {
  return is_one_of(
      word,
      {"smell", "smells", "smelled", "smelling", "smelt", "see", "saw", "seen", "seeing", "hear",
       "heard", "hearing", "notice", "noticed", "noticing", "feel", "feels", "felt", "feeling",
       "sense", "sensed", "detect", "detected", "have", "has", "had", "having", "get", "getting",
       "got", "seem", "seems", "seemed", "look", "looks", "looked", "sound", "sounds", "sounded",
       "is", "are", "was", "were", "am", "appear", "appears", "appeared", "want", "need", "wanna",
       "going", "find", "found", "sign", "signs", "trace", "hint", "kind", "sort", "type", "enough",
       "quite", "exactly", "currently", "anymore", "yet", "still", "there",
       // where: "it's not near any outlets", "nowhere close to the panel"
       "near", "close", "next", "anywhere", "around", "by", "touching", "reaching"});
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
  bool only_carriers = true;
  for (std::size_t k = index; k-- > 0;) {
    const std::string& word = tokens[k].text;
    if (tokens[k].pause_after) return false;  // "no, it smells like gas"
    if (is_negator(word)) {
      if (word == "no" && no_is_interjection(tokens, k)) return false;
      return denies_what_follows(word) || only_carriers;
    }
    if (starts_clause(word)) return false;
    if (is_scope_transparent(word)) continue;
    if (++words_between > 2) return false;
    only_carriers = only_carriers && carries_negation(word);
  }
  return false;
}

// A denial right after the phrase: "the co detector is not going off", "gas leaks none found".
// Only a denial of presence counts: "the furnace is not working" still mentions the furnace, and
// "the gas smell is not going away" is the opposite of a dismissal.
bool denied_after(const detail::Tokens& words, std::size_t end) {
  std::size_t k = end;
  while (k < words.size() &&
         is_one_of(words[k].text, {"is", "are", "was", "were", "has", "have", "been"})) {
    ++k;
  }
  if (k >= words.size()) return false;
  if (is_one_of(words[k].text, {"none", "negative"})) return true;
  if (!is_one_of(words[k].text, {"not", "never"})) return false;
  if (k + 1 >= words.size()) return true;  // "is the alarm going off?" "the alarm is not"
  const std::string& next = words[k + 1].text;
  const std::string_view after = k + 2 < words.size() ? words[k + 2].text : std::string_view{};
  // Presence denied; "not that strong", "not a lot" still report the thing.
  return (next == "going" && after == "off") ||
         ((next == "a" || next == "an") &&
          is_one_of(after, {"problem", "issue", "emergency", "concern", "worry"})) ||
         is_one_of(next, {"on", "there", "here", "present", "detected", "found", "sounding",
                          "beeping", "chirping", "happening", "anything", "or", "smelling"});
}

}  // namespace detail

namespace {

bool is_relative(std::string_view word) {
  return detail::is_one_of(
      detail::word_key(word),
      {"dad",         "mom",         "mum",    "father",   "mother",      "grandma", "grandpa",
       "grandmother", "grandfather", "granny", "nana",     "grandparent", "parent",  "husband",
       "wife",        "aunt",        "uncle",  "neighbor", "neighbour",   "he",      "she"});
}

constexpr int elderly_age = 70;

bool is_elderly_age(const detail::Tokens& words, std::size_t at) {
  if (at >= words.size() || !detail::is_digits(words[at].text) || words[at].text.size() > 3) {
    return false;
  }
  if (std::stoi(words[at].text) < elderly_age) return false;
  // "she's 90 degrees" is no age; "90 years old" or nothing after it is.
  return at + 1 >= words.size() || !detail::is_one_of(words[at + 1].text, {"degrees", "degree"});
}

// An old person described rather than named: "my dad's eighty nine", "my 92 year old mother".
// "it's eighty nine in the bedroom" is a temperature: the age must belong to a person.
bool describes_elderly_person(const detail::Tokens& said) {
  const detail::Tokens words = detail::numbers_as_digits(said);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (is_relative(words[i].text) && i + 2 < words.size() && words[i + 1].text == "is" &&
        is_elderly_age(words, i + 2) && !detail::is_negated(words, i)) {
      return true;
    }
    const bool aged = is_elderly_age(words, i) && i + 3 < words.size() &&
                      detail::word_key(words[i + 1].text) == "year" && words[i + 2].text == "old";
    if (aged && is_relative(words[i + 3].text)) return true;
  }
  return false;
}

bool mentions_in(const detail::Tokens& words, std::string_view phrase) {
  const detail::Tokens wanted = detail::normalize_tokens(phrase, /*drop_fillers=*/false);
  for (auto at = detail::find_phrase(words, wanted); at;
       at = detail::find_phrase(words, wanted, *at + 1)) {
    if (!detail::is_negated(words, *at) && !detail::denied_after(words, *at + wanted.size()))
      return true;
  }
  // "elderly" is a kind of person callers describe more often than they name.
  return wanted.size() == 1 && wanted.front().text == "elderly" && describes_elderly_person(words);
}

bool mentions_in(const Utterance& said, const PhraseList::Phrase& phrase) {
  for (auto at = detail::find_phrase(said, phrase); at;
       at = detail::find_phrase(said, phrase, *at + 1)) {
    if (!detail::is_negated(said.tokens, *at) &&
        !detail::denied_after(said.tokens, *at + phrase.tokens.size())) {
      return true;
    }
  }
  return phrase.tokens.size() == 1 && phrase.tokens.front().text == "elderly" &&
         describes_elderly_person(said.tokens);
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

bool mentions_any(const Utterance& said, const PhraseList& phrases) {
  return std::any_of(phrases.phrases.begin(), phrases.phrases.end(),
                     [&](const PhraseList::Phrase& phrase) { return mentions_in(said, phrase); });
}

}  // namespace voiceops::nlu
