// Text normalisation: what the recogniser delivers, reduced to lower-case words with contractions
// expanded and fillers removed.
#include <algorithm>
#include <array>
#include <utility>

#include "nlu/detail.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::nlu {
namespace detail {

namespace {

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
// Bytes of multi-byte UTF-8 characters count as letters: "josé" stays one word.
bool is_word_char(char c) {
  return is_ascii_letter(c) || is_digit(c) || static_cast<unsigned char>(c) >= 0x80;
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

struct RawToken {
  std::string text;
  bool pause_after = false;
  bool hyphen_after = false;  // "mm-hmm", "uh-uh": joined by a hyphen
};

// Curly quotes become ASCII apostrophes, en and em dashes a pause; everything else is untouched.
std::string ascii_punctuation(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80') {
      const char third = text[i + 2];
      if (third == '\x98' || third == '\x99') {
        out += '\'';
        i += 2;
        continue;
      }
      if (third == '\x93' || third == '\x94') {
        out += ',';
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::vector<RawToken> split_words(std::string_view input) {
  const std::string text = ascii_punctuation(input);
  std::vector<RawToken> out;
  std::string current;
  const auto at = [&](std::size_t i) { return i < text.size() ? text[i] : '\0'; };
  const auto finish = [&] {
    if (!current.empty()) out.push_back({std::move(current)});
    current.clear();
  };
  const auto pause = [&] {
    finish();
    if (!out.empty()) out.back().pause_after = true;
  };
  const auto symbol_word = [&](std::string word) {
    finish();
    out.push_back({std::move(word)});
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = at(i + 1);
    const bool after_digit = !current.empty() && is_digit(current.back());
    if (is_word_char(c)) {
      current += lower(c);
    } else if (c == '\'') {
      // Inside a word only: "it's", "o'neill"; quotes around words are dropped.
      if (!current.empty() && is_ascii_letter(next)) current += c;
    } else if ((c == ':' || c == '.') && after_digit && is_digit(next)) {
      current += c;  // "7:30", "3.5"
    } else if (c == ',' && after_digit && is_digit(next) && is_digit(at(i + 2)) &&
               is_digit(at(i + 3)) && !is_digit(at(i + 4))) {
      // "1,200": a thousands separator, not a pause.
    } else if (c == '.' && current.size() >= 1 && is_ascii_letter(current.back()) &&
               (current.size() == 1 || !is_ascii_letter(current[current.size() - 2])) &&
               is_ascii_letter(next) && !is_ascii_letter(at(i + 2))) {
      // "p.m.", "a.m.": letters with dots read as one word.
    } else if (c == '-') {
      if (!current.empty() && is_word_char(next)) {
        finish();
        out.back().hyphen_after = true;
      } else {
        pause();
      }
    } else if (c == '+' && (is_digit(next) || (next == ' ' && is_digit(at(i + 2))))) {
      symbol_word("plus");
    } else if (c == '&') {
      symbol_word("and");
    } else if (c == '%') {
      symbol_word("percent");
    } else if (c == '@') {
      symbol_word("at");
    } else if (c == ',' || c == '.' || c == '?' || c == '!' || c == ';' || c == ':') {
      pause();
    } else {
      finish();
    }
  }
  finish();
  return out;
}

// "9am" -> "9 am", "9:30pm" -> "9:30 pm", "4ish" / "fourish" -> "4 ish" / "four ish".
// Ordinals ("21st") and house numbers with a letter ("4b") stay as they are.
std::vector<RawToken> split_suffixes(std::vector<RawToken> words) {
  std::vector<RawToken> out;
  for (auto& word : words) {
    const std::string& text = word.text;
    std::size_t digits_end = 0;
    while (digits_end < text.size() &&
           (is_digit(text[digits_end]) || text[digits_end] == ':' || text[digits_end] == '.')) {
      ++digits_end;
    }
    const std::string_view suffix = std::string_view(text).substr(digits_end);
    std::string_view head;
    std::string tail;
    // "9:30a" is a time; "4a" more likely an apartment.
    const bool clock = text.find(':') < digits_end;
    if (digits_end > 0 &&
        (is_one_of(suffix, {"am", "pm", "ish"}) || (clock && is_one_of(suffix, {"a", "p"})))) {
      head = std::string_view(text).substr(0, digits_end);
      tail = suffix == "a" ? "am" : suffix == "p" ? "pm" : std::string(suffix);
    } else if (text.size() > 3 && text.ends_with("ish") &&
               is_number_word(std::string_view(text).substr(0, text.size() - 3))) {
      head = std::string_view(text).substr(0, text.size() - 3);
      tail = "ish";
    }
    if (head.empty()) {
      out.push_back(std::move(word));
      continue;
    }
    out.push_back({std::string(head)});
    out.push_back({std::move(tail), word.pause_after, word.hyphen_after});
  }
  return out;
}

// Hums that mean yes or no become one token, before "uh" and "hmm" are dropped as fillers.
std::vector<RawToken> join_hums(const std::vector<RawToken>& words) {
  std::vector<RawToken> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i].text;
    if (is_one_of(w, {"mhm", "mmhmm", "mhmm", "mmhm", "uhhuh", "mmhmmm"})) {
      out.push_back({"mm-hmm", words[i].pause_after});
      continue;
    }
    if (i + 1 < words.size()) {
      const std::string& n = words[i + 1].text;
      std::string joined;
      if ((is_one_of(w, {"mm", "mmm", "m", "mhm"}) && is_one_of(n, {"hmm", "hm", "hmmm", "mhm"})) ||
          (w == "um" && n == "hum")) {
        joined = "mm-hmm";
      } else if (w == "uh" && n == "huh") {
        joined = "uh-huh";
      } else if (words[i].hyphen_after && ((w == "uh" && n == "uh") || (w == "nuh" && n == "uh"))) {
        joined = "uh-uh";
      }
      if (!joined.empty()) {
        out.push_back({std::move(joined), words[i + 1].pause_after});
        ++i;
        continue;
      }
    }
    out.push_back(words[i]);
  }
  return out;
}

struct Expansion {
  std::string_view from;
  std::string_view to;
};
// Spelled without the apostrophe by some recognisers, or spoken as one word.
constexpr std::array kWholeWordExpansions = {
    Expansion{"dont", "do not"},
    Expansion{"doesnt", "does not"},
    Expansion{"didnt", "did not"},
    Expansion{"isnt", "is not"},
    Expansion{"wasnt", "was not"},
    Expansion{"werent", "were not"},
    Expansion{"arent", "are not"},
    Expansion{"havent", "have not"},
    Expansion{"hasnt", "has not"},
    Expansion{"hadnt", "had not"},
    Expansion{"cant", "can not"},
    Expansion{"cannot", "can not"},
    Expansion{"couldnt", "could not"},
    Expansion{"wouldnt", "would not"},
    Expansion{"shouldnt", "should not"},
    Expansion{"wont", "will not"},
    Expansion{"aint", "is not"},
    Expansion{"im", "i am"},
    Expansion{"ive", "i have"},
    Expansion{"youre", "you are"},
    Expansion{"theyre", "they are"},
    Expansion{"thats", "that is"},
    Expansion{"whats", "what is"},
    Expansion{"theres", "there is"},
    Expansion{"heres", "here is"},
    Expansion{"youve", "you have"},
    Expansion{"weve", "we have"},
    Expansion{"theyve", "they have"},
    Expansion{"gonna", "going to"},
    Expansion{"wanna", "want to"},
    Expansion{"gotta", "got to"},
    Expansion{"kinda", "kind of"},
    Expansion{"sorta", "sort of"},
    Expansion{"lemme", "let me"},
    Expansion{"gimme", "give me"},
    Expansion{"dunno", "do not know"},
    Expansion{"ok", "okay"},
    Expansion{"okey", "okay"},
    Expansion{"alright", "all right"},
    Expansion{"yea", "yeah"},
    Expansion{"yeh", "yeah"},
    Expansion{"cuz", "because"},
    Expansion{"coz", "because"},
    Expansion{"oclock", "o'clock"},
    Expansion{"y'all", "you all"},
    Expansion{"let's", "let us"},
    Expansion{"can't", "can not"},
    Expansion{"won't", "will not"},
    Expansion{"shan't", "shall not"},
    Expansion{"ain't", "is not"},
};

// "X's" means "X is" only for these; otherwise it is a possessive ("rob's phone") and stays.
bool s_means_is(std::string_view word) {
  return is_one_of(word,
                   {"it",       "that",      "what",      "there",  "here",   "he",    "she",
                    "who",      "where",     "how",       "when",   "why",    "name",  "everything",
                    "nothing",  "something", "this",      "one",    "nobody", "noone", "someone",
                    "somebody", "everyone",  "everybody", "anyone", "anybody"});
}

void append_words(std::vector<Token>& out, std::string_view text, bool pause_after) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    out.push_back({std::string(text.substr(start, end - start))});
    start = end + 1;
  }
  if (!out.empty()) out.back().pause_after = out.back().pause_after || pause_after;
}

// Words a possessive is never followed by, so "X's" before them is "X is": "the heat's out",
// "afternoon's fine", "my dad's eighty nine" (but "rob's phone").
bool s_is_before(std::string_view next) {
  if (next.empty()) return false;
  if (is_digits(next) || is_number_word(next)) return true;
  if (next.size() >= 5 && next.ends_with("ing")) return true;  // "the ac's making a noise"
  return is_one_of(
      next, {"not",     "out",      "on",      "off",   "fine",   "good", "okay",   "great",
             "perfect", "better",   "best",    "worse", "broken", "dead", "gone",   "down",
             "up",      "back",     "here",    "there", "still",  "just", "always", "never",
             "really",  "very",     "so",      "too",   "cold",   "hot",  "warm",   "freezing",
             "stuck",   "frozen",   "fixed",   "done",  "ready",  "open", "closed", "empty",
             "full",    "blank",    "a",       "an",    "the",    "in",   "at",     "all",
             "also",    "probably", "usually", "home",  "busy",   "free", "bad",    "ok"});
}

// `next` is the word after, which decides "it's been" (has) and "i'd better" (had).
void expand(std::vector<Token>& out, const RawToken& word, std::string_view next) {
  const std::string& w = word.text;
  for (const auto& [from, to] : kWholeWordExpansions) {
    if (w == from) return append_words(out, to, word.pause_after);
  }
  const std::size_t apostrophe = w.rfind('\'');
  if (apostrophe != std::string::npos && apostrophe > 0) {
    const std::string_view stem_part = std::string_view(w).substr(0, apostrophe);
    const std::string_view ending = std::string_view(w).substr(apostrophe + 1);
    std::string expanded;
    if (ending == "t" && stem_part.ends_with('n') && stem_part.size() > 1) {
      expanded = std::string(stem_part.substr(0, stem_part.size() - 1)) + " not";
    } else if (ending == "m") {
      expanded = std::string(stem_part) + " am";
    } else if (ending == "re") {
      expanded = std::string(stem_part) + " are";
    } else if (ending == "ve") {
      expanded = std::string(stem_part) + " have";
    } else if (ending == "ll") {
      expanded = std::string(stem_part) + " will";
    } else if (ending == "d") {
      const bool had = is_one_of(next, {"been", "better", "had", "gotten"});
      expanded = std::string(stem_part) + (had ? " had" : " would");
    } else if (ending == "s" && is_one_of(next, {"been", "got", "gotten", "had"})) {
      expanded = std::string(stem_part) + " has";  // "it's been", "the furnace's been acting up"
    } else if (ending == "s" && (s_means_is(stem_part) || s_is_before(next))) {
      expanded = std::string(stem_part) + " is";
    }
    if (!expanded.empty()) return append_words(out, expanded, word.pause_after);
  }
  out.push_back({w, word.pause_after});
}

bool is_filler(std::string_view word) {
  return is_one_of(word, {"um", "umm", "ummm", "uh", "uhh", "uhm", "er", "err", "erm", "hmm", "hm",
                          "hmmm", "mm", "mmm", "ah", "ahh"});
}

// "like" is a filler only in filler-ish surroundings; by default it is a verb or preposition, so
// "it smells like gas" keeps it. It is dropped when it opens the utterance or a clause, follows a
// filler or a discourse word ("so like"), precedes a pause or the end, or hedges a quantity or an
// intensifier ("like an hour ago", "like 60 degrees", "like no heat") - unless the word before it
// makes it a verb or a comparison ("smells like", "i like", "would like", "something like").
bool like_is_filler(const std::vector<Token>& kept, bool after_filler,
                    const std::vector<Token>& all, std::size_t index) {
  const Token* previous = kept.empty() ? nullptr : &kept.back();
  if (previous &&
      is_one_of(previous->text,
                {"smell",   "smells",   "smelled", "smelling", "smelt",     "sound",    "sounds",
                 "sounded", "sounding", "look",    "looks",    "looked",    "looking",  "feel",
                 "feels",   "feeling",  "felt",    "seem",     "seems",     "seemed",   "taste",
                 "tastes",  "tasted",   "i",       "we",       "you",       "they",     "would",
                 "do",      "did",      "does",    "not",      "something", "anything", "nothing",
                 "stuff",   "things",   "really",  "more",     "much",      "just"})) {
    return false;
  }
  const bool opens_clause = !previous || previous->pause_after || after_filler ||
                            is_one_of(previous->text, {"so", "and", "but", "well", "yeah", "yes",
                                                       "oh", "okay", "then", "or", "because"});
  const bool last = index + 1 >= all.size();
  const std::string_view next = last ? std::string_view{} : std::string_view(all[index + 1].text);
  const bool closes = last || all[index].pause_after || is_filler(next) || next == "you";
  const bool hedges =
      !last && (is_digits(next) || is_number_word(next) ||
                is_one_of(next, {"a", "an", "about", "around", "maybe", "almost", "half", "no",
                                 "really", "totally", "super", "literally", "so", "completely"}));
  return opens_clause || closes || hedges;
}

// "you know" is a filler unless it is a question or a negation ("do you know", "if you know").
bool you_know_is_filler(const std::vector<Token>& kept) {
  return kept.empty() ||
         !is_one_of(kept.back().text, {"do", "did", "does", "would", "will", "can", "could", "if",
                                       "not", "how", "whether", "should", "might", "may", "to"});
}

}  // namespace

