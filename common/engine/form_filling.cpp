// Slots, after the VoiceXML form interpretation algorithm: the contract's steps are the order of
// asking, never of accepting. Every utterance is offered to every open slot of the call's intent;
// one utterance may fill several; values given unasked are read back together; an answer that
// fills something else is progress, and the question is asked again briefly; a read-back
// answered with new content is a correction.
#include <algorithm>
#include <cctype>

#include "engine/business_hours.hpp"
#include "engine/prepared_contract.hpp"
#include "engine/turn.hpp"
#include "nlu/detail.hpp"
#include "util/spelling.hpp"

namespace voiceops::engine {
namespace {

using contract::Question;
using contract::QuestionType;
using contract::Step;
using contract::StepKind;
namespace detail = nlu::detail;
using detail::is_one_of;

std::vector<std::string> list_of(const contract::TextList& list) {
  std::vector<std::string> out;
  for (const auto& t : list) out.push_back(t.value);
  return out;
}

bool contains_phrase(const detail::Tokens& tokens, std::string_view phrase) {
  const detail::Tokens wanted = detail::normalize_tokens(phrase, false);
  return detail::find_phrase(tokens, wanted).has_value();
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

// The words left when times in the past are taken out: "the furnace quit this morning, can
// someone come tomorrow" keeps "can someone come tomorrow" for the visit questions.
std::string without_past_times(const detail::Tokens& tokens) {
  std::string out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const bool time_word =
        detail::weekday_index(tokens[i].text) ||
        is_one_of(tokens[i].text, {"morning", "afternoon", "evening", "night", "tonight", "today",
                                   "tomorrow", "week", "weekend"});
    if (time_word && in_the_past(tokens, i)) continue;
    if (i + 1 < tokens.size() && is_one_of(tokens[i].text, {"this", "last"}) &&
        is_one_of(tokens[i + 1].text, {"morning", "afternoon", "evening", "night"})) {
      ++i;  // "this morning" is now or past, never the visit
      continue;
    }
    out += (out.empty() ? "" : " ") + tokens[i].text;
  }
  return out;
}

}  // namespace

// A question or request in the caller's words: "how much do you charge", "do you guys do
// gutters", "i was wondering if ...".
bool asks_a_question(const std::string& raw, const detail::Tokens& tokens) {
  if (raw.find('?') != std::string::npos) return true;
  std::size_t first = 0;
  while (first < tokens.size() &&
         is_one_of(tokens[first].text, {"hi", "hey", "hello", "yeah", "yes", "so", "oh", "and",
                                        "um", "okay", "well", "real", "quick"})) {
    ++first;
  }
  if (first < tokens.size() &&
      is_one_of(tokens[first].text, {"how", "what", "can", "could", "do", "does", "is", "are",
                                     "will", "would", "should", "when", "where", "who", "why"})) {
    return true;
  }
  return contains_any(tokens, {"how much", "wondering", "do you", "can you", "are you", "is it",
                               "is this", "is that", "will it", "does it", "question"});
}

const Question* Dialogue::Turn::current_question() const {
  if (s_.phase == Phase::take_message) return nullptr;
  const Step* step = c_.step(s_.step);
  if (!step || step->kind != StepKind::ask) return nullptr;
  return c_.question(step->target.value);
}

// The call's intent's questions that have no value yet.
std::vector<const Question*> Dialogue::Turn::open_questions() const {
  std::vector<const Question*> out;
  const auto it = p_.intent_questions.find(s_.intent);
  if (it == p_.intent_questions.end()) return out;
  for (const Question* q : it->second) {
    if (!s_.slots.count(q->id)) out.push_back(q);
  }
  return out;
}

std::optional<std::string> Dialogue::Turn::extract(const Question& q, const std::string& text,
                                                   const std::string& raw) const {
  switch (q.type.value) {
    case QuestionType::name: {
      const detail::Tokens tokens = detail::normalize_tokens(text);
      return name_given(tokens, text);
    }
    case QuestionType::phone: {
      if (auto number = nlu::extract_phone(text, s_.from)) return number;
      // The prompt says "if it's the phone you're calling from, just say so": a plain yes to
      // the question (not to a read-back) is so.
      const detail::Tokens tokens = detail::normalize_tokens(text);
      const bool asked = s_.phase == Phase::ask || s_.phase == Phase::take_message;
      if (asked && tokens.size() <= 5 && nlu::extract_yes_no(text) == nlu::YesNo::yes &&
          !contains_any(tokens, {"different", "another", "other", "not"})) {
        return nlu::extract_phone("this number", s_.from);
      }
      return std::nullopt;
    }
    case QuestionType::address: return nlu::extract_address(text);
    case QuestionType::yes_no: {
      auto yes_no = nlu::extract_yes_no(text);
      if (!yes_no) return std::nullopt;
      return std::string(*yes_no == nlu::YesNo::yes ? "yes" : "no");
    }
    case QuestionType::scale: {
      auto n = nlu::extract_scale(text);
      if (!n) return std::nullopt;
      return std::to_string(*n);
    }
    case QuestionType::digits: return nlu::extract_digits(text, q.digits);
    case QuestionType::choice: {
      std::vector<nlu::Choice> choices;
      for (const auto& c : q.choices) {
        nlu::Choice choice{c.value, {}};
        if (auto it = q.synonyms.find(c.value); it != q.synonyms.end())
          choice.synonyms = list_of(it->second);
        choices.push_back(std::move(choice));
      }
      return nlu::extract_choice(text, choices);
    }
    case QuestionType::datetime: {
      auto local = to_local(c_.hours.time_zone.value,
                            std::chrono::sys_seconds{std::chrono::seconds{s_.started_at}});
      if (!local) return std::nullopt;
      auto when = nlu::extract_datetime(text, local->wall);
      if (!when) return std::nullopt;
      return when->text();
    }
    case QuestionType::text:
    case QuestionType::unknown: break;
  }
  // Free text keeps the caller's words as the recogniser gave them: it goes into tickets as said.
  const auto first = raw.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || nlu::normalize(raw).empty()) return std::nullopt;
  return raw.substr(first, raw.find_last_not_of(" \t\r\n") - first + 1);
}

