// Events in, actions out: what each kind of event does first, and the order in which an utterance
// is understood (escalation rows, then turn-taking, then the form).
#include "engine/turn.hpp"

#include <algorithm>
#include <cctype>

#include "engine/business_hours.hpp"
#include "engine/prepared_contract.hpp"

namespace voiceops::engine {
namespace {

// The words of `text` after the first `skip` words.
std::string words_after(std::string_view text, int skip) {
  std::size_t i = 0;
  for (int w = 0; w < skip && i < text.size(); ++w) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  }
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return std::string(text.substr(i));
}

bool is_pseudo_concept(const std::string& id) {
  return id.find(':') != std::string::npos;
}

}  // namespace

Dialogue::Turn::Turn(const Dialogue& dialogue, CallState& state)
    : d_(dialogue), p_(*dialogue.prepared_), c_(dialogue.contract_), s_(state) {}

const Dialogue::Turn::Analysis& Dialogue::Turn::analyse(const std::string& raw, double confidence) {
  if (!analysis_ || analysis_->raw != raw) {
    // The words normalised once for every reader of them.
    nlu::detail::Tokens tokens = nlu::detail::normalize_tokens(raw);
    std::string text = nlu::detail::join(tokens, 0, tokens.size());
    analysis_.emplace(Analysis{std::move(text),
                               raw,
                               confidence,
                               nlu::Utterance(tokens),
                               nlu::Heard(std::move(tokens), forms_),
                               {},
                               std::nullopt});
    analysis_->hits = p_.lexicon.find(analysis_->heard);
  }
  analysis_->confidence = confidence;
  return *analysis_;
}

bool Dialogue::Turn::low_confidence(double confidence) const {
  return confidence < d_.settings_.min_confidence;
}

RowMatches Dialogue::Turn::rows_for(const Analysis& a, const std::string& intent) {
  return match_rows(p_, s_, a.hits, a.said, low_confidence(a.confidence), intent);
}

void Dialogue::Turn::remember_concepts(const Analysis& a) {
  for (const nlu::ConceptHit& hit : a.hits) {
    if (!hit.affirmed() || hit.near || is_pseudo_concept(hit.concept_id)) continue;
    if (std::find(s_.concepts_heard.begin(), s_.concepts_heard.end(), hit.concept_id) ==
        s_.concepts_heard.end()) {
      s_.concepts_heard.push_back(hit.concept_id);
    }
  }
}

void Dialogue::Turn::arrive(const CallArrived& arrived, std::chrono::sys_seconds now) {
  const std::string call_id = s_.call_id;
  s_ = CallState{};
  s_.call_id = call_id;
  s_.workflow = c_.workflow.id.value;
  s_.from = arrived.from;
  s_.to = arrived.to;
  s_.started_at = now.time_since_epoch().count();
  // An unknown zone counts as after hours: promise nothing that needs staff on hand.
  s_.after_hours = !in_business_hours(c_.hours, now).value_or(false);
  std::string opening = c_.answers.greeting.value;
  if (c_.recording.record_calls && !c_.recording.disclosure.value.empty()) {
    say(opening);
    opening = c_.recording.disclosure.value;
  }
  if (c_.workflow.internal()) {
    identify_by_caller_id(opening);
    return;
  }
  s_.phase = Phase::choose_intent;
  gather_raw(opening);
}

void Dialogue::Turn::speech(const SpeechHeard& heard) {
  ++s_.turns;
  const bool talked_over =
      heard.barge_in_ms &&
      *heard.barge_in_ms < spoken_milliseconds(s_.last_prompt, d_.settings_.words_per_minute);
  // A backchannel while the agent is still talking is not an answer: finish the prompt.
  if (talked_over && nlu::is_backchannel(heard.text)) {
    const int heard_words = *heard.barge_in_ms * d_.settings_.words_per_minute / 60000;
    const std::string rest = words_after(s_.last_prompt, heard_words);
    gather_raw(rest.empty() ? s_.last_prompt : rest, s_.last_prompt_is_confirmation);
    return;
  }
  if (s_.phase == Phase::safety_check) return safety_answer(heard.text, heard.confidence);
  process(heard.text, heard.confidence, talked_over, -1);
}

