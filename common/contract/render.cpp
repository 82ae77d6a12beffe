#include "contract/render.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/text_table.hpp"
#include "contract/validate.hpp"

namespace voiceops::contract {
namespace {

std::string join(const TextList& list, std::string_view separator = ", ") {
  std::string out;
  for (const Text& item : list) {
    if (!out.empty()) out += separator;
    out += item.value;
  }
  return out;
}

std::vector<std::string> values(const TextList& list) {
  std::vector<std::string> out;
  for (const Text& item : list) out.push_back(item.value);
  return out;
}

std::string money(double amount, const std::string& currency) {
  return fmt::format("{:.4f} {}", amount, currency);
}

std::string day_hours(const DayHours& day) {
  if (!day.open) return "closed";
  return fmt::format("{:02}:{:02}–{:02}:{:02}", day.opens_minute / 60, day.opens_minute % 60,
                     day.closes_minute / 60, day.closes_minute % 60);
}

// How long a transfer lets it ring; a dash where no transfer dials it.
std::string rings(const Destination& d) {
  return d.dialled() ? std::to_string(d.dial_timeout_s.value) + " s" : "-";
}

constexpr const char* day_names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                     "Friday", "Saturday", "Sunday"};

struct Section {
  std::string title;
  TextTable table;
};

std::vector<Section> sections_of(const Contract& c) {
  std::vector<Section> sections;
  const Workflow& w = c.workflow;

  TextTable contract({"Field", "Value"});
  contract.add_row({"Caller type", w.caller_type.value});
  contract.add_row({"Allowed intents", join(w.allowed_intents)});
  contract.add_row({"Out-of-scope intents", join(w.out_of_scope_intents)});
  contract.add_row({"Required questions", join(w.required_questions)});
  contract.add_row({"Systems touched", join(w.systems_touched)});
  contract.add_row({"Human fallback", w.human_fallback.value});
  contract.add_row({"Success event", w.success_event.value});
  contract.add_row({"Failure event", w.failure_event.value});
  contract.add_row({"Analytics owner", w.analytics_owner.value});
  sections.push_back({"Workflow contract", std::move(contract)});

  TextTable hours({"When", "Value"});
  hours.add_row({"Answers", join(c.answers.numbers)});
  hours.add_row({"Answers when", to_string(c.answers.when.value)});
  if (c.answers.voice || c.answers.language) {
    hours.add_row({"Voice", (c.answers.voice ? c.answers.voice->value : "(carrier default)") +
                                (c.answers.language ? ", " + c.answers.language->value : "")});
  }
  hours.add_row({"Time zone", c.hours.time_zone.value});
  for (int day = 0; day < 7; ++day) hours.add_row({day_names[day], day_hours(c.hours.days[day])});
  if (!c.hours.holidays.empty()) hours.add_row({"Holidays", join(c.hours.holidays)});
  sections.push_back({"Numbers and hours", std::move(hours)});

  TextTable destinations(
      {"Destination", "Kind", "Number / queue", "Staffed", "Rings", "Who answers"});
  for (const Destination& d : c.destinations) {
    destinations.add_row({d.id, std::string(to_string(d.kind.value)),
                          d.number.value.empty() ? d.queue.value : d.number.value,
                          to_string(d.staffed.value), rings(d), d.description.value});
  }
  sections.push_back({"Destinations", std::move(destinations)});

  TextTable systems({"System", "Kind", "Reads", "Writes", "Risk", "Owner"});
  for (const System& s : c.systems) {
    systems.add_row({s.id, s.kind.value, join(s.read),
                     s.write.empty() ? "(read-only)" : join(s.write), s.risk.value, s.owner.value});
  }
  sections.push_back({"System map", std::move(systems)});

  TextTable owners({"Connection", "Owner"});
  const Owners& o = c.owners;
  owners.add_row({"Phone routing", o.phone_routing.value});
  owners.add_row({"Calendar / booking", o.booking.value});
  owners.add_row({"CRM / ticketing", o.crm_ticketing.value});
  owners.add_row({"Knowledge base", o.knowledge_base.value});
  owners.add_row({"Privacy reviewer", o.privacy_reviewer.value});
  owners.add_row({"Transcript reviewer", o.transcript_reviewer.value});
  owners.add_row({"Vendor support", o.vendor_support.value});
  sections.push_back({"Owners", std::move(owners)});

  TextTable escalation({"Trigger", "Agent action", "Staff destination", "Caller promise"});
  for (const EscalationRow& row : c.escalation) {
    const std::string kind(to_string(row.trigger.value));
    std::string trigger = row.name.value.empty() ? kind : kind + " (" + row.name.value + ")";
    if (row.hours.value != Hours::always) trigger += std::string(", ") + to_string(row.hours.value);
    std::string destination = row.destination.value;
    std::string promise = "\"" + row.promise.value + "\"";
    if (!row.after_hours_destination.value.empty()) {
      destination += "; after hours " + row.after_hours_destination.value;
    }
    if (!row.after_hours_promise.value.empty()) {
      promise += "; after hours \"" + row.after_hours_promise.value + "\"";
    }
    escalation.add_row({trigger, std::string(to_string(row.action.value)), destination, promise});
  }
  sections.push_back({"Escalation table", std::move(escalation)});

  TextTable intents({"Intent", "Starts at", "Examples", "Description"});
  for (const Intent& i : c.intents) {
    std::string start = i.start.value;
    if (w.internal()) {
      start += fmt::format(" (~{:.0f} s)", estimate_call_length(c, i).seconds());
    }
    intents.add_row({i.id, start, std::to_string(i.examples.size()), i.description.value});
  }
  sections.push_back({"Intents", std::move(intents)});

  if (!c.roles.empty()) {
    TextTable roles({"Role", "KPIs", "Daily focus", "Micro-commitment", "Flows"});
    for (const Role& r : c.roles) {
      roles.add_row({r.title.value.empty() ? r.id : r.title.value, join(r.kpis),
                     r.daily_focus.value, r.micro_commitment.value, join(r.flows)});
    }
    sections.push_back({"Roles", std::move(roles)});
  }

  TextTable launch({"Item", "Value"});
  const Recording& rec = c.recording;
  launch.add_row({"Recording", rec.record_calls ? "calls are recorded" : "calls are not recorded"});
  if (!rec.disclosure.value.empty())
    launch.add_row({"Disclosure", "\"" + rec.disclosure.value + "\""});
  launch.add_row({"Approved", rec.approved_by.value + ", " + rec.approved_on.value});
  launch.add_row({"Rollback: forward to", c.rollback.forward_to.value});
  if (!c.rollback.disable_intents.empty()) {
    launch.add_row({"Rollback: may disable", join(c.rollback.disable_intents)});
  }
  launch.add_row(
      {"Rollback: after-hours only", c.rollback.after_hours_only ? "allowed" : "not planned"});
  launch.add_row({"Rollback owner", c.rollback.owner.value});
  const CostModel& cost = c.cost;
  launch.add_row(
      {"Telephony", money(cost.telephony_per_minute, cost.currency.value) + " per minute"});
  if (cost.speech_per_request > 0) {
    launch.add_row(
        {"Speech", money(cost.speech_per_request, cost.currency.value) + " per request"});
  }
  if (cost.tts_per_1k_chars > 0) {
    launch.add_row({"Text to speech",
                    money(cost.tts_per_1k_chars, cost.currency.value) + " per 1,000 characters"});
  }
  if (cost.llm_per_call > 0)
    launch.add_row({"LLM", money(cost.llm_per_call, cost.currency.value) + " per call"});
  if (cost.budget_per_call) {
    launch.add_row({"Budget", money(*cost.budget_per_call, cost.currency.value) + " per call"});
  }
  sections.push_back({"Recording, rollback and cost", std::move(launch)});
  return sections;
}

nlohmann::json located_list(const TextList& list) {
  return values(list);
}

}  // namespace

