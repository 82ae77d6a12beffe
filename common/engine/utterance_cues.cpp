// What an utterance shows by its words alone: a question asked, a name given, a street or a
// number pointed at, a day wanted, a yes or a no near a label. Shared by the files of the turn.
#include "engine/utterance_cues.hpp"

#include <algorithm>

namespace voiceops::engine {

using detail::is_one_of;

// The phrases are the engine's own, written as the normaliser writes words ("do not", "i am"):
// compared word by word, without normalising them again on every utterance.
std::size_t phrase_at(const detail::Tokens& tokens, std::size_t at, std::string_view phrase) {
  // The first letter rules out most phrases at most words.
  if (at >= tokens.size() || phrase.empty() || tokens[at].text.empty() ||
      tokens[at].text.front() != phrase.front()) {
    return 0;
  }
  std::size_t k = at;
  while (!phrase.empty()) {
    const std::size_t space = phrase.find(' ');
    const std::string_view word = phrase.substr(0, space);
    phrase = space == std::string_view::npos ? std::string_view{} : phrase.substr(space + 1);
    if (word.empty()) continue;
    if (k >= tokens.size() || tokens[k].text != word) return 0;
    ++k;
  }
  return k - at;
}

bool contains_phrase(const detail::Tokens& tokens, std::string_view phrase) {
  for (std::size_t at = 0; at < tokens.size(); ++at) {
    if (phrase_at(tokens, at, phrase) > 0) return true;
  }
  return false;
}

bool contains_any(const detail::Tokens& tokens, std::initializer_list<std::string_view> phrases) {
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](std::string_view p) { return contains_phrase(tokens, p); });
}

// Someone giving a name, not asking, refusing or complaining: "look i don't want to do this with
// a robot" is not a name, "yeah it's maria lopez" and "dana, d a n a" are.
std::optional<std::string> name_given(const detail::Tokens& tokens, std::string_view text) {
  // "it's thao t h a o and the last name is nguyen": a first name, then the last one named.
  for (std::string_view marker : {"last name is", "surname is", "last name", "surname"}) {
    const detail::Tokens wanted = detail::normalize_tokens(marker, false);
    const auto at = detail::find_phrase(tokens, wanted);
    if (!at || *at == 0) continue;
    const std::string before = detail::join(tokens, 0, *at);
    const std::string after = detail::join(tokens, *at + wanted.size(), tokens.size());
    auto first = nlu::extract_name(before);
    auto last = nlu::extract_name("my name is " + after);
    if (first && last) {
      const std::string first_word = first->substr(0, first->find(' '));
      std::string last_word = last->substr(0, last->find(' '));
      // A spelling of a surname said with an apostrophe keeps it: "o'neill ... o n e i l l".
      if (const auto space = first->rfind(' '); space != std::string::npos) {
        std::string said = first->substr(space + 1), plain = said, spelled = last_word;
        std::erase(plain, '\'');
        for (char& ch : plain) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        for (char& ch : spelled)
          ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (plain.size() != said.size() && plain == spelled) last_word = said;
      }
      return first_word + " " + last_word;
    }
    break;
  }
  auto name = nlu::extract_name(text);
  if (!name) return std::nullopt;
  if (contains_any(tokens, {"name is", "this is", "it is", "i am", "speaking", "spelled", "spell",
                            "i said", "here", "call me", "name", "surname"})) {
    return name;
  }
  if (!tokens.empty() &&
      is_one_of(tokens.front().text,
                {"can",  "could",    "why",     "what",   "how",   "do",   "does",
                 "is",   "are",      "look",    "listen", "just",  "let",  "put",
                 "give", "transfer", "connect", "who",    "where", "when", "will"})) {
    return std::nullopt;
  }
  if (contains_any(tokens, {"i want", "i need", "do not want", "do not need", "i would like"})) {
    return std::nullopt;
  }
  // Most of what was said is the name.
  std::size_t content = 0;
  for (const auto& t : tokens) {
    if (t.text.size() == 1) continue;  // spelled letters belong to the name
    // A number said with the name is another answer ("hector salinas, five one two ...").
    if (detail::is_number_word(t.text) || detail::is_digits(t.text)) continue;
    if (!is_one_of(t.text, {"yes",  "yeah", "yep", "sure",   "hi",   "hello", "hey", "so",
                            "well", "okay", "oh",  "sorry",  "it",   "is",    "my",  "that",
                            "the",  "and",  "um",  "double", "with", "as",    "in"})) {
      ++content;
    }
  }
  std::size_t name_words =
      1 + static_cast<std::size_t>(std::count(name->begin(), name->end(), ' '));
  return name_words * 2 >= content ? name : std::nullopt;
}

