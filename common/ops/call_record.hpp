#pragma once
// A finished call as Odoo keeps it: the x_voiceops_call model (DESIGN section 3's fields plus the
// call's id, times, workflow, intent, outcome, escalation, destination, cost and summary), its
// fields as `voiceops export odoo --setup` creates them, and one call as a row of `load`, keyed by
// the external ID voiceops.call_<id> so a resend updates the record instead of adding one.
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/outbox.hpp"

namespace voiceops::ops {

inline constexpr std::string_view call_record_model = "x_voiceops_call";
inline constexpr std::string_view external_id_module = "voiceops";

struct RecordField {
  std::string_view name;      // x_...
  std::string_view ttype;     // char, text, integer, float, boolean, datetime, many2one
  std::string_view label;     // shown in Odoo
  std::string_view relation;  // many2one: the model it links to
};

// Every field of x_voiceops_call, in the order exports send them.
std::span<const RecordField> call_record_fields();

// "voiceops.call_CA123...": the call's external ID, and with `part` that of a record one of its
// steps made ("voiceops.call_CA123_create_ticket"). Characters other than letters and digits
// become '_'.
std::string call_external_id(std::string_view call_id, std::string_view part = {});

// "2026-12-06 17:52:25": Odoo's datetime format, UTC.
std::string odoo_datetime(std::int64_t unix_seconds);

// The columns of a `load` of calls: "id", then each field in `present` (the fields the Odoo
// database has; a many2one as "<field>/.id", its database id).
std::vector<std::string> load_columns(const std::set<std::string, std::less<>>& present);

// `load`'s named arguments. Datetimes go as UTC: without a time zone in the context, Odoo reads
// them in the API user's.
nlohmann::json load_arguments(const std::vector<std::string>& columns, nlohmann::json data);

// One call as a `load` row for `columns`, every value a string as `load` takes them (empty for
// none).
nlohmann::json load_row(const store::ExportCall& call, const std::vector<std::string>& columns);

}  // namespace voiceops::ops
