// The flow graph's rules: step targets, successors, branches, reachability, dead ends, questions.
#include "contract/validator.hpp"

namespace voiceops::contract {

void Validator::check_steps() {
  std::set<std::string> broken;  // steps whose successors are already reported as wrong
  for (const Intent& intent : c_.intents) {
    if (!intent.start.value.empty() && !c_.step(intent.start.value)) {
      d_.error("undefined-step", intent.start.where,
               "intent '" + intent.id + "' starts at undefined step '" + intent.start.value + "'",
               suggest(intent.start.value, ids_of(c_.steps),
                       "define [steps." + intent.start.value + "]"));
    }
  }
  for (const Step& step : c_.steps) {
    check_step_target(step);
    if (!check_successors(step)) broken.insert(step.id);
  }

  // Forward reachability from every intent's start.
  std::set<std::string> reachable;
  std::vector<const Step*> work;
  for (const Intent& intent : c_.intents) {
    if (const Step* s = c_.step(intent.start.value); s && reachable.insert(s->id).second)
      work.push_back(s);
  }
  while (!work.empty()) {
    const Step* s = work.back();
    work.pop_back();
    for (const Text& next : s->successors()) {
      if (const Step* n = c_.step(next.value); n && reachable.insert(n->id).second)
        work.push_back(n);
    }
  }
  reachable_ = reachable;
  for (const Step& step : c_.steps) {
    if (!reachable.count(step.id)) {
      d_.warning("unreachable-step", step.where,
                 "step '" + step.id + "' cannot be reached from any intent",
                 "point an intent's start or another step's next at it, or delete it");
    }
  }

  // Backward: which steps can still reach an end? Steps already reported count as able to.
  std::set<std::string> can_end = broken;
  for (const Step& step : c_.steps) {
    if (step.kind == StepKind::end) can_end.insert(step.id);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (const Step& step : c_.steps) {
      if (can_end.count(step.id)) continue;
      for (const Text& next : step.successors()) {
        if (can_end.count(next.value)) {
          can_end.insert(step.id);
          changed = true;
          break;
        }
      }
    }
  }
  for (const Step& step : c_.steps) {
    if (reachable.count(step.id) && !can_end.count(step.id)) {
      d_.error("dead-end", step.where,
               "from step '" + step.id +
                   "' no path reaches an end step, so the call ends in "
                   "neither the success nor the failure event",
               "give the loop a way out: a branch or on_error that leads to an end step");
    }
  }
}

void Validator::check_step_target(const Step& step) {
  const Text& target = step.target;
  if (target.value.empty() || !step.kind_known) return;
  switch (step.kind) {
    case StepKind::ask:
      if (!c_.question(target.value)) {
        d_.error(
            "undefined-question", target.where,
            "step '" + step.id + "' asks undefined question '" + target.value + "'",
            suggest(target.value, ids_of(c_.questions), "define [questions." + target.value + "]"));
      }
      break;
    case StepKind::call: {
      const auto dot = target.value.find('.');
      const std::string system = target.value.substr(0, dot);
      if (dot == std::string::npos || dot + 1 >= target.value.size()) {
        d_.error("bad-value", target.where, "call \"" + target.value + "\" names no operation",
                 "write \"<system>.<operation>\", e.g. \"odoo.helpdesk.ticket.create\"");
      }
      const System* mapped = c_.system(system);
      if (!mapped) {
        d_.error(
            "system-not-mapped", target.where,
            "step '" + step.id + "' calls system '" + system + "', which is not in the system map",
            suggest(system, ids_of(c_.systems), "add [systems." + system + "]"));
      } else if (!touched(system)) {
        d_.error("system-undeclared", target.where,
                 "step '" + step.id + "' calls system '" + system +
                     "', which is not in workflow.systems_touched",
                 "add \"" + system + "\" to systems_touched");
      }
      if (mapped && step.writes && mapped->write.empty()) {
        d_.error("write-not-allowed", target.where,
                 "step '" + step.id + "' writes to '" + system + "', which is mapped read-only",
                 "declare what the agent may write in [systems." + system +
                     "].write, or make the "
                     "step read-only");
      }
      break;
    }
    case StepKind::transfer: check_destination_ref(target, "transfer destination"); break;
    case StepKind::say:
    case StepKind::end: break;
  }
}

// Reports missing or undefined successors; false when the step's way on is broken.
bool Validator::check_successors(const Step& step) {
  if (!step.kind_known) return false;
  bool ok = true;
  for (const Text& next : step.successors()) {
    if (!c_.step(next.value)) {
      d_.error("undefined-step", next.where,
               "step '" + step.id + "' continues to undefined step '" + next.value + "'",
               suggest(next.value, ids_of(c_.steps), "define [steps." + next.value + "]"));
      ok = false;
    }
  }
  auto need = [&](bool present, std::string_view what) {
    if (present) return;
    d_.error(
        "missing-successor", step.where,
        std::string(to_string(step.kind)) + " step '" + step.id + "' has no " + std::string(what),
        "say where the call goes next, or end it with a step like end = \"failure\"");
    ok = false;
  };
  switch (step.kind) {
    case StepKind::ask: {
      need(!step.next.value.empty() || !step.branch.empty(), "next or branch");
      if (!step.branch.empty()) ok = check_branch(step) && ok;
      break;
    }
    case StepKind::say: need(!step.next.value.empty(), "next"); break;
    case StepKind::call: need(!step.on_ok.value.empty(), "on_ok"); break;
    case StepKind::transfer:
      need(!step.next.value.empty(), "next (where a failed transfer goes)");
      break;
    case StepKind::end: break;
  }
  return ok;
}

bool Validator::check_branch(const Step& step) {
  const Question* q = c_.question(step.target.value);
  if (!q) return true;
  std::vector<std::string> answers;
  if (q->type.value == QuestionType::yes_no) {
    answers = {"yes", "no"};
  } else if (q->type.value == QuestionType::choice) {
    for (const Text& choice : q->choices) answers.push_back(choice.value);
  } else if (q->type.value == QuestionType::scale) {
    answers = {"1", "2", "3", "4", "5"};
  } else {
    d_.error("bad-value", step.branch.front().first.where,
             "step '" + step.id + "' branches on a " + std::string(to_string(q->type.value)) +
                 " question",
             "branch only on yes_no, choice or scale questions; use next otherwise");
    return false;
  }
  std::set<std::string> covered;
  bool ok = true;
  for (const auto& [answer, target] : step.branch) {
    if (answer.value == "other") {
      covered.insert(answers.begin(), answers.end());
      continue;
    }
    if (std::find(answers.begin(), answers.end(), answer.value) == answers.end()) {
      d_.error("bad-value", answer.where,
               "step '" + step.id + "' branches on '" + answer.value + "', which question '" +
                   q->id + "' never answers",
               suggest(answer.value, answers, "branch on the question's answers or on other"));
      ok = false;
    }
    covered.insert(answer.value);
  }
  if (step.next.value.empty()) {
    for (const std::string& answer : answers) {
      if (!covered.count(answer)) {
        d_.error("missing-successor", step.where,
                 "step '" + step.id + "' has no branch for the answer '" + answer + "'",
                 "add " + answer + " = \"...\" or other = \"...\" to the branch, or a next");
        return false;
      }
    }
  }
  return ok;
}

void Validator::check_questions() {
  std::set<std::string> asked_anywhere, asked_reachable;
  for (const Step& step : c_.steps) {
    if (step.kind != StepKind::ask) continue;
    asked_anywhere.insert(step.target.value);
    if (reachable_.count(step.id)) asked_reachable.insert(step.target.value);
  }
  std::set<std::string> required;
  for (const Text& q : c_.workflow.required_questions) {
    required.insert(q.value);
    if (!c_.question(q.value)) {
      d_.error("undefined-question", q.where, "required question '" + q.value + "' is not defined",
               suggest(q.value, ids_of(c_.questions), "define [questions." + q.value + "]"));
    } else if (!asked_reachable.count(q.value)) {
      d_.error("required-question-not-asked", q.where,
               "required question '" + q.value + "' is never asked on any intent's path",
               "add a step with ask = \"" + q.value + "\" to the flow of the intents that need it");
    }
  }
  // Escalation rows may depend on an answer without asking it themselves.
  for (const Question& q : c_.questions) {
    if (asked_reachable.count(q.id) || required.count(q.id)) continue;
    if (asked_anywhere.count(q.id)) continue;  // its step is already reported unreachable
    d_.warning("question-never-asked", q.where, "question '" + q.id + "' is never asked",
               "ask it from a step (ask = \"" + q.id + "\") or delete it");
  }
}

}  // namespace voiceops::contract