// Someone saying their name without being asked: only with an introduction.
bool introduces_name(const detail::Tokens& tokens) {
  if (contains_any(tokens,
                   {"my name is", "name is", "this is", "my name", "speaking", "calling"})) {
    return true;
  }
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i + 1].text == "here" && i > 0) return true;  // "dana here"
  }
  // "i am" only: "it's ..." introduces a name as often as a problem ("it's booked under").
  return contains_phrase(tokens, "i am");
}

bool mentions_street(const detail::Tokens& tokens) {
  for (const auto& t : tokens) {
    if (is_one_of(t.text,
                  {"street", "st",     "avenue",  "ave",       "road",    "rd",      "drive",
                   "dr",     "lane",   "ln",      "boulevard", "blvd",    "court",   "ct",
                   "way",    "circle", "cir",     "trail",     "trl",     "parkway", "pkwy",
                   "place",  "pl",     "terrace", "loop",      "highway", "hwy",     "cove",
                   "path",   "run",    "pass",    "bend",      "square"})) {
      return true;
    }
  }
  return contains_any(
      tokens, {"address is", "i am at", "we are at", "i live at", "we live at", "live on",
               "located at", "house is at", "out at", "over at", "the address", "property at"});
}

bool points_at_a_number(const detail::Tokens& tokens) {
  for (const auto& t : tokens) {
    if (is_one_of(t.text, {"number", "phone", "cell", "mobile", "line"})) return true;
  }
  return contains_any(
      tokens, {"call me back", "reach me", "calling from", "text me", "call me at", "call me on"});
}

bool names_a_day(const detail::Tokens& tokens) {
  for (const auto& t : tokens) {
    if (detail::weekday_index(t.text) || detail::month_number(t.text) ||
        is_one_of(t.text, {"today", "tomorrow", "tonight", "week", "weekend"})) {
      return true;
    }
  }
  const std::vector<std::string> words = detail::words_of(tokens);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (detail::ordinal_at(words, i) && i > 0 && words[i - 1] == "the") return true;
  }
  return false;
}

// "photos are up", "options no", "diagnosis yes": a yes or a no in the words after a label.
std::optional<std::string> yes_no_near(const detail::Tokens& tokens, std::size_t from,
                                       std::size_t to) {
  std::string clause = detail::join(tokens, from, to);
  if (auto yes_no = nlu::extract_yes_no(clause)) {
    return std::string(*yes_no == nlu::YesNo::yes ? "yes" : "no");
  }
  for (std::size_t i = from; i < to && i < tokens.size(); ++i) {
    if (detail::is_negator(tokens[i].text) ||
        is_one_of(tokens[i].text, {"nope", "nah", "forgot", "skipped", "missed"})) {
      return std::string("no");
    }
  }
  for (std::size_t i = from; i < to && i < tokens.size(); ++i) {
    if (is_one_of(
            tokens[i].text,
            {"done", "up",      "uploaded", "finished", "complete", "completed",  "presented",
             "did",  "went",    "covered",  "gave",     "showed",   "understood", "understands",
             "good", "handled", "sent",     "taken",    "got",      "all",        "yes"})) {
      return std::string("yes");
    }
  }
  return std::nullopt;
}

namespace {

// Words that put a day or a part of the day in the past ("it quit on monday", "since this
// morning"): not a wish for a visit.
bool in_the_past(const detail::Tokens& tokens, std::size_t at) {
  for (std::size_t k = at > 4 ? at - 4 : 0; k < at; ++k) {
    if (is_one_of(tokens[k].text, {"since", "last", "had", "was", "were", "came", "did", "ago",
                                   "yesterday", "started", "quit", "broke", "stopped", "went",
                                   "noticed", "happened", "began"})) {
      return true;
    }
  }
  return false;
}

// The day of the visit already booked, not the one wanted: "i've got a visit tomorrow i need to
// push back", "the tech was supposed to come thursday".
bool the_booked_visit(const detail::Tokens& tokens, std::size_t at) {
  const std::size_t from = at > 6 ? at - 6 : 0;
  for (std::size_t k = from; k < at; ++k) {
    for (std::string_view phrase :
         {"got a visit", "have a visit", "got an appointment", "have an appointment", "got a tech",
          "have a tech", "got someone coming", "have someone coming", "scheduled for", "booked for",
          "supposed to come", "supposed to be", "set for", "my appointment", "my visit",
          "the appointment", "the visit is", "visit on", "appointment on"}) {
      const std::size_t length = phrase_at(tokens, k, phrase);
      if (length > 0 && k + length <= at) return true;
    }
  }
  return false;
}

}  // namespace

