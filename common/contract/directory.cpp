#include "contract/directory.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/input_file.hpp"
#include "base/toml_reader.hpp"
#include "contract/validate.hpp"
#include "crypto/pin_hash.hpp"

namespace voiceops::contract {

const Person* Directory::person(std::string_view id) const {
  auto it = std::find_if(people.begin(), people.end(), [&](const Person& p) { return p.id == id; });
  return it == people.end() ? nullptr : &*it;
}

DirectoryOutcome parse_directory(std::string_view text, const std::string& file,
                                 Diagnostics& diagnostics) {
  DirectoryOutcome outcome;
  auto fail = [&](std::string rule, SourceLocation where, std::string message, std::string hint) {
    diagnostics.add(
        {Severity::error, std::move(rule), file, where, std::move(message), std::move(hint)});
    outcome.status = ExitStatus::data_error;
    return outcome;
  };
  if (auto problem = check_text(text)) {
    return fail(problem->rule, problem->where, problem->message, problem->hint);
  }
  auto root = parse_toml(text, file);
  if (!root)
    return fail(root.error().rule, root.error().where, root.error().message, root.error().hint);

  // Findings are reported against the directory file, not the contract that refers to it.
  Diagnostics local(file);
  TableReader top(*root, "", local, {"schema_version", "person"});
  if (auto version = top.integer("schema_version", Need::required, 1, 1000);
      version && version->value > current_schema_version) {
    local.error("schema-newer", version->where,
                "this directory is written for schema version " + std::to_string(version->value),
                "upgrade voiceops");
  }
  Directory directory;
  directory.file = file;
  std::set<std::string> ids;
  if (const toml::array* people = top.table_array("person", Need::required)) {
    for (const auto& node : *people) {
      const toml::table& t = *node.as_table();
      TableReader r(t, "person", local,
                    {"id", "name", "phones", "roles", "shared_phone", "pin_hash", "pin"});
      Person person;
      person.where = r.where();
      auto id = r.text("id", Need::nonempty);
      if (id) {
        person.id = id->value;
        if (!ids.insert(person.id).second) {
          local.error("bad-value", id->where, "person id '" + person.id + "' is used twice",
                      "give every person a unique id");
        }
      }
      person.name = r.text("name", Need::nonempty).value_or(Text{});
      person.phones = r.text_list("phones", Need::optional).value_or(TextList{});
      for (const Text& phone : person.phones) {
        if (!is_e164(phone.value)) {
          local.error("not-e164", phone.where, "'" + phone.value + "' is not an E.164 number",
                      "write it as + country code and number, no spaces: \"+15125550161\"");
        }
      }
      person.roles = r.text_list("roles", Need::nonempty).value_or(TextList{});
      if (auto b = r.boolean("shared_phone", Need::optional)) person.shared_phone = b->value;
      person.pin_hash = r.text_or("pin_hash", "");
      if (!person.pin_hash.value.empty() && !crypto::is_pin_hash(person.pin_hash.value)) {
        local.error("bad-value", person.pin_hash.where,
                    "pin_hash is not a pbkdf2-sha256 hash made by voiceops",
                    "set it with: voiceops directory set-pin " + file + " " + person.id);
      }
      if (r.has("pin")) {
        local.error(
            "clear-pin", r.key_location("pin"), "a PIN in clear text in the staff directory",
            "delete the line and run: voiceops directory set-pin " + file + " " + person.id);
      }
      directory.people.push_back(std::move(person));
    }
  }
  for (const auto& d : local.all()) diagnostics.add(d);
  if (!local.has_errors()) outcome.directory = std::move(directory);
  return outcome;
}

DirectoryOutcome load_directory(const std::string& file, Diagnostics& diagnostics) {
  auto text = read_input_file(file);
  if (!text) {
    const InputError& e = text.error();
    diagnostics.add({Severity::error, e.rule, file, e.where, e.message, e.hint});
    return {std::nullopt, e.status};
  }
  return parse_directory(*text, file, diagnostics);
}

std::optional<Directory> directory_of(const Contract& contract) {
  if (!contract.workflow.internal() || contract.identification.directory.value.empty())
    return std::nullopt;
  std::filesystem::path path = contract.identification.directory.value;
  if (path.is_relative()) path = std::filesystem::path(contract.file).parent_path() / path;
  Diagnostics ignored(path.string());
  return load_directory(path.string(), ignored).directory;
}

}  // namespace voiceops::contract