// The whole utterance is someone saying their name ("luis herrera", "it's ben adler").
bool Dialogue::Turn::name_looks_given(const Analysis& a) const {
  return name_given(a.heard.tokens, a.text).has_value();
}

bool Dialogue::Turn::has_label(const Question& q, const Analysis& a) const {
  const std::string id = PreparedContract::label_concept(q.id);
  return std::any_of(a.hits.begin(), a.hits.end(), [&](const nlu::ConceptHit& hit) {
    return hit.concept_id == id && hit.scope.polarity != nlu::Polarity::negated;
  });
}

// The answer to the question being asked. Where the caller answers several labelled yes/no
// questions at once ("photos are up, options no"), this one's answer is the part about it.
std::optional<std::string> Dialogue::Turn::answer_to(const Question& q, const Analysis& a) const {
  if (q.type.value == QuestionType::yes_no) {
    std::vector<std::size_t> others;  // where other labelled questions are named
    for (const nlu::ConceptHit& hit : a.hits) {
      if (hit.concept_id.starts_with("label:") && hit.concept_id != "label:" + q.id) {
        others.push_back(hit.begin);
      }
    }
    if (!others.empty()) {
      std::sort(others.begin(), others.end());
      std::size_t from = 0, to = others.front();
      for (const nlu::ConceptHit& hit : a.hits) {
        if (hit.concept_id == "label:" + q.id) {
          from = hit.begin;
          to = a.heard.tokens.size();
          for (std::size_t o : others) {
            if (o > from) {
              to = o;
              break;
            }
          }
          break;
        }
      }
      if (to > from) return yes_no_near(a.heard.tokens, from, to);
    }
  }
  auto value = extract(q, a.text, a.raw);
  // "photos are up" to "are the photos uploaded?": no yes, but the question's own words.
  if (!value && (q.type.value == QuestionType::yes_no || q.type.value == QuestionType::scale) &&
      has_label(q, a)) {
    value = volunteered(q, a);
  }
  return value;
}

