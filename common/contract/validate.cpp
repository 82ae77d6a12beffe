#include "contract/validate.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "base/spelling.hpp"
#include "base/words.hpp"
#include "contract/directory.hpp"
#include "contract/promises.hpp"
#include "contract/validate_lexicon.hpp"

namespace voiceops::contract {
namespace {

constexpr std::array<std::string_view, 5> standard_triggers = {
    "asks_for_person", "safety", "tool_failure", "out_of_scope", "high_value_lead"};

constexpr std::array<std::string_view, 12> ops_odoo_fields = {
    "user_id",      "role",        "call_type",         "energy_level",
    "blocker_flag", "primary_kpi", "kpi_action",        "coach_template_used",
    "commitment",   "job_id",      "completion_status", "duration"};

constexpr std::array<std::string_view, 12> known_roles = {
    "owner",           "ops_director",   "service_manager",
    "install_manager", "office_manager", "technician",
    "installer",       "dispatch",       "csr",
    "accounting",      "warehouse",      "it"};

// Which parts of the week a setting covers: business hours, after hours, or both.
struct HourSet {
  bool business = false, after = false;
  static HourSet of(Hours hours) {
    switch (hours) {
      case Hours::always: return {true, true};
      case Hours::business_hours: return {true, false};
      case Hours::after_hours: return {false, true};
      case Hours::never: return {false, false};
    }
    return {};
  }
  HourSet operator&(HourSet other) const {
    return {business && other.business, after && other.after};
  }
  bool covers(HourSet other) const {
    return (business || !other.business) && (after || !other.after);
  }
  bool empty() const { return !business && !after; }
};

// Keeps the graph walks (and their recursion) bounded on hostile input.
constexpr std::size_t max_steps = 1000;

class Validator {
 public:
  Validator(const Contract& contract, Diagnostics& diagnostics, const ValidateOptions& options)
      : c_(contract), d_(diagnostics), options_(options) {}

  void run() {
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
    check_rollback();
    check_odoo();
    check_ops_line();
    validate_lexicon(c_, d_);
  }