Tokens normalize_tokens(std::string_view utterance, bool drop_fillers) {
  const std::vector<RawToken> raw = join_hums(split_suffixes(split_words(utterance)));
  std::vector<Token> expanded;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    expand(expanded, raw[i], i + 1 < raw.size() ? std::string_view(raw[i + 1].text) : "");
  }
  if (!drop_fillers) return expanded;

  Tokens kept;
  bool after_filler = false;
  const auto drop = [&](std::size_t last_dropped) {
    if (expanded[last_dropped].pause_after && !kept.empty()) kept.back().pause_after = true;
    after_filler = true;
  };
  for (std::size_t i = 0; i < expanded.size(); ++i) {
    const std::string& w = expanded[i].text;
    if (is_filler(w)) {
      drop(i);
    } else if (w == "you" && i + 1 < expanded.size() && expanded[i + 1].text == "know" &&
               !expanded[i].pause_after && you_know_is_filler(kept)) {
      drop(++i);
    } else if (w == "like" && like_is_filler(kept, after_filler, expanded, i)) {
      drop(i);
    } else {
      kept.push_back(expanded[i]);
      after_filler = false;
    }
  }
  return kept;
}

std::vector<std::string> words_of(const Tokens& tokens) {
  std::vector<std::string> out;
  out.reserve(tokens.size());
  for (const auto& t : tokens) out.push_back(t.text);
  return out;
}

