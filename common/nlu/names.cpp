// Names of people ("it's dana k o w a l s k i") and street addresses ("forty one oh six elm").
#include <algorithm>
#include <array>
#include <cctype>

#include "base/spelling.hpp"
#include "nlu/detail.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::nlu {

namespace {

using detail::is_one_of;

bool is_single_letter(std::string_view w) {
  return w.size() == 1 && w[0] >= 'a' && w[0] <= 'z';
}

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// "o'neill" -> "O'Neill", "mcdonald" -> "McDonald", "21st" stays.
std::string title_case(std::string_view word) {
  std::string out(word);
  if (out.empty()) return out;
  out[0] = upper(out[0]);
  if (out.size() > 2 && out[1] == '\'') out[2] = upper(out[2]);
  if (out.size() > 3 && out.starts_with("Mc")) out[2] = upper(out[2]);
  return out;
}

std::string title_case_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += title_case(w);
  }
  return out;
}

// --- names ---------------------------------------------------------------------------------------

// Words that end a name: "tom reyes at 40 birch", "dee i'm on rob's phone".
bool ends_name(std::string_view w) {
  return is_one_of(
      w,
      {"at",      "and",      "from",      "with",   "on",       "in",      "of",       "for",
       "about",   "calling",  "call",      "called", "i",        "my",      "me",       "we",
       "our",     "us",       "it",        "is",     "was",      "are",     "am",       "be",
       "the",     "a",        "an",        "to",     "but",      "so",      "because",  "here",
       "there",   "speaking", "phone",     "number", "address",  "please",  "thanks",   "thank",
       "you",     "your",     "yes",       "yeah",   "no",       "not",     "sorry",    "who",
       "what",    "that",     "this",      "just",   "also",     "too",     "again",    "okay",
       "by",      "as",       "or",        "if",     "name",     "spelled", "spelling", "like",
       "she",     "he",       "they",      "her",    "his",      "him",     "them",     "do",
       "does",    "did",      "have",      "has",    "had",      "will",    "would",    "can",
       "could",   "should",   "live",      "living", "over",     "up",      "down",     "out",
       "off",     "into",     "regarding", "today",  "tomorrow", "tonight", "now",      "then",
       "when",    "where",    "why",       "how",    "which",    "all",     "right",    "well",
       "wait",    "hold",     "hi",        "hello",  "hey",      "good",    "morning",  "afternoon",
       "evening", "first",    "last",      "middle", "only",     "really",  "very",     "actually",
       "anyway",  "under",    "behind",    "inside", "outside",  "above",   "below",    "through",
       "around",  "since",    "after",     "before", "until",    "mm-hmm",  "uh-huh",   "sure",
       "yep",     "nope"});
}

// What follows "i'm" or "it's" is often not a name: "i'm freezing", "it's the furnace".
// `any_ing`: every -ing word is taken for a verb ("i'm calling", "it's leaking"); after "this is"
// only the common ones are, so "this is sterling" stays a name.
bool cannot_start_name(std::string_view w, bool any_ing) {
  if (ends_name(w)) return true;
  if (any_ing && w.size() >= 5 && w.ends_with("ing")) return true;
  // "it's booked under ...", "it's more like a dusty smell": not a name.
  if (is_one_of(w, {"sir",     "ma'am",     "maam",      "mam",        "dear",     "honey",
                    "buddy",   "probably",  "actually",  "really",     "just",     "quit",
                    "under",   "booked",    "out",       "in",         "more",     "less",
                    "like",    "not",       "also",      "scheduled",  "supposed", "located",
                    "listed",  "covered",   "installed", "called",     "finished", "cracked",
                    "running", "working",   "blowing",   "leaking",    "about",    "kinda",
                    "sorta",   "basically", "literally", "definitely", "probably"})) {
    return true;
  }
  if (is_one_of(w, {"calling", "getting", "going", "having", "trying", "looking", "leaking",
                    "making", "concerning", "wondering", "checking", "following", "reaching"})) {
    return true;
  }
  return is_one_of(
      w, {"fine",       "great",      "cold",    "freezing",  "hot",        "warm",
          "still",      "so",         "afraid",  "worried",   "concerned",  "interested",
          "new",        "ready",      "done",    "back",      "home",       "furnace",
          "heat",       "heater",     "ac",      "air",       "water",      "boiler",
          "thermostat", "problem",    "issue",   "leak",      "gas",        "noise",
          "smell",      "emergency",  "pretty",  "kind",      "sort",       "almost",
          "stuck",      "tired",      "sick",    "upstairs",  "downstairs", "broken",
          "one",        "dead",       "gone",    "busy",      "late",       "urgent",
          "bad",        "terrible",   "awful",   "weird",     "strange",    "quiet",
          "loud",       "fixed",      "off",     "there",     "wrong",      "cool",
          "perfect",    "awesome",    "nothing", "something", "whatever",   "maybe",
          "huh",        "pardon",     "repeat",  "help",      "operator",   "representative",
          "agent",      "human",      "person",  "somebody",  "someone",    "anyone",
          "nobody",     "everything", "correct", "sounds",    "both",       "either",
          "neither",    "none",       "all",     "full",      "empty",      "open",
          "closed",     "wet",        "dry",     "flooded",   "dark",       "frozen",
          "blank",      "hang",       "get",     "got",       "need",       "want",
          "time",       "its",        "doing",   "being",     "okay",       "good",
          "same",       "different",  "ready"});
}

