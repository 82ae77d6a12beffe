#include "engine/dialogue.hpp"

#include <algorithm>
#include <cctype>

#include "crypto/pin_hash.hpp"
#include "engine/business_hours.hpp"
#include "nlu/nlu.hpp"
#include "util/spelling.hpp"
#include "util/words.hpp"

namespace voiceops::engine {
namespace {

using contract::EscalationRow;
using contract::Question;
using contract::Step;
using contract::StepKind;

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

std::vector<std::string> list_of(const contract::TextList& list) {
  std::vector<std::string> out;
  for (const auto& t : list) out.push_back(t.value);
  return out;
}

bool is_yes_no_type(const Question& q) {
  return q.type.value == contract::QuestionType::yes_no;
}

bool apologises(std::string_view text) {
  return text.starts_with("Sorry") || text.starts_with("I'm sorry");
}

// The agent's lead-in before a prompt, unless both apologise: a reprompt written "Sorry, I didn't
// catch that." needs no second "Sorry" in front of it.
std::string with_lead_in(std::string_view lead_in, std::string_view prompt) {
  if (apologises(lead_in) && apologises(prompt)) return std::string(prompt);
  return std::string(lead_in) + std::string(prompt);
}

const char* month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                             "July",    "August",   "September", "October", "November", "December"};

}  // namespace

int spoken_milliseconds(std::string_view text, int words_per_minute) {
  return count_words(text) * 60000 / std::max(1, words_per_minute);
}

// One event's worth of work on one call.
class Dialogue::Turn {
 public:
  Turn(const Dialogue& dialogue, CallState& state)
      : d_(dialogue), c_(dialogue.contract_), s_(state) {}

  std::vector<Action> take() { return std::move(actions_); }

  void arrive(const CallArrived& arrived, std::chrono::sys_seconds now) {
    const std::string call_id = s_.call_id;
    s_ = CallState{};
    s_.call_id = call_id;
    s_.workflow = c_.workflow.id.value;
    s_.from = arrived.from;
    s_.to = arrived.to;
    s_.started_at = now.time_since_epoch().count();
    if (auto local = to_local(c_.hours.time_zone.value, now)) {
      s_.after_hours = !in_business_hours(c_.hours, *local);
    } else {
      s_.after_hours = true;  // unknown zone: promise nothing that needs staff on hand
    }
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
    ask_open(opening);
  }

  void speech(const SpeechHeard& heard) {
    ++s_.turns;
    const std::string text = nlu::normalize(heard.text);
    last_text_ = text;
    last_raw_ = heard.text;
    const bool talked_over =
        heard.barge_in_ms &&
        *heard.barge_in_ms < spoken_milliseconds(s_.last_prompt, d_.settings_.words_per_minute);
    // A backchannel while the agent is still talking is not an answer: finish the prompt.
    if (talked_over && nlu::is_backchannel(text)) {
      const int heard_words = *heard.barge_in_ms * d_.settings_.words_per_minute / 60000;
      const std::string rest = words_after(s_.last_prompt, heard_words);
      gather_raw(rest.empty() ? s_.last_prompt : rest);
      return;
    }
    // Safety and escalation rules come before anything else, whatever the confidence.
    if (check_triggers(text)) return;
    if (nlu::is_repeat_request(text) || text.empty()) {
      if (text.empty()) return no_input();
      repeat_prompt();
      return;
    }
    if (heard.confidence < d_.settings_.min_confidence) {
      failed_attempt("Sorry, I didn't quite catch that. ");
      return;
    }
    if (apply_correction(text)) return;
    if (s_.phase == Phase::choose_intent && switch_identity(text)) return;
    switch (s_.phase) {
      case Phase::identify: return identify_answer(text);
      case Phase::identify_pin: return failed_attempt("I need your PIN on the keypad. ");
      case Phase::choose_intent: return choose_intent(text);
      case Phase::ask: return answer(text, heard.text);
      case Phase::confirm: return confirm_answer(text, talked_over);
      case Phase::tool:
      case Phase::transfer:
      case Phase::ended: return;
    }
  }

  void keypad(const KeypadDigits& keys) {
    ++s_.turns;
    for (std::size_t i = 0; i < c_.escalation.size(); ++i) {
      const EscalationRow& row = c_.escalation[i];
      if (!row.dtmf.value.empty() && row.dtmf.value == keys.digits && row_applies(row) &&
          s_.phase != Phase::identify_pin) {
        return escalate(static_cast<int>(i));
      }
    }
    switch (s_.phase) {
      case Phase::identify_pin: return check_pin(keys.digits);
      case Phase::ask: {
        const Question* q = current_question();
        if (!q) return;
        if (is_yes_no_type(*q) && (keys.digits == "1" || keys.digits == "2")) {
          return answer(keys.digits == "1" ? "yes" : "no", keys.digits);
        }
        if (q->type.value == contract::QuestionType::digits ||
            q->type.value == contract::QuestionType::phone ||
            q->type.value == contract::QuestionType::scale) {
          return answer(keys.digits, keys.digits);
        }
        return failed_attempt("");
      }
      case Phase::confirm:
        if (keys.digits == "1") return confirm_answer("yes", false);
        if (keys.digits == "2") return confirm_answer("no", false);
        return failed_attempt("");
      default: return failed_attempt("");
    }
  }

  void no_input() {
    if (s_.phase == Phase::ended || s_.phase == Phase::tool || s_.phase == Phase::transfer) return;
    ++s_.turns;
    failed_attempt("");
  }