// A value for a question not being asked, given only where the utterance clearly carries it.
std::optional<std::string> Dialogue::Turn::volunteered(const Question& q, const Analysis& a) const {
  const detail::Tokens& tokens = a.heard.tokens;
  const bool labelled = has_label(q, a);
  if (!q.labels.empty() && !labelled) return std::nullopt;
  switch (q.type.value) {
    case QuestionType::name: {
      if (introduces_name(tokens)) return name_given(tokens, a.text);
      // "it's ben carter" said over another question: the whole utterance is the name.
      if (!contains_phrase(tokens, "it is")) return std::nullopt;
      auto name = nlu::extract_name(a.text);
      if (!name) return std::nullopt;
      const std::size_t name_words =
          1 + static_cast<std::size_t>(std::count(name->begin(), name->end(), ' '));
      std::size_t other = 0;
      for (const auto& t : tokens) {
        if (t.text.size() > 1 && !is_one_of(t.text, {"it", "is", "yeah", "yes", "oh", "hi", "um",
                                                     "so", "and", "my", "name"})) {
          ++other;
        }
      }
      return other <= name_words ? name : std::nullopt;
    }
    case QuestionType::phone: {
      if (auto number = nlu::extract_phone(a.text)) return number;
      if (!points_at_a_number(tokens)) return std::nullopt;
      return nlu::extract_phone(a.text, s_.from);
    }
    case QuestionType::address:
      if (!mentions_street(tokens)) return std::nullopt;
      return nlu::extract_address(a.text);
    case QuestionType::datetime: {
      // A day the caller wants, not the day the trouble started.
      const std::string wanted = without_past_times(tokens);
      if (!names_a_day(detail::normalize_tokens(wanted))) return std::nullopt;
      return extract(q, wanted, wanted);
    }
    case QuestionType::digits: {
      auto digits = nlu::extract_digits(a.text, q.digits);
      if (!digits || (q.digits > 0 && static_cast<int>(digits->size()) != q.digits)) {
        return std::nullopt;
      }
      // Part of a phone number is no job number.
      if (nlu::extract_phone(a.text)) return std::nullopt;
      return digits;
    }
    case QuestionType::yes_no: {
      if (!labelled) return std::nullopt;
      const std::string id = PreparedContract::label_concept(q.id);
      for (const nlu::ConceptHit& hit : a.hits) {
        if (hit.concept_id != id) continue;
        std::size_t to = tokens.size();
        for (const nlu::ConceptHit& other : a.hits) {
          if (other.concept_id.starts_with("label:") && other.concept_id != id &&
              other.begin > hit.begin && other.begin < to) {
            to = other.begin;
          }
        }
        std::size_t from = hit.begin;
        // "no diagnosis yet", "i didn't actually hit it": a denial just before the label counts.
        for (std::size_t back = 1; back <= 3 && back <= hit.begin; ++back) {
          if (detail::is_negator(tokens[hit.begin - back].text)) {
            from = hit.begin - back;
            break;
          }
        }
        if (auto value = yes_no_near(tokens, from, to)) return value;
        // Named and not denied nor asked about ("i'm in and on the clock"): a yes.
        if (!asks_a_question(a.raw, tokens)) return std::string("yes");
        return std::nullopt;
      }
      return std::nullopt;
    }
    case QuestionType::scale:
      if (!labelled) return std::nullopt;
      if (auto n = nlu::extract_scale(a.text)) return std::to_string(*n);
      return std::nullopt;
    case QuestionType::choice: {
      const std::string wanted = without_past_times(tokens);
      return extract(q, wanted, wanted);
    }
    case QuestionType::text:
      if (!labelled) return std::nullopt;
      return extract(q, a.text, a.raw);
    case QuestionType::unknown: break;
  }
  return std::nullopt;
}

std::vector<std::pair<const Question*, std::string>> Dialogue::Turn::volunteered_values(
    const Analysis& a, const Question* except) const {
  std::vector<std::pair<const Question*, std::string>> out;
  std::vector<QuestionType> taken;  // one value per kind of form: two phones are one number
  if (except) taken.push_back(except->type.value);
  for (const Question* q : open_questions()) {
    if (q == except) continue;
    const bool by_form = q->type.value != QuestionType::yes_no &&
                         q->type.value != QuestionType::scale &&
                         q->type.value != QuestionType::text;
    if (by_form && std::find(taken.begin(), taken.end(), q->type.value) != taken.end()) continue;
    if (auto value = volunteered(*q, a)) {
      out.emplace_back(q, *value);
      if (by_form) taken.push_back(q->type.value);
    }
  }
  return out;
}

// Keeps what the caller volunteered; returns how many values. Flags their values raise are
// raised as for an answer.
int Dialogue::Turn::keep_volunteered(const Analysis& a, const Question* except) {
  int kept = 0;
  for (const auto& [q, value] : volunteered_values(a, except)) {
    s_.slots[q->id] = {value, q->confirm.value.empty(), ""};
    ++kept;
    check_slot_rows(q->id, value);
    if (s_.phase == Phase::ended || s_.phase == Phase::transfer ||
        s_.phase == Phase::take_message) {
      break;
    }
  }
  return kept;
}

// How many distinct lexicon concepts point at a candidate: its keywords by word form and, for an
// intent, the concepts the contract lists for it, each stated as a fact.
int Dialogue::Turn::lexicon_evidence(const std::string& candidate, const Analysis& a,
                                     std::size_t* longest) const {
  std::vector<std::string> wanted;
  if (!candidate.empty() && candidate[0] == '\x01') {
    wanted.push_back(PreparedContract::out_of_scope_concept(candidate.substr(1)));
  } else if (const contract::Intent* intent = c_.intent(candidate)) {
    wanted.push_back(PreparedContract::intent_concept(intent->id));
    for (const auto& t : intent->concepts) wanted.push_back(t.value);
  }
  int hits = 0;
  for (const std::string& id : wanted) {
    bool heard = false;
    for (const nlu::ConceptHit& hit : a.hits) {
      if (hit.concept_id != id || !hit.affirmed() || hit.near) continue;
      heard = true;
      if (longest) *longest = std::max(*longest, hit.end - hit.begin);
    }
    if (heard) ++hits;
  }
  return hits;
}