// "k o w a l s k i", "o n e i double l", letters separated by pauses: at least two letters.
struct Spelled {
  std::string word;
  std::size_t end = 0;
};
std::optional<Spelled> spelled_at(const std::vector<std::string>& words, std::size_t i) {
  std::string letters;
  std::size_t j = i;
  while (j < words.size()) {
    const std::string& w = words[j];
    if (is_single_letter(w)) {
      letters += w;
      ++j;
    } else if (w == "double" && j + 1 < words.size() && is_single_letter(words[j + 1])) {
      letters += words[j + 1] + words[j + 1];
      j += 2;
    } else if (w == "oh" && !letters.empty() && j + 1 < words.size() &&
               is_single_letter(words[j + 1])) {
      letters += 'o';
      ++j;
    } else {
      break;
    }
  }
  if (letters.size() < 2) return std::nullopt;
  return Spelled{letters, j};
}

bool is_name_word(std::string_view w) {
  return detail::is_alphabetic(w) && !ends_name(w) && !detail::is_number_word(w) &&
         !detail::weekday_index(w) && !w.ends_with("'s");
}

struct NameSpan {
  std::vector<std::string> parts;
  std::size_t end = 0;
};

NameSpan collect_name(const detail::Tokens& tokens, const std::vector<std::string>& words,
                      std::size_t start) {
  NameSpan span;
  std::size_t i = start;
  while (i < words.size() && span.parts.size() < 4) {
    if (const auto spelled = spelled_at(words, i)) {
      // A spelling that repeats the word just said confirms it: "dana, d a n a". One that
      // resembles the last word or two corrects what the recogniser heard: "dana cool walski,
      // k o w a l s k i" is Dana Kowalski.
      const auto close = [&](const std::string& heard) {
        return edit_distance(heard, spelled->word) <=
               std::max<std::size_t>(2, spelled->word.size() / 3);
      };
      // "dana cool walski, k o w a l s k i": the recogniser split the surname in two.
      const bool split_surname = span.parts.size() >= 3 &&
                                 spelled->word.size() > span.parts.back().size() &&
                                 spelled->word.ends_with(span.parts.back());
      if (split_surname ||
          (span.parts.size() >= 2 && close(span.parts[span.parts.size() - 2] + span.parts.back()) &&
           !close(span.parts.back()))) {
        span.parts.pop_back();
        span.parts.back() = spelled->word;
      } else if (!span.parts.empty() && close(span.parts.back())) {
        span.parts.back() = spelled->word;
      } else {
        span.parts.push_back(spelled->word);
      }
      i = spelled->end;
      if (i > 0 && tokens[i - 1].pause_after && !spelled_at(words, i)) break;
      continue;
    }
    const std::string& w = words[i];
    if ((w == "oh" || w == "o") && i + 1 < words.size() && is_name_word(words[i + 1]) &&
        !is_single_letter(words[i + 1]) && !span.parts.empty()) {
      span.parts.push_back("o'" + words[i + 1]);  // "shivon oh neil" -> "Shivon O'Neil"
      i += 2;
    } else if (is_single_letter(w) && !is_one_of(w, {"a", "i"})) {
      span.parts.push_back(w);  // an initial
      ++i;
    } else if (is_name_word(w) && !is_single_letter(w)) {
      if (span.parts.size() == 1 && span.parts.front() == w) {
        span.parts.clear();  // the caller started again: "tom, tom reyes"
      }
      span.parts.push_back(w);
      ++i;
    } else {
      break;
    }
    // A pause ends the name unless a spelling or a restart follows: "maria, maria lopez".
    if (tokens[i - 1].pause_after && !spelled_at(words, i) &&
        !(i < words.size() && words[i] == span.parts.front())) {
      break;
    }
  }
  span.end = i;
  return span;
}

