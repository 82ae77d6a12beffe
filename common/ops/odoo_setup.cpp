#include "ops/odoo_setup.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "ops/call_record.hpp"

namespace voiceops::ops {
namespace {

using connectors::odoo::Client;
using connectors::odoo::Error;
using connectors::odoo::ErrorKind;
using connectors::odoo::Json;

Result<Json, Error> search_read(Client& odoo, std::string_view model, Json domain, Json fields) {
  return odoo.call(model, "search_read",
                   Json{{"domain", std::move(domain)}, {"fields", std::move(fields)}});
}

Result<std::int64_t, Error> created_id(Result<Json, Error> answer) {
  if (!answer) return unexpected(std::move(answer.error()));
  if (answer->is_number_integer()) return answer->get<std::int64_t>();
  if (answer->is_array() && answer->size() == 1 && (*answer)[0].is_number_integer())
    return (*answer)[0].get<std::int64_t>();
  return unexpected(
      Error{ErrorKind::malformed, "create did not answer a record id", {}, {}, 200, false});
}

// create() takes a list of values on both protocols (JSON-2 requires it).
Result<std::int64_t, Error> create(Client& odoo, std::string_view model, Json values) {
  return created_id(
      odoo.call(model, "create", Json{{"vals_list", Json::array({std::move(values)})}}));
}

Result<bool, Error> model_exists(Client& odoo, std::string_view model) {
  auto found = search_read(odoo, "ir.model", Json::array({Json::array({"model", "=", model})}),
                           Json::array({"id"}));
  if (!found) return unexpected(std::move(found.error()));
  return found->is_array() && !found->empty();
}

// The id of the internal users' group (base.group_user), to give the access rows to; none when
// the database does not say.
std::optional<std::int64_t> internal_users_group(Client& odoo) {
  auto found = search_read(
      odoo, "ir.model.data",
      Json::array({Json::array({"module", "=", "base"}), Json::array({"name", "=", "group_user"})}),
      Json::array({"res_id"}));
  if (!found || !found->is_array() || found->empty()) return std::nullopt;
  const Json& row = (*found)[0];
  if (row.contains("res_id") && row["res_id"].is_number_integer())
    return row["res_id"].get<std::int64_t>();
  return std::nullopt;
}

}  // namespace

Result<std::vector<SetupStep>, Error> set_up_call_model(Client& odoo) {
  std::vector<SetupStep> steps;
  const std::string model(call_record_model);
  auto found = search_read(odoo, "ir.model", Json::array({Json::array({"model", "=", model})}),
                           Json::array({"id"}));
  if (!found) return unexpected(std::move(found.error()));
  std::int64_t model_id = 0;
  const Json* first = found->is_array() && !found->empty() ? &(*found)[0] : nullptr;
  if (first && first->is_object() && first->contains("id") && (*first)["id"].is_number_integer() &&
      (*first)["id"].get<std::int64_t>() > 0) {
    model_id = (*first)["id"].get<std::int64_t>();
    steps.push_back({"model " + model, "present", {}});
  } else {
    auto id = create(odoo, "ir.model",
                     Json{{"name", "VoiceOps Call"}, {"model", model}, {"state", "manual"}});
    if (!id) return unexpected(std::move(id.error()));
    model_id = *id;
    steps.push_back({"model " + model, "created", {}});
  }

  auto fields =
      search_read(odoo, "ir.model.fields", Json::array({Json::array({"model_id", "=", model_id})}),
                  Json::array({"name"}));
  if (!fields) return unexpected(std::move(fields.error()));
  std::set<std::string, std::less<>> present;
  if (fields->is_array())
    for (const auto& row : *fields)
      if (row.contains("name") && row["name"].is_string())
        present.insert(row["name"].get<std::string>());

  for (const auto& field : call_record_fields()) {
    const std::string what = "field " + std::string(field.name) + " (" + std::string(field.ttype) +
                             (field.relation.empty() ? "" : " to " + std::string(field.relation)) +
                             ")";
    if (present.contains(field.name)) {
      steps.push_back({what, "present", {}});
      continue;
    }
    Json values = {{"model_id", model_id},
                   {"name", field.name},
                   {"ttype", field.ttype},
                   {"field_description", field.label},
                   {"state", "manual"}};
    if (!field.relation.empty()) {
      auto exists = model_exists(odoo, field.relation);
      if (!exists) return unexpected(std::move(exists.error()));
      if (!*exists) {
        steps.push_back(
            {what, "skipped",
             std::string(field.relation) + " is not in this database (its app is not installed)"});
        continue;
      }
      values["relation"] = field.relation;
      values["on_delete"] = "set null";
    }
    if (auto id = create(odoo, "ir.model.fields", std::move(values)); !id)
      return unexpected(std::move(id.error()));
    steps.push_back({what, "created", {}});
  }

  auto access =
      search_read(odoo, "ir.model.access", Json::array({Json::array({"model_id", "=", model_id})}),
                  Json::array({"id"}));
  if (!access) return unexpected(std::move(access.error()));
  if (access->is_array() && !access->empty()) {
    steps.push_back({"access rights on " + model, "present", {}});
  } else {
    // Never a rule without a group: that one would cover portal and public users too.
    const auto group = internal_users_group(odoo);
    if (!group) {
      return unexpected(Error{ErrorKind::not_found,
                              "cannot find the internal users' group (base.group_user) to give "
                              "access to x_voiceops_call; the user needs read access to "
                              "ir.model.data",
                              {},
                              {},
                              0,
                              false});
    }
    Json values = {{"name", "voiceops: " + model}, {"model_id", model_id},
                   {"group_id", *group},           {"perm_read", true},
                   {"perm_write", true},           {"perm_create", true},
                   {"perm_unlink", false}};
    if (auto id = create(odoo, "ir.model.access", std::move(values)); !id)
      return unexpected(std::move(id.error()));
    steps.push_back(
        {"access rights on " + model, "created", "read, write, create for internal users"});
  }
  return steps;
}

std::vector<NeededRight> rights_needed(const std::vector<std::string>& tool_names,
                                       const std::vector<contract::ToolCallMapping>& mappings) {
  std::vector<NeededRight> rights = {
      {std::string(call_record_model), "create", "the export of every call"},
      {std::string(call_record_model), "write", "the export (a resend updates the record)"},
      {"res.partner", "read", "finding the caller by phone number"},
  };
  static const std::map<std::string, std::vector<std::string>, std::less<>> by_operation = {
      {"create", {"create", "write"}},  // a retry updates the record
      {"find", {"read"}},
      {"update", {"write"}},
      {"availability", {"read"}},
      {"book", {"read", "create", "write", "unlink"}},  // unlink takes a booking back
      {"move", {"read", "write"}},
  };
  for (const auto& mapping : mappings) {
    const auto operations = by_operation.find(mapping.operation.value);
    if (operations == by_operation.end() || mapping.model.value.empty()) continue;
    for (const auto& operation : operations->second) {
      rights.push_back(
          {mapping.model.value, operation,
           "the contracts' step " + mapping.call + " (" + mapping.operation.value + ")"});
    }
  }
  for (const auto& name : tool_names) {
    const bool mapped =
        std::any_of(mappings.begin(), mappings.end(),
                    [&](const contract::ToolCallMapping& m) { return m.call == name; });
    if (mapped) continue;
    // "odoo.helpdesk.ticket.create": the system, the model, the operation.
    if (!name.starts_with("odoo.")) continue;
    const std::string rest = name.substr(5);
    const std::size_t dot = rest.rfind('.');
    if (dot == std::string::npos) continue;
    const std::string model = rest.substr(0, dot);
    std::string operation = rest.substr(dot + 1);
    if (operation != "create" && operation != "write") operation = "read";
    rights.push_back({model, operation, "the contracts' step " + name});
  }
  std::vector<NeededRight> unique;
  for (auto& right : rights) {
    const bool seen = std::any_of(unique.begin(), unique.end(), [&](const NeededRight& r) {
      return r.model == right.model && r.operation == right.operation;
    });
    if (!seen) unique.push_back(std::move(right));
  }
  return unique;
}

Result<std::vector<CheckLine>, Error> check_rights(Client& odoo,
                                                   const std::vector<NeededRight>& rights) {
  std::vector<CheckLine> lines;
  for (const auto& right : rights) {
    const std::string what = right.operation + " " + right.model + " (" + right.reason + ")";
    auto answer = odoo.call(right.model, "check_access_rights",
                            Json{{"operation", right.operation}, {"raise_exception", false}});
    if (answer) {
      const bool ok = answer->is_boolean() && answer->get<bool>();
      lines.push_back({what, ok, ok ? "" : "the user lacks this right"});
      continue;
    }
    const Error& error = answer.error();
    if (error.kind == ErrorKind::not_found || error.kind == ErrorKind::access_error ||
        error.kind == ErrorKind::validation) {
      lines.push_back({what, false, error.message});
      continue;
    }
    return unexpected(error);  // Odoo unreachable, the key refused: no check can run
  }
  // The export's fields.
  auto fields =
      odoo.call(call_record_model, "fields_get", Json{{"attributes", Json::array({"type"})}});
  if (!fields) {
    if (fields.error().kind == ErrorKind::unreachable ||
        fields.error().kind == ErrorKind::timeout ||
        fields.error().kind == ErrorKind::access_denied)
      return unexpected(std::move(fields.error()));
    lines.push_back({"model x_voiceops_call", false,
                     fields.error().message + " (run voiceops export odoo --setup)"});
    return lines;
  }
  std::vector<std::string> missing;
  for (const auto& field : call_record_fields())
    if (field.ttype != "many2one" && (!fields->is_object() || !fields->contains(field.name)))
      missing.emplace_back(field.name);
  std::string detail;
  for (const auto& name : missing) detail += (detail.empty() ? "missing: " : ", ") + name;
  lines.push_back({"fields of x_voiceops_call", missing.empty(),
                   missing.empty() ? "" : detail + " (run voiceops export odoo --setup)"});
  return lines;
}

}  // namespace voiceops::ops