std::vector<nlu::IntentScore> Dialogue::Turn::rank_candidates(const Analysis& a) const {
  std::vector<const nlu::PreparedIntent*> patterns;
  for (const auto& intent : p_.intents) {
    if (may_use(intent.id)) patterns.push_back(&intent);
  }
  for (const auto& oos : p_.out_of_scope) patterns.push_back(&oos);
  auto ranked = nlu::rank_intents(a.said, patterns);
  for (auto& score : ranked) {
    std::size_t longest = 0;
    if (const int hits = lexicon_evidence(score.id, a, &longest); hits > 0) {
      // More evidence, and more specific evidence ("change the day" over "appointment"), wins.
      score.score =
          std::max(score.score, 0.6 + 0.1 * std::min(3, hits) +
                                    0.02 * static_cast<double>(std::min<std::size_t>(longest, 5)));
    }
  }
  std::stable_sort(
      ranked.begin(), ranked.end(),
      [](const nlu::IntentScore& x, const nlu::IntentScore& y) { return x.score > y.score; });
  return ranked;
}

void Dialogue::Turn::choose_intent(const Analysis& a) {
  const auto ranked = rank_candidates(a);
  // A question about something out of scope is that question, whatever else its words touch:
  // "what do you charge to come out and look at a furnace" asks a price.
  if (asks_a_question(a.raw, a.heard.tokens)) {
    for (const auto& score : ranked) {
      if (score.id[0] == '\x01' && lexicon_evidence(score.id, a) > 0) {
        route_out_of_scope(score.id.substr(1), a.text);
        return;
      }
    }
  }
  if (ranked.empty() || ranked.front().score < d_.settings_.min_intent_score) {
    // A topic of its own that nothing covers goes to the out-of-scope row, not to "pardon?".
    if (uncovered_topic(a, s_.clarifications == 0) &&
        find_row(contract::Trigger::out_of_scope) >= 0) {
      route_out_of_scope("", a.text);
      return;
    }
    return failed_attempt("Sorry, I'm not sure I follow. ");
  }
  if (ranked.front().id[0] == '\x01') {
    route_out_of_scope(ranked.front().id.substr(1), a.text);
    return;
  }
  start_intent(ranked.front().id, &a);
}

void Dialogue::Turn::start_intent(const std::string& intent, const Analysis* a) {
  s_.intent = intent;
  s_.attempts = 0;
  s_.phase = Phase::choose_intent;
  if (a) {
    pick_role_named(a->text);
    keep_volunteered(*a, nullptr);
    if (s_.phase != Phase::choose_intent) return;  // a value raised a row
  }
  go_to(c_.intent(s_.intent)->start.value);
}

// The values given unasked that still need reading back, in the order the flow asks them.
std::vector<std::string> Dialogue::Turn::awaiting_read_back() const {
  std::vector<std::string> out;
  const auto it = p_.intent_questions.find(s_.intent);
  if (it == p_.intent_questions.end()) return out;
  for (const Question* q : it->second) {
    if (q->confirm.value.empty()) continue;
    auto slot = s_.slots.find(q->id);
    if (slot != s_.slots.end() && !slot->second.confirmed) out.push_back(q->id);
  }
  return out;
}

// After a read-back: on with the flow, or back to the question the volunteered values
// interrupted.
void Dialogue::Turn::after_read_back() {
  s_.confirm_group.clear();
  const Question* q = current_question();
  if (q && !s_.slots.count(q->id)) {
    s_.phase = Phase::ask;
    return gather_raw(q->prompt.value);
  }
  continue_after_answer();
}

void Dialogue::Turn::answer(const Analysis& a) {
  const Question* q = current_question();
  if (!q) return;
  // A question out of scope asked in a free-text answer is still that question ("is this
  // covered under warranty?" in the access notes).
  if (q->type.value == QuestionType::text && asks_a_question(a.raw, a.heard.tokens)) {
    if (auto topic = out_of_scope_topic(a)) {
      route_out_of_scope(*topic, a.text);
      return;
    }
  }
  auto value = answer_to(*q, a);
  const int kept = keep_volunteered(a, q);
  if (s_.phase != Phase::ask) return;  // a volunteered value raised a row that took the call
  // "yeah it's dana kowalski" to a yes/no question answers something else: its "yeah" is no
  // answer. Only a plain yes or no said first counts next to another value.
  if (value && kept > 0 && q->type.value == QuestionType::yes_no) {
    std::size_t first = 0;
    while (first < a.heard.tokens.size() &&
           is_one_of(a.heard.tokens[first].text, {"um", "uh", "oh", "well", "so"})) {
      ++first;
    }
    const bool plain = first < a.heard.tokens.size() &&
                       is_one_of(a.heard.tokens[first].text,
                                 {"yes", "no", "nope", "nah", "yep", "yup", "correct"});
    if (!plain && !has_label(*q, a)) value.reset();
  }
  if (value) return set_slot(*q, *value);
  // More about something already answered in free text ("the thermostat says it's calling for
  // heat but nothing comes out"): added to it, and progress too.
  int added = 0;
  if (kept == 0) {
    if (auto it = p_.intent_questions.find(s_.intent); it != p_.intent_questions.end()) {
      for (const Question* text_q : it->second) {
        if (text_q == q || text_q->type.value != QuestionType::text || text_q->labels.empty() ||
            !s_.slots.count(text_q->id) || !has_label(*text_q, a)) {
          continue;
        }
        SlotValue& slot = s_.slots[text_q->id];
        if (slot.value.find(a.raw) == std::string::npos) slot.value += "; " + a.raw;
        ++added;
        break;
      }
    }
  }
  // Only a new value is progress; more words for a free-text answer count as a try, so a
  // caller who keeps describing the problem still reaches a person in the end.
  if (added > 0 && kept == 0) return failed_attempt("Thanks. ");
  if (kept > 0) {
    // Progress. Values that need a read-back get it now, together; then this question again.
    s_.flags_pending = false;
    if (auto group = awaiting_read_back(); !group.empty()) {
      s_.confirm_group = group;
      s_.phase = Phase::confirm;
      return gather_raw(read_back_text(group), true);
    }
    return gather_raw("Thanks. " + q->prompt.value);
  }
  // Not an answer: maybe a question the agent must not guess at ("how much is a new system"),
  // or one about something nothing in the contract covers ("is the party still on friday?").
  if (auto topic = out_of_scope_topic(a)) {
    route_out_of_scope(*topic, a.text);
    return;
  }
  if (asks_a_question(a.raw, a.heard.tokens) && uncovered_topic(a, true) &&
      find_row(contract::Trigger::out_of_scope) >= 0) {
    route_out_of_scope("", a.text);
    return;
  }
  failed_attempt("");
}

