// Acting on escalation rows: the row's promise and action (transfer, message, flag, end), the one
// direct safety question, the message a take_message row takes, and the human fallback.
#include <algorithm>
#include <set>

#include "engine/business_hours.hpp"
#include "engine/prepared_contract.hpp"
#include "engine/turn.hpp"
#include "nlu/detail.hpp"

namespace voiceops::engine {
namespace {

using contract::EscalationRow;
using contract::RowAction;
using contract::Trigger;

constexpr const char* default_safety_question =
    "Just to be safe, I need a yes or a no: is that happening right now?";

bool is_text_of(const contract::Question& q, contract::QuestionType type) {
  return q.type.value == type;
}

}  // namespace

int Dialogue::Turn::find_row(Trigger trigger) const {
  for (std::size_t i = 0; i < c_.escalation.size(); ++i) {
    if (c_.escalation[i].trigger.value == trigger &&
        row_applies(c_.escalation[i], s_.after_hours)) {
      return int(i);
    }
  }
  return -1;
}

const contract::Destination* Dialogue::Turn::destination_for(const EscalationRow& row) const {
  const std::string& id = s_.after_hours && !row.after_hours_destination.value.empty()
                              ? row.after_hours_destination.value
                              : row.destination.value;
  return c_.destination(id);
}

bool Dialogue::Turn::act_on_rows(const RowMatches& rows, const Analysis& a) {
  if (!rows.fired.empty()) {
    const EscalationRow& row = c_.escalation[static_cast<std::size_t>(rows.fired.front().row)];
    // No slot is filled from words that fired a row, except the answer the row itself is keyed
    // to: "yeah my dad's eighty nine" to the vulnerable-occupants question is its "yes".
    if (const contract::Question* q = current_question();
        q && s_.phase == Phase::ask && row.slot.value == q->id) {
      if (auto value = extract(*q, a.text, a.raw)) {
        for (const auto& v : row.values) {
          if (nlu::normalize(v.value) == nlu::normalize(*value)) {
            s_.slots[q->id] = {*value, true, s_.step};
          }
        }
      }
    }
    return escalate(rows.fired.front().row, a.text);
  }
  if (!rows.unsure.empty()) {
    ask_safety_question(rows.unsure.front(), a);
    return true;
  }
  return false;
}

bool Dialogue::Turn::escalate(int row_index, const std::string& words) {
  const EscalationRow& row = c_.escalation[static_cast<std::size_t>(row_index)];
  s_.escalations.push_back(row_index);
  if (!words.empty()) s_.escalation_words = words;
  const std::string& promise = s_.after_hours && !row.after_hours_promise.value.empty()
                                   ? row.after_hours_promise.value
                                   : row.promise.value;
  const contract::Destination* destination = destination_for(row);
  say(promise);
  const RowAction action = row.action.value;
  const Trigger trigger = row.trigger.value;
  using contract::DestinationKind;
  if (action == RowAction::transfer && destination && !destination->number.value.empty() &&
      (destination->kind.value == DestinationKind::phone ||
       destination->kind.value == DestinationKind::voicemail)) {
    transfer_to(*destination, row_index);
    return true;
  }
  if (action == RowAction::take_message) {
    take_message(row_index);
    return true;
  }
  if (destination) message_destination(destination->id);
  if (action == RowAction::end_workflow) {
    end(Outcome::failure, c_.workflow.failure_event.value);
    return true;
  }
  // A ticket or a text about a non-urgent finding is a flag for staff, not the end of the call:
  // the flow goes on ("photos not uploaded" still gets the rest of the close-out logged), and the
  // words that raised the flag may still answer the question.
  const bool flag_only = (action == RowAction::create_ticket || action == RowAction::send_sms) &&
                         trigger != Trigger::safety && trigger != Trigger::asks_for_person &&
                         trigger != Trigger::repeated_confusion &&
                         (s_.phase == Phase::ask || s_.phase == Phase::confirm) && !s_.step.empty();
  if (flag_only) {
    s_.flags_pending = true;
    return false;
  }
  end(Outcome::escalated, "escalation." + std::string(to_string(trigger)));
  return true;
}

// --- the one direct safety question -------------------------------------------------------------

void Dialogue::Turn::ask_safety_question(const RowMatch& match, const Analysis& a) {
  std::string question;
  if (const contract::Concept* concept_def = c_.concept_named(match.concept_id)) {
    question = concept_def->question.value;
  }
  if (question.empty()) question = default_safety_question;
  s_.held_phase = static_cast<int>(s_.phase);
  s_.held_prompt = s_.last_prompt;
  s_.held_text = a.raw;
  s_.held_confidence_milli = static_cast<int>(a.confidence * 1000 + 0.5);
  s_.safety_row = match.row;
  s_.phase = Phase::safety_check;
  gather_raw(question);
}

void Dialogue::Turn::safety_answer(const std::string& text, double confidence) {
  const int row = s_.safety_row;
  const std::string held = s_.held_text;
  const auto resume = [&] {
    s_.phase = static_cast<Phase>(s_.held_phase < 0 ? static_cast<int>(Phase::choose_intent)
                                                    : s_.held_phase);
    s_.last_prompt = s_.held_prompt;
    s_.safety_row = -1;
    s_.held_text.clear();
    s_.held_phase = -1;
    s_.held_prompt.clear();
  };
  if (!text.empty()) {
    const Analysis& a = analyse(text, confidence);
    // The answer may itself state the emergency ("yes it smells like rotten eggs"), or another.
    RowMatches rows = rows_for(a, s_.intent);
    remember_concepts(a);
    if (!rows.fired.empty()) {
      resume();
      escalate(rows.fired.front().row, a.text);
      return;
    }
    const auto yes_no = nlu::extract_yes_no(a.text);
    if (yes_no == nlu::YesNo::no && !low_confidence(confidence)) {
      // A clear no: go on with what the caller first said, without that row's doubt.
      const double held_confidence = s_.held_confidence_milli / 1000.0;
      resume();
      if (s_.phase == Phase::ended || s_.phase == Phase::tool || s_.phase == Phase::transfer)
        return;
      say("Okay, thanks.");
      // What followed the "no" goes with what was first said: "no, it's more of a dusty smell,
      // and this is derek okafor by the way".
      const std::string rest = without_leading_no(a.text);
      process(rest.empty() || rest == a.text ? held : held + ", " + rest, held_confidence, false,
              row);
      // Nothing in the first words moved the call on: ask again what was pending.
      if (actions_.size() == 1 && !s_.last_prompt.empty()) {
        gather_raw(s_.last_prompt, s_.last_prompt_is_confirmation);
      }
      return;
    }
  }
  // Yes, unsure, silence or anything else: a possible emergency is acted on, never dropped.
  resume();
  escalate(row, nlu::normalize(held));
}

// --- messages and the fallback -----------------------------------------------------------------

void Dialogue::Turn::message_destination(const std::string& destination_id) {
  const contract::Destination* destination = c_.destination(destination_id);
  if (!destination) return;
  const std::string& address = destination->kind.value == contract::DestinationKind::queue
                                   ? destination->queue.value
                                   : destination->number.value;
  actions_.push_back(Notify{destination->id, std::string(to_string(destination->kind.value)),
                            address, d_.summary(s_)});
}

// When the agent cannot go on: the repeated-confusion row if there is one, else the contract's
// human fallback, transferred if staffed now and messaged otherwise.
void Dialogue::Turn::fallback() {
  if (int row = find_row(Trigger::repeated_confusion); row >= 0) {
    escalate(row, s_.escalation_words);
    return;
  }
  const contract::Destination* destination = c_.destination(c_.workflow.human_fallback.value);
  const bool staffed = destination && staffed_now(*destination, !s_.after_hours);
  if (destination && staffed && !destination->number.value.empty() &&
      destination->kind.value == contract::DestinationKind::phone) {
    say("Let me get you to someone who can help.");
    s_.step.clear();
    transfer_to(*destination, -1);
    return;
  }
  say("I'm sorry I couldn't sort this out. I've passed your details to the team and they'll "
      "follow up.");
  if (destination) message_destination(destination->id);
  end(Outcome::failure, c_.workflow.failure_event.value);
}

// Out of scope mid-flow only on a clear keyword hit (by word form, not denied) or a strong
// match with an example: answers to questions share many words with out-of-scope examples.
std::optional<std::string> Dialogue::Turn::out_of_scope_topic(const Analysis& a) const {
  for (std::size_t i = 0; i < c_.out_of_scope.size(); ++i) {
    const auto& oos = c_.out_of_scope[i];
    const std::string id = PreparedContract::out_of_scope_concept(oos.id);
    const bool keyword = std::any_of(a.hits.begin(), a.hits.end(), [&](const nlu::ConceptHit& h) {
      return h.concept_id == id && h.raises_topic();
    });
    if (keyword) return oos.id;
    const auto ranked = nlu::rank_intents(a.said, {&p_.out_of_scope_examples[i]});
    if (!ranked.empty() && ranked.front().score >= 0.75) return oos.id;
  }
  return std::nullopt;
}

bool Dialogue::Turn::route_out_of_scope(const std::string& topic, const std::string& words) {
  s_.out_of_scope_topic = topic;
  if (int row = find_row(Trigger::out_of_scope); row >= 0) return escalate(row, words);
  fallback();
  return true;
}

// A request no intent and no out-of-scope entry covers, said clearly enough to be a topic of its
// own ("do you guys clean gutters", "i'm calling about the tools your tech left here"), rather
// than a garbled or vague answer ("the thing with the"), a name, or an unclear way of saying
// something the contract does cover. On the first try only a question or a request counts.
bool Dialogue::Turn::uncovered_topic(const Analysis& a, bool first_try) const {
  static const std::set<std::string> vague = {
      "question", "help",  "call", "calling", "wonder", "wondering", "ask",   "someth", "thing",
      "stuff",    "hello", "hi",   "hey",     "know",   "sure",      "okay",  "yes",    "no",
      "sorry",    "loud",  "hear", "bad",     "line",   "phone",     "there", "here"};
  for (const nlu::ConceptHit& hit : a.hits) {
    // Anything the lexicon knows (the equipment, a problem, a safety word) is on topic.
    if (p_.topical_concepts.count(hit.concept_id) && hit.scope.polarity != nlu::Polarity::negated) {
      return false;
    }
  }
  if (name_looks_given(a)) return false;
  // "what do you mean?", "i don't understand": about the agent's question, not a new topic.
  if (contains_any(a.heard.tokens,
                   {"what do you mean", "what does that mean", "do not understand",
                    "what was the question", "what is that", "what did you say", "come again"})) {
    return false;
  }
  int content = 0;
  for (std::size_t i = 0; i < a.heard.tokens.size(); ++i) {
    const std::string& word = a.heard.tokens[i].text;
    const std::string& lemma = a.heard.lemmas[i];
    if (p_.domain_lemmas.count(lemma)) return false;  // on topic, just unclear
    if (word.size() > 3 && !vague.count(lemma) &&
        !nlu::detail::is_one_of(
            word, {"this", "that", "your",  "have",  "with",  "about",  "they", "what",
                   "just", "like", "some",  "want",  "need",  "guys",   "from", "does",
                   "were", "been", "will",  "would", "could", "should", "then", "than",
                   "them", "when", "where", "yall",  "y'all", "really", "right"})) {
      ++content;
    }
  }
  const bool request =
      asks_a_question(a.raw, a.heard.tokens) ||
      contains_any(a.heard.tokens,
                   {"i want", "i need", "i would like", "calling about", "calling to",
                    "looking for", "wanted to", "let somebody know", "let someone know"});
  if (request && content >= 1) return true;
  return !first_try && content >= 3;
}

// --- take_message rows take the message ------------------------------------------------------

void Dialogue::Turn::take_message(int row_index) {
  s_.phase = Phase::take_message;
  s_.message_row = row_index;
  s_.message_part.clear();
  s_.attempts = 0;
  s_.step.clear();
  ask_for_message_part();
}

// The question a message takes for a name or a number: the call's own first (the booking line
// has two phone questions), else the first any step asks.
const contract::Question* Dialogue::Turn::message_question(contract::QuestionType type) const {
  if (auto it = p_.intent_questions.find(s_.intent); it != p_.intent_questions.end()) {
    for (const contract::Question* q : it->second) {
      if (is_text_of(*q, type)) return q;
    }
  }
  for (const auto& step : c_.steps) {
    if (step.kind != contract::StepKind::ask) continue;
    if (const contract::Question* q = c_.question(step.target.value); q && is_text_of(*q, type)) {
      return q;
    }
  }
  return nullptr;
}

void Dialogue::Turn::ask_for_message_part() {
  const EscalationRow& row = c_.escalation[static_cast<std::size_t>(s_.message_row)];
  const auto filled = [&](contract::QuestionType type) {
    if (type == contract::QuestionType::name && !s_.person_name.empty()) return true;
    for (const auto& q : c_.questions) {
      if (q.type.value == type && s_.slots.count(q.id)) return true;
    }
    return false;
  };
  const auto first_of = [&](contract::QuestionType type) { return message_question(type); };
  const bool staff = c_.workflow.internal() && !s_.person_id.empty();  // known by caller ID
  std::vector<std::string> parts;
  if (!staff) {
    if (const auto* q = first_of(contract::QuestionType::name);
        q && !filled(contract::QuestionType::name)) {
      parts.push_back(q->id);
    }
    if (const auto* q = first_of(contract::QuestionType::phone);
        q && !filled(contract::QuestionType::phone)) {
      parts.push_back(q->id);
    }
  }
  // Asking for a person: the caller has not said what it is about yet.
  if (row.trigger.value == Trigger::asks_for_person && s_.message.empty()) {
    parts.push_back("message");
  }
  // The parts already asked are behind us: take the first still missing after the current one.
  auto next = parts.begin();
  if (!s_.message_part.empty()) {
    auto at = std::find(parts.begin(), parts.end(), s_.message_part);
    next = at == parts.end() ? parts.begin() : at + 1;
  }
  if (next == parts.end()) {
    say("Thank you. I've passed that on. Goodbye.");
    if (const contract::Destination* destination = destination_for(row)) {
      message_destination(destination->id);
    }
    end(Outcome::escalated, "escalation." + std::string(to_string(row.trigger.value)));
    return;
  }
  s_.message_part = *next;
  s_.attempts = 0;
  if (*next == "message") return gather_raw("What would you like me to pass on?");
  gather_raw(c_.question(*next)->prompt.value);
}

void Dialogue::Turn::message_answer(const std::string& text, const std::string& raw) {
  if (s_.message_part == "message") {
    if (!text.empty()) s_.message = raw;
    return ask_for_message_part();
  }
  const contract::Question* q = c_.question(s_.message_part);
  if (!q) return ask_for_message_part();
  if (auto value = extract(*q, text, raw)) {
    s_.slots[q->id] = {*value, true, ""};
    // "it's gary hoffman and this number's fine": the number too, said with the name.
    if (q->type.value == contract::QuestionType::name && !text.empty()) {
      const Analysis& a = analyse(raw, 1.0);
      if (const contract::Question* phone = message_question(contract::QuestionType::phone);
          phone && !s_.slots.count(phone->id)) {
        if (auto number = volunteered(*phone, a)) s_.slots[phone->id] = {*number, true, ""};
      }
    }
    return ask_for_message_part();
  }
  // Not understood: ask once more, then pass on what there is.
  if (++s_.attempts >= q->max_attempts) return ask_for_message_part();
  gather_raw(q->reprompt.value);
}

void Dialogue::Turn::check_slot_rows(const std::string& slot, const std::string& value) {
  for (std::size_t i = 0; i < c_.escalation.size(); ++i) {
    const EscalationRow& row = c_.escalation[i];
    if (row.slot.value != slot || !row_applies(row, s_.after_hours)) continue;
    for (const auto& v : row.values) {
      if (nlu::normalize(v.value) == nlu::normalize(value)) {
        escalate(static_cast<int>(i), "");
        return;
      }
    }
  }
}

}  // namespace voiceops::engine
