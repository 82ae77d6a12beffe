// Number words: "forty one oh six" read as the digits 4106, ordinals, weekday and month names.
#include <array>
#include <charconv>
#include <utility>

#include "nlu/detail.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::nlu {
namespace detail {

namespace {

using Table = std::array<std::string_view, 10>;
constexpr Table kUnits = {"zero", "one", "two",   "three", "four",
                          "five", "six", "seven", "eight", "nine"};
constexpr Table kTeens = {"ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                          "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr Table kTens = {"",      "",      "twenty",  "thirty", "forty",
                         "fifty", "sixty", "seventy", "eighty", "ninety"};
constexpr Table kUnitOrdinals = {"",      "first", "second",  "third",  "fourth",
                                 "fifth", "sixth", "seventh", "eighth", "ninth"};
constexpr Table kTeenOrdinals = {"tenth",      "eleventh",  "twelfth",   "thirteenth",
                                 "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                                 "eighteenth", "nineteenth"};
constexpr Table kTensOrdinals = {"",         "",         "twentieth",  "thirtieth", "fortieth",
                                 "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"};
constexpr std::array<std::string_view, 7> kWeekdays = {"sunday",   "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};
constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

template <std::size_t N>
std::optional<int> index_in(const std::array<std::string_view, N>& table, std::string_view word) {
  if (word.empty()) return std::nullopt;
  for (std::size_t i = 0; i < N; ++i) {
    if (table[i] == word) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int> unit_value(std::string_view w) {  // 1..9
  const auto i = index_in(kUnits, w);
  return i && *i > 0 ? i : std::nullopt;
}
std::optional<int> teen_value(std::string_view w) {
  const auto i = index_in(kTeens, w);
  return i ? std::optional<int>(10 + *i) : std::nullopt;
}
std::optional<int> tens_value(std::string_view w) {
  const auto i = index_in(kTens, w);
  return i ? std::optional<int>(10 * *i) : std::nullopt;
}
std::optional<int> unit_ordinal(std::string_view w) {
  const auto i = index_in(kUnitOrdinals, w);
  return i && *i > 0 ? i : std::nullopt;
}

long long digits_value(std::string_view digits) {
  if (digits.size() > 18) return -1;
  long long value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

bool is_multiplier(std::string_view w) {
  return w == "hundred" || w == "thousand";
}

// "one" that stands for a thing, not a number: "the one i'm calling from", "one of them".
bool is_pronoun_one(const std::vector<std::string>& words, const NumberRun& run) {
  if (run.end - run.begin != 1 || words[run.begin] != "one") return false;
  const bool determiner_before =
      run.begin > 0 &&
      is_one_of(
          words[run.begin - 1],
          {"the",    "this", "that", "which", "any", "every", "each", "no",    "another", "other",
           "some",   "only", "last", "next",  "new", "old",   "same", "right", "wrong",   "big",
           "little", "good", "bad",  "first", "my",  "your",  "our",  "their", "its"});
  const bool of_after = run.end < words.size() && words[run.end] == "of";
  return determiner_before || of_after;
}

// Reads one number at a time; a run is the numbers that follow each other with nothing between.
class SegmentParser {
 public:
  SegmentParser(const std::vector<std::string>& words, bool hundreds_take_what_follows)
      : words_(words), take_what_follows_(hundreds_take_what_follows) {}

  std::optional<NumberSegment> parse(std::size_t i, bool in_run) const {
    const std::string_view w = at(i);
    if (is_digits(w) && !(w.size() <= 2 && is_multiplier(at(i + 1)))) {
      return NumberSegment{std::string(w), digits_value(w), i, i + 1, false};
    }
    if ((w == "double" || w == "triple") && single_digit(i + 1)) {
      const std::string digit = *single_digit(i + 1);
      const std::string digits = w == "double" ? digit + digit : digit + digit + digit;
      return NumberSegment{digits, digits_value(digits), i, i + 2, true};
    }
    if (w == "zero" || ((w == "oh" || w == "o") && (in_run || oh_opens_digits(i)))) {
      return NumberSegment{"0", 0, i, i + 1, true};
    }
    auto part = hundreds(i);
    if (!part) return std::nullopt;
    auto [value, end] = *part;
    if (at(end) == "thousand" && value < 1000) {
      value *= 1000;
      ++end;
      if (!take_what_follows_) return NumberSegment{std::to_string(value), value, i, end, true};
      std::size_t rest = end;
      if (at(rest) == "and" && hundreds(rest + 1)) ++rest;
      if (const auto tail = hundreds(rest); tail && tail->first < 1000) {
        value += tail->first;
        end = tail->second;
      }
    }
    return NumberSegment{std::to_string(value), value, i, end, true};
  }

 private:
  std::string_view at(std::size_t i) const {
    return i < words_.size() ? std::string_view(words_[i]) : std::string_view{};
  }

  std::optional<std::string> single_digit(std::size_t i) const {
    const std::string_view w = at(i);
    if (is_digits(w) && w.size() == 1) return std::string(w);
    if (w == "oh" || w == "o") return "0";
    if (const auto u = index_in(kUnits, w)) return std::to_string(*u);
    return std::nullopt;
  }

  // "oh" opens a run only before at least two more digits ("oh two one three nine"), so that
  // "oh, five" stays an exclamation.
  bool oh_opens_digits(std::size_t i) const {
    return at(i) == "oh" && single_digit(i + 1) && (single_digit(i + 2) || is_digits(at(i + 2)));
  }

  // 1..99: "forty one", "twelve", "seven"; "a" or "5" before "hundred" / "thousand".
  std::optional<std::pair<long long, std::size_t>> small(std::size_t i) const {
    const std::string_view w = at(i);
    if ((w == "a" || (is_digits(w) && w.size() <= 2)) && is_multiplier(at(i + 1))) {
      return std::pair{w == "a" ? 1LL : digits_value(w), i + 1};
    }
    if (const auto tens = tens_value(w)) {
      if (unit_ordinal(at(i + 1))) return std::nullopt;  // "twenty first" is an ordinal
      if (const auto unit = unit_value(at(i + 1))) return std::pair{1LL * *tens + *unit, i + 2};
      return std::pair{1LL * *tens, i + 1};
    }
    if (const auto teen = teen_value(w)) return std::pair{1LL * *teen, i + 1};
    if (const auto unit = unit_value(w)) return std::pair{1LL * *unit, i + 1};
    return std::nullopt;
  }

  // small [hundred [and] [small]]: "twelve hundred", "a hundred and five", "four".
  std::optional<std::pair<long long, std::size_t>> hundreds(std::size_t i) const {
    auto part = small(i);
    if (!part || at(part->second) != "hundred") return part;
    long long value = part->first * 100;
    std::size_t end = part->second + 1;
    if (!take_what_follows_) return std::pair{value, end};
    std::size_t rest = end;
    if (at(rest) == "and" && small(rest + 1)) ++rest;
    if (const auto tail = small(rest)) {
      value += tail->first;
      end = tail->second;
    }
    return std::pair{value, end};
  }

  const std::vector<std::string>& words_;
  bool take_what_follows_;
};

std::string ordinal_suffix(int value) {
  const int last_two = value % 100;
  if (last_two >= 11 && last_two <= 13) return "th";
  switch (value % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
  }
}

}  // namespace

bool NumberRun::only_digit_tokens() const {
  for (const auto& s : segments) {
    if (s.from_words) return false;
  }
  return true;
}

std::string NumberRun::concatenated() const {
  std::string out;
  for (const auto& s : segments) out += s.digits;
  return out;
}

std::vector<NumberRun> number_runs(const std::vector<std::string>& words,
                                   bool hundreds_take_what_follows) {
  const SegmentParser parser(words, hundreds_take_what_follows);
  std::vector<NumberRun> runs;
  std::size_t i = 0;
  while (i < words.size()) {
    auto first = parser.parse(i, false);
    if (!first) {
      ++i;
      continue;
    }
    NumberRun run;
    run.begin = i;
    std::size_t end = first->end;
    run.segments.push_back(std::move(*first));
    while (end < words.size()) {
      auto next = parser.parse(end, true);
      if (!next) break;
      end = next->end;
      run.segments.push_back(std::move(*next));
    }
    run.end = end;
    if (!is_pronoun_one(words, run)) runs.push_back(std::move(run));
    i = end;
  }
  return runs;
}

bool is_number_word(std::string_view word) {
  return index_in(kUnits, word) || teen_value(word) || tens_value(word) || is_multiplier(word);
}

std::optional<Ordinal> ordinal_at(const std::vector<std::string>& words, std::size_t index) {
  if (index >= words.size()) return std::nullopt;
  const std::string_view w = words[index];
  if (w.size() >= 3 && is_digits(w.substr(0, w.size() - 2)) &&
      is_one_of(w.substr(w.size() - 2), {"st", "nd", "rd", "th"})) {
    const long long value = digits_value(w.substr(0, w.size() - 2));
    if (value <= 0 || value > 10000) return std::nullopt;
    return Ordinal{static_cast<int>(value), 1};
  }
  if (const auto tens = tens_value(w); tens && index + 1 < words.size()) {
    if (const auto unit = unit_ordinal(words[index + 1])) return Ordinal{*tens + *unit, 2};
  }
  if (const auto unit = unit_ordinal(w)) return Ordinal{*unit, 1};
  if (const auto teen = index_in(kTeenOrdinals, w)) return Ordinal{10 + *teen, 1};
  if (const auto tens = index_in(kTensOrdinals, w); tens && *tens >= 2) {
    return Ordinal{10 * *tens, 1};
  }
  return std::nullopt;
}

std::optional<int> weekday_index(std::string_view word) {
  return index_in(kWeekdays, word);
}

std::optional<int> month_number(std::string_view word) {
  if (const auto i = index_in(kMonths, word)) return *i + 1;
  constexpr std::array<std::pair<std::string_view, int>, 8> abbreviations = {{{"jan", 1},
                                                                              {"feb", 2},
                                                                              {"aug", 8},
                                                                              {"sept", 9},
                                                                              {"sep", 9},
                                                                              {"oct", 10},
                                                                              {"nov", 11},
                                                                              {"dec", 12}}};
  for (const auto& [name, number] : abbreviations) {
    if (word == name) return number;
  }
  return std::nullopt;
}

// A number before a noun counts things and is not a rating: "about a three, two guys are out".
bool counts_things(std::string_view next) {
  if (is_one_of(next, {"guy",    "tech",  "person", "people", "kid",   "man",    "men",
                       "women",  "hour",  "day",    "week",   "month", "year",   "minute",
                       "time",   "job",   "call",   "truck",  "van",   "degree", "percent",
                       "dollar", "bucks", "of",     "more",   "other", "hundred"})) {
    return true;
  }
  // Plurals: "guys", "techs", "calls"; not "is", "was", "this", "always".
  return is_alphabetic(next) && next.size() >= 4 && next.ends_with('s') && !next.ends_with("ss") &&
         !next.ends_with("us") && !next.ends_with("is") &&
         !is_one_of(next, {"always", "perhaps", "thanks", "sometimes", "yours", "ours", "theirs",
                           "besides", "unless", "does", "guess", "yes"});
}

Tokens numbers_as_digits(const Tokens& tokens) {
  const std::vector<std::string> words = words_of(tokens);
  const std::vector<NumberRun> runs = number_runs(words);
  Tokens out;
  std::size_t next_run = 0;
  for (std::size_t i = 0; i < words.size();) {
    if (next_run < runs.size() && runs[next_run].begin == i) {
      const NumberRun& run = runs[next_run++];
      // "twenty one, twenty one oak hollow", "twenty one, two one": a number said again after a
      // pause, in the same or other words, is one number, not 2121 (said without the pause, it
      // is 2121).
      {
        std::string first, second;
        bool paused = false;
        for (const auto& segment : run.segments) {
          (paused ? second : first) += segment.digits;
          if (segment.end > 0 && tokens[segment.end - 1].pause_after) {
            if (paused) {
              second = "!";  // a second pause: a list, not a repetition
              break;
            }
            paused = true;
          }
        }
        if (paused && !first.empty() && first == second) {
          out.push_back({first, tokens[run.end - 1].pause_after});
          i = run.end;
          continue;
        }
      }
      if (run.only_digit_tokens()) {
        // Typed numbers keep their spacing: "512 555 0142" may be a phone number or three numbers.
        out.insert(out.end(), tokens.begin() + static_cast<std::ptrdiff_t>(run.begin),
                   tokens.begin() + static_cast<std::ptrdiff_t>(run.end));
      } else {
        out.push_back({run.concatenated(), tokens[run.end - 1].pause_after});
      }
      i = run.end;
      continue;
    }
    const auto ordinal = ordinal_at(words, i);
    // "first" and "second" are too often not numbers ("at first", "wait a second").
    if (ordinal && !is_digits(words[i].substr(0, 1)) &&
        !(ordinal->length == 1 && is_one_of(words[i], {"first", "second"}))) {
      out.push_back({std::to_string(ordinal->value) + ordinal_suffix(ordinal->value),
                     tokens[i + ordinal->length - 1].pause_after});
      i += ordinal->length;
      continue;
    }
    out.push_back(tokens[i]);
    ++i;
  }
  return out;
}

}  // namespace detail

std::string words_to_digits(std::string_view normalized) {
  const detail::Tokens digits =
      detail::numbers_as_digits(detail::normalize_tokens(normalized, /*drop_fillers=*/false));
  return detail::join(digits, 0, digits.size());
}

}  // namespace voiceops::nlu