void Dialogue::Turn::set_slot(const Question& q, const std::string& value) {
  s_.slots[q.id] = {value, q.confirm.value.empty(), s_.step};
  s_.attempts = 0;
  s_.flags_pending = false;
  check_slot_rows(q.id, value);
  if (s_.phase == Phase::ended || s_.phase == Phase::transfer || s_.phase == Phase::take_message) {
    return;
  }
  if (!q.confirm.value.empty()) return read_back(q);
  continue_after_answer();
}

// Reads back `first` and every other value still waiting for a read-back, in one confirmation.
void Dialogue::Turn::read_back(const Question& first) {
  std::vector<std::string> group{first.id};
  for (const std::string& id : awaiting_read_back()) {
    if (id != first.id) group.push_back(id);
  }
  s_.confirm_group = group;
  s_.phase = Phase::confirm;
  gather_raw(read_back_text(group), true);
}

void Dialogue::Turn::confirm_answer(const Analysis& a, bool talked_over) {
  const Question* q = current_question();
  if (!q) return;
  std::vector<std::string> group = s_.confirm_group;
  if (group.empty()) group = {q->id};
  const std::string& text = a.text;
  auto yes_no = nlu::extract_yes_no(text);
  const detail::Tokens& tokens = a.heard.tokens;
  // A yes deep in a long answer is no yes ("okay so the gate code is ..."), nor is one the rest
  // turns round ("yeah but that's my old number").
  if (yes_no == nlu::YesNo::yes) {
    std::size_t first_yes = tokens.size();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (is_one_of(tokens[i].text,
                    {"yes", "yeah", "yep", "yup", "correct", "right", "sure", "uh-huh", "mm-hmm",
                     "okay", "ok", "exactly", "absolutely", "perfect", "fine", "true"})) {
        first_yes = i;
        break;
      }
    }
    const bool contradicted = contains_any(tokens, {"but", "wrong", "not right", "actually",
                                                    "except", "old number", "not it", "instead"});
    if (contradicted || (tokens.size() > 6 && first_yes > 2)) yes_no.reset();
  }
  // New content for a value read back is a correction of it ("no it's twenty one").
  const std::string rest = without_leading_no(text);
  std::vector<std::pair<const Question*, std::string>> corrections;
  const bool plain_answer = tokens.size() <= 3 && yes_no.has_value();
  if (!rest.empty() && !plain_answer) {
    for (const std::string& id : group) {
      const Question* item = c_.question(id);
      if (!item) continue;
      if (item->type.value == QuestionType::text) {
        // "no, make it by two": new words for a free-text answer, read back again.
        if (yes_no == nlu::YesNo::no && nlu::tokens(rest).size() >= 2) {
          s_.slots[id].value = rest;
          return gather_raw(read_back_text(group), true);
        }
        continue;
      }
      auto value = extract(*item, rest, rest);
      const auto slot = s_.slots.find(id);
      if (value && slot != s_.slots.end() &&
          nlu::normalize(*value) != nlu::normalize(slot->second.value) &&
          nlu::normalize(*value) != "no" && nlu::normalize(*value) != "yes") {
        corrections.emplace_back(item, *value);
        break;  // one fix per answer; a second would be a guess
      }
    }
  }
  const auto confirm_group = [&] {
    for (const std::string& id : group) {
      if (auto slot = s_.slots.find(id); slot != s_.slots.end()) slot->second.confirmed = true;
    }
    s_.confirm_group.clear();
  };
  if (!corrections.empty()) {
    const auto& [item, value] = corrections.front();
    SlotValue& slot = s_.slots[item->id];
    slot.value = value;
    check_slot_rows(item->id, value);
    if (s_.phase != Phase::confirm) return;
    say("Got it, " + speakable(*item, value) + ".");
    confirm_group();
    return after_read_back();
  }
  if (yes_no == nlu::YesNo::yes) {
    // The caller spoke over the read-back, so they did not hear all of it: read it again.
    if (talked_over) return gather_raw("Just to be sure: " + read_back_text(group), true);
    confirm_group();
    // "yeah that's the address, and my number is ...": the rest may answer something else.
    keep_volunteered(a, nullptr);
    if (s_.phase != Phase::confirm) return;
    return after_read_back();
  }
  if (yes_no == nlu::YesNo::no) {
    // Which part is wrong is not said: ask for each again, in the flow's order.
    for (const std::string& id : group) s_.slots.erase(id);
    s_.confirm_group.clear();
    s_.phase = Phase::ask;
    const Question* again = current_question();
    return gather_raw("Sorry about that. " + (again ? again->prompt.value : q->prompt.value));
  }
  // Neither: values for other questions are kept, and the read-back is asked again.
  if (keep_volunteered(a, nullptr) > 0 && s_.phase == Phase::confirm) {
    return gather_raw(read_back_text(group), true);
  }
  if (s_.phase == Phase::confirm) failed_attempt("");
}

