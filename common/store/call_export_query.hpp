#pragma once
// The calls as `voiceops export calls` streams them: one SELECT (one read snapshot, so a daemon
// writing meanwhile changes nothing mid-export), one row at a time, every value computed by
// SQLite (times as ISO 8601 with their offset, answers out of calls.slots), so memory stays
// constant for any number of calls. Column names are stable: they are what scripts rely on.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/sqlite.hpp"

namespace voiceops::store {

struct CallExportRange {
  std::optional<std::int64_t> since, until;  // started at or after / before (Unix seconds)
  std::optional<std::string> workflow;
};

// Every column an export may have, in their default order: the call's own (call_id, workflow,
// started_at, ...), the Ops line's Odoo fields (DESIGN section 3: user_id, role, call_type, ...),
// then one "slot_<name>" per answer in `slot_names`.
std::vector<std::string> export_columns(const std::vector<std::string>& slot_names);

// Whether `name` is a slot name an export column can be made of (lower-case letters, digits, _).
bool exportable_slot_name(std::string_view name);

// The answers the calls in `range` hold, sorted: for when no contract names them.
Result<std::vector<std::string>, std::string> slot_names_in(Database& db,
                                                            const CallExportRange& range);

class CallExportQuery {
 public:
  // `columns` from export_columns(); an unknown one is an error.
  static Result<CallExportQuery, std::string> prepare(Database& db, const CallExportRange& range,
                                                      const std::vector<std::string>& columns);
  // Steps to the next call: true when one is ready.
  Result<bool, std::string> next();
  // The value of column `i` of the current call, valid until the next next(); empty for none.
  std::string_view text(int i) const { return statement_.text_view_at(i); }
  bool null(int i) const { return statement_.is_null(i); }
  bool number(int i) const { return statement_.is_number(i); }
  int columns() const { return columns_; }

 private:
  CallExportQuery(Statement statement, int columns)
      : statement_(std::move(statement)), columns_(columns) {}
  Statement statement_;
  int columns_;
};

}  // namespace voiceops::store
