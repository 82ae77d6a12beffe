#include "store/call_export_query.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include <fmt/format.h>

#include "store/call_store_detail.hpp"

namespace voiceops::store {
namespace {

struct Column {
  std::string_view name;
  std::string_view sql;
};

constexpr std::string_view iso_time = "strftime('%Y-%m-%dT%H:%M:%S+00:00', {}, 'unixepoch')";

// clang-format off
constexpr std::array call_columns_sql = {
    Column{"call_id", "id"},
    Column{"workflow", "workflow"},
    Column{"started_at", "started_at"},  // as iso_time
    Column{"ended_at", "ended_at"},      // as iso_time
    Column{"duration_s", "duration_s"},
    Column{"status", "status"},
    Column{"after_hours", "after_hours"},
    Column{"caller", "caller"},
    Column{"called", "called"},
    Column{"intent", "intent"},
    Column{"outcome", "outcome"},
    Column{"event", "event"},
    Column{"escalation", "escalation"},
    Column{"destination", "destination"},
    Column{"turns", "turns"},
    Column{"cost", "ROUND(cost, 4)"},
    Column{"summary", "summary"},
    // DESIGN section 3: the Ops line's fields, from the answer of that name, else from the call.
    Column{"user_id", "json_extract(slots, '$.user_id')"},
    Column{"role", "json_extract(slots, '$.role')"},
    Column{"call_type", "COALESCE(json_extract(slots, '$.call_type'), intent)"},
    Column{"energy_level", "json_extract(slots, '$.energy_level')"},
    Column{"blocker_flag", "json_extract(slots, '$.blocker_flag')"},
    Column{"primary_kpi", "json_extract(slots, '$.primary_kpi')"},
    Column{"kpi_action", "json_extract(slots, '$.kpi_action')"},
    Column{"coach_template_used", "json_extract(slots, '$.coach_template_used')"},
    Column{"commitment", "json_extract(slots, '$.commitment')"},
    Column{"job_id", "json_extract(slots, '$.job_id')"},
    Column{"completion_status", "COALESCE(json_extract(slots, '$.completion_status'), outcome)"},
    Column{"duration", "COALESCE(json_extract(slots, '$.duration'), duration_s)"},
};
// clang-format on

constexpr std::string_view slot_prefix = "slot_";

std::optional<std::string> column_sql(std::string_view name) {
  for (const auto& column : call_columns_sql) {
    if (column.name != name) continue;
    if (name == "started_at" || name == "ended_at")
      return fmt::format(fmt::runtime(iso_time), column.sql);
    return std::string(column.sql);
  }
  if (name.starts_with(slot_prefix)) {
    const std::string_view slot = name.substr(slot_prefix.size());
    if (exportable_slot_name(slot)) return fmt::format("json_extract(slots, '$.\"{}\"')", slot);
  }
  return std::nullopt;
}

// Every parameter is always used (binding one the SQL lacks is an error), and the range stays
// one the calls_by_start index answers.
constexpr std::string_view where_range =
    " WHERE started_at >= ?1 AND started_at < ?2 AND (?3 = '' OR workflow = ?3)";

DbResult<Done> bind_range(Statement& statement, const CallExportRange& range) {
  return statement.bind(range.since.value_or(std::numeric_limits<std::int64_t>::min()),
                        range.until.value_or(std::numeric_limits<std::int64_t>::max()),
                        range.workflow.value_or(""));
}

}  // namespace

bool exportable_slot_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<std::string> export_columns(const std::vector<std::string>& slot_names) {
  std::vector<std::string> names;
  for (const auto& column : call_columns_sql) names.emplace_back(column.name);
  for (const auto& slot : slot_names)
    if (exportable_slot_name(slot)) names.push_back(std::string(slot_prefix) + slot);
  return names;
}

Result<std::vector<std::string>, std::string> slot_names_in(Database& db,
                                                            const CallExportRange& range) {
  auto query = db.prepare("SELECT DISTINCT slot.key FROM calls, json_each(calls.slots) AS slot" +
                          std::string(where_range) + " ORDER BY 1");
  if (!query) return unexpected(describe(query.error()));
  if (auto bound = bind_range(*query, range); !bound) return unexpected(describe(bound.error()));
  std::vector<std::string> names;
  for (;;) {
    auto row = query->step();
    if (!row) return unexpected(describe(row.error()));
    if (!*row) break;
    names.push_back(query->text_at(0));
  }
  return names;
}

Result<CallExportQuery, std::string> CallExportQuery::prepare(
    Database& db, const CallExportRange& range, const std::vector<std::string>& columns) {
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    auto sql = column_sql(columns[i]);
    if (!sql) return unexpected("no column " + columns[i]);
    if (i > 0) select += ", ";
    select += *sql;
  }
  if (columns.empty()) return unexpected(std::string("no columns"));
  select += " FROM calls" + std::string(where_range) + " ORDER BY started_at, id";
  auto statement = db.prepare(select);
  if (!statement) return unexpected(describe(statement.error()));
  if (auto bound = bind_range(*statement, range); !bound)
    return unexpected(describe(bound.error()));
  return CallExportQuery(std::move(*statement), static_cast<int>(columns.size()));
}

Result<bool, std::string> CallExportQuery::next() {
  auto row = statement_.step();
  if (!row) return unexpected(describe(row.error()));
  return *row;
}

}  // namespace voiceops::store