// A value for a slot already filled, said again with a sign of correcting it: "oh actually
// wait, use my husband's cell instead, five one two ...", "wait go back, i didn't hit it".
bool Dialogue::Turn::restate_filled_value(const Analysis& a) {
  const detail::Tokens& tokens = a.heard.tokens;
  const bool correcting =
      contains_any(tokens, {"actually", "instead", "wait", "change", "correction", "i meant",
                            "scratch that", "rather", "go back", "take that back", "not right",
                            "wrong", "use my", "different number"});
  const Question* current = current_question();
  // "my first name's spelled with a y, l y n n": a spelling for one part of a name given.
  const bool names_a_part =
      contains_any(tokens, {"first name", "last name", "surname", "spelled", "spell"});
  std::string spelled;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    // "with a y, l y n n": the letter named as a hint is not part of the spelling.
    if (i + 2 < tokens.size() && tokens[i].text == "with" &&
        is_one_of(tokens[i + 1].text, {"a", "an", "two", "double"})) {
      i += 2;
      continue;
    }
    std::string run;
    std::size_t k = i;
    while (k < tokens.size() && tokens[k].text.size() == 1 && tokens[k].text[0] >= 'a' &&
           tokens[k].text[0] <= 'z') {
      run += tokens[k++].text;
    }
    if (run.size() > spelled.size()) spelled = run;
    if (k > i) i = k - 1;
  }
  if (names_a_part && spelled.size() >= 2) {
    for (const auto& [id, slot] : s_.slots) {
      const Question* q = c_.question(id);
      if (!q || q->type.value != QuestionType::name || q == current) continue;
      const nlu::NamePart part = contains_any(tokens, {"last name", "surname"})
                                     ? nlu::NamePart::last
                                 : contains_phrase(tokens, "first name") ? nlu::NamePart::first
                                                                         : nlu::NamePart::any;
      std::string word = spelled;
      word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
      const std::string value = replace_name_part(slot.value, word, part);
      if (value == slot.value) continue;
      s_.slots[id] = {value, true, slot.asked_at};
      say("Got it, " + value + ".");
      repeat_prompt();
      return true;
    }
  }
  if (!correcting) return false;
  for (const auto& [id, slot] : s_.slots) {
    const Question* q = c_.question(id);
    if (!q || q == current) continue;
    std::optional<std::string> value;
    switch (q->type.value) {
      case QuestionType::phone: value = nlu::extract_phone(a.text); break;
      case QuestionType::address:
        if (mentions_street(tokens)) value = nlu::extract_address(a.text);
        break;
      case QuestionType::yes_no:
        if (has_label(*q, a)) value = volunteered(*q, a);
        break;
      default: break;
    }
    if (!value || nlu::normalize(*value) == nlu::normalize(slot.value)) continue;
    s_.slots[id] = {*value, true, slot.asked_at};
    check_slot_rows(id, *value);
    if (s_.phase != Phase::ask && s_.phase != Phase::confirm) return true;
    say(q->type.value == QuestionType::yes_no ? "Got it, I've changed that."
                                              : "Got it, " + speakable(*q, *value) + ".");
    repeat_prompt();
    return true;
  }
  return false;
}