std::string join(const Tokens& tokens, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end && i < tokens.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += tokens[i].text;
  }
  return out;
}

std::string join(const std::vector<std::string>& words, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end && i < words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> words) {
  // Called on every word against lists of a hundred and more: the length and the first letter
  // rule out nearly all of them before any bytes are compared.
  if (word.empty()) {
    return std::any_of(words.begin(), words.end(), [](std::string_view w) { return w.empty(); });
  }
  const std::size_t size = word.size();
  const char first = word.front();
  for (const std::string_view w : words) {
    if (w.size() == size && w.front() == first &&
        std::char_traits<char>::compare(w.data(), word.data(), size) == 0) {
      return true;
    }
  }
  return false;
}

bool is_digits(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), is_digit);
}

bool is_alphabetic(std::string_view word) {
  if (word.empty() || word.front() == '\'' || word.back() == '\'') return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return is_ascii_letter(c) || c == '\'' || static_cast<unsigned char>(c) >= 0x80;
  });
}

std::string word_key(std::string_view word) {
  std::string s(word);
  if (s.ends_with("'s")) {
    s.resize(s.size() - 2);
  } else if (s.ends_with("s'")) {
    s.pop_back();
  }
  if (s.size() > 4 && s.ends_with("ies")) {
    s.resize(s.size() - 3);
    s += 'y';
  } else if (s.size() > 3 && s.ends_with('s') && !s.ends_with("ss") && !s.ends_with("us") &&
             !s.ends_with("is")) {
    s.pop_back();
  }
  if (s.size() > 3 && s.ends_with('e')) s.pop_back();
  return s;
}

