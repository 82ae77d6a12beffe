#include "ops/call_record.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <optional>

#include <date/date.h>

namespace voiceops::ops {
namespace {

using Json = nlohmann::json;

// clang-format off
constexpr std::array fields = {
    RecordField{"x_name", "char", "Call", {}},
    RecordField{"x_call_id", "char", "Call ID", {}},
    RecordField{"x_workflow", "char", "Workflow", {}},
    RecordField{"x_caller", "char", "Caller", {}},
    RecordField{"x_called", "char", "Number called", {}},
    RecordField{"x_started_at", "datetime", "Started", {}},
    RecordField{"x_ended_at", "datetime", "Ended", {}},
    RecordField{"x_status", "char", "Carrier status", {}},
    RecordField{"x_after_hours", "boolean", "After hours", {}},
    RecordField{"x_intent", "char", "Intent", {}},
    RecordField{"x_outcome", "char", "Outcome", {}},
    RecordField{"x_event", "char", "Contract event", {}},
    RecordField{"x_escalation", "char", "Escalation", {}},
    RecordField{"x_destination", "char", "Transferred to", {}},
    RecordField{"x_turns", "integer", "Turns", {}},
    RecordField{"x_cost", "float", "Cost (USD)", {}},
    RecordField{"x_summary", "text", "Summary", {}},
    RecordField{"x_answers", "text", "Answers", {}},
    // DESIGN section 3: what every Ops line call logs.
    RecordField{"x_user_id", "char", "Staff member", {}},
    RecordField{"x_role", "char", "Role", {}},
    RecordField{"x_call_type", "char", "Call type", {}},
    RecordField{"x_energy_level", "integer", "Energy (1-5)", {}},
    RecordField{"x_blocker_flag", "boolean", "Blockers", {}},
    RecordField{"x_primary_kpi", "char", "Primary KPI", {}},
    RecordField{"x_kpi_action", "char", "KPI action", {}},
    RecordField{"x_coach_template_used", "char", "Coaching line", {}},
    RecordField{"x_commitment", "text", "Commitment", {}},
    RecordField{"x_job_id", "char", "Job", {}},
    RecordField{"x_completion_status", "char", "Completion status", {}},
    RecordField{"x_duration", "integer", "Duration (s)", {}},
    // The records the call created or found during the call.
    RecordField{"x_partner_id", "many2one", "Customer", "res.partner"},
    RecordField{"x_ticket_id", "many2one", "Helpdesk ticket", "helpdesk.ticket"},
    RecordField{"x_lead_id", "many2one", "Lead", "crm.lead"},
    RecordField{"x_calendar_event_id", "many2one", "Visit", "calendar.event"},
};
// clang-format on

const RecordField* field_named(std::string_view name) {
  for (const auto& field : fields)
    if (field.name == name) return &field;
  return nullptr;
}

std::string text_of(const Json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  return {};
}

std::string boolean_text(std::string_view value) {
  if (value == "yes" || value == "true" || value == "1") return "1";
  if (value == "no" || value == "false" || value == "0") return "0";
  return {};
}

std::string integer_text(std::string_view value) {
  if (value.empty() || value.size() > 18) return {};
  for (char c : value)
    if (c < '0' || c > '9') return {};
  return std::string(value);
}

// "slot: value" lines, in the slots' (sorted) order.
std::string answers_text(const Json& slots) {
  std::string text;
  for (const auto& [name, value] : slots.items()) {
    if (!value.is_string()) continue;
    if (!text.empty()) text += '\n';
    text += name + ": " + value.get<std::string>();
  }
  return text;
}

// The value of `field` for `call`: its own column, the slot of the same name (an Ops line field
// the contract asks for by that name), or a fact of the call.
std::string value_of(const RecordField& field, const store::ExportCall& call, const Json& slots,
                     const Json& records) {
  const store::CallRow& row = call.call;
  const std::string_view name = field.name;
  if (field.ttype == "many2one") {
    const std::string id = text_of(records, field.relation);
    return integer_text(id);
  }
  if (name == "x_name") return row.id;
  if (name == "x_call_id") return row.id;
  if (name == "x_workflow") return row.workflow;
  if (name == "x_caller") return row.caller;
  if (name == "x_called") return row.called;
  if (name == "x_started_at") return odoo_datetime(row.started_at);
  if (name == "x_ended_at") return row.ended_at ? odoo_datetime(*row.ended_at) : std::string();
  if (name == "x_status") return row.status;
  if (name == "x_after_hours") return row.after_hours ? "1" : "0";
  if (name == "x_intent") return row.intent.value_or("");
  if (name == "x_outcome") return row.outcome.value_or("");
  if (name == "x_event") return row.event.value_or("");
  if (name == "x_escalation") return row.escalation.value_or("");
  if (name == "x_destination") return row.destination.value_or("");
  if (name == "x_turns") return std::to_string(row.turns);
  if (name == "x_cost") return row.cost ? fmt::format("{:.4f}", *row.cost) : std::string();
  if (name == "x_summary") return row.summary;
  if (name == "x_answers") return answers_text(slots);
  // An Ops line field: the slot named after it wins over the call's own facts.
  const std::string slot = text_of(slots, name.substr(2));
  std::string value = slot;
  if (value.empty()) {
    if (name == "x_call_type") value = row.intent.value_or("");
    if (name == "x_completion_status") value = row.outcome.value_or("");
    if (name == "x_duration" && row.duration_s) value = std::to_string(*row.duration_s);
  }
  if (field.ttype == "boolean") return boolean_text(value);
  if (field.ttype == "integer") return integer_text(value);
  return value;
}

}  // namespace

std::span<const RecordField> call_record_fields() {
  return fields;
}

std::string call_external_id(std::string_view call_id, std::string_view part) {
  std::string id = std::string(external_id_module) + ".call_";
  const auto append = [&](std::string_view text) {
    for (char c : text) {
      const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      id += plain ? c : '_';
    }
  };
  append(call_id);
  if (!part.empty()) {
    id += '_';
    append(part);
  }
  return id;
}

Json load_arguments(const std::vector<std::string>& columns, Json data) {
  return Json{{"fields", columns}, {"data", std::move(data)}, {"context", {{"tz", "UTC"}}}};
}

std::string odoo_datetime(std::int64_t unix_seconds) {
  const date::sys_seconds at{std::chrono::seconds(unix_seconds)};
  return date::format("%Y-%m-%d %H:%M:%S", at);
}

std::vector<std::string> load_columns(const std::set<std::string, std::less<>>& present) {
  std::vector<std::string> columns = {"id"};
  for (const auto& field : fields) {
    if (!present.contains(field.name)) continue;
    columns.push_back(field.ttype == "many2one" ? std::string(field.name) + "/.id"
                                                : std::string(field.name));
  }
  return columns;
}

Json load_row(const store::ExportCall& call, const std::vector<std::string>& columns) {
  const Json slots = Json::parse(call.slots, nullptr, false);
  const Json records = Json::parse(call.records, nullptr, false);
  const Json empty = Json::object();
  Json row = Json::array();
  for (const auto& column : columns) {
    if (column == "id") {
      row.push_back(call_external_id(call.call.id));
      continue;
    }
    const std::string_view name = std::string_view(column).substr(0, column.find('/'));
    const RecordField* field = field_named(name);
    row.push_back(field ? value_of(*field, call, slots.is_object() ? slots : empty,
                                   records.is_object() ? records : empty)
                        : std::string());
  }
  return row;
}

}  // namespace voiceops::ops