// Overwrites the slot a correction refers to, reads it back, and carries on where we were.
bool Dialogue::Turn::apply_correction(const Analysis& a) {
  const std::string& text = a.text;
  if (s_.phase != Phase::ask && s_.phase != Phase::confirm) return false;
  if (restate_filled_value(a)) return true;
  const nlu::Correction correction = nlu::detect_correction(text);
  if (!correction.is_correction || correction.replacement.empty()) return false;
  // "no, we're one tech short" answers a yes/no question; it corrects nothing.
  if (correction.replaced.empty() && s_.phase == Phase::ask) {
    if (const Question* q = current_question(); q && extract(*q, text, text)) return false;
  }
  const Question* asked = current_question();
  const auto in_group = [&](const std::string& id) {
    return std::find(s_.confirm_group.begin(), s_.confirm_group.end(), id) !=
           s_.confirm_group.end();
  };
  // Which slot: the one holding the replaced words, else the last one filled of a fitting type.
  const Question* target = nullptr;
  std::string new_value;
  if (!correction.replaced.empty()) {
    // The slot being asked or read back first: "no it's twenty one not twelve" at the address.
    std::vector<std::pair<std::string, SlotValue>> candidates;
    if (asked && s_.slots.count(asked->id))
      candidates.emplace_back(asked->id, s_.slots.at(asked->id));
    for (const auto& entry : s_.slots) {
      if (!asked || entry.first != asked->id) candidates.push_back(entry);
    }
    // "a two not a four": the article is not part of the value.
    const auto bare = [](std::string text) {
      for (std::string_view article : {"a ", "an ", "the "}) {
        if (text.starts_with(article)) text.erase(0, article.size());
      }
      return nlu::words_to_digits(text);
    };
    const std::string replaced = bare(correction.replaced);
    const std::string replacement = bare(correction.replacement);
    for (const auto& [name, slot] : candidates) {
      const Question* q = c_.question(name);
      if (!q || q->type.value == QuestionType::text) continue;
      const std::string normalized = nlu::words_to_digits(nlu::normalize(slot.value));
      // Words are replaced whole ("street", not the "st" in "stone"); digits anywhere in a
      // number ("the end is 0147 not 0174").
      const bool digits_only = std::all_of(replaced.begin(), replaced.end(), [](char ch) {
        return std::isdigit(static_cast<unsigned char>(ch)) || ch == ' ';
      });
      std::size_t at = std::string::npos;
      if (digits_only &&
          (q->type.value == QuestionType::phone || q->type.value == QuestionType::digits)) {
        std::string compact = replaced;
        std::erase(compact, ' ');
        at = normalized.rfind(compact);
        if (at != std::string::npos && compact != replaced) at = std::string::npos;
      }
      if (at == std::string::npos) {
        const std::string padded = " " + normalized + " ";
        const auto found = padded.find(" " + replaced + " ");
        if (found == std::string::npos && !digits_only) continue;
        at = found == std::string::npos ? normalized.find(replaced) : found;
      }
      if (at == std::string::npos) continue;
      // In the value as kept, commas and all, so a city after it stays a city.
      std::string kept = nlu::words_to_digits(slot.value);
      for (char& ch : kept) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::size_t kept_at = std::string::npos;
      if (q->type.value != QuestionType::phone && q->type.value != QuestionType::digits) {
        const std::string padded = " " + kept + " ";
        for (const char after : {' ', ','}) {
          kept_at = padded.find(" " + replaced + after);
          if (kept_at != std::string::npos) break;
        }
      }
      const auto substitute = [&](const std::string& with) {
        if (kept_at != std::string::npos) {
          return kept.substr(0, kept_at) + with + kept.substr(kept_at + replaced.size());
        }
        return normalized.substr(0, at) + with + normalized.substr(at + replaced.size());
      };
      // "21 oak street" replaces the whole value; "21" only the "12"; for "street", "lane west
      // oak lane" puts in only the word it changes.
      std::vector<std::string> attempts;
      const std::vector<std::string> words = nlu::tokens(replacement);
      const bool one_word = replaced.find(' ') == std::string::npos;
      if (one_word && words.size() > 1) {
        attempts.push_back(substitute(words.back()));
        attempts.push_back(substitute(words.front()));
      }
      if (replacement.find(' ') != std::string::npos) attempts.push_back(replacement);
      attempts.push_back(substitute(replacement));
      for (const std::string& attempt : attempts) {
        auto parsed = extract(*q, attempt, attempt);
        if (!parsed || nlu::normalize(*parsed) == nlu::normalize(slot.value)) continue;
        // A city or unit the caller did not take back stays: "no, twenty one oak street".
        if (q->type.value == QuestionType::address && parsed->find(',') == std::string::npos &&
            slot.value.find(',') != std::string::npos) {
          *parsed += slot.value.substr(slot.value.find(','));
        }
        target = q;
        new_value = *parsed;
        break;
      }
      if (target) break;
    }
  }
  if (!target) {
    // The replacement alone, for the slot asked or read back, or one whose kind of value is
    // unmistakable (a name, a number, an address, a date): never a yes/no, a rating or a choice
    // somewhere else in the call ("make it by two" is no energy rating).
    for (const auto& q : c_.questions) {
      if (!s_.slots.count(q.id) || q.type.value == QuestionType::text ||
          q.type.value == QuestionType::yes_no) {
        continue;
      }
      const bool here = (asked && q.id == asked->id) || in_group(q.id);
      const bool distinctive =
          q.type.value == QuestionType::name || q.type.value == QuestionType::phone ||
          q.type.value == QuestionType::address || q.type.value == QuestionType::datetime;
      if (!here && !distinctive) continue;
      auto parsed = extract(q, correction.replacement, correction.replacement);
      if (q.type.value == QuestionType::name && !parsed) {
        // A bare word after "i said": the name extractor wants more context.
        parsed = nlu::extract_name(correction.replacement);
      }
      if (parsed && (!target || here)) {
        target = &q;
        new_value = *parsed;
      }
    }
    // "i said kowalski with a k": a one-word fix to a name replaces the word it resembles, or
    // the part named ("the first name is spelled s i o b h a n").
    if (target && target->type.value == QuestionType::name &&
        new_value.find(' ') == std::string::npos) {
      new_value = replace_name_part(s_.slots[target->id].value, new_value, correction.name_part);
    }
  }
  if (!target) return false;
  SlotValue& corrected = s_.slots[target->id];
  corrected.value = new_value;
  corrected.confirmed = true;
  const std::string ack = "Got it, " + speakable(*target, new_value) + ".";
  if (s_.phase == Phase::confirm && asked && (asked->id == target->id || in_group(target->id))) {
    say(ack);
    for (const std::string& id : s_.confirm_group) {
      if (auto slot = s_.slots.find(id); slot != s_.slots.end()) slot->second.confirmed = true;
    }
    if (s_.confirm_group.empty()) corrected.confirmed = true;
    after_read_back();
    return true;
  }
  say(ack);
  repeat_prompt();
  return true;
}