void Dialogue::Turn::process(const std::string& raw, double confidence, bool talked_over,
                             int skip_safety_row) {
  const Analysis& a = analyse(raw, confidence);
  // Safety and escalation rules come before anything else, whatever the confidence.
  std::string intent = s_.intent;
  if (intent.empty() && s_.phase == Phase::choose_intent) {
    // The intent these words would start, for rows that apply only to some ("with_any").
    const auto ranked = rank_candidates(a);
    if (!ranked.empty() && ranked.front().score >= d_.settings_.min_intent_score &&
        ranked.front().id[0] != '\x01') {
      intent = ranked.front().id;
    }
  }
  RowMatches rows = rows_for(a, intent);
  if (skip_safety_row >= 0) {
    std::erase_if(rows.unsure, [&](const RowMatch& m) { return m.row == skip_safety_row; });
  }
  remember_concepts(a);
  if (act_on_rows(rows, a)) return;
  if (s_.phase == Phase::ended || s_.phase == Phase::transfer) return;
  if (a.text.empty()) return no_input();
  // "hold on, sorry, the dog. it's five one two ...": a request to wait that carries the answer
  // is an answer.
  if (nlu::is_repeat_request(a.heard.tokens)) {
    const contract::Question* q = current_question();
    const bool answers = q && s_.phase == Phase::ask &&
                         q->type.value != contract::QuestionType::text &&
                         answer_to(*q, a).has_value();
    if (!answers) return repeat_prompt();
  }
  if (low_confidence(confidence)) return failed_attempt("Sorry, I didn't quite catch that. ");
  if ((s_.phase == Phase::choose_intent || s_.phase == Phase::ask || s_.phase == Phase::confirm) &&
      switch_identity(a)) {
    return;
  }
  if ((s_.phase == Phase::ask || s_.phase == Phase::confirm) && apply_correction(a)) return;
  switch (s_.phase) {
    case Phase::identify: return identify_answer(a);
    case Phase::identify_pin: return failed_attempt("I need your PIN on the keypad. ");
    case Phase::choose_intent: return choose_intent(a);
    case Phase::ask: return answer(a);
    case Phase::confirm: return confirm_answer(a, talked_over);
    case Phase::take_message: return message_answer(a.text, a.raw);
    case Phase::safety_check:
    case Phase::tool:
    case Phase::transfer:
    case Phase::ended: return;
  }
}

void Dialogue::Turn::keypad(const KeypadDigits& keys) {
  ++s_.turns;
  if (s_.phase == Phase::safety_check) {
    if (keys.digits == "1") return safety_answer("yes", 1.0);
    if (keys.digits == "2") return safety_answer("no", 1.0);
  }
  for (std::size_t i = 0; i < c_.escalation.size(); ++i) {
    const contract::EscalationRow& row = c_.escalation[i];
    if (!row.dtmf.value.empty() && row.dtmf.value == keys.digits &&
        row_applies(row, s_.after_hours) && s_.phase != Phase::identify_pin) {
      escalate(static_cast<int>(i), "pressed " + keys.digits);
      return;
    }
  }
  switch (s_.phase) {
    case Phase::identify_pin: return check_pin(keys.digits);
    case Phase::ask: {
      const contract::Question* q = current_question();
      if (!q) return;
      using contract::QuestionType;
      if (q->type.value == QuestionType::yes_no && (keys.digits == "1" || keys.digits == "2")) {
        return set_slot(*q, keys.digits == "1" ? "yes" : "no");
      }
      if (q->type.value == QuestionType::digits || q->type.value == QuestionType::phone ||
          q->type.value == QuestionType::scale) {
        if (auto value = extract(*q, keys.digits, keys.digits)) return set_slot(*q, *value);
      }
      return failed_attempt("");
    }
    case Phase::confirm: {
      const Analysis& a = analyse(keys.digits == "1" ? "yes" : keys.digits == "2" ? "no" : "", 1.0);
      if (keys.digits == "1" || keys.digits == "2") return confirm_answer(a, false);
      return failed_attempt("");
    }
    case Phase::take_message: return message_answer(keys.digits, keys.digits);
    default: return failed_attempt("");
  }
}

void Dialogue::Turn::no_input() {
  if (s_.phase == Phase::ended || s_.phase == Phase::tool || s_.phase == Phase::transfer) return;
  ++s_.turns;
  // Silence after "are you smelling gas right now?" is no reason to drop a possible emergency.
  if (s_.phase == Phase::safety_check) return safety_answer("", 1.0);
  failed_attempt("");
}