  void tool_result(const ToolResult& result) {
    if (s_.phase != Phase::tool) return;
    const Step* step = c_.step(s_.step);
    if (!step) return fallback();
    if (result.status == ToolStatus::ok || result.status == ToolStatus::duplicate) {
      return go_to(step->on_ok.value);
    }
    s_.tool_failures.push_back(result.name + ":" + to_string(result.status));
    if (!step->on_error.value.empty()) return go_to(step->on_error.value);
    if (int row = find_row("tool_failure"); row >= 0) return escalate(row);
    fallback();
  }

  void transfer_result(const TransferResult& result) {
    if (s_.phase != Phase::transfer) return;
    if (result.status == TransferStatus::completed) {
      const std::string trigger =
          s_.transfer_row >= 0
              ? std::string(to_string(c_.escalation[s_.transfer_row].trigger.value))
              : std::string("transfer");
      return end(Outcome::escalated, "escalation." + trigger);
    }
    if (s_.transfer_row < 0) {
      if (const Step* step = c_.step(s_.step); step && !step->next.value.empty()) {
        return go_to(step->next.value);
      }
    }
    // Nobody picked up: never leave the caller hanging, pass the details on instead.
    say("I couldn't reach them just now, so I've sent them your details and they'll follow up.");
    message_destination(s_.transfer_destination);
    const std::string trigger =
        s_.transfer_row >= 0 ? std::string(to_string(c_.escalation[s_.transfer_row].trigger.value))
                             : std::string("transfer");
    end(Outcome::escalated, "escalation." + trigger);
  }

  void hung_up() {
    if (s_.phase == Phase::ended) return;
    s_.phase = Phase::ended;
    s_.outcome = Outcome::abandoned;
    s_.event = "caller_hung_up";
  }

 private:
  // --- output
  // ---------------------------------------------------------------------------------------

  void say(std::string text) {
    if (!text.empty()) actions_.push_back(Say{std::move(text)});
  }

