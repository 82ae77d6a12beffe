// Destinations, owners, systems, recording, rollback, cost, identification, roles, the Odoo map.
#include "contract/parser.hpp"

namespace voiceops::contract {

Destination ContractParser::parse_destination(const toml::table& t, std::string id) {
  TableReader r(t, "destinations." + id, diagnostics_,
                {"kind", "number", "queue", "staffed", "description", "dial_timeout_s"});
  Destination d;
  d.id = std::move(id);
  d.where = r.where();
  d.kind = enum_value(r, "kind", Need::required, DestinationKind::unknown);
  d.number = r.text_or("number", "");
  d.queue = r.text_or("queue", "");
  d.staffed = hours_value(r, "staffed", Hours::business_hours, true);
  d.description = r.text("description", Need::nonempty).value_or(Text{});
  if ((d.kind.value == DestinationKind::phone || d.kind.value == DestinationKind::sms) &&
      !r.has("number")) {
    r.missing("number", "\"+15125550100\"");
  }
  if (d.kind.value == DestinationKind::queue && d.queue.value.empty())
    r.missing("queue", "\"dispatch\"");
  if (auto ring =
          r.integer("dial_timeout_s", Need::optional, min_dial_timeout_s, max_dial_timeout_s)) {
    d.dial_timeout_s = {static_cast<int>(ring->value), ring->where};
    // Only a transfer rings; a text, a queue item or a page never waits for anyone.
    if (!d.dialled() && d.kind.value != DestinationKind::unknown) {
      diagnostics_.error("bad-value", r.key_location("dial_timeout_s"),
                         "destinations." + d.id + ".dial_timeout_s does not apply to a " +
                             std::string(to_string(d.kind.value)) + " destination",
                         "remove it: only phone and voicemail destinations are dialled");
    }
  }
  return d;
}

void ContractParser::parse_owners(const toml::table& t, Owners& o) {
  TableReader r(t, "owners", diagnostics_,
                {"phone_routing", "booking", "crm_ticketing", "knowledge_base", "privacy_reviewer",
                 "transcript_reviewer", "vendor_support"});
  o.where = r.where();
  o.phone_routing = r.text("phone_routing", Need::nonempty).value_or(Text{});
  o.booking = r.text("booking", Need::nonempty).value_or(Text{});
  o.crm_ticketing = r.text("crm_ticketing", Need::nonempty).value_or(Text{});
  o.knowledge_base = r.text("knowledge_base", Need::nonempty).value_or(Text{});
  o.privacy_reviewer = r.text("privacy_reviewer", Need::nonempty).value_or(Text{});
  o.transcript_reviewer = r.text("transcript_reviewer", Need::nonempty).value_or(Text{});
  o.vendor_support = r.text("vendor_support", Need::nonempty).value_or(Text{});
}

System ContractParser::parse_system(const toml::table& t, std::string id) {
  TableReader r(t, "systems." + id, diagnostics_,
                {"kind", "description", "read", "write", "risk", "owner", "failure_path"});
  System s;
  s.id = std::move(id);
  s.where = r.where();
  s.kind = enum_text(r, "kind", Need::required,
                     {"phone_routing", "calendar", "crm", "ticketing", "odoo", "sms", "analytics",
                      "transcript_storage", "knowledge_base", "other"});
  s.description = r.text("description", Need::nonempty).value_or(Text{});
  s.read = r.text_list("read", Need::optional).value_or(TextList{});
  s.write = r.text_list("write", Need::optional).value_or(TextList{});
  s.risk = r.text("risk", Need::nonempty).value_or(Text{});
  s.owner = r.text("owner", Need::nonempty).value_or(Text{});
  s.failure_path = r.text("failure_path", Need::nonempty).value_or(Text{});
  return s;
}

void ContractParser::parse_recording(const toml::table& t, Recording& rec) {
  TableReader r(
      t, "recording", diagnostics_,
      {"record_calls", "disclosure", "approved_by", "approved_on", "transcripts_retention_days"});
  rec.where = r.where();
  if (auto b = r.boolean("record_calls", Need::required)) rec.record_calls = b->value;
  if (rec.record_calls) {
    rec.disclosure = r.text("disclosure", Need::nonempty).value_or(Text{});
  } else {
    rec.disclosure = r.text_or("disclosure", "");
  }
  rec.approved_by = r.text("approved_by", Need::nonempty).value_or(Text{});
  rec.approved_on = r.date("approved_on", Need::required).value_or(Text{});
  if (auto n = r.integer("transcripts_retention_days", Need::optional, 1, 3650)) {
    rec.retention_days = int(n->value);
  }
}

void ContractParser::parse_rollback(const toml::table& t, Rollback& rb) {
  TableReader r(t, "rollback", diagnostics_,
                {"forward_to", "disable_intents", "after_hours_only", "owner"});
  rb.where = r.where();
  rb.forward_to = r.text("forward_to", Need::nonempty).value_or(Text{});
  rb.disable_intents = r.text_list("disable_intents", Need::optional).value_or(TextList{});
  if (auto b = r.boolean("after_hours_only", Need::optional)) rb.after_hours_only = b->value;
  rb.owner = r.text("owner", Need::nonempty).value_or(Text{});
}

void ContractParser::parse_cost(const toml::table& t, CostModel& c) {
  TableReader r(t, "cost", diagnostics_,
                {"currency", "telephony_per_minute", "speech_per_request", "tts_per_1k_chars",
                 "llm_per_call", "budget_per_call"});
  c.where = r.where();
  c.currency = r.text("currency", Need::nonempty).value_or(Text{});
  const std::string& currency = c.currency.value;
  if (!currency.empty() &&
      (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(),
                                            [](char ch) { return ch >= 'A' && ch <= 'Z'; }))) {
    diagnostics_.error("bad-value", c.currency.where,
                       "currency \"" + currency + "\" is not an ISO 4217 code",
                       "use three capital letters, e.g. \"USD\"");
  }
  if (auto n = r.number("telephony_per_minute", Need::required, 0))
    c.telephony_per_minute = n->value;
  if (auto n = r.number("speech_per_request", Need::optional, 0)) c.speech_per_request = n->value;
  if (auto n = r.number("tts_per_1k_chars", Need::optional, 0)) c.tts_per_1k_chars = n->value;
  if (auto n = r.number("llm_per_call", Need::optional, 0)) c.llm_per_call = n->value;
  if (auto n = r.number("budget_per_call", Need::optional, 0)) c.budget_per_call = n->value;
}

