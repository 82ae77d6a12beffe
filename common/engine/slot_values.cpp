// Values in what the caller says: the answer to the question asked, and values for other open
// questions given unasked, each only where its form is plain (a name from someone giving it, a
// number by its digits, a labelled answer by its label).
#include <algorithm>
#include <cctype>

#include "engine/business_hours.hpp"
#include "engine/prepared_contract.hpp"
#include "engine/turn.hpp"
#include "engine/utterance_cues.hpp"
#include "nlu/detail.hpp"

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

}  // namespace

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
      if (!p_.zone) return std::nullopt;
      const auto local =
          to_local(*p_.zone, std::chrono::sys_seconds{std::chrono::seconds{s_.started_at}});
      auto when = nlu::extract_datetime(text, local.wall);
      if (!when) return std::nullopt;
      return when->text();
    }
    case QuestionType::text:
    case QuestionType::unknown: break;
  }
  // Free text keeps the caller's words as the recogniser gave them: it goes into tickets as said.
  const auto first = raw.find_first_not_of(" \t\r\n");
  // Only fillers ("um") are no answer. `text` is the normalised words unless a caller passed the
  // raw words twice.
  const bool words = text != raw ? !text.empty() : !nlu::normalize(raw).empty();
  if (first == std::string::npos || !words) return std::nullopt;
  return raw.substr(first, raw.find_last_not_of(" \t\r\n") - first + 1);
}

// The whole utterance is someone saying their name ("luis herrera", "it's ben adler").
bool Dialogue::Turn::name_looks_given(const Analysis& a) const {
  return name_given(a.heard.tokens, a.text).has_value();
}

// Nothing but a name: every word said is part of it ("rita gonzales", "it's dana, d a n a").
std::optional<std::string> Dialogue::Turn::bare_name(const Analysis& a) const {
  auto name = name_given(a.heard.tokens, a.text);
  // A first and a last name: one word ("squirrels") may be anything.
  if (!name || name->find(' ') == std::string::npos) return std::nullopt;
  std::size_t name_letters = 0, said_letters = 0;
  for (char ch : *name) name_letters += std::isalpha(static_cast<unsigned char>(ch)) ? 1 : 0;
  for (const auto& t : a.heard.tokens) {
    if (is_one_of(t.text, {"it",  "is",   "my",     "name",  "this", "yeah", "yes",
                           "um",  "uh",   "oh",     "that",  "sure", "okay", "so",
                           "and", "cell", "number", "phone", "at",   "call", "me"})) {
      continue;
    }
    // A number said with the name is another answer, kept on its own.
    if (detail::is_number_word(t.text) || detail::is_digits(t.text)) continue;
    for (char ch : t.text) said_letters += std::isalpha(static_cast<unsigned char>(ch)) ? 1 : 0;
  }
  // Spelled letters repeat the name: "dana d a n a" says it twice.
  return said_letters <= 2 * name_letters + 1 ? name : std::nullopt;
}

// Where the caller speaks about `q` when they answer several labelled questions in one breath
// ("the diagnosis isn't finished, no photos yet, didn't get to options"): from a denial just
// before its label to where the next label's part begins. Words before the first label belong
// to the first ("yes diagnosis done"); a question the caller does not name, being asked, owns
// the words before the first label. Nullopt when no other labelled question is named and `q`
// is not named either, or `q` is not named and is not the one asked.
std::optional<std::pair<std::size_t, std::size_t>> Dialogue::Turn::label_span(
    const Question& q, const Analysis& a) const {
  const detail::Tokens& tokens = a.heard.tokens;
  struct Mark {
    std::size_t begin, end;
    bool mine;
  };
  std::vector<Mark> marks;
  const std::string mine = PreparedContract::label_concept(q.id);
  for (const nlu::ConceptHit& hit : a.hits) {
    if (!hit.concept_id.starts_with("label:")) continue;
    // Only yes/no questions share an answer this way: a free-text label ("@equipment_problem")
    // is what the words are about, not where one answer ends.
    const Question* labelled = c_.question(hit.concept_id.substr(6));
    if (!labelled || labelled->type.value != QuestionType::yes_no) continue;
    marks.push_back({hit.begin, hit.end, hit.concept_id == mine});
  }
  if (marks.empty()) return std::nullopt;
  std::sort(marks.begin(), marks.end(),
            [](const Mark& x, const Mark& y) { return x.begin < y.begin; });
  // "no photos yet", "didn't get to options": a denial just before a label is its, across only
  // the words that lead to it ("the diagnosis isn't finished, photos are up" keeps its "not").
  const auto lead = [&](std::size_t i) {
    const std::size_t floor = i == 0 ? 0 : marks[i - 1].end;
    std::size_t start = marks[i].begin;
    for (std::size_t back = 1; back <= 3 && marks[i].begin >= floor + back; ++back) {
      const std::size_t k = marks[i].begin - back;
      if (tokens[k].pause_after) break;
      if (detail::is_negator(tokens[k].text)) {
        start = k;
        break;
      }
      if (!is_one_of(tokens[k].text,
                     {"get",      "got",    "to",     "do",     "did",     "the",  "any",  "a",
                      "an",       "take",   "took",   "upload", "present", "send", "have", "had",
                      "go",       "over",   "around", "yet",    "is",      "are",  "was",  "were",
                      "actually", "really", "even",   "quite",  "fully",   "ever"})) {
        break;
      }
    }
    return start;
  };
  for (std::size_t i = 0; i < marks.size(); ++i) {
    if (!marks[i].mine) continue;
    const std::size_t from = i == 0 && current_question() == &q ? 0 : lead(i);
    std::size_t next = i + 1;
    while (next < marks.size() && marks[next].mine) ++next;
    return std::pair{from, next < marks.size() ? lead(next) : tokens.size()};
  }
  // Not named: the words before the first other label answer the question asked.
  if (current_question() != &q) return std::nullopt;
  return std::pair{std::size_t{0}, lead(0)};
}

