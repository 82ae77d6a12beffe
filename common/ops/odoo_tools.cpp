#include "ops/odoo_tools.hpp"

#include <algorithm>
#include <cctype>

#include "ops/call_record.hpp"
#include "ops/odoo_export.hpp"

namespace voiceops::ops {
namespace {

using connectors::odoo::Error;
using connectors::odoo::ErrorKind;
using connectors::odoo::Json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t max_partners_remembered = 4096;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A template's text as the JSON `write` wants for a field of `type`: load reads text itself,
// write does not ("false" would be a true boolean). Empty is false, Odoo's "no value".
Json typed_value(const std::string& text, const std::string& type) {
  if (text.empty()) return false;
  if (type == "boolean") {
    std::string lower;
    for (const char c : text)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return !(lower == "0" || lower == "false" || lower == "no" || lower == "off");
  }
  if (type == "many2many") {  // "5,6": those records, replacing the ones linked before
    Json ids = Json::array();
    std::size_t at = 0;
    while (at <= text.size()) {
      const std::size_t comma = std::min(text.find(',', at), text.size());
      const std::string part = text.substr(at, comma - at);
      try {
        std::size_t used = 0;
        const long long id = std::stoll(part, &used);
        if (used != part.size()) return text;
        ids.push_back(id);
      } catch (const std::exception&) {
        return text;  // Odoo's complaint names the field
      }
      at = comma + 1;
    }
    return Json::array({Json::array({6, 0, ids})});
  }
  if (type == "integer" || type == "many2one") {
    try {
      std::size_t used = 0;
      const long long number = std::stoll(text, &used);
      if (used == text.size()) return number;
    } catch (const std::exception&) {
    }
    return text;  // Odoo's complaint names the field
  }
  if (type == "float" || type == "monetary") {
    try {
      std::size_t used = 0;
      const double number = std::stod(text, &used);
      if (used == text.size()) return number;
    } catch (const std::exception&) {
    }
    return text;
  }
  return text;
}

}  // namespace

std::chrono::milliseconds OdooTools::Job::left() const {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(ms, std::chrono::milliseconds(1));
}

engine::ToolResult OdooTools::Job::ok(std::string detail) const {
  return {mapping.call, engine::ToolStatus::ok, std::move(detail), records};
}

engine::ToolResult OdooTools::Job::failed(std::string detail) const {
  return {mapping.call, engine::ToolStatus::error, std::move(detail), records};
}

engine::ToolResult OdooTools::Job::failed(const Error& error) const {
  const bool timed_out = error.kind == ErrorKind::timeout;
  return {mapping.call, timed_out ? engine::ToolStatus::timeout : engine::ToolStatus::error,
          std::string(connectors::odoo::kind_name(error.kind)) + ": " + error.message, records};
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
                                  const contract::BusinessHours& hours,
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
  Job job{*lease.client, mapping, hours, call, summary, deadline, {}};
  if (operation == "create") return create(job);
  if (operation == "find") return find(job);
  if (operation == "update") return update(job);
  if (operation == "availability") return availability(job);
  if (operation == "book") return book(job);
  if (operation == "move") return move(job);
  return job.failed("no such operation: " + operation);
}

std::optional<std::int64_t> OdooTools::partner_of(Job& job) {
  const engine::CallState& call = job.call;
  {
    std::lock_guard lock(mutex_);
    if (const auto it = partners_.find(call.call_id); it != partners_.end()) return it->second;
  }
  if (call.from.empty()) return std::nullopt;
  // The caller's number as Odoo may hold it: phone, mobile (gone from res.partner in Odoo 19),
  // and phone_sanitized (E.164, where phone_validation is installed).
  const auto fields = fields_of(job, "res.partner");
  Json leaves = Json::array({Json::array({"phone", "=", call.from})});
  if (fields && fields->has("mobile")) leaves.push_back(Json::array({"mobile", "=", call.from}));
  if (fields && fields->has("phone_sanitized"))
    leaves.push_back(Json::array({"phone_sanitized", "=", call.from}));
  Json domain = Json::array();
  for (std::size_t i = 1; i < leaves.size(); ++i) domain.push_back("|");
  for (auto& leaf : leaves) domain.push_back(std::move(leaf));
  auto found = job.odoo.call(
      "res.partner", "search_read",
      Json{{"domain", domain}, {"fields", Json::array({"id"})}, {"limit", 1}}, job.left());
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

std::string OdooTools::value_of(Job& job, std::string_view name) {
  if (name == "partner_id") {
    const auto partner = partner_of(job);
    if (!partner) return {};
    if (std::none_of(job.records.begin(), job.records.end(),
                     [](const auto& r) { return r.model == "res.partner"; }))
      job.records.push_back({"res.partner", *partner});
    return std::to_string(*partner);
  }
  return call_value(job.call, job.summary, unix_now(), name, odoo_datetime);
}

std::string OdooTools::filled(Job& job, std::string_view text) {
  return fill_template(text, [&](std::string_view name) { return value_of(job, name); });
}

std::optional<std::int64_t> OdooTools::held_record(const Job& job) const {
  const auto it = job.call.records.find(job.mapping.model.value);
  if (it == job.call.records.end()) return std::nullopt;
  return it->second;
}

bool OdooTools::Fields::has(std::string_view name) const {
  return types.find(std::string(name)) != types.end();
}

bool OdooTools::Fields::is(std::string_view name, std::string_view type) const {
  const auto it = types.find(std::string(name));
  return it != types.end() && it->second == type;
}

std::optional<OdooTools::Fields> OdooTools::fields_of(Job& job, const std::string& model) {
  {
    std::lock_guard lock(mutex_);
    if (const auto it = fields_.find(model); it != fields_.end()) return it->second;
  }
  auto answer =
      job.odoo.call(model, "fields_get", Json{{"attributes", Json::array({"type"})}}, job.left());
  if (!answer || !answer->is_object()) return std::nullopt;
  Fields fields;
  for (const auto& [name, field] : answer->items()) {
    std::string type;
    if (field.is_object() && field.contains("type") && field["type"].is_string())
      type = field["type"].get<std::string>();
    fields.types.emplace(name, std::move(type));
  }
  std::lock_guard lock(mutex_);
  fields_[model] = fields;
  return fields;
}

Result<std::int64_t, engine::ToolResult> OdooTools::load_one(
    Job& job, const std::vector<std::pair<std::string, std::string>>& extra) {
  const std::string& model = job.mapping.model.value;
  // Without the model's field types a many-to-one value would be read as a record's name.
  const auto fields = fields_of(job, model);
  if (!fields) return unexpected(job.failed("cannot read the fields of " + model + " in Odoo"));
  Json columns = Json::array({"id"});
  // One record per call and step: a retry of the step updates it, another step makes its own.
  const std::string& step = job.call.step.empty() ? job.mapping.call : job.call.step;
  Json row = Json::array({call_external_id(job.call.call_id, step)});
  const auto add = [&](const std::string& field, std::string value) {
    // A related record goes by its database id (many2many: comma-separated), never its name.
    const bool related = fields->is(field, "many2one") || fields->is(field, "many2many");
    columns.push_back(related ? field + "/.id" : field);
    row.push_back(std::move(value));
  };
  for (const auto& [field, text] : job.mapping.values) add(field.value, filled(job, text.value));
  for (const auto& [field, value] : extra) add(field, value);
  auto answer =
      job.odoo.call(model, "load", load_arguments(columns, Json::array({row})), job.left());
  if (!answer) return unexpected(job.failed(answer.error()));
  const auto verdict = read_load_answer(*answer, 1);
  if (!verdict || !all_created(*verdict, 1)) {
    std::string why = "load's answer is not {ids, messages}";
    if (verdict && !verdict->refused.empty()) why = verdict->refused.begin()->second;
    if (verdict && !verdict->unplaced.empty()) why = verdict->unplaced;
    return unexpected(job.failed("validation: Odoo refused the record: " + why));
  }
  return verdict->ids[0];
}

Result<bool, engine::ToolResult> OdooTools::write_one(
    Job& job, std::int64_t id, const std::vector<std::pair<std::string, std::string>>& values) {
  const std::string& model = job.mapping.model.value;
  const auto fields = fields_of(job, model);
  if (!fields) return unexpected(job.failed("cannot read the fields of " + model + " in Odoo"));
  Json vals = Json::object();
  for (const auto& [field, text] : values) {
    const auto type = fields->types.find(field);
    vals[field] = typed_value(text, type == fields->types.end() ? std::string() : type->second);
  }
  auto answer =
      job.odoo.call(model, "write", Json{{"ids", Json::array({id})}, {"vals", vals}}, job.left());
  if (!answer) return unexpected(job.failed(answer.error()));
  if (!answer->is_boolean() || !answer->get<bool>())
    return unexpected(job.failed("malformed: write's answer is not true"));
  return true;
}

engine::ToolResult OdooTools::create(Job& job) {
  const auto id = load_one(job, {});
  if (!id) return id.error();
  const std::string& model = job.mapping.model.value;
  job.records.push_back({model, *id});
  return job.ok(model + " " + std::to_string(*id));
}

engine::ToolResult OdooTools::update(Job& job) {
  const std::string& model = job.mapping.model.value;
  const auto id = held_record(job);
  if (!id) return job.failed("not found: the call found no " + model + " to change");
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& [field, text] : job.mapping.values)
    values.emplace_back(field.value, filled(job, text.value));
  if (auto written = write_one(job, *id, values); !written) return written.error();
  job.records.push_back({model, *id});
  return job.ok(model + " " + std::to_string(*id) + " changed");
}

Result<Json, engine::ToolResult> OdooTools::domain_of(Job& job) {
  Json domain = Json::array();
  for (const auto& term : job.mapping.domain) {
    if (contract::is_domain_operator(term)) {
      domain.push_back(term[0].value);
      continue;
    }
    std::string value = filled(job, term[2].value);
    // "name ilike ''" matches every record: a lookup by an answer the call lacks finds nothing.
    if (value.empty())
      return unexpected(job.failed("not found: the call has no value for " + term[2].value));
    domain.push_back(Json::array({term[0].value, term[1].value, std::move(value)}));
  }
  return domain;
}

engine::ToolResult OdooTools::find(Job& job) {
  const std::string& model = job.mapping.model.value;
  auto domain = domain_of(job);
  if (!domain) return domain.error();
  auto answer = job.odoo.call(
      model, "search_read",
      Json{{"domain", *domain}, {"fields", Json::array({"id"})}, {"limit", 2}}, job.left());
  if (!answer) return job.failed(answer.error());
  if (!answer->is_array() || answer->empty() || !(*answer)[0].is_object() ||
      !(*answer)[0]["id"].is_number_integer()) {
    return job.failed("not found: no " + model + " matches");
  }
  // Two matches: which one the caller meant is not known, so none is taken.
  if (answer->size() > 1) return job.failed("ambiguous: more than one " + model + " matches");
  const std::int64_t id = (*answer)[0]["id"].get<std::int64_t>();
  job.records.push_back({model, id});
  return job.ok(model + " " + std::to_string(id));
}

}  // namespace voiceops::ops
