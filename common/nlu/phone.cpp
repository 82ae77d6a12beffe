// Phone numbers and digit strings (job numbers, PINs), spoken or keyed.
#include <algorithm>
#include <array>
#include <cctype>

#include "nlu/detail.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::nlu {

namespace {

using detail::is_one_of;

// "512.555.0142" and "512-555" (the dash already split) become plain digits.
std::vector<std::string> words_for_digits(const detail::Tokens& tokens) {
  std::vector<std::string> words = detail::words_of(tokens);
  for (auto& w : words) {
    if (w.size() > 1 && std::isdigit(static_cast<unsigned char>(w.front())) &&
        std::all_of(w.begin(), w.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
        })) {
      std::erase(w, '.');
    }
  }
  return words;
}

// North American numbers: the area code and the exchange never start with 0 or 1.
std::optional<std::string> north_american(std::string_view ten_digits) {
  if (ten_digits.size() != 10 || ten_digits[0] < '2' || ten_digits[3] < '2') return std::nullopt;
  return "+1" + std::string(ten_digits);
}

std::optional<std::string> to_e164(std::string_view digits, bool international) {
  if (digits.size() == 11 && digits[0] == '1') return north_american(digits.substr(1));
  if (international) {
    if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
    return "+" + std::string(digits);
  }
  if (digits.size() == 10) return north_american(digits);
  return std::nullopt;
}

// Words that may sit between parts of one number: "area code 512 and then 555 0142".
bool may_join_parts(const std::vector<std::string>& words, std::size_t begin, std::size_t end) {
  if (end - begin > 3) return false;
  for (std::size_t i = begin; i < end; ++i) {
    if (!is_one_of(words[i], {"and", "then", "area", "code", "dash", "the", "rest", "is", "number",
                              "it", "space"})) {
      return false;
    }
  }
  return true;
}

// "this number's fine", "the one i'm calling from": the callback number is the caller ID.
// Returns false when the utterance points elsewhere ("not this one, my cell").
bool points_at_caller_id(const detail::Tokens& tokens) {
  constexpr auto phrases = std::to_array<std::string_view>({"the one i am calling from",
                                                            "the number i am calling from",
                                                            "calling from",
                                                            "calling on",
                                                            "caller id",
                                                            "this number",
                                                            "this phone",
                                                            "this line",
                                                            "this one",
                                                            "same number",
                                                            "number i am on",
                                                            "number you have",
                                                            "number that came up",
                                                            "number on your screen",
                                                            "number showing",
                                                            "number that shows",
                                                            "the one i am on",
                                                            "one i am using",
                                                            "this cell",
                                                            "this cellphone",
                                                            "this mobile",
                                                            "the one you see",
                                                            "the number you see",
                                                            "number you are seeing",
                                                            "the one that came up",
                                                            "what i am calling on",
                                                            "use this",
                                                            "this is my cell",
                                                            "this is my home phone",
                                                            "this is my number",
                                                            "this is the best",
                                                            "this is good",
                                                            "this is fine",
                                                            "the one i called from",
                                                            "same one",
                                                            "my home number",
                                                            "this is my home",
                                                            "home number",
                                                            "this landline",
                                                            "reach me here",
                                                            "call me here",
                                                            "right here",
                                                            "this is where",
                                                            "reach me on this",
                                                            "call me on this"});
  bool pointed = false;
  for (const auto phrase : phrases) {
    const detail::Tokens wanted = detail::normalize_tokens(phrase, false);
    for (auto at = detail::find_phrase(tokens, wanted); at;
         at = detail::find_phrase(tokens, wanted, *at + 1)) {
      if (detail::is_negated(tokens, *at)) return false;
      pointed = true;
    }
  }
  for (const auto& t : tokens) {
    if (is_one_of(t.text, {"different", "another", "other"})) return false;
  }
  return pointed;
}

std::optional<std::string> caller_id_e164(std::string_view caller_id) {
  std::string digits;
  for (const char c : caller_id) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  }
  const bool international = caller_id.find('+') != std::string_view::npos;
  return to_e164(digits, international);
}