 private:
  void check_intents() {
    std::set<std::string> allowed;
    for (const Text& intent : c_.workflow.allowed_intents) {
      if (!allowed.insert(intent.value).second) {
        d_.error("bad-value", intent.where, "intent '" + intent.value + "' is listed twice",
                 "list each allowed intent once");
      }
      if (!c_.intent(intent.value)) {
        d_.error(
            "undefined-intent", intent.where,
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

  template <typename Items>
  static std::vector<std::string> ids_of(const Items& items) {
    std::vector<std::string> ids;
    for (const auto& item : items) ids.push_back(item.id);
    return ids;
  }

  static std::string suggest(std::string_view word, const std::vector<std::string>& candidates,
                             std::string fallback) {
    if (auto match = closest_match(word, std::span<const std::string>(candidates))) {
      return "did you mean '" + *match + "'?";
    }
    return fallback;
  }

  static std::string suggest(std::string_view word, const TextList& candidates,
                             std::string fallback) {
    std::vector<std::string> values;
    for (const Text& t : candidates) values.push_back(t.value);
    return suggest(word, values, std::move(fallback));
  }

  void check_systems() {
    for (const Text& name : c_.workflow.systems_touched) {
      if (!c_.system(name.value)) {
        d_.error("system-not-mapped", name.where,
                 "system '" + name.value + "' is touched but not in the system map",
                 suggest(name.value, ids_of(c_.systems),
                         "add [systems." + name.value + "] with its access, risk and owner"));
      }
    }
  }

  bool touched(std::string_view system) const {
    return std::any_of(c_.workflow.systems_touched.begin(), c_.workflow.systems_touched.end(),
                       [&](const Text& t) { return t.value == system; });
  }

  void check_number(const Text& number, std::string_view what) {
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

  void check_destination_ref(const Text& ref, std::string_view what) {
    if (ref.value.empty() || c_.destination(ref.value)) return;
    d_.error(
        "undefined-destination", ref.where,
        std::string(what) + " '" + ref.value + "' is not a defined destination",
        suggest(ref.value, ids_of(c_.destinations),
                "add [destinations." + ref.value + "] with its kind, number and staffed hours"));
  }

  void check_destinations_and_numbers() {
    for (const Text& number : c_.answers.numbers) check_number(number, "answered number");
    for (const Destination& d : c_.destinations) check_number(d.number, "destination number");
    check_number(c_.rollback.forward_to, "rollback.forward_to");
    check_destination_ref(c_.workflow.human_fallback, "human_fallback");
  }

  // --- the flow graph ------------------------------------------------------------------------

  void check_steps() {
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

  void check_step_target(const Step& step) {
    const Text& target = step.target;
    if (target.value.empty() || !step.kind_known) return;
    switch (step.kind) {
      case StepKind::ask:
        if (!c_.question(target.value)) {
          d_.error("undefined-question", target.where,
                   "step '" + step.id + "' asks undefined question '" + target.value + "'",
                   suggest(target.value, ids_of(c_.questions),
                           "define [questions." + target.value + "]"));
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
          d_.error("system-not-mapped", target.where,
                   "step '" + step.id + "' calls system '" + system +
                       "', which is not in the system map",
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
  bool check_successors(const Step& step) {
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

  bool check_branch(const Step& step) {
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

  void check_questions() {
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
        d_.error("undefined-question", q.where,
                 "required question '" + q.value + "' is not defined",
                 suggest(q.value, ids_of(c_.questions), "define [questions." + q.value + "]"));
      } else if (!asked_reachable.count(q.value)) {
        d_.error(
            "required-question-not-asked", q.where,
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

  // --- escalation ------------------------------------------------------------------------------

  void check_escalation() {
    std::set<std::string> triggers;
    for (const EscalationRow& row : c_.escalation)
      triggers.insert(std::string(to_string(row.trigger.value)));
    const SourceLocation table_where =
        c_.escalation.empty() ? SourceLocation{} : c_.escalation.front().where;
    if (!c_.escalation.empty()) {
      for (std::string_view trigger : standard_triggers) {
        if (!triggers.count(std::string(trigger))) {
          d_.error("missing-trigger", table_where,
                   "the escalation table has no row for '" + std::string(trigger) + "'",
                   "add [[escalation]] trigger = \"" + std::string(trigger) +
                       "\" with its action, destination and exact caller promise");
        }
      }
    }
    const HourSet answered = HourSet::of(c_.answers.when.value);
    for (const EscalationRow& row : c_.escalation) {
      check_destination_ref(row.destination, "escalation destination");
      check_destination_ref(row.after_hours_destination, "escalation after_hours_destination");
      if (!row.slot.value.empty() && !c_.question(row.slot.value)) {
        d_.error("undefined-question", row.slot.where,
                 "escalation slot '" + row.slot.value + "' is not a defined question",
                 suggest(row.slot.value, ids_of(c_.questions), "name a question id"));
      }
      const std::string trigger(to_string(row.trigger.value));
      if ((trigger == "safety" || trigger == "high_value_lead" || trigger == "custom") &&
          row.keywords.empty() && row.concepts.empty() && row.slot.value.empty() &&
          row.dtmf.value.empty()) {
        d_.error("missing-field", row.where,
                 "the '" + trigger + "' row has no keywords, slot or dtmf, so nothing can fire it",
                 "list the words that fire it (keywords = [...]) or a slot and its values");
      }
      HourSet applies = HourSet::of(row.hours.value) & answered;
      if (applies.empty()) {
        d_.warning("bad-value", row.hours.where,
                   "this escalation row never applies: the workflow answers only " +
                       std::string(to_string(c_.answers.when.value)),
                   "change the row's hours or delete the row");
        continue;
      }
      if (!row.after_hours_destination.value.empty() || !row.after_hours_promise.value.empty()) {
        const Text& after_destination = row.after_hours_destination.value.empty()
                                            ? row.destination
                                            : row.after_hours_destination;
        const Text& after_promise =
            row.after_hours_promise.value.empty() ? row.promise : row.after_hours_promise;
        check_staffing(row, row.destination, row.promise, applies & HourSet{true, false});
        check_staffing(row, after_destination, after_promise, applies & HourSet{false, true});
      } else {
        check_staffing(row, row.destination, row.promise, applies);
      }
    }
  }

  void check_staffing(const EscalationRow& row, const Text& destination_ref, const Text& promise,
                      HourSet applies) {
    if (applies.empty()) return;
    const Destination* destination = c_.destination(destination_ref.value);
    if (!destination) return;
    HourSet staffed = HourSet::of(destination->staffed.value);
    const bool transfer = row.action.value == RowAction::transfer;
    // A voicemail box takes a transfer at any hour; it just cannot call anyone back.
    if (transfer && destination->kind.value == DestinationKind::voicemail) staffed = {true, true};
    if (staffed.covers(applies)) return;
    const std::string when = applies.business && applies.after ? "at all hours"
                             : applies.after                   ? "after hours"
                                                               : "in business hours";
    if (transfer) {
      d_.error("unstaffed-promise", row.action.where,
               "the '" + std::string(to_string(row.trigger.value)) + "' row transfers to '" +
                   destination->id + "', which is not staffed " + when,
               "transfer to a destination staffed " + when +
                   " (after_hours_destination), or take a message instead");
    } else if (const auto soon = soon_contact_promise(promise.value)) {
      d_.error(
          "unstaffed-promise", promise.where,
          "the promise \"" + promise.value + "\" promises contact soon (\"" + *soon + "\"), but '" +
              destination->id + "' is not staffed " + when,
          "promise only what the business can staff, e.g. \"someone will call you back when the "
          "office opens\"");
    } else if (const auto tomorrow = tomorrow_contact_promise(promise.value);
               tomorrow && applies.after && destination->staffed.value == Hours::business_hours) {
      d_.warning("tomorrow-promise", promise.where,
                 "the promise \"" + promise.value + "\" says \"" + *tomorrow +
                     "\", which is wrong on a Friday night, a weekend or the eve of a holiday",
                 "say \"after 7:30 on our next business morning\" (or the office's own hours)");
    }
  }

  // --- hours, rollback, Odoo ---------------------------------------------------------------------

  void check_time_zone() {
    const Text& zone = c_.hours.time_zone;
    if (zone.value.empty()) return;
    std::filesystem::path dir = options_.zoneinfo_dir;
    if (dir.empty()) {
      const char* tzdir = std::getenv("TZDIR");
      dir = tzdir && *tzdir ? tzdir : "/usr/share/zoneinfo";
    }
    const bool safe_name = zone.value.find("..") == std::string::npos &&
                           zone.value.front() != '/' &&
                           std::all_of(zone.value.begin(), zone.value.end(), [](char ch) {
                             return std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' ||
                                    ch == '_' || ch == '-' || ch == '+';
                           });
    bool found = false;
    if (safe_name) {
      std::ifstream file(dir / zone.value, std::ios::binary);
      char magic[4] = {};
      found = file.read(magic, 4) && std::string_view(magic, 4) == "TZif";
    }
    if (!found) {
      d_.error(
          "bad-time-zone", zone.where, "'" + zone.value + "' is not an IANA time zone",
          "use a zone name such as \"America/Chicago\" (timedatectl list-timezones lists them)");
    }
  }

  void check_rollback() {
    for (const Text& intent : c_.rollback.disable_intents) {
      const bool allowed =
          std::any_of(c_.workflow.allowed_intents.begin(), c_.workflow.allowed_intents.end(),
                      [&](const Text& t) { return t.value == intent.value; });
      if (!allowed) {
        d_.error("undefined-intent", intent.where,
                 "rollback may disable '" + intent.value + "', which is not an allowed intent",
                 suggest(intent.value, c_.workflow.allowed_intents, "name an allowed intent"));
      }
    }
  }

  void check_odoo() {
    if (!c_.odoo.present || c_.odoo.system.value.empty()) return;
    if (!c_.system(c_.odoo.system.value)) {
      d_.error("system-not-mapped", c_.odoo.system.where,
               "odoo.system '" + c_.odoo.system.value + "' is not in the system map",
               suggest(c_.odoo.system.value, ids_of(c_.systems), "name the Odoo system's id"));
    }
    if (c_.odoo.model.value.rfind("x_", 0) != 0 && c_.workflow.internal()) {
      d_.error(
          "bad-value", c_.odoo.model.where,
          "odoo.model '" + c_.odoo.model.value + "' is not a custom model name",
          "the Ops line logs to a custom model; its name starts with x_, e.g. x_voiceops_call");
    }
  }

  // --- the Ops line ------------------------------------------------------------------------------

  void check_ops_line() {
    if (!c_.workflow.internal()) {
      if (c_.identification.present) {
        d_.error("bad-value", c_.identification.where,
                 "[identification] applies only to internal workflows",
                 "set workflow.audience = \"internal\" for an Ops line, or remove the table");
      }
      if (!c_.roles.empty()) {
        d_.error("bad-value", c_.roles.front().where, "[roles] apply only to internal workflows",
                 "set workflow.audience = \"internal\" for an Ops line, or remove them");
      }
      return;
    }
    if (!c_.identification.present) {
      d_.error("missing-field", {}, "an internal workflow needs an [identification] table",
               "add [identification] with caller_id, pin_fallback and directory");
    }
    if (c_.roles.empty()) {
      d_.error("missing-field", {}, "an internal workflow needs [roles.<id>] tables",
               "define each role with its 1–3 KPIs, one daily focus and one micro-commitment");
    }
    if (!c_.odoo.present) {
      d_.error("missing-field", {}, "an internal workflow needs an [odoo] table",
               "add [odoo] with model, fields and system: every Ops line call logs to Odoo");
    } else {
      for (std::string_view field : ops_odoo_fields) {
        const bool listed = std::any_of(c_.odoo.fields.begin(), c_.odoo.fields.end(),
                                        [&](const Text& t) { return t.value == field; });
        if (!listed && !c_.odoo.fields.empty()) {
          d_.error("missing-field", c_.odoo.fields.front().where,
                   "odoo.fields lacks '" + std::string(field) + "'",
                   "every Ops line call logs user_id, role, call_type, energy_level, blocker_flag, "
                   "primary_kpi, kpi_action, coach_template_used, commitment, job_id, "
                   "completion_status and duration");
        }
      }
    }
    for (const Role& role : c_.roles) {
      if (role.kpis.size() > 3) {
        d_.error("too-many-kpis", role.kpis[3].where,
                 "role '" + role.id + "' has " + std::to_string(role.kpis.size()) + " KPIs",
                 "1–3 KPIs per role: KPI overload kills adoption; track the rest without coaching "
                 "on them");
      }
      if (std::find(known_roles.begin(), known_roles.end(), role.id) == known_roles.end()) {
        std::vector<std::string> names(known_roles.begin(), known_roles.end());
        d_.warning("unknown-role", role.where, "'" + role.id + "' is not one of the Ops line roles",
                   suggest(role.id, names,
                           "known roles: owner, ops_director, service_manager, "
                           "install_manager, office_manager, technician, installer, "
                           "dispatch, csr, accounting, warehouse, it"));
      }
      for (const Text& flow : role.flows) {
        if (!c_.intent(flow.value)) {
          d_.error("undefined-intent", flow.where,
                   "role '" + role.id + "' uses flow '" + flow.value + "', which is not an intent",
                   suggest(flow.value, ids_of(c_.intents), "name an allowed intent"));
        }
      }
    }
    for (const Intent& intent : c_.intents) {
      const CallLengthEstimate estimate = estimate_call_length(c_, intent);
      if (!estimate.reaches_success) continue;
      const double seconds = estimate.seconds();
      if (seconds < 60 || seconds > 180) {
        d_.error("call-length", intent.where,
                 "a call through '" + intent.id + "' takes about " +
                     std::to_string(static_cast<int>(seconds + 0.5)) + " s (" +
                     std::to_string(estimate.words) + " words spoken at 150 per minute + " +
                     std::to_string(estimate.answer_seconds) +
                     " s of answers); Ops line calls "
                     "must take 60–180 s",
                 seconds > 180
                     ? "shorten prompts or move a question to another flow"
                     : "a flow this short collects too little; add the pulse or KPI steps");
      }
    }
    check_directory();
  }

  void check_directory() {
    const Text& ref = c_.identification.directory;
    if (ref.value.empty()) return;
    std::filesystem::path path = ref.value;
    if (path.is_relative()) path = std::filesystem::path(c_.file).parent_path() / path;
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      d_.error("directory-missing", ref.where,
               "staff directory '" + path.string() + "' does not exist",
               "the path is relative to the contract's folder; create it (voiceops-directory(5))");
      return;
    }
    auto outcome = load_directory(path.string(), d_);
    if (!outcome.directory) return;
    std::set<std::string> role_ids;
    for (const Role& role : c_.roles) role_ids.insert(role.id);
    std::map<std::string, std::vector<const Person*>> by_phone;
    for (const Person& person : outcome.directory->people) {
      for (const Text& role : person.roles) {
        if (!role_ids.count(role.value)) {
          std::vector<std::string> ids(role_ids.begin(), role_ids.end());
          d_.add({Severity::error, "directory", path.string(), role.where,
                  "person '" + person.id + "' has role '" + role.value +
                      "', which the contract does not define",
                  suggest(role.value, ids, "use a role id from the contract's [roles]")});
        }
      }
      for (const Text& phone : person.phones) by_phone[phone.value].push_back(&person);
    }
    for (const auto& [phone, people] : by_phone) {
      if (people.size() < 2) continue;
      for (const Person* person : people) {
        if (!person->shared_phone) {
          d_.add({Severity::error, "directory", path.string(), person->where,
                  "person '" + person->id +
                      "' shares a phone with someone else but is not marked "
                      "shared_phone",
                  "set shared_phone = true so the agent confirms who is calling"});
        }
      }
    }
    if (c_.identification.pin_fallback) {
      for (const Person& person : outcome.directory->people) {
        if (person.pin_hash.value.empty() && person.phones.empty()) {
          d_.add({Severity::warning, "directory", path.string(), person.where,
                  "person '" + person.id +
                      "' has neither a phone nor a PIN, so can never be identified",
                  "voiceops directory set-pin " + path.string() + " " + person.id});
        }
      }
    }
  }

  const Contract& c_;
  Diagnostics& d_;
  const ValidateOptions& options_;
  std::set<std::string> reachable_;
};

}  // namespace

bool is_e164(std::string_view number) {
  if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] == '0') return false;
  if (!std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  // North American numbers are exactly country code 1 + ten digits.
  if (number[1] == '1') return number.size() == 12;
  return number.size() >= 8;
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