bool Dialogue::Turn::has_label(const Question& q, const Analysis& a) const {
  const std::string id = PreparedContract::label_concept(q.id);
  // A yes/no question named in a denial is answered by it: "no photos yet".
  const bool denial_answers = q.type.value == QuestionType::yes_no;
  return std::any_of(a.hits.begin(), a.hits.end(), [&](const nlu::ConceptHit& hit) {
    return hit.concept_id == id && (denial_answers || hit.scope.polarity != nlu::Polarity::negated);
  });
}

// The answer to the question being asked. Where the caller answers several labelled yes/no
// questions at once ("photos are up, options no"), this one's answer is the part about it.
std::optional<std::string> Dialogue::Turn::answer_to(const Question& q, const Analysis& a) const {
  if (q.type.value == QuestionType::yes_no) {
    if (const auto span = label_span(q, a); span && span->second > span->first) {
      return yes_no_near(a.heard.tokens, span->first, span->second);
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
  // The question being asked shares a label with this one: the answer is on its topic already
  // ("the fourteenth, after lunch" to the day question names the window too).
  const Question* asked = current_question();
  const bool same_topic =
      asked && asked != &q &&
      std::any_of(q.labels.begin(), q.labels.end(), [&](const contract::Text& label) {
        return std::any_of(asked->labels.begin(), asked->labels.end(),
                           [&](const contract::Text& other) { return other.value == label.value; });
      });
  const bool labelled = has_label(q, a) || same_topic;
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
      const bool says_a_number =
          std::any_of(a.heard.numbers.begin(), a.heard.numbers.end(),
                      [](const nlu::Heard::Number& n) { return n.value >= 0; });
      if (says_a_number) {
        if (auto number = nlu::extract_phone(a.text)) return number;
      }
      if (!points_at_a_number(tokens)) return std::nullopt;
      return nlu::extract_phone(a.text, s_.from);
    }
    case QuestionType::address:
      if (!mentions_street(tokens)) return std::nullopt;
      return nlu::extract_address(a.text);
    case QuestionType::datetime: {
      // A day the caller wants, not the day the trouble started.
      const detail::Tokens kept = tokens_without_past_times(tokens);
      if (!names_a_day(kept)) return std::nullopt;
      const std::string wanted = detail::join(kept, 0, kept.size());
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
      const auto span = label_span(q, a);
      if (!span) return std::nullopt;
      if (auto value = yes_no_near(tokens, span->first, span->second)) return value;
      // Named and not denied nor asked about ("i'm in and on the clock"): a yes.
      if (!asks_a_question(a.raw, tokens)) return std::string("yes");
      return std::nullopt;
    }
    case QuestionType::scale:
      if (!labelled) return std::nullopt;
      if (auto n = nlu::extract_scale(a.text)) return std::to_string(*n);
      return std::nullopt;
    case QuestionType::choice: {
      // None of the choices' words said: nothing to look for.
      const auto words = p_.choice_words.find(q.id);
      if (words == p_.choice_words.end() ||
          std::none_of(tokens.begin(), tokens.end(),
                       [&](const auto& t) { return words->second.count(t.text) > 0; })) {
        return std::nullopt;
      }
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

}  // namespace voiceops::engine