// Where each occurrence of `phrase` ends. The phrases are this file's own, written normalised
// ("name is", "i am"), so they are compared word by word, not normalised on every utterance.
std::vector<std::size_t> phrase_ends(const detail::Tokens& tokens, std::string_view phrase) {
  std::vector<std::size_t> ends;
  for (std::size_t at = 0; at < tokens.size(); ++at) {
    std::size_t k = at;
    std::string_view rest = phrase;
    while (!rest.empty() && k < tokens.size()) {
      const std::size_t space = rest.find(' ');
      if (tokens[k].text != rest.substr(0, space)) break;
      ++k;
      rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    }
    if (rest.empty()) ends.push_back(k);
  }
  return ends;
}

// "gloria vance, that's v a n c e", "ken harper spelled h a r p e r": the words announcing a
// spelling go, so the spelling confirms or corrects the name just said.
detail::Tokens without_spelling_announcements(detail::Tokens tokens) {
  const std::vector<std::string> words = detail::words_of(tokens);
  std::vector<bool> drop(tokens.size(), false);
  for (std::size_t i = 1; i < words.size(); ++i) {
    std::size_t length = 0;
    if (i + 2 < words.size() && words[i] == "that" && words[i + 1] == "is") length = 2;
    if (is_one_of(words[i], {"spelled", "spelt"})) length = 1;
    if (length == 0 || !is_name_word(words[i - 1]) || !spelled_at(words, i + length)) continue;
    for (std::size_t k = i; k < i + length; ++k) drop[k] = true;
    tokens[i - 1].pause_after = false;
  }
  detail::Tokens out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!drop[i]) out.push_back(std::move(tokens[i]));
  }
  return out;
}

}  // namespace

std::optional<std::string> extract_name(std::string_view utterance) {
  const detail::Tokens tokens = without_spelling_announcements(detail::normalize_tokens(utterance));
  const std::vector<std::string> words = detail::words_of(tokens);
  if (words.empty()) return std::nullopt;

  // Introductions that announce a name whatever follows, then ones that often introduce
  // something else ("it's the furnace", "i'm freezing"); the earliest of each kind first.
  constexpr auto strong = std::to_array<std::string_view>(
      {"name is", "surname is", "i said", "spelled", "spelling is", "spell it"});
  constexpr auto weak =
      std::to_array<std::string_view>({"this is", "it is", "i am", "it was", "call me"});
  const auto try_intros = [&](const auto& intros, bool strict) -> std::optional<std::string> {
    std::vector<std::pair<std::size_t, bool>> starts;  // where a name would start; any -ing verb
    for (const auto intro : intros) {
      for (const std::size_t end : phrase_ends(tokens, intro)) {
        starts.emplace_back(end, intro != "this is");
      }
    }
    std::sort(starts.begin(), starts.end());
    for (const auto& [start, any_ing] : starts) {
      if (start >= words.size()) continue;
      if (strict && cannot_start_name(words[start], any_ing) && !spelled_at(words, start)) {
        continue;
      }
      const NameSpan span = collect_name(tokens, words, start);
      if (!span.parts.empty()) return title_case_words(span.parts);
    }
    return std::nullopt;
  };
  if (auto name = try_intros(strong, false)) return name;
  if (auto name = try_intros(weak, true)) return name;

  // No introduction: the answer is the name itself ("maria lopez", "dana here", "tom reyes at
  // 40 birch"), so it must start the utterance and end at a natural boundary.
  std::size_t start = 0;
  while (start < words.size() &&
         is_one_of(words[start],
                   {"yes", "yeah", "yep", "sure", "hi", "hello", "hey", "so", "well", "okay", "oh",
                    "sorry", "good", "morning", "afternoon", "evening", "there", "um"})) {
    ++start;
  }
  if (start >= words.size()) return std::nullopt;
  if (cannot_start_name(words[start], true) && !spelled_at(words, start)) return std::nullopt;
  const NameSpan span = collect_name(tokens, words, start);
  if (span.parts.empty()) return std::nullopt;
  // "hector salinas five one two ...": a number after the name starts something else.
  const bool at_boundary =
      span.end >= words.size() || tokens[span.end - 1].pause_after ||
      detail::is_number_word(words[span.end]) || detail::is_digits(words[span.end]) ||
      is_one_of(words[span.end], {"at", "and", "from", "here", "speaking", "calling", "with", "i",
                                  "my", "phone", "over", "again"}) ||
      // A first and a last name, then how to reach them: "gary lindholm, call me at ...".
      (span.parts.size() == 2 &&
       is_one_of(words[span.end], {"call", "reach", "text", "cell", "number", "you", "it"}));
  if (!at_boundary) return std::nullopt;
  return title_case_words(span.parts);
}