void ContractParser::parse_identification(const toml::table& t, Identification& id) {
  TableReader r(t, "identification", diagnostics_,
                {"caller_id", "pin_fallback", "directory", "pin_digits", "max_pin_attempts",
                 "confirm_shared_phone"});
  id.present = true;
  id.where = r.where();
  if (auto b = r.boolean("caller_id", Need::optional)) id.caller_id = b->value;
  if (auto b = r.boolean("pin_fallback", Need::optional)) id.pin_fallback = b->value;
  if (auto b = r.boolean("confirm_shared_phone", Need::optional))
    id.confirm_shared_phone = b->value;
  id.directory = r.text("directory", Need::nonempty).value_or(Text{});
  if (auto n = r.integer("pin_digits", Need::optional, 4, 8)) id.pin_digits = int(n->value);
  if (auto n = r.integer("max_pin_attempts", Need::optional, 1, 5))
    id.max_pin_attempts = int(n->value);
}

Role ContractParser::parse_role(const toml::table& t, std::string id) {
  TableReader r(t, "roles." + id, diagnostics_,
                {"title", "kpis", "daily_focus", "micro_commitment", "coaching", "flows"});
  Role role;
  role.id = std::move(id);
  role.where = r.where();
  role.title = r.text("title", Need::nonempty).value_or(Text{});
  role.kpis = r.text_list("kpis", Need::nonempty).value_or(TextList{});
  if (const toml::node* focus = r.node("daily_focus"); focus && focus->is_array()) {
    const auto& items = *focus->as_array();
    if (items.size() > 1) {
      diagnostics_.error(
          "multiple-daily-focus", location_of(items[1].source()),
          "role '" + role.id + "' has " + std::to_string(items.size()) + " daily focuses",
          "the Ops line gives each role one daily focus; keep the most important");
    } else if (items.size() == 1 && items[0].is_string()) {
      role.daily_focus = {*items[0].value<std::string>(), location_of(items[0].source())};
    } else {
      r.wrong_type("daily_focus", *focus, "a string", "daily_focus = \"...\"");
    }
  } else {
    role.daily_focus = r.text("daily_focus", Need::nonempty).value_or(Text{});
  }
  role.micro_commitment = r.text("micro_commitment", Need::nonempty).value_or(Text{});
  role.coaching = r.text_list("coaching", Need::optional).value_or(TextList{});
  role.flows = r.text_list("flows", Need::nonempty).value_or(TextList{});
  return role;
}

void ContractParser::parse_odoo(const toml::table& t, OdooMapping& o) {
  TableReader r(t, "odoo", diagnostics_, {"model", "fields", "system"});
  o.present = true;
  o.where = r.where();
  o.model = r.text("model", Need::nonempty).value_or(Text{});
  o.fields = r.text_list("fields", Need::nonempty).value_or(TextList{});
  o.system = r.text("system", Need::nonempty).value_or(Text{});
}

