#pragma once
// The calls as `voiceops export calls` streams them: one SELECT of the stored columns (one read
// snapshot, so a daemon writing meanwhile changes nothing mid-export), one row at a time, each
// value derived here without SQL functions (times as ISO 8601 with their offset, answers out of
// calls.slots parsed once per row), so memory stays constant and the cost per call small. Column
// names are stable: they are what scripts rely on.
#include <array>
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
  enum class Kind { none, number, text };
  struct Cell {
    Kind kind = Kind::none;
    std::string_view text;  // valid until the next next()
  };

  // `columns` from export_columns() (or any slot_<name>); an unknown one is an error.
  static Result<CallExportQuery, std::string> prepare(Database& db, const CallExportRange& range,
                                                      const std::vector<std::string>& columns);
  // Steps to the next call: true when one is ready.
  Result<bool, std::string> next();
  Cell cell(int i) const;
  int columns() const { return static_cast<int>(sources_.size()); }

  // Where a column's value comes from.
  struct Source {
    enum class From { stored, time, answer, answer_or_stored } from = From::stored;
    int stored = -1;    // the SELECT's column
    int answer = -1;    // index into the answers this export reads
    bool cost = false;  // rounded to four places
  };

 private:
  CallExportQuery(Statement statement, std::vector<Source> sources,
                  std::vector<std::string> answers)
      : statement_(std::move(statement)),
        sources_(std::move(sources)),
        answer_names_(std::move(answers)),
        answers_(answer_names_.size()),
        answered_(answer_names_.size(), false) {}
  void read_answers();

  Statement statement_;
  int slots_at_ = -1;  // the SELECT's calls.slots, when an answer is read
  std::vector<Source> sources_;
  std::vector<std::string> answer_names_;  // the slots any column reads
  std::vector<std::string> answers_;       // this row's values of them
  std::vector<bool> answered_;
  mutable std::vector<std::array<char, 32>> times_;  // formatted times, one per column
  mutable std::vector<std::string> numbers_;         // formatted costs
};

}  // namespace voiceops::store
