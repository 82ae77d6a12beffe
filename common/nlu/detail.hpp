#pragma once
// Internals shared by the nlu sources: tokens with pauses, word matching, negation scope and the
// number-word parser. Not part of the engine's API.
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nlu/nlu.hpp"

namespace voiceops::nlu::detail {

// normalize() as tokens, remembering where the caller paused. `drop_fillers` false keeps "um",
// "like", "you know" (for phrases written by packs, which never contain fillers).
Tokens normalize_tokens(std::string_view utterance, bool drop_fillers = true);
std::vector<std::string> words_of(const Tokens& tokens);
std::string join(const Tokens& tokens, std::size_t begin, std::size_t end);
std::string join(const std::vector<std::string>& words, std::size_t begin, std::size_t end);

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> words);
bool is_digits(std::string_view word);
bool is_alphabetic(std::string_view word);  // letters and inner apostrophes only

// The form words are compared in: possessive and plural endings and a final "e" dropped, so
// "alarms" ~ "alarm", "dad's" ~ "dad", "noises" ~ "noise".
std::string word_key(std::string_view word);
// word_key() that also drops -ing / -ed ("leaking" ~ "leak", "stopped" ~ "stop"): intent overlap.
std::string stem(std::string_view word);

// Where `phrase` starts in `tokens` at or after `from` (whole words compared by word_key).
std::optional<std::size_t> find_phrase(const Tokens& tokens, const Tokens& phrase,
                                       std::size_t from = 0);
// The same with both sides normalised and keyed beforehand.
std::optional<std::size_t> find_phrase(const Utterance& said, const PhraseList::Phrase& phrase,
                                       std::size_t from = 0);
// True when a negator governs the word at `index`: see mentions() in nlu.hpp.
bool is_negated(const Tokens& tokens, std::size_t index);
// A denial of presence right after the words ending at `end`: "the co detector is not going
// off", "gas leaks none found"; not "the furnace is not working" (matching.cpp).
bool denied_after(const Tokens& words, std::size_t end);
bool is_negator(std::string_view word);
// "no" that answers rather than negates the next word: "no, it's ...", "no the furnace".
bool no_is_interjection(const Tokens& tokens, std::size_t index_of_no);

// --- numbers -------------------------------------------------------------------------------------

// One number as said: "forty one" (41), "oh" (0), "double five" (55), "a hundred and five" (105),
// or a token of digits as typed ("0142", leading zeros kept).
struct NumberSegment {
  std::string digits;
  long long value = -1;            // -1 when too long to matter as a quantity
  std::size_t begin = 0, end = 0;  // word span [begin, end)
  bool from_words = false;         // said as words, not typed as digits
};
// Adjacent numbers with nothing between them: "forty one oh six" is one run of three segments.
struct NumberRun {
  std::size_t begin = 0, end = 0;
  std::vector<NumberSegment> segments;
  bool only_digit_tokens() const;
  std::string concatenated() const;  // "4106"
};
// `hundreds_take_what_follows` false reads "eight hundred five five five" as 800 5 5 5, the way
// phone numbers are said, instead of 805 5 5.
std::vector<NumberRun> number_runs(const std::vector<std::string>& words,
                                   bool hundreds_take_what_follows = true);

// words_to_digits() on tokens, keeping pauses.
Tokens numbers_as_digits(const Tokens& tokens);

bool is_number_word(std::string_view word);
// The word after a number makes it a count, not a rating or a house number: "two guys",
// "four years", "one tech".
bool counts_things(std::string_view next);  // "one".."ninety", "hundred", "thousand", "zero"
// "ninth" -> 9, "thirtieth" -> 30, "21st" -> 21, and the compound "twenty first" -> {21, 2 words}.
struct Ordinal {
  int value = 0;
  std::size_t length = 1;  // words used
};
std::optional<Ordinal> ordinal_at(const std::vector<std::string>& words, std::size_t index);

std::optional<int> weekday_index(std::string_view word);  // "sunday" -> 0 .. "saturday" -> 6
std::optional<int> month_number(std::string_view word);   // "january" -> 1

}  // namespace voiceops::nlu::detail
