#include "ops/odoo_tools.hpp"

#include <algorithm>

#include "ops/call_record.hpp"
#include "ops/odoo_export.hpp"

namespace voiceops::ops {
namespace {

using connectors::odoo::Error;
using connectors::odoo::ErrorKind;
using connectors::odoo::Json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t max_partners_remembered = 4096;

std::chrono::milliseconds left(Clock::time_point deadline) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(ms, std::chrono::milliseconds(1));
}

engine::ToolResult failed(const std::string& name, const Error& error) {
  const bool timed_out = error.kind == ErrorKind::timeout;
  return {name,
          timed_out ? engine::ToolStatus::timeout : engine::ToolStatus::error,
          std::string(connectors::odoo::kind_name(error.kind)) + ": " + error.message,
          {}};
}

std::string odoo_time(std::int64_t unix_seconds) {
  return odoo_datetime(unix_seconds);
}

}  // namespace

std::string fill_template(std::string_view text,
                          const std::function<std::string(std::string_view)>& lookup) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find('{', at);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out += text.substr(at);
      break;
    }
    out += text.substr(at, open - at);
    out += lookup(text.substr(open + 1, close - open - 1));
    at = close + 1;
  }
  return out;
}

struct OdooTools::Lease {
  OdooTools& pool;
  std::unique_ptr<Client> client;
  ~Lease() {
    if (client) pool.give_back(std::move(client));
  }
};

OdooTools::OdooTools(connectors::odoo::Settings settings, int max_waiting)
    : settings_(std::move(settings)), max_waiting_(std::max(1, max_waiting)) {}

OdooTools::Lease OdooTools::borrow() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto client = std::move(idle_.back());
      idle_.pop_back();
      return Lease{*this, std::move(client)};
    }
  }
  connectors::odoo::Settings settings;
  {
    std::lock_guard lock(mutex_);
    settings = settings_;
  }
  auto made = Client::make(std::move(settings));
  return Lease{*this, made ? std::make_unique<Client>(std::move(*made)) : nullptr};
}

void OdooTools::give_back(std::unique_ptr<Client> client) {
  std::lock_guard lock(mutex_);
  // A protocol one client found is the one the next new client uses: no second probe.
  if (const auto known = client->known_protocol())
    settings_.protocol = std::string(connectors::odoo::protocol_name(*known));
  idle_.push_back(std::move(client));
}

engine::ToolResult OdooTools::run(const contract::ToolCallMapping& mapping,
                                  const engine::CallState& call, const std::string& summary,
                                  std::chrono::milliseconds budget) {
  const std::string& operation = mapping.operation.value;
  if (operation == "outbox")
    return {mapping.call, engine::ToolStatus::ok, "the call's record goes with its export", {}};
  const auto deadline = Clock::now() + budget;
  {
    std::lock_guard lock(mutex_);
    if (waiting_ >= max_waiting_) {
      return {mapping.call,
              engine::ToolStatus::error,
              "busy: " + std::to_string(waiting_) + " calls already wait on Odoo",
              {}};
    }
    ++waiting_;
  }
  struct Done {
    OdooTools& tools;
    ~Done() {
      std::lock_guard lock(tools.mutex_);
      --tools.waiting_;
    }
  } done{*this};
  Lease lease = borrow();
  if (!lease.client) {
    return {
        mapping.call, engine::ToolStatus::error, "config: the Odoo settings are incomplete", {}};
  }
  if (operation == "create") return create(*lease.client, mapping, call, summary, deadline);
  if (operation == "find") return find(*lease.client, mapping, call, summary, deadline);
  return {mapping.call, engine::ToolStatus::error, "no such operation: " + operation, {}};
}

std::optional<std::int64_t> OdooTools::partner_of(Client& odoo, const engine::CallState& call,
                                                  Clock::time_point deadline) {
  {
    std::lock_guard lock(mutex_);
    if (const auto it = partners_.find(call.call_id); it != partners_.end()) return it->second;
  }
  if (call.from.empty()) return std::nullopt;
  // The caller's number as Odoo may hold it: phone, mobile (gone from res.partner in Odoo 19),
  // and phone_sanitized (E.164, where phone_validation is installed).
  const auto fields = fields_of(odoo, "res.partner", deadline);
  Json leaves = Json::array({Json::array({"phone", "=", call.from})});
  if (fields && fields->has("mobile")) leaves.push_back(Json::array({"mobile", "=", call.from}));
  if (fields && fields->has("phone_sanitized"))
    leaves.push_back(Json::array({"phone_sanitized", "=", call.from}));
  Json domain = Json::array();
  for (std::size_t i = 1; i < leaves.size(); ++i) domain.push_back("|");
  for (auto& leaf : leaves) domain.push_back(std::move(leaf));
  auto found = odoo.call("res.partner", "search_read",
                         Json{{"domain", domain}, {"fields", Json::array({"id"})}, {"limit", 1}},
                         left(deadline));
  std::optional<std::int64_t> partner;
  if (found && found->is_array() && !found->empty() && (*found)[0].is_object()) {
    const Json& id = (*found)[0]["id"];
    if (id.is_number_integer()) partner = id.get<std::int64_t>();
  }
  // Remembered for the call either way: a failed lookup is not worth a second wait.
  std::lock_guard lock(mutex_);
  if (partners_.size() >= max_partners_remembered) partners_.clear();
  partners_[call.call_id] = partner;
  return partner;
}

