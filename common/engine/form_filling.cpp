// Slots, after the VoiceXML form interpretation algorithm: the contract's steps are the order of
// asking, never of accepting. Every utterance is offered to every open slot of the call's intent;
// one utterance may fill several; values given unasked are read back together; an answer that
// fills something else is progress, and the question is asked again briefly; a read-back
// answered with new content is a correction.
#include <algorithm>

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

}  // namespace

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
  int kept = keep_volunteered(a, q);
  if (s_.phase != Phase::ask) return;  // a volunteered value raised a row that took the call
  // "frank delgado, and my cell is ..." to "what's the system doing?": nothing but a name and the
  // number given with it, the details the caller expected to be asked next. The number is kept
  // as given unasked, the name too, and the question is asked again.
  if (value && kept > 0 && q->type.value == QuestionType::text && !has_label(*q, a)) {
    if (auto name = bare_name(a)) {
      value.reset();
      for (const Question* open : open_questions()) {
        if (open->type.value != QuestionType::name) continue;
        s_.slots[open->id] = {*name, open->confirm.value.empty(), ""};
        break;
      }
    }
  }
  // "rita gonzales" to "what's the system doing?": the caller answered the question they
  // expected next. A bare name describes nothing; it fills the name, and this is asked again.
  if (value && kept == 0 && q->type.value == QuestionType::text && !has_label(*q, a)) {
    if (auto name = bare_name(a)) {
      for (const Question* open : open_questions()) {
        if (open->type.value != QuestionType::name) continue;
        s_.slots[open->id] = {*name, open->confirm.value.empty(), ""};
        value.reset();
        kept = 1;
        break;
      }
    }
  }
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
  const bool said_yes = yes_no.has_value() && *yes_no == nlu::YesNo::yes;
  const bool said_no = yes_no.has_value() && *yes_no == nlu::YesNo::no;
  // New content for a value read back is a correction of it ("no it's twenty one").
  const std::string rest = without_leading_no(text);
  const std::string said = without_leading_no(a.raw);  // with the caller's pauses
  std::vector<std::pair<const Question*, std::string>> corrections;
  const bool plain_answer = tokens.size() <= 3 && yes_no.has_value();
  if (!rest.empty() && !plain_answer) {
    for (const std::string& id : group) {
      const Question* item = c_.question(id);
      if (!item) continue;
      if (item->type.value == QuestionType::text) {
        // "no, make it by two": new words for a free-text answer, read back again.
        if (said_no && nlu::tokens(rest).size() >= 2) {
          s_.slots[id].value = rest;
          return gather_raw(read_back_text(group), true);
        }
        continue;
      }
      auto value = extract(*item, said, said);
      const auto slot = s_.slots.find(id);
      if (value && slot != s_.slots.end() && item->type.value == QuestionType::address) {
        value = corrected_address(slot->second.value, *value);
      }
      // "no, harper, h a r p e r" to "I have Ken Harbor": only the part it resembles changes.
      if (value && slot != s_.slots.end() && item->type.value == QuestionType::name &&
          value->find(' ') == std::string::npos) {
        value = replace_name_part(slot->second.value, *value, nlu::NamePart::any);
      }
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
  if (said_yes) {
    // The caller spoke over the read-back, so they did not hear all of it: read it again.
    if (talked_over) return gather_raw("Just to be sure: " + read_back_text(group), true);
    confirm_group();
    // "yeah that's the address, and my number is ...": the rest may answer something else.
    keep_volunteered(a, nullptr);
    if (s_.phase != Phase::confirm) return;
    return after_read_back();
  }
  if (said_no) {
    // Which part is wrong is not said: ask for each again, in the flow's order.
    for (const std::string& id : group) s_.slots.erase(id);
    s_.confirm_group.clear();
    s_.phase = Phase::ask;
    const Question* again = current_question();
    return gather_raw("Sorry about that. " + (again ? again->prompt.value : q->prompt.value));
  }
  // Neither: values for other questions are kept, and the read-back is asked again with the
  // new ones in it, so one yes confirms everything the caller has given so far.
  if (keep_volunteered(a, nullptr) > 0 && s_.phase == Phase::confirm) {
    if (auto waiting = awaiting_read_back(); waiting.size() > group.size()) group = waiting;
    s_.confirm_group = group;
    return gather_raw(read_back_text(group), true);
  }
  if (s_.phase == Phase::confirm) failed_attempt("");
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