void Dialogue::Turn::hung_up() {
  if (s_.phase == Phase::ended) return;
  // A possible emergency the caller hung up on is still passed on, never dropped.
  if (s_.phase == Phase::safety_check && s_.safety_row >= 0) {
    const contract::EscalationRow& row = c_.escalation[static_cast<std::size_t>(s_.safety_row)];
    s_.escalations.push_back(s_.safety_row);
    s_.escalation_words = s_.held_text;
    if (const contract::Destination* destination = destination_for(row)) {
      message_destination(destination->id);
    }
  } else if (s_.phase == Phase::take_message && s_.message_row >= 0) {
    const contract::EscalationRow& row = c_.escalation[static_cast<std::size_t>(s_.message_row)];
    if (const contract::Destination* destination = destination_for(row)) {
      message_destination(destination->id);
    }
  }
  s_.phase = Phase::ended;
  s_.outcome = Outcome::abandoned;
  s_.event = "caller_hung_up";
}

// --- output ----------------------------------------------------------------------------------

void Dialogue::Turn::say(std::string text) {
  if (!text.empty()) actions_.push_back(Say{std::move(text)});
}

// Speaks `prompt` while listening; remembers it for "sorry, what?".
void Dialogue::Turn::gather_raw(std::string prompt, bool confirmation) {
  Gather gather;
  gather.prompt = prompt;
  gather.hints = hints();
  if (const contract::Question* q = current_question(); q && s_.phase == Phase::ask) {
    if (q->type.value == contract::QuestionType::digits) gather.num_digits = q->digits;
  }
  if (s_.phase == Phase::identify_pin) {
    gather.speech = false;
    gather.num_digits = c_.identification.pin_digits;
  }
  s_.last_prompt = std::move(prompt);
  s_.last_prompt_is_confirmation = confirmation;
  actions_.push_back(std::move(gather));
}

std::vector<std::string> Dialogue::Turn::hints() const {
  std::vector<std::string> out;
  if (s_.phase == Phase::choose_intent) {
    for (const auto& intent : c_.intents) {
      for (const auto& k : intent.keywords) out.push_back(k.value);
    }
  } else if (const contract::Question* q = current_question()) {
    for (const auto& choice : q->choices) out.push_back(choice.value);
  }
  if (out.size() > 20) out.resize(20);
  return out;
}

void Dialogue::Turn::end(Outcome outcome, std::string event) {
  s_.phase = Phase::ended;
  s_.outcome = outcome;
  s_.event = event;
  actions_.push_back(EndCall{outcome, std::move(event)});
}

// --- explanation -----------------------------------------------------------------------------

void Dialogue::Turn::position(const std::string& intent, const std::string& step) {
  s_.intent = intent;
  s_.phase = Phase::ask;
  go_to(step.empty() ? c_.intent(intent)->start.value : step);
  actions_.clear();
}

Explanation Dialogue::Turn::explain(const std::string& utterance, double confidence) {
  Explanation out;
  out.phase = to_string(s_.phase);
  if (s_.phase == Phase::ask || s_.phase == Phase::confirm) out.phase += " " + s_.step;
  const Analysis& a = analyse(utterance, confidence);
  out.normalised = a.text;
  if (s_.phase == Phase::choose_intent) {
    out.intents = rank_candidates(a);
    for (auto& score : out.intents) {
      if (!score.id.empty() && score.id[0] == '\x01')
        score.id = "out_of_scope." + score.id.substr(1);
    }
  }
  for (const nlu::ConceptHit& hit : a.hits) {
    out.concepts.push_back({hit.concept_id, hit.words, hit.scope, hit.near});
  }
  const RowMatches rows = rows_for(a, s_.intent);
  const auto add_rows = [&](const std::vector<RowMatch>& list, const std::string& verdict) {
    for (const RowMatch& m : list) {
      const contract::EscalationRow& row = c_.escalation[static_cast<std::size_t>(m.row)];
      std::string why = verdict;
      if (why.empty()) {
        why = std::string(nlu::to_string(m.scope.polarity));
        if (!m.scope.cue.empty()) why += " (" + m.scope.cue + ")";
      }
      out.rows.push_back({m.row, std::string(to_string(row.trigger.value)), row.name.value,
                          m.concept_id, m.words, why});
    }
  };
  add_rows(rows.fired, "fires");
  add_rows(rows.unsure, "asks first");
  add_rows(rows.quiet, "");
  const auto before = s_.slots;
  process(utterance, confidence, false, -1);
  for (const auto& [name, slot] : s_.slots) {
    auto it = before.find(name);
    if (it == before.end() || it->second.value != slot.value)
      out.slots.emplace_back(name, slot.value);
  }
  out.actions = take();
  return out;
}

}  // namespace voiceops::engine