// Correction markers inside one utterance: what follows replaces what came before.
bool is_correction_marker(const detail::Tokens& tokens, std::size_t i) {
  const std::string& w = tokens[i].text;
  const std::string_view next = i + 1 < tokens.size() ? tokens[i + 1].text : std::string_view{};
  if (w == "no")
    return detail::no_is_interjection(tokens, i) || detail::is_digits(next) ||
           detail::is_number_word(next) || next == "oh";
  if (w == "mean" || w == "meant") return i > 0 && tokens[i - 1].text == "i";
  return is_one_of(w, {"sorry", "wait", "actually", "correction", "rather", "scratch", "nope"}) ||
         (w == "make" && is_one_of(next, {"that", "it"}));
}

// The latest complete number in `runs`; a number may be said in parts with a few words between.
std::optional<std::string> latest_number(const std::vector<std::string>& words,
                                         const std::vector<detail::NumberRun>& runs) {
  std::optional<std::string> best;
  std::size_t best_end = 0;
  for (std::size_t last = 0; last < runs.size(); ++last) {
    std::string digits;
    for (std::size_t first = last + 1; first-- > 0;) {
      if (first < last && !may_join_parts(words, runs[first].end, runs[first + 1].begin)) break;
      digits = runs[first].concatenated() + digits;
      const bool international = runs[first].begin > 0 && words[runs[first].begin - 1] == "plus";
      if (auto e164 = to_e164(digits, international)) {
        if (!best || runs[last].end > best_end) {
          best = std::move(e164);
          best_end = runs[last].end;
        }
        break;
      }
      if (digits.size() > 15) break;
    }
  }
  return best;
}

}  // namespace

std::optional<std::string> extract_phone(std::string_view utterance, std::string_view caller_id) {
  const detail::Tokens tokens = detail::normalize_tokens(utterance);
  const std::vector<std::string> words = words_for_digits(tokens);
  if (auto number = latest_number(words, detail::number_runs(words))) return number;
  // "one eight hundred five five five ...": hundreds said as a group of digits.
  if (auto number = latest_number(words, detail::number_runs(words, false))) return number;
  if (!caller_id.empty() && points_at_caller_id(tokens)) return caller_id_e164(caller_id);
  return std::nullopt;
}

std::optional<std::string> extract_digits(std::string_view utterance, int expected_length) {
  const detail::Tokens tokens = detail::normalize_tokens(utterance);
  const std::vector<std::string> words = words_for_digits(tokens);
  const std::vector<detail::NumberRun> runs = detail::number_runs(words);

  // Runs said after "not" are what the digits are not: "26018, not 26081".
  std::vector<const detail::NumberRun*> kept;
  for (const auto& run : runs) {
    bool negated = false;
    for (std::size_t back = 1; back <= 3 && back <= run.begin; ++back) {
      const std::string& w = words[run.begin - back];
      if (w == "not") negated = true;
      if (!is_one_of(w, {"the", "number", "job", "it", "is", "not"})) break;
    }
    if (!negated) kept.push_back(&run);
  }
  // After a correction marker only the runs that follow it count, when there are any.
  for (std::size_t i = tokens.size(); i-- > 0;) {
    if (!is_correction_marker(tokens, i)) continue;
    std::vector<const detail::NumberRun*> after;
    for (const auto* run : kept) {
      if (run->begin > i) after.push_back(run);
    }
    if (!after.empty()) {
      kept = std::move(after);
      break;
    }
  }
  if (kept.empty()) return std::nullopt;

  if (expected_length <= 0) {
    std::string longest;  // ties: the later one
    for (const auto* run : kept) {
      if (std::string digits = run->concatenated(); digits.size() >= longest.size()) {
        longest = std::move(digits);
      }
    }
    return longest;
  }
  const auto wanted = static_cast<std::size_t>(expected_length);
  for (auto it = kept.rbegin(); it != kept.rend(); ++it) {
    const detail::NumberRun& run = **it;
    if (run.concatenated().size() == wanted) return run.concatenated();
    // A run too long may be two attempts said without a marker: split where the caller paused.
    std::string part;
    std::optional<std::string> last_match;
    for (const auto& segment : run.segments) {
      part += segment.digits;
      if (tokens[segment.end - 1].pause_after || &segment == &run.segments.back()) {
        if (part.size() == wanted) last_match = part;
        part.clear();
      }
    }
    if (last_match) return last_match;
  }
  return std::nullopt;
}

}  // namespace voiceops::nlu