std::string render_contract(const Contract& c, ShowFormat format, bool color) {
  if (format == ShowFormat::json) return contract_to_json(c).dump(2) + "\n";
  std::string out;
  const auto sections = sections_of(c);
  if (format == ShowFormat::markdown) {
    out += "# " + c.workflow.name.value + " (`" + c.workflow.id.value + "`)\n\n";
    if (!c.workflow.description.value.empty()) out += c.workflow.description.value + "\n\n";
    for (const Section& s : sections)
      out += "## " + s.title + "\n\n" + s.table.render_markdown() + "\n";
    return out;
  }
  const std::string bold = color ? "\x1b[1m" : "", reset = color ? "\x1b[0m" : "";
  out += bold + c.workflow.name.value + reset + " (" + c.workflow.id.value + ")\n";
  if (!c.workflow.description.value.empty()) {
    for (const auto& line : wrap_words(c.workflow.description.value, 96)) out += line + "\n";
  }
  for (const Section& s : sections) {
    out += "\n" + bold + s.title + reset + "\n" + s.table.render_text(40, false);
  }
  return out;
}

nlohmann::json contract_to_json(const Contract& c) {
  using nlohmann::json;
  const Workflow& w = c.workflow;
  json out;
  out["schema_version"] = c.schema_version;
  out["workflow"] = {{"id", w.id.value},
                     {"name", w.name.value},
                     {"description", w.description.value},
                     {"audience", to_string(w.audience.value)},
                     {"caller_type", w.caller_type.value},
                     {"allowed_intents", located_list(w.allowed_intents)},
                     {"out_of_scope_intents", located_list(w.out_of_scope_intents)},
                     {"required_questions", located_list(w.required_questions)},
                     {"systems_touched", located_list(w.systems_touched)},
                     {"human_fallback", w.human_fallback.value},
                     {"success_event", w.success_event.value},
                     {"failure_event", w.failure_event.value},
                     {"analytics_owner", w.analytics_owner.value}};
  out["answers"] = {{"numbers", located_list(c.answers.numbers)},
                    {"when", to_string(c.answers.when.value)},
                    {"greeting", c.answers.greeting.value},
                    {"voice", c.answers.voice ? json(c.answers.voice->value) : json()},
                    {"language", c.answers.language ? json(c.answers.language->value) : json()}};
  json days = json::object();
  static constexpr const char* keys[] = {"monday", "tuesday",  "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};
  for (int day = 0; day < 7; ++day) days[keys[day]] = day_hours(c.hours.days[day]);
  out["hours"] = {{"time_zone", c.hours.time_zone.value},
                  {"days", days},
                  {"holidays", located_list(c.hours.holidays)}};
  out["destinations"] = json::object();
  for (const Destination& d : c.destinations) {
    out["destinations"][d.id] = {{"kind", to_string(d.kind.value)},
                                 {"number", d.number.value},
                                 {"queue", d.queue.value},
                                 {"staffed", to_string(d.staffed.value)},
                                 {"description", d.description.value}};
    if (d.dialled()) out["destinations"][d.id]["dial_timeout_s"] = d.dial_timeout_s.value;
  }
  const Owners& o = c.owners;
  out["owners"] = {{"phone_routing", o.phone_routing.value},
                   {"booking", o.booking.value},
                   {"crm_ticketing", o.crm_ticketing.value},
                   {"knowledge_base", o.knowledge_base.value},
                   {"privacy_reviewer", o.privacy_reviewer.value},
                   {"transcript_reviewer", o.transcript_reviewer.value},
                   {"vendor_support", o.vendor_support.value}};
  out["systems"] = json::object();
  for (const System& s : c.systems) {
    out["systems"][s.id] = {{"kind", s.kind.value},
                            {"description", s.description.value},
                            {"read", located_list(s.read)},
                            {"write", located_list(s.write)},
                            {"risk", s.risk.value},
                            {"owner", s.owner.value},
                            {"failure_path", s.failure_path.value}};
  }
  out["escalation"] = json::array();
  for (const EscalationRow& r : c.escalation) {
    json row = {{"trigger", to_string(r.trigger.value)},
                {"action", to_string(r.action.value)},
                {"destination", r.destination.value},
                {"promise", r.promise.value},
                {"hours", to_string(r.hours.value)}};
    if (!r.name.value.empty()) row["name"] = r.name.value;
    if (!r.keywords.empty()) row["keywords"] = located_list(r.keywords);
    if (!r.slot.value.empty()) row["slot"] = r.slot.value, row["values"] = located_list(r.values);
    if (!r.dtmf.value.empty()) row["dtmf"] = r.dtmf.value;
    if (!r.after_hours_destination.value.empty())
      row["after_hours_destination"] = r.after_hours_destination.value;
    if (!r.after_hours_promise.value.empty())
      row["after_hours_promise"] = r.after_hours_promise.value;
    out["escalation"].push_back(std::move(row));
  }
  out["intents"] = json::object();
  for (const Intent& i : c.intents) {
    json intent = {{"description", i.description.value},
                   {"examples", located_list(i.examples)},
                   {"keywords", located_list(i.keywords)},
                   {"start", i.start.value}};
    if (w.internal())
      intent["estimated_seconds"] = std::lround(estimate_call_length(c, i).seconds());
    out["intents"][i.id] = std::move(intent);
  }
  out["questions"] = json::object();
  for (const Question& q : c.questions) {
    json question = {{"type", to_string(q.type.value)},
                     {"prompt", q.prompt.value},
                     {"reprompt", q.reprompt.value},
                     {"max_attempts", q.max_attempts}};
    if (!q.confirm.value.empty()) question["confirm"] = q.confirm.value;
    if (!q.choices.empty()) question["choices"] = located_list(q.choices);
    out["questions"][q.id] = std::move(question);
  }
  out["steps"] = json::object();
  for (const Step& s : c.steps) {
    json step = {{to_string(s.kind), s.target.value}};
    for (const auto& [key, value] :
         {std::pair{"next", &s.next}, {"on_ok", &s.on_ok}, {"on_error", &s.on_error}}) {
      if (!value->value.empty()) step[key] = value->value;
    }
    if (s.kind == StepKind::call) step["writes"] = s.writes, step["timeout_ms"] = s.timeout_ms;
    for (const auto& [answer, target] : s.branch) step["branch"][answer.value] = target.value;
    out["steps"][s.id] = std::move(step);
  }
  out["recording"] = {{"record_calls", c.recording.record_calls},
                      {"disclosure", c.recording.disclosure.value},
                      {"approved_by", c.recording.approved_by.value},
                      {"approved_on", c.recording.approved_on.value}};
  out["rollback"] = {{"forward_to", c.rollback.forward_to.value},
                     {"disable_intents", located_list(c.rollback.disable_intents)},
                     {"after_hours_only", c.rollback.after_hours_only},
                     {"owner", c.rollback.owner.value}};
  out["cost"] = {{"currency", c.cost.currency.value},
                 {"telephony_per_minute", c.cost.telephony_per_minute},
                 {"speech_per_request", c.cost.speech_per_request},
                 {"tts_per_1k_chars", c.cost.tts_per_1k_chars},
                 {"llm_per_call", c.cost.llm_per_call}};
  if (c.cost.budget_per_call) out["cost"]["budget_per_call"] = *c.cost.budget_per_call;
  if (w.internal()) {
    const Identification& id = c.identification;
    out["identification"] = {{"caller_id", id.caller_id},
                             {"pin_fallback", id.pin_fallback},
                             {"confirm_shared_phone", id.confirm_shared_phone},
                             {"directory", id.directory.value},
                             {"pin_digits", id.pin_digits},
                             {"max_pin_attempts", id.max_pin_attempts}};
    out["roles"] = json::object();
    for (const Role& r : c.roles) {
      out["roles"][r.id] = {{"title", r.title.value},
                            {"kpis", located_list(r.kpis)},
                            {"daily_focus", r.daily_focus.value},
                            {"micro_commitment", r.micro_commitment.value},
                            {"coaching", located_list(r.coaching)},
                            {"flows", located_list(r.flows)}};
    }
  }
  if (c.odoo.present) {
    out["odoo"] = {{"model", c.odoo.model.value},
                   {"fields", located_list(c.odoo.fields)},
                   {"system", c.odoo.system.value}};
  }
  return out;
}

}  // namespace voiceops::contract