  // Speaks `prompt` while listening; remembers it for "sorry, what?".
  void gather_raw(std::string prompt, bool confirmation = false) {
    Gather gather;
    gather.prompt = prompt;
    gather.hints = hints();
    if (const Question* q = current_question(); q && s_.phase == Phase::ask) {
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

  std::vector<std::string> hints() const {
    std::vector<std::string> out;
    if (s_.phase == Phase::choose_intent) {
      for (const auto& intent : c_.intents) {
        for (const auto& k : intent.keywords) out.push_back(k.value);
      }
    } else if (const Question* q = current_question()) {
      for (const auto& choice : q->choices) out.push_back(choice.value);
    }
    if (out.size() > 20) out.resize(20);
    return out;
  }

  void ask_open(const std::string& opening) { gather_raw(opening); }

  void end(Outcome outcome, std::string event) {
    s_.phase = Phase::ended;
    s_.outcome = outcome;
    s_.event = event;
    actions_.push_back(EndCall{outcome, std::move(event)});
  }

  // --- identification (Ops line)
  // --------------------------------------------------------------------

  std::vector<const contract::Person*> people_on(const std::string& phone) const {
    std::vector<const contract::Person*> out;
    if (!d_.directory_) return out;
    for (const auto& p : d_.directory_->people) {
      for (const auto& number : p.phones) {
        if (number.value == phone) out.push_back(&p);
      }
    }
    return out;
  }

  void identified(const contract::Person& person, const std::string& lead_in) {
    s_.person_id = person.id;
    s_.person_name = person.name.value;
    s_.slots["caller_name"] = {person.name.value, true};
    if (!person.roles.empty()) s_.slots["role"] = {person.roles.front().value, true};
    s_.phase = Phase::choose_intent;
    const std::string first = person.name.value.substr(0, person.name.value.find(' '));
    // The contract's greeting already asks what the call is for; otherwise offer the role's flows.
    if (!opening_.empty()) return ask_open("Hi " + first + ". " + opening_);
    ask_open(lead_in + "Hi " + first + ". What are we doing: " + flow_menu(person) + "?");
  }

  std::string flow_menu(const contract::Person& person) const {
    std::vector<std::string> flows;
    for (const auto& role : c_.roles) {
      const bool has_role =
          std::any_of(person.roles.begin(), person.roles.end(),
                      [&](const contract::Text& r) { return r.value == role.id; });
      if (!has_role) continue;
      for (const auto& f : role.flows) {
        if (std::find(flows.begin(), flows.end(), f.value) == flows.end()) flows.push_back(f.value);
      }
    }
    std::string menu;
    for (std::size_t i = 0; i < flows.size(); ++i) {
      std::string name = flows[i];
      std::replace(name.begin(), name.end(), '_', ' ');
      if (i > 0) menu += i + 1 == flows.size() ? ", or " : ", ";
      menu += name;
    }
    return menu.empty() ? "how can I help" : menu;
  }

  void identify_by_caller_id(const std::string& opening) {
    const auto people = people_on(s_.from);
    if (people.size() == 1 &&
        !(people[0]->shared_phone && c_.identification.confirm_shared_phone)) {
      opening_ = opening;
      return identified(*people[0], "");
    }
    s_.phase = Phase::identify;
    if (!people.empty()) {
      std::string names;
      for (std::size_t i = 0; i < people.size(); ++i) {
        if (i > 0) names += i + 1 == people.size() ? " or " : ", ";
        names += people[i]->name.value.substr(0, people[i]->name.value.find(' '));
      }
      return gather_raw(opening + " Who's calling: " + names + "?");
    }
    if (c_.identification.pin_fallback) {
      s_.phase = Phase::identify_pin;
      return gather_raw(opening + " I don't recognise this number. Please key in your staff PIN.");
    }
    return gather_raw(opening + " I don't recognise this number. What's your name?");
  }

  void identify_answer(const std::string& text) {
    // "this is dee, i'm on rob's phone": match a directory name said by the caller.
    if (!d_.directory_) return fallback();
    const contract::Person* match = nullptr;
    for (const auto& person : d_.directory_->people) {
      std::string first = nlu::normalize(person.name.value);
      first = first.substr(0, first.find(' '));
      if (nlu::mentions(text, nlu::normalize(person.name.value)) || nlu::mentions(text, first)) {
        // The first name said wins over the phone's owner mentioned later ("rob's phone").
        if (!match || text.find(first) <
                          text.find(nlu::normalize(match->name.value)
                                        .substr(0, nlu::normalize(match->name.value).find(' ')))) {
          match = &person;
        }
      }
    }
    if (!match) return failed_attempt("Sorry, I didn't get your name. ");
    const auto on_phone = people_on(s_.from);
    const bool phone_is_theirs =
        std::find(on_phone.begin(), on_phone.end(), match) != on_phone.end();
    if (phone_is_theirs || !c_.identification.pin_fallback) return identified(*match, "");
    // Someone else's phone: a name is not enough, ask for the PIN.
    s_.person_id = match->id;
    s_.phase = Phase::identify_pin;
    s_.attempts = 0;
    gather_raw("Thanks. Please key in your staff PIN.");
  }

  // "this is dee, i'm on rob's phone" after caller ID matched Rob: the call is Dee's, and on a
  // phone that is not hers her name must be proved with her PIN.
  bool switch_identity(const std::string& text) {
    if (!c_.workflow.internal() || !d_.directory_ || s_.person_id.empty()) return false;
    const auto name = nlu::extract_name(text);
    if (!name) return false;
    const std::string said = nlu::normalize(*name);
    const std::string said_first = said.substr(0, said.find(' '));
    const contract::Person* named = nullptr;
    for (const auto& person : d_.directory_->people) {
      const std::string full = nlu::normalize(person.name.value);
      if (said == full || said_first == full.substr(0, full.find(' '))) {
        named = &person;
        break;
      }
    }
    if (!named || named->id == s_.person_id) return false;
    s_.slots.erase("caller_name");
    s_.slots.erase("role");
    s_.person_name.clear();
    const auto on_phone = people_on(s_.from);
    const bool phone_is_theirs =
        std::find(on_phone.begin(), on_phone.end(), named) != on_phone.end();
    if (phone_is_theirs || !c_.identification.pin_fallback) {
      identified(*named, "");
      return true;
    }
    s_.person_id = named->id;
    s_.phase = Phase::identify_pin;
    s_.attempts = 0;
    const std::string first = named->name.value.substr(0, named->name.value.find(' '));
    gather_raw("Thanks, " + first + ". Please key in your staff PIN.");
    return true;
  }

  // Someone with several roles says which hat they are wearing: "install manager check in".
  void pick_role_named(const std::string& text) {
    const contract::Person* person = d_.directory_ ? d_.directory_->person(s_.person_id) : nullptr;
    if (!person || person->roles.size() < 2) return;
    for (const auto& role_id : person->roles) {
      std::string spoken = role_id.value;
      std::replace(spoken.begin(), spoken.end(), '_', ' ');
      const contract::Role* role = nullptr;
      for (const auto& r : c_.roles) {
        if (r.id == role_id.value) role = &r;
      }
      if (nlu::mentions(text, spoken) || (role && nlu::mentions(text, role->title.value))) {
        s_.slots["role"] = {role_id.value, true};
        return;
      }
    }
  }

  void check_pin(const std::string& digits) {
    const contract::Person* person = nullptr;
    if (d_.directory_) {
      if (!s_.person_id.empty()) {
        person = d_.directory_->person(s_.person_id);
        if (person && (person->pin_hash.value.empty() ||
                       !crypto::verify_pin(digits, person->pin_hash.value))) {
          person = nullptr;
        }
      } else {
        for (const auto& p : d_.directory_->people) {
          if (!p.pin_hash.value.empty() && crypto::verify_pin(digits, p.pin_hash.value)) {
            person = &p;
            break;
          }
        }
      }
    }
    if (person) return identified(*person, "Thanks. ");
    if (++s_.attempts >= c_.identification.max_pin_attempts) return fallback();
    gather_raw("That PIN didn't match. Please try again.");
  }

  // --- triggers
  // -------------------------------------------------------------------------------------

  bool row_applies(const EscalationRow& row) const {
    switch (row.hours.value) {
      case contract::Hours::always: return true;
      case contract::Hours::business_hours: return !s_.after_hours;
      case contract::Hours::after_hours: return s_.after_hours;
      case contract::Hours::never: return false;
    }
    return false;
  }

  int find_row(std::string_view trigger) const {
    for (std::size_t i = 0; i < c_.escalation.size(); ++i) {
      if (to_string(c_.escalation[i].trigger.value) == trigger && row_applies(c_.escalation[i]))
        return int(i);
    }
    return -1;
  }

  // The turn's words normalised once for every matcher that takes them.
  const nlu::Utterance& said(const std::string& text) {
    if (!said_ || said_text_ != text) {
      said_.emplace(text);
      said_text_ = text;
    }
    return *said_;
  }

  bool check_triggers(const std::string& text) {
    for (std::size_t i = 0; i < c_.escalation.size(); ++i) {
      const EscalationRow& row = c_.escalation[i];
      if (!row_applies(row)) continue;
      const std::string trigger(to_string(row.trigger.value));
      const nlu::PhraseList& keywords = d_.row_keywords_[i];
      bool fired = false;
      if (trigger == "asks_for_person") {
        fired = nlu::asks_for_person(said(text)) || nlu::mentions_any(said(text), keywords);
      } else if (trigger == "safety" || trigger == "high_value_lead" || trigger == "custom") {
        fired = !keywords.empty() && nlu::mentions_any(said(text), keywords);
      }
      if (fired) {
        // "yeah my dad's eighty nine": the words that fired the row may answer the question too.
        if (const Question* q = current_question();
            q && s_.phase == Phase::ask && !s_.slots.count(q->id)) {
          if (auto value = extract(*q, text, last_raw_)) s_.slots[q->id] = {*value, false};
        }
        escalate(static_cast<int>(i));
        // A flag for staff lets the caller's words still answer the question.
        return s_.phase == Phase::ended || s_.phase == Phase::transfer;
      }
    }
    return false;
  }

  // Out of scope mid-flow only on a clear keyword hit or a strong match: answers to questions
  // share many words with out-of-scope examples.
  // The out-of-scope intent the caller asked about, if any.
  std::optional<std::string> out_of_scope(const std::string& text) {
    for (std::size_t i = 0; i < c_.out_of_scope.size(); ++i) {
      const auto& oos = c_.out_of_scope[i];
      if (!oos.keywords.empty() && nlu::mentions_any(said(text), d_.out_of_scope_keywords_[i])) {
        return oos.id;
      }
      const auto ranked = nlu::rank_intents(said(text), {&d_.out_of_scope_examples_[i]});
      if (!ranked.empty() && ranked.front().score >= 0.75) return oos.id;
    }
    return std::nullopt;
  }

  void check_slot_rows(const std::string& slot, const std::string& value) {
    for (std::size_t i = 0; i < c_.escalation.size(); ++i) {
      const EscalationRow& row = c_.escalation[i];
      if (row.slot.value != slot || !row_applies(row)) continue;
      for (const auto& v : row.values) {
        if (nlu::normalize(v.value) == nlu::normalize(value)) {
          escalate(static_cast<int>(i));
          return;
        }
      }
    }
  }

  const contract::Destination* destination_for(const EscalationRow& row) const {
    const std::string& id = s_.after_hours && !row.after_hours_destination.value.empty()
                                ? row.after_hours_destination.value
                                : row.destination.value;
    return c_.destination(id);
  }

  void escalate(int row_index) {
    const EscalationRow& row = c_.escalation[row_index];
    s_.escalations.push_back(row_index);
    if (!last_text_.empty()) s_.escalation_words = last_text_;
    const std::string& promise = s_.after_hours && !row.after_hours_promise.value.empty()
                                     ? row.after_hours_promise.value
                                     : row.promise.value;
    const contract::Destination* destination = destination_for(row);
    say(promise);
    const std::string action(to_string(row.action.value));
    const std::string trigger(to_string(row.trigger.value));
    if (action == "transfer" && destination && !destination->number.value.empty() &&
        (destination->kind.value == contract::DestinationKind::phone ||
         destination->kind.value == contract::DestinationKind::voicemail)) {
      s_.phase = Phase::transfer;
      s_.transfer_row = row_index;
      s_.transfer_destination = destination->id;
      actions_.push_back(Transfer{destination->id, destination->number.value, d_.summary(s_)});
      return;
    }
    if (destination) message_destination(destination->id);
    if (action == "end_workflow") return end(Outcome::failure, c_.workflow.failure_event.value);
    // A ticket or a text about a non-urgent finding is a flag for staff, not the end of the call:
    // the flow goes on ("photos not uploaded" still gets the rest of the close-out logged).
    const bool flag_only =
        (action == "create_ticket" || action == "send_sms") && trigger != "safety" &&
        trigger != "asks_for_person" && trigger != "repeated_confusion" &&
        (s_.phase == Phase::ask || s_.phase == Phase::confirm) && !s_.step.empty();
    if (flag_only) {
      s_.flags_pending = true;
      return;
    }
    end(Outcome::escalated, "escalation." + trigger);
  }

  // Hands the call summary to a destination: a text, a queue item or a voicemail.
  void message_destination(const std::string& destination_id) {
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
  void fallback() {
    if (int row = find_row("repeated_confusion"); row >= 0) return escalate(row);
    const contract::Destination* destination = c_.destination(c_.workflow.human_fallback.value);
    const bool staffed =
        destination &&
        (destination->staffed.value == contract::Hours::always ||
         (destination->staffed.value == contract::Hours::business_hours && !s_.after_hours) ||
         (destination->staffed.value == contract::Hours::after_hours && s_.after_hours));
    if (destination && staffed && !destination->number.value.empty() &&
        destination->kind.value == contract::DestinationKind::phone) {
      say("Let me get you to someone who can help.");
      s_.phase = Phase::transfer;
      s_.transfer_row = -1;
      s_.transfer_destination = destination->id;
      s_.step.clear();
      actions_.push_back(Transfer{destination->id, destination->number.value, d_.summary(s_)});
      return;
    }
    say("I'm sorry I couldn't sort this out. I've passed your details to the team and they'll "
        "follow up.");
    if (destination) message_destination(destination->id);
    end(Outcome::failure, c_.workflow.failure_event.value);
  }

  // --- understanding
  // --------------------------------------------------------------------------------

  void failed_attempt(const std::string& lead_in) {
    if (s_.phase == Phase::choose_intent) {
      if (++s_.clarifications > d_.settings_.max_clarifications) return fallback();
      return gather_raw(lead_in + "What can I help you with today?");
    }
    const Question* q = current_question();
    const int limit = q ? q->max_attempts : c_.identification.max_pin_attempts;
    if (++s_.attempts >= limit) return fallback();
    // Each retry starts from the plain prompt, so lead-ins never pile up.
    switch (s_.phase) {
      case Phase::confirm:
        return gather_raw(with_lead_in(lead_in, q ? render(q->confirm.value) : s_.last_prompt),
                          true);
      case Phase::identify_pin: return gather_raw(lead_in + "Please key in your staff PIN.");
      case Phase::identify: return gather_raw(lead_in + "Who's calling, please?");
      default: return gather_raw(with_lead_in(lead_in, q ? q->reprompt.value : s_.last_prompt));
    }
  }

  void repeat_prompt() {
    if (s_.last_prompt.empty()) return failed_attempt("");
    gather_raw(s_.last_prompt, s_.last_prompt_is_confirmation);
  }

  void choose_intent(const std::string& text) {
    std::vector<const nlu::PreparedIntent*> patterns;
    for (const auto& intent : d_.intents_) {
      if (may_use(intent.id)) patterns.push_back(&intent);
    }
    for (const auto& oos : d_.out_of_scope_) patterns.push_back(&oos);
    const auto ranked = nlu::rank_intents(said(text), patterns);
    if (ranked.empty() || ranked.front().score < d_.settings_.min_intent_score) {
      return failed_attempt("Sorry, I'm not sure I follow. ");
    }
    if (ranked.front().id[0] == '\x01') {
      s_.out_of_scope_topic = ranked.front().id.substr(1);
      if (int row = find_row("out_of_scope"); row >= 0) return escalate(row);
      return fallback();
    }
    s_.intent = ranked.front().id;
    s_.attempts = 0;
    pick_role_named(text);
    fill_from_utterance(text);
    go_to(c_.intent(s_.intent)->start.value);
  }

  // On the Ops line a caller may use only the flows of their roles.
  bool may_use(const std::string& intent) const {
    if (!c_.workflow.internal() || s_.person_id.empty() || !d_.directory_) return true;
    const contract::Person* person = d_.directory_->person(s_.person_id);
    if (!person) return true;
    for (const auto& role_id : person->roles) {
      for (const auto& role : c_.roles) {
        if (role.id != role_id.value) continue;
        for (const auto& flow : role.flows) {
          if (flow.value == intent) return true;
        }
      }
    }
    return false;
  }

  // Several answers at once ("it's tom reyes at 40 birch and it's the furnace"): keep what is
  // unmistakable so the flow need not ask for it again.
  void fill_from_utterance(const std::string& text) {
    for (const auto& q : c_.questions) {
      if (s_.slots.count(q.id)) continue;
      std::optional<std::string> value;
      if (q.type.value == contract::QuestionType::name &&
          (text.find("my name is") != std::string::npos ||
           text.find("this is") != std::string::npos ||
           text.find("name is") != std::string::npos)) {
        value = nlu::extract_name(text);
      } else if (q.type.value == contract::QuestionType::address &&
                 (text.find(" street") != std::string::npos ||
                  text.find(" st ") != std::string::npos ||
                  text.find(" road") != std::string::npos ||
                  text.find(" avenue") != std::string::npos ||
                  text.find(" drive") != std::string::npos ||
                  text.find(" lane") != std::string::npos)) {
        value = nlu::extract_address(text);
      }
      if (!value && q.type.value == contract::QuestionType::digits && q.digits > 0) {
        // "closeout for two six oh two seven": a job number said with the request.
        auto digits = nlu::extract_digits(text, q.digits);
        if (digits && static_cast<int>(digits->size()) == q.digits) value = digits;
      }
      if (value) s_.slots[q.id] = {*value, false};
    }
  }

  const Question* current_question() const {
    const Step* step = c_.step(s_.step);
    if (!step || step->kind != StepKind::ask) return nullptr;
    return c_.question(step->target.value);
  }

  std::optional<std::string> extract(const Question& q, const std::string& text,
                                     const std::string& raw) const {
    const std::string type(to_string(q.type.value));
    if (type == "name") return nlu::extract_name(text);
    if (type == "phone") return nlu::extract_phone(text, s_.from);
    if (type == "address") return nlu::extract_address(text);
    if (type == "yes_no") {
      auto yes_no = nlu::extract_yes_no(text);
      if (!yes_no) return std::nullopt;
      return std::string(*yes_no == nlu::YesNo::yes ? "yes" : "no");
    }
    if (type == "scale") {
      auto n = nlu::extract_scale(text);
      if (!n) return std::nullopt;
      return std::to_string(*n);
    }
    if (type == "digits") return nlu::extract_digits(text, q.digits);
    if (type == "choice") {
      std::vector<nlu::Choice> choices;
      for (const auto& c : q.choices) {
        nlu::Choice choice{c.value, {}};
        if (auto it = q.synonyms.find(c.value); it != q.synonyms.end())
          choice.synonyms = list_of(it->second);
        choices.push_back(std::move(choice));
      }
      return nlu::extract_choice(text, choices);
    }
    if (type == "datetime") {
      auto local = to_local(c_.hours.time_zone.value,
                            std::chrono::sys_seconds{std::chrono::seconds{s_.started_at}});
      if (!local) return std::nullopt;
      auto when = nlu::extract_datetime(text, local->wall);
      if (!when) return std::nullopt;
      return when->text();
    }
    // Free text keeps the caller's words as the recogniser gave them: it goes into tickets as said.
    const auto first = raw.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || nlu::normalize(raw).empty()) return std::nullopt;
    return raw.substr(first, raw.find_last_not_of(" \t\r\n") - first + 1);
  }

  void answer(const std::string& text, const std::string& raw) {
    const Question* q = current_question();
    if (!q) return;
    auto value = extract(*q, text, raw);
    if (!value) {
      // Not an answer: maybe a question the agent must not guess at ("how much is a new system").
      if (auto topic = out_of_scope(text)) {
        s_.out_of_scope_topic = *topic;
        if (int row = find_row("out_of_scope"); row >= 0) return escalate(row);
      }
      return failed_attempt("");
    }
    set_slot(*q, *value);
  }

  void set_slot(const Question& q, const std::string& value) {
    s_.slots[q.id] = {value, q.confirm.value.empty(), s_.step};
    s_.attempts = 0;
    s_.flags_pending = false;
    check_slot_rows(q.id, value);
    if (s_.phase == Phase::ended || s_.phase == Phase::transfer) return;
    if (!q.confirm.value.empty()) {
      s_.phase = Phase::confirm;
      return gather_raw(render(q.confirm.value), true);
    }
    continue_after_answer();
  }

  void confirm_answer(const std::string& text, bool talked_over) {
    const Question* q = current_question();
    if (!q) return;
    auto yes_no = nlu::extract_yes_no(text);
    if (yes_no == nlu::YesNo::yes) {
      // The caller spoke over the read-back, so they did not hear all of it: read it again.
      if (talked_over) return gather_raw("Just to be sure: " + render(q->confirm.value), true);
      s_.slots[q->id].confirmed = true;
      return continue_after_answer();
    }
    if (yes_no == nlu::YesNo::no) {
      // "no, it's 21 oak street": the answer may carry the right value, after the "no".
      const std::string rest = without_leading_no(text);
      auto corrected = rest.empty() ? std::nullopt : extract(*q, rest, rest);
      if (corrected && nlu::normalize(*corrected) != "no") return set_slot(*q, *corrected);
      s_.slots.erase(q->id);
      s_.phase = Phase::ask;
      return gather_raw("Sorry about that. " + q->prompt.value);
    }
    // Not a yes or no: maybe the value itself, restated.
    auto restated = extract(*q, text, text);
    if (restated && q->type.value != contract::QuestionType::text) return set_slot(*q, *restated);
    failed_attempt("");
  }

  // Overwrites the slot a correction refers to, reads it back, and carries on where we were.
  bool apply_correction(const std::string& text) {
    const nlu::Correction correction = nlu::detect_correction(text);
    if (!correction.is_correction || correction.replacement.empty()) return false;
    if (s_.phase != Phase::ask && s_.phase != Phase::confirm) return false;
    // "no, we're one tech short" answers a yes/no question; it corrects nothing.
    if (correction.replaced.empty() && s_.phase == Phase::ask) {
      if (const Question* q = current_question(); q && extract(*q, text, text)) return false;
    }
    // Which slot: the one holding the replaced words, else the last one filled of a fitting type.
    const Question* target = nullptr;
    std::string new_value;
    if (!correction.replaced.empty()) {
      // The slot being asked or read back first: "no it's twenty one not twelve" at the address.
      std::vector<std::pair<std::string, SlotValue>> candidates;
      const Question* asked = current_question();
      if (asked && s_.slots.count(asked->id))
        candidates.emplace_back(asked->id, s_.slots.at(asked->id));
      for (const auto& entry : s_.slots) {
        if (!asked || entry.first != asked->id) candidates.push_back(entry);
      }
      for (const auto& [name, slot] : candidates) {
        const std::string normalized = nlu::words_to_digits(nlu::normalize(slot.value));
        const std::string replaced = nlu::words_to_digits(correction.replaced);
        const auto at = normalized.find(replaced);
        if (at == std::string::npos) continue;
        const Question* q = c_.question(name);
        if (!q) continue;
        const std::string replacement = nlu::words_to_digits(correction.replacement);
        // "21 oak street" replaces the whole value; "21" replaces only the "12".
        std::string candidate =
            replacement.find(' ') != std::string::npos
                ? replacement
                : normalized.substr(0, at) + replacement + normalized.substr(at + replaced.size());
        auto parsed = extract(*q, candidate, candidate);
        if (!parsed) continue;
        target = q;
        new_value = *parsed;
        break;
      }
    }
    if (!target) {
      const Question* asked = current_question();
      for (const auto& q : c_.questions) {
        if (!s_.slots.count(q.id) || q.type.value == contract::QuestionType::text ||
            q.type.value == contract::QuestionType::yes_no)
          continue;
        auto parsed = extract(q, correction.replacement, correction.replacement);
        if (parsed && (!target || (asked && q.id == asked->id))) {
          target = &q;
          new_value = *parsed;
        }
      }
      // "i said kowalski with a k": a one-word fix to a name replaces the word it resembles, or
      // the part named ("the first name is spelled s i o b h a n").
      if (target && target->type.value == contract::QuestionType::name &&
          new_value.find(' ') == std::string::npos) {
        new_value = replace_name_part(s_.slots[target->id].value, new_value, correction.name_part);
      }
    }
    if (!target) return false;
    SlotValue& corrected = s_.slots[target->id];
    corrected.value = new_value;
    corrected.confirmed = true;
    const std::string ack = "Got it, " + speakable(*target, new_value) + ".";
    const Question* current = current_question();
    if (s_.phase == Phase::confirm && current && current->id == target->id) {
      say(ack);
      return continue_after_answer(), true;
    }
    say(ack);
    repeat_prompt();
    return true;
  }

  static std::string replace_name_part(const std::string& value, const std::string& word,
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

  static std::string without_leading_no(const std::string& text) {
    for (std::string_view lead : {"no no ", "nope ", "nah ", "no "}) {
      if (text.rfind(lead, 0) == 0) return text.substr(lead.size());
    }
    return text == "no" || text == "nope" || text == "nah" ? std::string() : text;
  }

  // --- the flow
  // -------------------------------------------------------------------------------------

  void continue_after_answer() {
    const Step* step = c_.step(s_.step);
    if (!step) return fallback();
    const Question* q = c_.question(step->target.value);
    const std::string value =
        q && s_.slots.count(q->id) ? nlu::normalize(s_.slots[q->id].value) : "";
    for (const auto& [answer, target] : step->branch) {
      if (answer.value != "other" && nlu::normalize(answer.value) == value)
        return go_to(target.value);
    }
    for (const auto& [answer, target] : step->branch) {
      if (answer.value == "other") return go_to(target.value);
    }
    go_to(step->next.value);
  }

  void go_to(const std::string& step_id) {
    // Bounded: a contract's say/ask-already-filled chain cannot loop forever.
    std::string next = step_id;
    for (int hops = 0; hops < 256; ++hops) {
      const Step* step = c_.step(next);
      if (!step) return fallback();
      s_.step = step->id;
      s_.attempts = 0;
      switch (step->kind) {
        case StepKind::say:
          say(render(step->target.value));
          next = step->next.value;
          continue;
        case StepKind::ask: {
          const Question* q = c_.question(step->target.value);
          if (!q) return fallback();
          auto it = s_.slots.find(q->id);
          // A second step asking an answered question (a retry after "that day is full") wants
          // a new answer; a value the caller gave unasked just skips the question.
          if (it != s_.slots.end() && !it->second.asked_at.empty() &&
              it->second.asked_at != step->id) {
            s_.slots.erase(it);
            it = s_.slots.end();
          }
          if (it != s_.slots.end()) {
            if (!q->confirm.value.empty() && !it->second.confirmed) {
              s_.phase = Phase::confirm;
              return gather_raw(render(q->confirm.value), true);
            }
            s_.phase = Phase::ask;
            return continue_after_answer();
          }
          s_.phase = Phase::ask;
          return gather_raw(q->prompt.value);
        }
        case StepKind::call: {
          s_.phase = Phase::tool;
          CallTool call{step->target.value, step->timeout_ms, {}};
          for (const auto& [name, slot] : s_.slots) call.arguments.emplace_back(name, slot.value);
          call.arguments.emplace_back("call_id", s_.call_id);
          actions_.push_back(std::move(call));
          return;
        }
        case StepKind::transfer: {
          const contract::Destination* destination = c_.destination(step->target.value);
          if (!destination || destination->number.value.empty()) {
            next = step->next.value;
            continue;
          }
          s_.phase = Phase::transfer;
          s_.transfer_row = -1;
          s_.transfer_destination = destination->id;
          std::string summary =
              step->summary.value.empty() ? d_.summary(s_) : render(step->summary.value);
          actions_.push_back(
              Transfer{destination->id, destination->number.value, std::move(summary)});
          return;
        }
        case StepKind::end:
          say(render(step->say_before_end.value));
          if (step->target.value == "success")
            return end(Outcome::success, c_.workflow.success_event.value);
          return end(Outcome::failure, c_.workflow.failure_event.value);
      }
    }
    fallback();
  }

  // --- speaking values
  // ------------------------------------------------------------------------------

  std::string speakable(const Question& q, const std::string& value) const {
    const std::string type(to_string(q.type.value));
    if (type == "phone") return nlu::speak_phone(value);
    if (type == "digits") return nlu::speak_digits(value);
    if (type == "address") {
      // "415 Oak Street" is said "four fifteen Oak Street", never "four hundred fifteen".
      std::size_t digits = 0;
      while (digits < value.size() && std::isdigit(static_cast<unsigned char>(value[digits])))
        ++digits;
      if (digits > 0 && digits < 6) {
        return nlu::speak_house_number(std::stoi(value.substr(0, digits))) + value.substr(digits);
      }
      return value;
    }
    if (type == "datetime") {
      // "2026-11-24 15:00" -> "November 24 at 3 p.m."
      if (value.size() >= 10 && value[4] == '-') {
        const int month = std::stoi(value.substr(5, 2));
        std::string out = std::string(month_names[(month + 11) % 12]) + " " +
                          std::to_string(std::stoi(value.substr(8, 2)));
        if (value.size() >= 16 && value[13] == ':') {
          out += " at " +
                 nlu::speak_time(std::stoi(value.substr(11, 2)), std::stoi(value.substr(14, 2)));
        } else if (value.size() > 11) {
          out += " in the " + value.substr(11);
        }
        return out;
      }
    }
    return value;
  }

  // Replaces {slot} placeholders with the slot's value as it should be spoken.
  std::string render(const std::string& text) const {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
      if (text[i] == '{') {
        const auto close = text.find('}', i);
        if (close != std::string::npos) {
          const std::string name = text.substr(i + 1, close - i - 1);
          auto it = s_.slots.find(name);
          const Question* q = c_.question(name);
          if (it != s_.slots.end()) {
            out += q ? speakable(*q, it->second.value) : it->second.value;
          }
          i = close + 1;
          continue;
        }
      }
      out += text[i++];
    }
    return out;
  }

  const Dialogue& d_;
  const contract::Contract& c_;
  CallState& s_;
  std::vector<Action> actions_;
  std::string last_text_;  // this turn's words, for the summary of an escalation
  std::string last_raw_;   // and as the recogniser delivered them
  std::string opening_;    // the greeting, when identification does not need a question of its own
  std::optional<nlu::Utterance> said_;  // said() of said_text_
  std::string said_text_;
};

Dialogue::Dialogue(const contract::Contract& contract, const contract::Directory* directory,
                   DialogueSettings settings)
    : contract_(contract), directory_(directory), settings_(settings) {
  for (const auto& row : contract_.escalation) row_keywords_.emplace_back(list_of(row.keywords));
  for (const auto& intent : contract_.intents) {
    intents_.push_back(
        nlu::prepare_intent({intent.id, list_of(intent.examples), list_of(intent.keywords)}));
  }
  for (const auto& oos : contract_.out_of_scope) {
    out_of_scope_.push_back(
        nlu::prepare_intent({"\x01" + oos.id, list_of(oos.examples), list_of(oos.keywords)}));
    out_of_scope_examples_.push_back(nlu::prepare_intent({oos.id, list_of(oos.examples), {}}));
    out_of_scope_keywords_.emplace_back(list_of(oos.keywords));
  }
}

std::vector<Action> Dialogue::handle(CallState& state, const Event& event,
                                     std::chrono::sys_seconds now) const {
  Turn turn(*this, state);
  if (state.phase == Phase::ended && !std::holds_alternative<CallArrived>(event)) return {};
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, CallArrived>)
          turn.arrive(e, now);
        else if constexpr (std::is_same_v<E, SpeechHeard>)
          turn.speech(e);
        else if constexpr (std::is_same_v<E, KeypadDigits>)
          turn.keypad(e);
        else if constexpr (std::is_same_v<E, NoInput>)
          turn.no_input();
        else if constexpr (std::is_same_v<E, ToolResult>)
          turn.tool_result(e);
        else if constexpr (std::is_same_v<E, TransferResult>)
          turn.transfer_result(e);
        else if constexpr (std::is_same_v<E, HungUp>)
          turn.hung_up();
      },
      event);
  return turn.take();
}