// --- addresses -----------------------------------------------------------------------------------

namespace {

bool is_street_suffix(std::string_view w) {
  return is_one_of(
      w, {"street", "st",     "avenue",   "ave",     "road",      "rd",       "drive",   "dr",
          "lane",   "ln",     "court",    "ct",      "boulevard", "blvd",     "way",     "place",
          "pl",     "circle", "cir",      "terrace", "parkway",   "pkwy",     "highway", "hwy",
          "trail",  "loop",   "square",   "plaza",   "alley",     "crescent", "pike",    "cove",
          "bend",   "path",   "crossing", "row"});
}

bool is_direction(std::string_view w) {
  return is_one_of(
      w, {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"});
}

// After a number these say it is not a house number: "89 in the bedroom", "2 kids", "3 days".
bool cannot_be_street(std::string_view w) {
  if (detail::weekday_index(w) || detail::month_number(w)) return true;
  return is_one_of(
      w,
      {"and",     "or",      "in",       "on",        "at",       "the",     "is",      "it",
       "i",       "my",      "we",       "but",       "so",       "to",      "of",      "for",
       "with",    "near",    "by",       "from",      "off",      "am",      "pm",      "o'clock",
       "degrees", "degree",  "year",     "years",     "old",      "day",     "days",    "week",
       "weeks",   "hour",    "hours",    "minute",    "minutes",  "month",   "months",  "time",
       "times",   "kid",     "kids",     "people",    "children", "dollars", "bucks",   "percent",
       "ago",     "more",    "less",     "today",     "tomorrow", "tonight", "morning", "afternoon",
       "evening", "please",  "not",      "no",        "yes",      "yeah",    "a",       "an",
       "that",    "this",    "thing",    "things",    "was",      "are",     "were",    "has",
       "have",    "had",     "will",     "would",     "can",      "could",   "should",  "then",
       "than",    "out",     "up",       "down",      "ish",      "plus",    "feet",    "foot",
       "inches",  "miles",   "as",       "now",       "last",     "next",    "units",   "floors",
       "stories", "rooms",   "bedrooms", "bathrooms", "sec",      "seconds", "about",   "if",
       "when",    "because", "too",      "ok",        "okay",     "right"});
}

bool is_city_word(std::string_view w) {
  return detail::is_alphabetic(w) && !cannot_be_street(w) && !ends_name(w) &&
         !is_street_suffix(w) && !w.ends_with("'s") &&
         !is_one_of(w, {"apartment", "apt", "unit", "suite", "back", "front", "town", "side",
                        "thanks", "bye", "gate", "code", "basement", "attic", "garage", "house",
                        // what a caller says after the address, not part of it: "21 oak street,
                        // oh and my name's dana"
                        "oh", "um", "uh", "er", "erm", "hmm", "well", "also", "actually", "sorry",
                        "anyway", "like", "just", "only", "again", "here"});
}

// "apartment four b", "unit 12", "apt number 3": the words used and where they end.
struct Unit {
  std::string text;
  std::size_t end = 0;
};
std::optional<Unit> unit_at(const detail::Tokens& tokens, std::size_t j) {
  if (j >= tokens.size() || !is_one_of(tokens[j].text, {"apartment", "apt", "unit", "suite"})) {
    return std::nullopt;
  }
  std::size_t k = j + 1;
  if (k < tokens.size() && tokens[k].text == "number") ++k;
  if (k >= tokens.size()) return std::nullopt;
  const std::string& id = tokens[k].text;
  const bool starts_with_digit = std::isdigit(static_cast<unsigned char>(id[0])) != 0;
  if (!starts_with_digit && !is_single_letter(id)) return std::nullopt;
  std::string unit = id;
  ++k;
  // "four b": a letter said after the number ("a" only when nothing else follows it).
  if (starts_with_digit && detail::is_digits(id) && !tokens[k - 1].pause_after &&
      k < tokens.size() && is_single_letter(tokens[k].text) &&
      (tokens[k].text != "a" || k + 1 == tokens.size() || tokens[k].pause_after)) {
    unit += tokens[k++].text;
  }
  for (char& c : unit) c = upper(c);
  return Unit{title_case(tokens[j].text) + " " + unit, k};
}

struct AddressCandidate {
  std::string text;
  bool has_suffix = false;
};

std::optional<AddressCandidate> address_at(const detail::Tokens& tokens, std::size_t i) {
  const std::string& number = tokens[i].text;
  if (!detail::is_digits(number) || number.size() > 6 ||
      number.find_first_not_of('0') == std::string::npos || tokens[i].pause_after) {
    return std::nullopt;
  }
  std::vector<std::string> street;
  bool has_suffix = false, has_name = false;
  std::size_t j = i + 1;
  while (j < tokens.size() && street.size() < 5) {
    const std::string& w = tokens[j].text;
    const bool ordinal = !w.empty() && w[0] >= '0' && w[0] <= '9' && detail::ordinal_at({w}, 0);
    if (is_street_suffix(w) && !street.empty()) {
      street.push_back(w);
      has_suffix = has_name = true;  // "40 north street" names a street too
      ++j;
      // "cedar bend drive", "lake cove road": a suffix-like word inside the name.
      if (j < tokens.size() && !tokens[j - 1].pause_after && is_street_suffix(tokens[j].text) &&
          street.size() < 5) {
        street.push_back(tokens[j].text);
        ++j;
      }
      break;
    }
    if (!(ordinal || detail::is_alphabetic(w)) || cannot_be_street(w) ||
        (street.empty() && detail::counts_things(w))) {
      break;
    }
    street.push_back(w);
    has_name = has_name || !is_direction(w);
    ++j;
    if (tokens[j - 1].pause_after || street.size() >= 3) break;
  }
  // A trailing direction word is not a street name: "40 north" alone says nothing.
  if (!has_name) return std::nullopt;
  // Without "street", "lane", ... a one-digit number needs "at" or "is" before it: "gave them 2
  // options" is no address, "it's tom at 40 birch" is.
  const bool cued = i > 0 && is_one_of(tokens[i - 1].text, {"at", "is", "on"});
  if (!has_suffix && number.size() < 2 && !cued) return std::nullopt;
  AddressCandidate candidate{number + " " + title_case_words(street), has_suffix};
  bool city_may_follow = has_suffix || (j > 0 && tokens[j - 1].pause_after);
  if (const auto unit = unit_at(tokens, j)) {
    candidate.text += ", " + unit->text;
    j = unit->end;
    city_may_follow = true;
  } else {
    // The unit said first: "apartment four b at one twenty three main street".
    for (std::size_t back = 2; back <= 5 && back <= i; ++back) {
      const auto before = unit_at(tokens, i - back);
      if (!before) continue;
      const bool joined =
          before->end == i ||
          (before->end + 1 == i && is_one_of(tokens[before->end].text, {"at", "on", "in", "of"}));
      if (joined) {
        candidate.text += ", " + before->text;
        break;
      }
    }
  }
  // The city, when said after a full street or with "in": "elm street in round rock".
  if (j < tokens.size() && tokens[j].text == "in") {
    ++j;
    city_may_follow = true;
  }
  std::vector<std::string> city;
  while (city_may_follow && j < tokens.size() && city.size() < 3 && is_city_word(tokens[j].text)) {
    city.push_back(tokens[j].text);
    if (tokens[j++].pause_after) break;
  }
  if (!city.empty()) candidate.text += ", " + title_case_words(city);
  return candidate;
}

}  // namespace

std::optional<std::string> extract_address(std::string_view utterance) {
  const detail::Tokens tokens = detail::numbers_as_digits(detail::normalize_tokens(utterance));
  std::optional<AddressCandidate> first;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    auto candidate = address_at(tokens, i);
    if (!candidate) continue;
    if (candidate->has_suffix) return candidate->text;
    if (!first) first = std::move(candidate);
  }
  if (first) return first->text;
  return std::nullopt;
}

}  // namespace voiceops::nlu
