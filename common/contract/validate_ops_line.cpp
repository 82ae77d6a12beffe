// The Ops line's rules: its Odoo fields, roles, KPIs, call-length limits, the staff directory.
#include "contract/validator.hpp"

namespace voiceops::contract {

void Validator::check_ops_line() {
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
               seconds > 180 ? "shorten prompts or move a question to another flow"
                             : "a flow this short collects too little; add the pulse or KPI steps");
    }
  }
  check_directory();
}

void Validator::check_directory() {
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
        d_.add(
            {Severity::warning, "directory", path.string(), person.where,
             "person '" + person.id + "' has neither a phone nor a PIN, so can never be identified",
             "voiceops directory set-pin " + path.string() + " " + person.id});
      }
    }
  }
}

}  // namespace voiceops::contract