std::function<std::string(std::string_view)> OdooTools::values_of(
    Client& odoo, const engine::CallState& call, const std::string& summary,
    Clock::time_point deadline, std::vector<engine::ToolRecord>& found) {
  return [this, &odoo, &call, &summary, deadline, &found](std::string_view name) -> std::string {
    if (name == "caller") return call.from;
    if (name == "called") return call.to;
    if (name == "call_id") return call.call_id;
    if (name == "intent") return call.intent;
    if (name == "summary") return summary;
    if (name == "workflow") return call.workflow;
    if (name == "started_at") return odoo_time(call.started_at);
    if (name == "partner_id") {
      const auto partner = partner_of(odoo, call, deadline);
      if (!partner) return {};
      if (std::none_of(found.begin(), found.end(),
                       [](const auto& r) { return r.model == "res.partner"; }))
        found.push_back({"res.partner", *partner});
      return std::to_string(*partner);
    }
    const auto slot = call.slots.find(std::string(name));
    return slot == call.slots.end() ? std::string() : slot->second.value;
  };
}

bool OdooTools::Fields::has(std::string_view name) const {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<OdooTools::Fields> OdooTools::fields_of(Client& odoo, const std::string& model,
                                                      Clock::time_point deadline) {
  {
    std::lock_guard lock(mutex_);
    if (const auto it = fields_.find(model); it != fields_.end()) return it->second;
  }
  auto answer =
      odoo.call(model, "fields_get", Json{{"attributes", Json::array({"type"})}}, left(deadline));
  if (!answer || !answer->is_object()) return std::nullopt;
  Fields fields;
  for (const auto& [name, field] : answer->items()) {
    fields.names.push_back(name);
    if (field.is_object() && field.contains("type") && field["type"].is_string() &&
        field["type"].get<std::string>() == "many2one")
      fields.many2one.push_back(name);
  }
  std::lock_guard lock(mutex_);
  fields_[model] = fields;
  return fields;
}

engine::ToolResult OdooTools::create(Client& odoo, const contract::ToolCallMapping& mapping,
                                     const engine::CallState& call, const std::string& summary,
                                     Clock::time_point deadline) {
  const std::string& model = mapping.model.value;
  std::vector<engine::ToolRecord> records;
  const auto value_of = values_of(odoo, call, summary, deadline, records);
  // Without the model's field types a many-to-one value would be read as a record's name.
  auto answer_fields = fields_of(odoo, model, deadline);
  if (!answer_fields) {
    return {mapping.call, engine::ToolStatus::error,
            "cannot read the fields of " + model + " in Odoo", records};
  }
  const std::vector<std::string>& many2one = answer_fields->many2one;
  Json columns = Json::array({"id"});
  // One record per call and step: a retry of the step updates it, another step makes its own.
  const std::string& step = call.step.empty() ? mapping.call : call.step;
  Json row = Json::array({call_external_id(call.call_id, step)});
  for (const auto& [field, text] : mapping.values) {
    const bool link = std::find(many2one.begin(), many2one.end(), field.value) != many2one.end();
    columns.push_back(link ? field.value + "/.id" : field.value);
    row.push_back(fill_template(text.value, value_of));
  }
  auto answer =
      odoo.call(model, "load", load_arguments(columns, Json::array({row})), left(deadline));
  if (!answer) return failed(mapping.call, answer.error());
  const auto verdict = read_load_answer(*answer, 1);
  if (!verdict || !all_created(*verdict, 1)) {
    std::string why = "load's answer is not {ids, messages}";
    if (verdict && !verdict->refused.empty()) why = verdict->refused.begin()->second;
    if (verdict && !verdict->unplaced.empty()) why = verdict->unplaced;
    return {mapping.call, engine::ToolStatus::error, "validation: Odoo refused the record: " + why,
            records};
  }
  records.push_back({model, verdict->ids[0]});
  return {mapping.call, engine::ToolStatus::ok, model + " " + std::to_string(verdict->ids[0]),
          records};
}

engine::ToolResult OdooTools::find(Client& odoo, const contract::ToolCallMapping& mapping,
                                   const engine::CallState& call, const std::string& summary,
                                   Clock::time_point deadline) {
  const std::string& model = mapping.model.value;
  std::vector<engine::ToolRecord> records;
  const auto value_of = values_of(odoo, call, summary, deadline, records);
  Json domain = Json::array();
  for (const auto& leaf : mapping.domain) {
    std::string value = fill_template(leaf[2].value, value_of);
    // "name ilike ''" matches every record: a lookup by an answer the call lacks finds nothing.
    if (value.empty()) {
      return {mapping.call, engine::ToolStatus::error,
              "not found: the call has no value for " + leaf[2].value, records};
    }
    domain.push_back(Json::array({leaf[0].value, leaf[1].value, std::move(value)}));
  }
  auto answer = odoo.call(model, "search_read",
                          Json{{"domain", domain}, {"fields", Json::array({"id"})}, {"limit", 2}},
                          left(deadline));
  if (!answer) return failed(mapping.call, answer.error());
  if (!answer->is_array() || answer->empty() || !(*answer)[0].is_object() ||
      !(*answer)[0]["id"].is_number_integer()) {
    return {mapping.call, engine::ToolStatus::error, "not found: no " + model + " matches",
            records};
  }
  // Two matches: which one the caller meant is not known, so none is taken.
  if (answer->size() > 1) {
    return {mapping.call, engine::ToolStatus::error,
            "ambiguous: more than one " + model + " matches", records};
  }
  const std::int64_t id = (*answer)[0]["id"].get<std::int64_t>();
  records.push_back({model, id});
  return {mapping.call, engine::ToolStatus::ok, model + " " + std::to_string(id), records};
}

}  // namespace voiceops::ops