std::string Dialogue::Turn::replace_name_part(const std::string& value, const std::string& word,
                                              nlu::NamePart part) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t end = std::min(value.find(' ', start), value.size());
    if (end > start) words.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  if (words.size() < 2) return word;
  if (part == nlu::NamePart::first) return word + value.substr(value.find(' '));
  if (part == nlu::NamePart::last) return words.front() + " " + word;
  std::size_t best = 0, best_distance = std::string::npos;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::size_t distance = edit_distance(nlu::normalize(words[i]), nlu::normalize(word));
    if (distance < best_distance) {
      best = i;
      best_distance = distance;
    }
  }
  if (best_distance > std::max<std::size_t>(2, word.size() / 2)) return word;
  words[best] = word;
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string Dialogue::Turn::without_leading_no(const std::string& text) {
  for (std::string_view lead : {"no no ", "nope ", "nah ", "no ", "yeah ", "yes "}) {
    if (text.rfind(lead, 0) == 0) return text.substr(lead.size());
  }
  return text == "no" || text == "nope" || text == "nah" ? std::string() : text;
}

// Nothing understood: ask again, and after too many tries hand the caller to a person.
void Dialogue::Turn::failed_attempt(const std::string& lead_in) {
  if (s_.phase == Phase::choose_intent) {
    if (++s_.clarifications > d_.settings_.max_clarifications) return fallback();
    return gather_raw(lead_in + "What can I help you with today?");
  }
  const Question* q = current_question();
  const int limit = q ? q->max_attempts : c_.identification.max_pin_attempts;
  if (++s_.attempts >= limit) return fallback();
  const auto with_lead_in = [&](std::string_view prompt) {
    // A reprompt written "Sorry, I didn't catch that." needs no second "Sorry" in front of it.
    const auto apologises = [](std::string_view t) {
      return t.starts_with("Sorry") || t.starts_with("I'm sorry");
    };
    if (apologises(lead_in) && apologises(prompt)) return std::string(prompt);
    return lead_in + std::string(prompt);
  };
  // Each retry starts from the plain prompt, so lead-ins never pile up.
  switch (s_.phase) {
    case Phase::confirm: {
      std::vector<std::string> group = s_.confirm_group;
      if (group.empty() && q) group = {q->id};
      return gather_raw(with_lead_in(q ? read_back_text(group) : s_.last_prompt), true);
    }
    case Phase::identify_pin: return gather_raw(lead_in + "Please key in your staff PIN.");
    case Phase::identify: return gather_raw(lead_in + "Who's calling, please?");
    case Phase::take_message:
      if (const Question* part = c_.question(s_.message_part)) {
        return gather_raw(with_lead_in(part->reprompt.value));
      }
      return gather_raw(with_lead_in(s_.last_prompt));
    default: return gather_raw(with_lead_in(q ? q->reprompt.value : s_.last_prompt));
  }
}

void Dialogue::Turn::repeat_prompt() {
  if (s_.last_prompt.empty()) return failed_attempt("");
  gather_raw(s_.last_prompt, s_.last_prompt_is_confirmation);
}

}  // namespace voiceops::engine