// windows = { morning = "08:00-12:00", ... } and days = ["monday", ...] of a booking mapping.
void ContractParser::parse_arrival_windows(TableReader& r, const std::string& path,
                                           ToolCallMapping& mapping) {
  if (const toml::table* windows = r.table("windows", Need::optional)) {
    for (const auto& [key, node] : *windows) {
      const SourceLocation at = location_of(node.source());
      const std::string name = path + ".windows." + std::string(key.str());
      const auto* text = node.as_string();
      const auto range = text ? parse_clock_range(text->get()) : std::nullopt;
      if (!range) {
        diagnostics_.error(text ? "bad-value" : "wrong-type", at,
                           name + " is not a window of the day",
                           "write \"HH:MM-HH:MM\" in 24-hour local time, start before end, e.g. "
                           "\"08:00-12:00\"");
        continue;
      }
      mapping.windows.push_back(
          {Text{std::string(key.str()), location_of(key.source())}, range->first, range->second});
    }
  }
  if (auto days = r.text_list("days", Need::optional)) {
    for (const auto& day : *days) {
      const auto it = std::find(day_names.begin(), day_names.end(), day.value);
      if (it == day_names.end()) {
        diagnostics_.error("bad-value", day.where,
                           path + ".days: '" + day.value + "' is not a day of the week",
                           "write the days in full and in lower case, e.g. \"monday\"");
        continue;
      }
      mapping.weekdays.push_back({static_cast<int>(it - day_names.begin()), day.where});
    }
  }
}

ToolCallMapping ContractParser::parse_tool_call(const toml::table& t, std::string call) {
  const std::string path = "tool_calls.\"" + call + "\"";
  TableReader r(t, path, diagnostics_,
                {"operation", "model", "values", "domain", "day", "window", "windows", "capacity",
                 "days", "start_field", "stop_field", "to", "body"});
  ToolCallMapping mapping;
  mapping.call = std::move(call);
  mapping.where = r.where();
  mapping.operation = r.text("operation", Need::nonempty).value_or(Text{});
  mapping.model = r.text("model", Need::optional).value_or(Text{});
  mapping.day = r.text("day", Need::optional).value_or(Text{});
  mapping.window = r.text("window", Need::optional).value_or(Text{});
  if (auto capacity = r.integer("capacity", Need::optional, 1, 1000)) mapping.capacity = *capacity;
  mapping.start_field = r.text("start_field", Need::optional).value_or(Text{});
  mapping.stop_field = r.text("stop_field", Need::optional).value_or(Text{});
  mapping.to = r.text("to", Need::optional).value_or(Text{});
  mapping.body = r.text("body", Need::optional).value_or(Text{});
  parse_arrival_windows(r, path, mapping);
  if (const toml::table* values = r.table("values", Need::optional)) {
    for (const auto& [key, node] : *values) {
      const SourceLocation at = location_of(node.source());
      if (const auto* text = node.as_string()) {
        mapping.values.emplace_back(Text{std::string(key.str()), location_of(key.source())},
                                    Text{text->get(), at});
      } else {
        diagnostics_.error("wrong-type", at,
                           path + ".values." + std::string(key.str()) + " is " +
                               toml_type_name(node) + ", not a string",
                           "write the field's value as a string template, e.g. \"{caller_name}\"");
      }
    }
  }
  if (const toml::node* domain = r.node("domain")) {
    const auto* rows = domain->as_array();
    bool ok = rows != nullptr;
    if (rows) {
      for (const auto& row : *rows) {
        // A prefix operator of Odoo's Polish notation: "|", "&" or "!".
        if (const auto* op = row.as_string();
            op && (op->get() == "|" || op->get() == "&" || op->get() == "!")) {
          mapping.domain.push_back({Text{op->get(), location_of(row.source())}, Text{}, Text{}});
          continue;
        }
        const auto* leaf = row.as_array();
        if (!leaf || leaf->size() != 3 || !(*leaf)[0].is_string() || !(*leaf)[1].is_string() ||
            !(*leaf)[2].is_string()) {
          ok = false;
          break;
        }
        std::array<Text, 3> triple;
        for (std::size_t i = 0; i < 3; ++i)
          triple[i] = Text{*(*leaf)[i].value<std::string>(), location_of((*leaf)[i].source())};
        mapping.domain.push_back(std::move(triple));
      }
    }
    if (!ok) {
      r.wrong_type(
          "domain", *domain,
          "an array of [field, operator, value] string triples and \"|\", \"&\" or \"!\"",
          "domain = [\"|\", [\"phone\", \"=\", \"{caller}\"], [\"mobile\", \"=\", \"{caller}\"]]");
      mapping.domain.clear();
    }
  }
  return mapping;
}

}  // namespace voiceops::contract
