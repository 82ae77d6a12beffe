// The contract's cross-reference and policy checks: the rule groups run in order, and the
// intents, systems, numbers and destinations checked here; the other groups are in
// validate_flow.cpp, validate_escalation.cpp, validate_policies.cpp, validate_ops_line.cpp.
#include "contract/validator.hpp"

namespace voiceops::contract {

void Validator::run() {
  if (c_.steps.size() > max_steps) {
    d_.error("bad-value", c_.steps[max_steps].where,
             "the contract has " + std::to_string(c_.steps.size()) + " steps",
             "a bounded workflow needs far fewer than " + std::to_string(max_steps) +
                 " steps; split it into several workflows");
    return;
  }
  check_intents();
  check_systems();
  check_destinations_and_numbers();
  check_steps();
  check_questions();
  check_escalation();
  check_time_zone();
  check_voice();
  check_rollback();
  check_odoo();
  check_tool_calls();
  check_ops_line();
  validate_lexicon(c_, d_);
}

void Validator::check_intents() {
  std::set<std::string> allowed;
  for (const Text& intent : c_.workflow.allowed_intents) {
    if (!allowed.insert(intent.value).second) {
      d_.error("bad-value", intent.where, "intent '" + intent.value + "' is listed twice",
               "list each allowed intent once");
    }
    if (!c_.intent(intent.value)) {
      d_.error("undefined-intent", intent.where,
               "allowed intent '" + intent.value + "' has no [intents." + intent.value + "] table",
               "add [intents." + intent.value + "] with description, examples and start");
    }
  }
  for (const Text& intent : c_.workflow.out_of_scope_intents) {
    if (allowed.count(intent.value)) {
      d_.error("intent-conflict", intent.where,
               "intent '" + intent.value + "' is both allowed and out of scope",
               "decide: remove it from allowed_intents or from out_of_scope_intents");
    }
  }
  for (const Intent& intent : c_.intents) {
    if (!allowed.count(intent.id)) {
      d_.error("undefined-intent", intent.where,
               "[intents." + intent.id + "] is not in workflow.allowed_intents",
               suggest(intent.id, c_.workflow.allowed_intents,
                       "add it to allowed_intents, or remove the table"));
    }
  }
  for (const OutOfScope& entry : c_.out_of_scope) {
    const bool listed = std::any_of(c_.workflow.out_of_scope_intents.begin(),
                                    c_.workflow.out_of_scope_intents.end(),
                                    [&](const Text& t) { return t.value == entry.id; });
    if (!listed) {
      d_.error("undefined-intent", entry.where,
               "[out_of_scope." + entry.id + "] is not in workflow.out_of_scope_intents",
               "add it to out_of_scope_intents, or remove the table");
    }
  }
}

std::string Validator::suggest(std::string_view word, const std::vector<std::string>& candidates,
                               std::string fallback) {
  if (auto match = closest_match(word, std::span<const std::string>(candidates))) {
    return "did you mean '" + *match + "'?";
  }
  return fallback;
}

std::string Validator::suggest(std::string_view word, const TextList& candidates,
                               std::string fallback) {
  std::vector<std::string> values;
  for (const Text& t : candidates) values.push_back(t.value);
  return suggest(word, values, std::move(fallback));
}

void Validator::check_systems() {
  for (const Text& name : c_.workflow.systems_touched) {
    if (!c_.system(name.value)) {
      d_.error("system-not-mapped", name.where,
               "system '" + name.value + "' is touched but not in the system map",
               suggest(name.value, ids_of(c_.systems),
                       "add [systems." + name.value + "] with its access, risk and owner"));
    }
  }
}

bool Validator::touched(std::string_view system) const {
  return std::any_of(c_.workflow.systems_touched.begin(), c_.workflow.systems_touched.end(),
                     [&](const Text& t) { return t.value == system; });
}

void Validator::check_number(const Text& number, std::string_view what) {
  if (number.value.empty() || is_e164(number.value)) return;
  std::string digits;
  for (char ch : number.value) {
    if (ch >= '0' && ch <= '9') digits += ch;
  }
  std::string example = digits.size() == 10 ? "+1" + digits : "+" + digits;
  d_.error("not-e164", number.where,
           std::string(what) + " '" + number.value + "' is not an E.164 phone number",
           is_e164(example)
               ? "write it as \"" + example + "\" (+, country code, number, no spaces)"
               : "write + country code and number with no spaces, e.g. \"+15125550100\"");
}

void Validator::check_destination_ref(const Text& ref, std::string_view what) {
  if (ref.value.empty() || c_.destination(ref.value)) return;
  d_.error("undefined-destination", ref.where,
           std::string(what) + " '" + ref.value + "' is not a defined destination",
           suggest(ref.value, ids_of(c_.destinations),
                   "add [destinations." + ref.value + "] with its kind, number and staffed hours"));
}

void Validator::check_destinations_and_numbers() {
  for (const Text& number : c_.answers.numbers) check_number(number, "answered number");
  for (const Destination& d : c_.destinations) check_number(d.number, "destination number");
  check_number(c_.rollback.forward_to, "rollback.forward_to");
  check_destination_ref(c_.workflow.human_fallback, "human_fallback");
}

bool promises_immediate_contact(std::string_view promise) {
  return soon_contact_promise(promise).has_value();
}

CallLengthEstimate estimate_call_length(const Contract& contract, const Intent& intent) {
  struct Best {
    bool done = false, on_stack = false, reaches = false;
    int words = 0, answers = 0;
  };
  std::unordered_map<std::string, Best> memo;
  // Longest path to a success end, ignoring edges back into the current path (loops are re-asks).
  std::function<void(const Step&)> visit = [&](const Step& step) {
    Best& self = memo[step.id];
    self.on_stack = true;
    int own_words = 0, own_answers = 0;
    switch (step.kind) {
      case StepKind::ask:
        if (const Question* q = contract.question(step.target.value)) {
          own_words = count_words(q->prompt.value) + count_words(q->confirm.value);
          own_answers = q->answer_seconds;
        }
        break;
      case StepKind::say: own_words = count_words(step.target.value); break;
      case StepKind::end: own_words = count_words(step.say_before_end.value); break;
      case StepKind::call:
      case StepKind::transfer: break;
    }
    Best result;
    if (step.kind == StepKind::end && step.target.value == "success") result.reaches = true;
    for (const Text& next : step.successors()) {
      const Step* n = contract.step(next.value);
      if (!n) continue;
      Best& other = memo[n->id];
      if (other.on_stack) continue;
      if (!other.done) visit(*n);
      const Best& done = memo[n->id];
      if (done.reaches && (!result.reaches || done.words * 60 / 150.0 + done.answers >
                                                  result.words * 60 / 150.0 + result.answers)) {
        result.reaches = true;
        result.words = done.words;
        result.answers = done.answers;
      }
    }
    Best& stored = memo[step.id];
    stored.reaches = result.reaches;
    stored.words = result.words + own_words;
    stored.answers = result.answers + own_answers;
    stored.on_stack = false;
    stored.done = true;
  };
  CallLengthEstimate estimate;
  const Step* start = contract.step(intent.start.value);
  if (!start) return estimate;
  visit(*start);
  const Best& best = memo[start->id];
  estimate.reaches_success = best.reaches;
  estimate.words =
      best.words + count_words(contract.answers.greeting.value) +
      (contract.recording.record_calls ? count_words(contract.recording.disclosure.value) : 0);
  estimate.answer_seconds = best.answers;
  return estimate;
}

void validate(const Contract& contract, Diagnostics& diagnostics, const ValidateOptions& options) {
  Validator(contract, diagnostics, options).run();
}

}  // namespace voiceops::contract