std::string stem(std::string_view word) {
  std::string s = word_key(word);
  if (s.size() >= 6 && s.ends_with("ing")) {
    s.resize(s.size() - 3);
  } else if (s.size() >= 5 && s.ends_with("ed")) {
    s.resize(s.size() - 2);
  }
  constexpr std::string_view vowels = "aeiou";
  if (s.size() > 3 && s[s.size() - 1] == s[s.size() - 2] &&
      vowels.find(s.back()) == std::string_view::npos) {
    s.pop_back();  // "stopp(ed)" -> "stop"
  }
  if (s.size() > 3 && s.ends_with('e')) s.pop_back();
  return s;
}

std::optional<std::size_t> find_phrase(const Tokens& tokens, const Tokens& phrase,
                                       std::size_t from) {
  if (phrase.empty() || tokens.size() < phrase.size()) return std::nullopt;
  std::vector<std::string> keys;
  for (const auto& p : phrase) keys.push_back(word_key(p.text));
  for (std::size_t i = from; i + phrase.size() <= tokens.size(); ++i) {
    bool all = true;
    for (std::size_t k = 0; k < phrase.size() && all; ++k) {
      all = tokens[i + k].text == phrase[k].text || word_key(tokens[i + k].text) == keys[k];
    }
    if (all) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> find_phrase(const Utterance& said, const PhraseList::Phrase& phrase,
                                       std::size_t from) {
  const Tokens& tokens = said.tokens;
  if (phrase.tokens.empty() || tokens.size() < phrase.tokens.size()) return std::nullopt;
  for (std::size_t i = from; i + phrase.tokens.size() <= tokens.size(); ++i) {
    bool all = true;
    for (std::size_t k = 0; k < phrase.tokens.size() && all; ++k) {
      all = tokens[i + k].text == phrase.tokens[k].text || said.keys[i + k] == phrase.keys[k];
    }
    if (all) return i;
  }
  return std::nullopt;
}

}  // namespace detail

Utterance::Utterance(std::string_view utterance) : Utterance(detail::normalize_tokens(utterance)) {}

Utterance::Utterance(detail::Tokens normalised) : tokens(std::move(normalised)) {
  keys.reserve(tokens.size());
  for (const auto& token : tokens) keys.push_back(detail::word_key(token.text));
}

PhraseList::PhraseList(const std::vector<std::string>& list) {
  phrases.reserve(list.size());
  for (const auto& text : list) {
    Phrase phrase{detail::normalize_tokens(text, /*drop_fillers=*/false), {}};
    for (const auto& token : phrase.tokens) phrase.keys.push_back(detail::word_key(token.text));
    phrases.push_back(std::move(phrase));
  }
}

std::string normalize(std::string_view utterance) {
  const detail::Tokens words = detail::normalize_tokens(utterance);
  return detail::join(words, 0, words.size());
}

std::vector<std::string> tokens(std::string_view normalized) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < normalized.size()) {
    const std::size_t space = normalized.find_first_of(" \t\n", start);
    const std::size_t end = space == std::string_view::npos ? normalized.size() : space;
    if (end > start) out.emplace_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace voiceops::nlu