// The words left when times in the past, and the day of a visit already booked, are taken out:
// "the furnace quit this morning, can someone come tomorrow" keeps "can someone come tomorrow"
// for the visit questions.
detail::Tokens tokens_without_past_times(const detail::Tokens& tokens) {
  detail::Tokens out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const bool time_word =
        detail::weekday_index(tokens[i].text) ||
        is_one_of(tokens[i].text, {"morning", "afternoon", "evening", "night", "tonight", "today",
                                   "tomorrow", "week", "weekend"});
    if (time_word && (in_the_past(tokens, i) || the_booked_visit(tokens, i))) continue;
    if (i + 1 < tokens.size() && is_one_of(tokens[i].text, {"this", "last"}) &&
        is_one_of(tokens[i + 1].text, {"morning", "afternoon", "evening", "night"})) {
      ++i;  // "this morning" is now or past, never the visit
      continue;
    }
    out.push_back(tokens[i]);
  }
  return out;
}

std::string without_past_times(const detail::Tokens& tokens) {
  const detail::Tokens kept = tokens_without_past_times(tokens);
  return detail::join(kept, 0, kept.size());
}

// A question or request in the caller's words: "how much do you charge", "do you guys do
// gutters", "i was wondering if ...".
bool asks_a_question(const std::string& raw, const detail::Tokens& tokens) {
  if (raw.find('?') != std::string::npos) return true;
  // Past what leads into it: "oh hey, before i forget, is the party still friday".
  std::size_t first = 0;
  for (bool skipped = true; skipped && first < tokens.size();) {
    skipped = false;
    if (is_one_of(tokens[first].text,
                  {"hi", "hey", "hello", "yeah", "yes", "so", "oh", "and", "um", "okay", "well",
                   "real", "quick", "also", "actually", "sorry", "anyway", "listen", "hmm"})) {
      ++first;
      skipped = true;
      continue;
    }
    for (std::string_view lead :
         {"before i forget", "by the way", "one more thing", "quick question", "while i have you",
          "one other thing", "i have a question", "i got a question", "question for you"}) {
      if (const std::size_t length = phrase_at(tokens, first, lead); length > 0) {
        first += length;
        skipped = true;
        break;
      }
    }
  }
  if (first < tokens.size() &&
      is_one_of(tokens[first].text, {"how", "what", "can", "could", "do", "does", "is", "are",
                                     "will", "would", "should", "when", "where", "who", "why"})) {
    return true;
  }
  return contains_any(tokens, {"how much", "wondering", "do you", "can you", "are you", "is it",
                               "is this", "is that", "will it", "does it", "question"});
}

// What the caller asks for, as against what they tell: "i need to cancel the visit" asks; "the gas
// company already came out" tells. A request marker earlier in the clause of `begin`.
bool asked_for_at(const detail::Tokens& tokens, std::size_t begin) {
  std::size_t start = begin;
  while (start > 0 && begin - start < 6 && !tokens[start - 1].pause_after &&
         !is_one_of(tokens[start - 1].text, {"but", "and", "so", "because"})) {
    --start;
  }
  for (std::size_t i = start; i < begin; ++i) {
    for (std::string_view marker :
         {"need to", "want to",   "like to",     "calling to",    "have to",      "got to",
          "gotta",   "trying to", "wanted to",   "looking to",    "need you to",  "need someone to",
          "can you", "could you", "can someone", "could someone", "can somebody", "could somebody",
          "can we",  "could we",  "can i",       "could i",       "please",       "i need",
          "we need", "i want",    "we want",     "let us",        "would like"}) {
      const std::size_t length = phrase_at(tokens, i, marker);
      if (length > 0 && i + length <= begin) return true;
    }
  }
  return false;
}

}  // namespace voiceops::engine
