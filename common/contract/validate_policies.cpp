// Hours, rollback and Odoo: the time zone, the rollback plan, the Odoo field map.
#include "contract/validator.hpp"

namespace voiceops::contract {

void Validator::check_time_zone() {
  const Text& zone = c_.hours.time_zone;
  if (zone.value.empty()) return;
  std::filesystem::path dir = options_.zoneinfo_dir;
  if (dir.empty()) {
    const char* tzdir = std::getenv("TZDIR");
    dir = tzdir && *tzdir ? tzdir : "/usr/share/zoneinfo";
  }
  const bool safe_name = zone.value.find("..") == std::string::npos && zone.value.front() != '/' &&
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
    d_.error("bad-time-zone", zone.where, "'" + zone.value + "' is not an IANA time zone",
             "use a zone name such as \"America/Chicago\" (timedatectl list-timezones lists them)");
  }
}

void Validator::check_rollback() {
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

void Validator::check_odoo() {
  if (!c_.odoo.present || c_.odoo.system.value.empty()) return;
  if (!c_.system(c_.odoo.system.value)) {
    d_.error("system-not-mapped", c_.odoo.system.where,
             "odoo.system '" + c_.odoo.system.value + "' is not in the system map",
             suggest(c_.odoo.system.value, ids_of(c_.systems), "name the Odoo system's id"));
  }
  if (c_.odoo.model.value.rfind("x_", 0) != 0 && c_.workflow.internal()) {
    d_.error("bad-value", c_.odoo.model.where,
             "odoo.model '" + c_.odoo.model.value + "' is not a custom model name",
             "the Ops line logs to a custom model; its name starts with x_, e.g. x_voiceops_call");
  }
}

}  // namespace voiceops::contract
