// Turn-taking cues: backchannels while the agent talks, requests to repeat or wait, and
// corrections that refer back to what was said ("no, not the ninth, the nineteenth").
#include <algorithm>
#include <array>
#include <cctype>

#include "nlu/detail.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::nlu {

namespace {

using detail::is_one_of;

// Whether `words` from `i` start with `phrase` (exact words).
// The phrases below are written already normalised (lower case, single spaces), so splitting
// them on spaces is enough: running the normaliser on every phrase of every list on every turn
// was most of the engine's time per turn.
std::size_t phrase_match_length(const std::vector<std::string>& words, std::size_t i,
                                std::string_view phrase) {
  std::size_t count = 0;
  while (!phrase.empty()) {
    const std::size_t space = phrase.find(' ');
    const std::string_view word = phrase.substr(0, space);
    if (i + count >= words.size() || words[i + count] != word) return 0;
    ++count;
    if (space == std::string_view::npos) break;
    phrase.remove_prefix(space + 1);
  }
  return count;
}

// How many words of the first of `phrases` that starts at `i`, or 0.
template <std::size_t N>
std::size_t match_any(const std::vector<std::string>& words, std::size_t i,
                      const std::array<std::string_view, N>& phrases) {
  if (i >= words.size() || words[i].empty()) return 0;
  const char first = words[i].front();
  for (const auto phrase : phrases) {
    // The first letter rules out most phrases before any word is split off.
    if (phrase.front() != first) continue;
    if (const std::size_t length = phrase_match_length(words, i, phrase)) return length;
  }
  return 0;
}

bool has_letters(std::string_view text) {
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

}  // namespace

bool is_backchannel(std::string_view utterance) {
  if (!has_letters(utterance)) return false;  // silence is not a backchannel
  const std::vector<std::string> words = detail::words_of(detail::normalize_tokens(utterance));
  if (words.empty()) return true;  // only "um", "hmm": noise, not an answer
  if (words.size() > 5) return false;
  constexpr auto backchannels = std::to_array<std::string_view>(
      {"mm-hmm", "uh-huh", "okay", "yeah", "yep", "yup", "right", "sure", "all right", "got it",
       "i see", "i understand", "gotcha", "cool", "oh", "go on", "understood"});
  for (std::size_t i = 0; i < words.size();) {
    const std::size_t length = match_any(words, i, backchannels);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

bool is_repeat_request(std::string_view utterance) {
  return is_repeat_request(detail::normalize_tokens(utterance));
}

bool is_repeat_request(const detail::Tokens& tokens) {
  const std::vector<std::string> words = detail::words_of(tokens);
  if (words.empty()) return false;
  // On their own only: "what?", "sorry?", "wait" - inside a sentence they mean something else.
  constexpr auto alone = std::to_array<std::string_view>(
      {"what", "huh", "sorry", "sorry what", "what sorry", "what now", "say what", "excuse me",
       "wait", "again", "pardon me", "i am sorry", "wait what", "i am sorry what", "come again",
       "sorry say again", "repeat"});
  const std::string whole = detail::join(words, 0, words.size());
  for (const auto phrase : alone) {
    if (whole == phrase) return true;
  }
  constexpr auto anywhere = std::to_array<std::string_view>({"say that again",
                                                             "say it again",
                                                             "say again",
                                                             "pardon me",
                                                             "come again",
                                                             "what was that",
                                                             "what did you say",
                                                             "did not catch",
                                                             "did not get that",
                                                             "did not hear",
                                                             "did not quite catch",
                                                             "missed that",
                                                             "missed what you",
                                                             "hold on",
                                                             "hang on",
                                                             "one second",
                                                             "one sec",
                                                             "one moment",
                                                             "just a second",
                                                             "just a sec",
                                                             "just a minute",
                                                             "give me a second",
                                                             "give me a sec",
                                                             "give me a minute",
                                                             "wait a second",
                                                             "wait a minute",
                                                             "pardon",
                                                             "you cut out",
                                                             "you broke up",
                                                             "breaking up",
                                                             "can not hear you",
                                                             "could not hear",
                                                             "one more time",
                                                             "repeat that",
                                                             "repeat it",
                                                             "say that one more",
                                                             "repeat yourself",
                                                             "repeat the",
                                                             "please repeat",
                                                             "can you repeat"});
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (match_any(words, i, anywhere) > 0 && !detail::is_negated(tokens, i)) return true;
  }
  return false;
}

// --- corrections ---------------------------------------------------------------------------------

namespace {

enum class ValueKind { number, ordinal, weekday, month, day_word, other };

class CorrectionReader {
 public:
  explicit CorrectionReader(const detail::Tokens& tokens)
      : tokens_(tokens), words_(detail::words_of(tokens)), runs_(detail::number_runs(words_)) {}

  Correction read() const {
    std::size_t begin = 0;
    while (begin < words_.size() &&
           is_one_of(words_[begin], {"yeah", "oh", "well", "so", "okay", "hmm", "ah"})) {
      ++begin;
    }
    bool cued = false;
    while (const std::size_t length = lead_cue_length(begin)) {
      begin += length;
      cued = true;
    }
    begin = skip_frames(begin, words_.size());
    const std::size_t end = trim_end(begin, words_.size());

    if (begin < end && words_[begin] == "not") return not_y_then_x(begin + 1, end);
    if (auto said = said_x_but_y(begin, end); said.is_correction) return said;
    if (auto contrast = x_not_y(begin, end); contrast.is_correction) return contrast;
    // "yeah that's it except it's lane, west oak lane, not street": the part after "except"
    // (or "but") corrects.
    for (std::size_t k = begin; k + 1 < end; ++k) {
      if (words_[k] != "except" && words_[k] != "but") continue;
      const std::size_t rest = skip_frames(k + 1, end);
      if (rest < end && words_[rest] == "not") return not_y_then_x(rest + 1, end);
      if (auto contrast = x_not_y(rest, end); contrast.is_correction) return contrast;
    }
    if (auto restated = marker_inside(begin, end); restated.is_correction) return restated;
    if (cued && has_content(begin, end) && !is_statement(begin, end)) {
      return {true, join(begin, end), ""};
    }
    return {};
  }

 private:
  // The words [begin, end) with the caller's pauses kept as commas: "twenty one, twenty one oak
  // hollow" is 21, where "twenty one twenty one oak hollow" is 2121.
  std::string join(std::size_t begin, std::size_t end) const {
    std::string out;
    for (std::size_t i = begin; i < end && i < tokens_.size(); ++i) {
      if (!out.empty()) out += ' ';
      out += tokens_[i].text;
      if (tokens_[i].pause_after && i + 1 < end) out += ',';
    }
    return out;
  }

  ValueKind kind_at(std::size_t i) const {
    if (i >= words_.size()) return ValueKind::other;
    const std::string& w = words_[i];
    for (const auto& run : runs_) {
      if (i >= run.begin && i < run.end) return ValueKind::number;
    }
    if (detail::ordinal_at(words_, i)) return ValueKind::ordinal;
    if (detail::weekday_index(w)) return ValueKind::weekday;
    if (detail::month_number(w) && w != "may") return ValueKind::month;
    if (is_one_of(w, {"today", "tomorrow", "tonight", "morning", "afternoon", "evening", "noon",
                      "midnight"})) {
      return ValueKind::day_word;
    }
    return ValueKind::other;
  }

  // The kind of the value a phrase opens with, past "the", "on", "next".
  ValueKind kind_of_phrase(std::size_t begin, std::size_t end) const {
    while (begin < end && is_one_of(words_[begin], {"the", "on", "at", "next", "this", "a"})) {
      ++begin;
    }
    return begin < end ? kind_at(begin) : ValueKind::other;
  }

  bool is_value_kind(ValueKind kind) const { return kind != ValueKind::other; }

  // A clause that explains rather than restates a value: "no, we're one tech short this
  // afternoon", "no, the heat is out".
  bool is_statement(std::size_t begin, std::size_t end) const {
    if (begin >= end) return false;
    if (is_one_of(words_[begin], {"we", "i", "they", "he", "she", "you", "there", "that", "it"})) {
      return true;
    }
    bool has_verb = false, has_value = false;
    for (std::size_t i = begin; i < end; ++i) {
      has_verb = has_verb ||
                 is_one_of(words_[i], {"is", "are", "was", "were", "am", "has", "have", "had", "do",
                                       "does", "did", "will", "would", "can", "could", "should"});
      has_value = has_value || is_value_kind(kind_at(i));
    }
    return has_verb && !has_value;
  }

  bool has_content(std::size_t begin, std::size_t end) const {
    for (std::size_t i = begin; i < end; ++i) {
      if (!is_one_of(
              words_[i],
              {"it",      "is",      "was",    "that",     "this",    "the",   "a",    "an",
               "not",     "no",      "yes",    "yeah",     "right",   "wrong", "okay", "so",
               "but",     "and",     "please", "then",     "instead", "i",     "me",   "my",
               "you",     "just",    "wait",   "actually", "sorry",   "well",  "oh",   "correct",
               "fine",    "what",    "huh",    "sure",     "true",    "there", "are",  "do",
               "does",    "did",     "have",   "has",      "be",      "one",   "mean", "said",
               "problem", "worries", "thanks", "thank",    "all",     "good",  "again"})) {
        return true;
      }
    }
    return false;
  }

  // "no", "wait", "actually", "i said", "make it", ... at `i`: how many words, or 0.
  std::size_t lead_cue_length(std::size_t i) const {
    if (i >= words_.size()) return 0;
    const std::string& w = words_[i];
    if (w == "no" || w == "nope") {
      const bool answers = detail::no_is_interjection(tokens_, i) ||
                           is_value_kind(kind_of_phrase(i + 1, words_.size())) ||
                           skip_frames(i + 1, words_.size()) > i + 1;  // "no, how about friday"
      return answers ? 1 : 0;
    }
    if (w == "sorry") {
      const bool cue =
          tokens_[i].pause_after ||
          is_value_kind(kind_of_phrase(skip_frames(i + 1, words_.size()), words_.size())) ||
          lead_cue_length(i + 1) > 0;
      return cue && i + 1 < words_.size() ? 1 : 0;
    }
    if (is_one_of(w, {"wait", "actually", "oops", "correction", "rather"})) return 1;
    constexpr auto phrases = std::to_array<std::string_view>(
        {"change that to", "change it to", "let us make it", "let us do", "let us say",
         "scratch that", "it should be", "should be", "i mean", "i meant", "i said", "make that",
         "make it", "it is actually", "we said", "we meant"});
    return match_any(words_, i, phrases);
  }

  // "it's", "it was", "make it": words that frame a value without being part of it.
  std::size_t skip_frames(std::size_t begin, std::size_t end) const {
    // Longer frames first: the first that matches is taken.
    constexpr auto frames = std::to_array<std::string_view>(
        {"it is actually",   "it is spelled",    "that is spelled", "it is",
         "it was",           "that is",          "it should be",    "should be",
         "make it",          "make that",        "i said",          "i meant",
         "we said",          "my first name is", "my last name is", "the first name is",
         "the last name is", "first name is",    "last name is",    "my surname is",
         "the surname is",   "surname is",       "my name is",      "the name is",
         "name is",          "spelled",          "spelling is",     "how about",
         "what about",       "can we do",        "can we make it",  "i would like",
         "i would prefer",   "i prefer",         "i want",          "we want"});
    while (begin < end) {
      const std::size_t length = match_any(words_, begin, frames);
      if (length == 0 || begin + length > end) break;
      begin += length;
    }
    return begin;
  }

  // Drops what only decorates the value: "instead", "please", "with a k", "spelled k o w ...".
  std::size_t trim_end(std::size_t begin, std::size_t end) const {
    for (std::size_t i = begin; i < end; ++i) {
      const bool letter_hint =
          words_[i] == "with" && i + 1 < end &&
          (words_[i + 1].size() == 1 || (is_one_of(words_[i + 1], {"a", "an", "two", "double"}) &&
                                         i + 2 < end && words_[i + 2].size() <= 3));
      if (letter_hint || (words_[i] == "spelled" && i > begin)) {
        end = i;
        break;
      }
    }
    while (end > begin && is_one_of(words_[end - 1], {"instead", "please", "then", "but"})) --end;
    return end;
  }

  // Where the value said first ends when no pause marks it: "the ninth | the nineteenth".
  std::size_t first_value_end(std::size_t begin, std::size_t end) const {
    std::size_t i = begin;
    while (i < end && is_one_of(words_[i], {"the", "on", "at", "next", "this"})) ++i;
    if (i >= end) return end;
    for (const auto& run : runs_) {
      for (const auto& segment : run.segments) {
        if (segment.begin == i) return std::min(segment.end, end);
      }
    }
    if (const auto ordinal = detail::ordinal_at(words_, i))
      return std::min(i + ordinal->length, end);
    return i + 1;
  }

  std::optional<std::size_t> pause_end(std::size_t begin, std::size_t end) const {
    for (std::size_t i = begin; i + 1 < end; ++i) {
      if (tokens_[i].pause_after) return i + 1;
    }
    return std::nullopt;
  }

  // Where the last value of `kind` in [begin, end) starts, with a "the" before it.
  std::optional<std::size_t> last_value_start(std::size_t begin, std::size_t end,
                                              ValueKind kind) const {
    for (std::size_t i = end; i-- > begin;) {
      if (kind_at(i) != kind) continue;
      std::size_t start = i;
      if (kind == ValueKind::number) {
        for (const auto& run : runs_) {
          if (i >= run.begin && i < run.end) start = std::max(run.begin, begin);
        }
      } else if (kind == ValueKind::ordinal && i > begin) {
        if (const auto compound = detail::ordinal_at(words_, i - 1);
            compound && compound->length == 2) {
          start = i - 1;
        }
      }
      if (start > begin && words_[start - 1] == "the") --start;
      return start;
    }
    return std::nullopt;
  }

  // "i said lane but it's drive, west oak drive": what was said, then what it is.
  Correction said_x_but_y(std::size_t begin, std::size_t end) const {
    std::size_t said = begin;
    while (said + 1 < end && !(words_[said] == "i" && words_[said + 1] == "said")) ++said;
    if (said + 1 >= end) return {};
    const std::size_t x_begin = said + 2;
    std::size_t but = x_begin;
    while (but < end && words_[but] != "but") ++but;
    if (but >= end || but == x_begin || but - x_begin > 4) return {};
    std::size_t y_begin = skip_frames(but + 1, end);
    std::size_t y_end = y_begin;
    while (y_end < end && !tokens_[y_end].pause_after) ++y_end;
    if (y_end < end) ++y_end;  // the word the pause follows belongs to the value
    if (!has_content(y_begin, y_end)) return {};
    return {true, join(y_begin, y_end), join(x_begin, but)};
  }

  // "not the ninth, the nineteenth".
  Correction not_y_then_x(std::size_t begin, std::size_t end) const {
    const std::size_t y_end = pause_end(begin, end).value_or(first_value_end(begin, end));
    std::size_t x_begin = y_end;
    while (x_begin < end && is_one_of(words_[x_begin], {"but", "rather", "instead"})) ++x_begin;
    x_begin = skip_frames(x_begin, end);
    if (!has_content(begin, y_end) || !has_content(x_begin, end)) return {};
    return {true, join(x_begin, end), join(begin, y_end)};
  }

  // "21 oak street not 12", "thursday not tuesday"; not "the heat is not working".
  Correction x_not_y(std::size_t begin, std::size_t end) const {
    std::size_t not_at = begin;
    while (not_at < end && words_[not_at] != "not") ++not_at;
    if (not_at == begin || not_at >= end) return {};
    std::size_t x_end = not_at;
    while (x_end > begin && is_one_of(words_[x_end - 1], {"but", "and"})) --x_end;
    const std::size_t y_begin = not_at + 1;
    if (x_end == begin || !has_content(begin, x_end) || !has_content(y_begin, end)) return {};
    if (end - y_begin > 4) return {};
    if (is_one_of(words_[x_end - 1],
                  {"is",   "are",  "was", "were", "am",    "do",    "does",  "did",
                   "have", "has",  "had", "can",  "could", "will",  "would", "should",
                   "be",   "been", "it",  "i",    "that",  "there", "why"})) {
      return {};  // "the furnace is not working" negates a verb
    }
    const ValueKind kind = kind_of_phrase(y_begin, end);
    std::size_t x_begin = begin;
    if (is_value_kind(kind)) {
      const auto start = last_value_start(begin, x_end, kind);
      if (!start) return {};
      x_begin = *start;
    } else {
      x_begin = skip_frames(begin, x_end);
      if (x_end - x_begin > 4 || end - y_begin > 3) return {};
    }
    return {true, join(x_begin, x_end), join(y_begin, end)};
  }

  // "job 26081, no, 26018", "tuesday, i mean thursday": the value after the marker replaces the
  // same kind of value before it.
  Correction marker_inside(std::size_t begin, std::size_t end) const {
    for (std::size_t m = end; m-- > begin + 1;) {
      const std::string& w = words_[m];
      std::size_t length = 0;
      bool strong = false;
      if (w == "no" || w == "sorry" || w == "actually") {
        const bool before_value = is_value_kind(kind_of_phrase(m + 1, end));
        if (w == "no" && !detail::no_is_interjection(tokens_, m) && !before_value) continue;
        length = 1;
      } else if (const std::size_t strong_length = match_any(
                     words_, m,
                     std::to_array<std::string_view>(
                         {"i mean", "i meant", "or rather", "make that", "make it", "rather"}))) {
        length = strong_length;
        strong = true;
      } else {
        continue;
      }
      std::size_t y_begin = m + length;
      while (const std::size_t more = lead_cue_length(y_begin)) y_begin += more;
      y_begin = skip_frames(y_begin, end);
      if (!has_content(y_begin, end)) continue;
      const ValueKind kind = kind_of_phrase(y_begin, end);
      std::size_t x_end = m;
      while (x_end > begin && is_one_of(words_[x_end - 1], {"or", "and", "but"})) --x_end;
      const auto replaced =
          is_value_kind(kind) ? last_value_start(begin, x_end, kind) : std::nullopt;
      if (!replaced && !strong) continue;
      return {true, join(y_begin, end), replaced ? join(*replaced, x_end) : ""};
    }
    return {};
  }

  const detail::Tokens& tokens_;
  std::vector<std::string> words_;
  std::vector<detail::NumberRun> runs_;
};

// "the first name is spelled ...", "my last name is ...", "surname".
NamePart name_part_named(const detail::Tokens& tokens) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& w = tokens[i].text;
    if (is_one_of(w, {"surname", "surnames"})) return NamePart::last;
    const bool name_follows = i + 1 < tokens.size() && tokens[i + 1].text == "name";
    if (name_follows && is_one_of(w, {"first", "given"})) return NamePart::first;
    if (name_follows && is_one_of(w, {"last", "family"})) return NamePart::last;
  }
  return NamePart::any;
}

}  // namespace

Correction detect_correction(std::string_view utterance) {
  return detect_correction(detail::normalize_tokens(utterance));
}

Correction detect_correction(const detail::Tokens& tokens) {
  Correction correction = CorrectionReader(tokens).read();
  if (correction.is_correction) correction.name_part = name_part_named(tokens);
  return correction;
}

}  // namespace voiceops::nlu
