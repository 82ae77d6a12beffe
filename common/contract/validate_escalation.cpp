// The escalation table's rules: the standard triggers, actions, priorities, staffing of promises.
#include "contract/validator.hpp"

namespace voiceops::contract {

void Validator::check_escalation() {
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
      const Text& after_destination =
          row.after_hours_destination.value.empty() ? row.destination : row.after_hours_destination;
      const Text& after_promise =
          row.after_hours_promise.value.empty() ? row.promise : row.after_hours_promise;
      check_staffing(row, row.destination, row.promise, applies & HourSet{true, false});
      check_staffing(row, after_destination, after_promise, applies & HourSet{false, true});
    } else {
      check_staffing(row, row.destination, row.promise, applies);
    }
  }
}

void Validator::check_staffing(const EscalationRow& row, const Text& destination_ref,
                               const Text& promise, HourSet applies) {
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
    d_.error("unstaffed-promise", promise.where,
             "the promise \"" + promise.value + "\" promises contact soon (\"" + *soon +
                 "\"), but '" + destination->id + "' is not staffed " + when,
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

}  // namespace voiceops::contract