std::string Dialogue::summary(const CallState& s) const {
  auto slot = [&](const std::string& name) -> std::string {
    auto it = s.slots.find(name);
    return it == s.slots.end() ? "" : it->second.value;
  };
  auto spaced = [](std::string id) {
    std::replace(id.begin(), id.end(), '_', ' ');
    return id;
  };
  std::string who;
  for (const auto& q : contract_.questions) {
    if (q.type.value == contract::QuestionType::name && !slot(q.id).empty()) {
      who = slot(q.id);
      break;
    }
  }
  if (who.empty()) who = s.person_name.empty() ? "Caller" : s.person_name;
  who += " (" + s.from + ")";
  std::string need;
  const bool request_known = contract_.intent(s.intent) || !s.out_of_scope_topic.empty();
  if (const auto* intent = contract_.intent(s.intent)) {
    need = spaced(intent->id);
  } else if (!s.out_of_scope_topic.empty()) {
    need = spaced(s.out_of_scope_topic);
  } else if (!s.escalation_words.empty()) {
    need = "said \"" + s.escalation_words.substr(0, 90) + "\"";
  } else {
    need = "unclear request";
  }
  // Values staff act on (where, when, which number) apart from the caller's free text, which is
  // what gets shortened when the summary is too long.
  std::string key_details, free_text;
  for (const auto& q : contract_.questions) {
    const std::string value = slot(q.id);
    if (value.empty() || q.type.value == contract::QuestionType::name) continue;
    if (q.type.value == contract::QuestionType::yes_no && value == "no") continue;
    std::string& details = q.type.value == contract::QuestionType::text ? free_text : key_details;
    details += (details.empty() ? "" : "; ") +
               (q.type.value == contract::QuestionType::yes_no ? spaced(q.id) : value);
  }
  std::string outcome, quote;
  if (!s.escalations.empty()) {
    const auto& row = contract_.escalation[s.escalations.back()];
    outcome = "ESCALATED (" + spaced(std::string(to_string(row.trigger.value))) + ")";
    if (!s.transfer_destination.empty()) outcome += " to " + s.transfer_destination;
    if (request_known && !s.escalation_words.empty()) {
      quote = " on \"" + s.escalation_words.substr(0, 70) + "\"";
    }
  } else if (s.outcome == Outcome::success) {
    outcome = "done: " + s.event;
  } else if (s.outcome == Outcome::abandoned) {
    outcome = "caller hung up";
  } else if (s.outcome) {
    outcome = "not completed";
  } else {
    outcome = "in progress";
  }
  const std::string failure =
      s.tool_failures.empty() ? "" : "; " + s.tool_failures.back() + " failed";
  const std::string next = s.outcome == Outcome::success ? "" : " Next: call back.";
  const auto compose = [&](const std::string& key, const std::string& free, const std::string& q) {
    std::string details = key;
    if (!free.empty()) details += (details.empty() ? "" : "; ") + free;
    return who + " - " + need + (details.empty() ? "" : ": " + details) + ". " + outcome + q +
           failure + "." + next;
  };
  constexpr std::size_t limit = 300;
  // Shortens `text` so that `rest` more characters fit, or empties it when too little would stay.
  const auto shorten = [&](std::string& text, std::size_t rest) {
    constexpr std::size_t least = 12;
    if (text.empty()) return;
    if (rest + least + 3 > limit) {
      text.clear();
      return;
    }
    const std::size_t room = limit - rest - 3;
    if (text.size() > room) text = text.substr(0, room) + "...";
  };
  std::string summary = compose(key_details, free_text, quote);
  if (summary.size() <= limit) return summary;
  // Cut the caller's free text first, then the quote, then the key details: who, what, where,
  // the outcome and the next step stay.
  shorten(free_text, compose(key_details, "", quote).size() + 2);
  summary = compose(key_details, free_text, quote);
  if (summary.size() <= limit) return summary;
  free_text.clear();
  quote.clear();
  summary = compose(key_details, "", "");
  if (summary.size() <= limit) return summary;
  shorten(key_details, compose("", "", "").size() + 2);
  summary = compose(key_details, "", "");
  if (summary.size() > limit) summary.resize(limit);
  return summary;
}

}  // namespace voiceops::engine
