#include "store/call_export_query.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <date/date.h>
#include <fmt/format.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "store/call_store_detail.hpp"

namespace voiceops::store {
namespace {

using From = CallExportQuery::Source::From;

struct Named {
  std::string_view name;
  From from;
  std::string_view stored;  // the stored column, when it has one
  std::string_view answer;  // the answer, when it reads one
};

// clang-format off
constexpr std::array named_columns = {
    Named{"call_id", From::stored, "id", {}},
    Named{"workflow", From::stored, "workflow", {}},
    Named{"started_at", From::time, "started_at", {}},
    Named{"ended_at", From::time, "ended_at", {}},
    Named{"duration_s", From::stored, "duration_s", {}},
    Named{"status", From::stored, "status", {}},
    Named{"after_hours", From::stored, "after_hours", {}},
    Named{"caller", From::stored, "caller", {}},
    Named{"called", From::stored, "called", {}},
    Named{"intent", From::stored, "intent", {}},
    Named{"outcome", From::stored, "outcome", {}},
    Named{"event", From::stored, "event", {}},
    Named{"escalation", From::stored, "escalation", {}},
    Named{"destination", From::stored, "destination", {}},
    Named{"turns", From::stored, "turns", {}},
    Named{"cost", From::stored, "cost", {}},
    Named{"summary", From::stored, "summary", {}},
    // DESIGN section 3: the Ops line's fields, from the answer of that name, else from the call.
    Named{"user_id", From::answer, {}, "user_id"},
    Named{"role", From::answer, {}, "role"},
    Named{"call_type", From::answer_or_stored, "intent", "call_type"},
    Named{"energy_level", From::answer, {}, "energy_level"},
    Named{"blocker_flag", From::answer, {}, "blocker_flag"},
    Named{"primary_kpi", From::answer, {}, "primary_kpi"},
    Named{"kpi_action", From::answer, {}, "kpi_action"},
    Named{"coach_template_used", From::answer, {}, "coach_template_used"},
    Named{"commitment", From::answer, {}, "commitment"},
    Named{"job_id", From::answer, {}, "job_id"},
    Named{"completion_status", From::answer_or_stored, "outcome", "completion_status"},
    Named{"duration", From::answer_or_stored, "duration_s", "duration"},
};
// clang-format on

constexpr std::string_view slot_prefix = "slot_";

// Every parameter is always used (binding one the SQL lacks is an error), and the range stays
// one the calls_by_start index answers.
constexpr std::string_view where_range =
    " WHERE started_at >= ?1 AND started_at < ?2 AND (?3 = '' OR workflow = ?3)";

DbResult<Done> bind_range(Statement& statement, const CallExportRange& range) {
  return statement.bind(range.since.value_or(std::numeric_limits<std::int64_t>::min()),
                        range.until.value_or(std::numeric_limits<std::int64_t>::max()),
                        range.workflow.value_or(""));
}

// "2026-12-06T17:52:25+00:00" into `out`; the length written. By hand (a day count to a civil
// date, as date::year_month_day does), since a big export formats two of these per call.
std::size_t format_time(std::int64_t unix_seconds, std::array<char, 32>& out) {
  // Years 0000 to 9999 only (and no day count overflowing on the way there): anything else is
  // written as the number it is.
  constexpr std::int64_t first = -62167219200, last = 253402300799;
  if (unix_seconds < first || unix_seconds > last) {
    const auto end = fmt::format_to_n(out.data(), out.size(), "{}", unix_seconds);
    return std::min(end.size, out.size());
  }
  const date::sys_seconds at{std::chrono::seconds(unix_seconds)};
  const auto day = std::chrono::floor<date::days>(at);
  const date::year_month_day ymd{day};
  const std::int64_t seconds = (at - day).count();
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    const auto end = fmt::format_to_n(out.data(), out.size(), "{}", unix_seconds);
    return std::min(end.size, out.size());
  }
  const auto two = [&](std::size_t at_index, unsigned value) {
    out[at_index] = static_cast<char>('0' + value / 10);
    out[at_index + 1] = static_cast<char>('0' + value % 10);
  };
  two(0, static_cast<unsigned>(year / 100));
  two(2, static_cast<unsigned>(year % 100));
  out[4] = '-';
  two(5, static_cast<unsigned>(ymd.month()));
  out[7] = '-';
  two(8, static_cast<unsigned>(ymd.day()));
  out[10] = 'T';
  two(11, static_cast<unsigned>(seconds / 3600));
  out[13] = ':';
  two(14, static_cast<unsigned>(seconds / 60 % 60));
  out[16] = ':';
  two(17, static_cast<unsigned>(seconds % 60));
  constexpr std::string_view offset = "+00:00";
  std::copy(offset.begin(), offset.end(), out.begin() + 19);
  return 25;
}

}  // namespace

bool exportable_slot_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<std::string> export_columns(const std::vector<std::string>& slot_names) {
  std::vector<std::string> names;
  for (const auto& column : named_columns) names.emplace_back(column.name);
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
  if (columns.empty()) return unexpected(std::string("no columns"));
  std::vector<Source> sources;
  std::vector<std::string> answers;
  // Only the stored columns some column reads are selected: SQLite reads every selected column
  // of every row, and a summary or the answers are most of a row's bytes.
  std::vector<std::string_view> selected;
  const auto select_index = [&](std::string_view name) {
    const auto it = std::find(selected.begin(), selected.end(), name);
    if (it != selected.end()) return static_cast<int>(it - selected.begin());
    selected.push_back(name);
    return static_cast<int>(selected.size() - 1);
  };
  const auto answer_index = [&](std::string_view name) {
    const auto it = std::find(answers.begin(), answers.end(), name);
    if (it != answers.end()) return static_cast<int>(it - answers.begin());
    answers.emplace_back(name);
    return static_cast<int>(answers.size() - 1);
  };
  for (const auto& column : columns) {
    const auto named = std::find_if(named_columns.begin(), named_columns.end(),
                                    [&](const Named& n) { return n.name == column; });
    Source source;
    if (named != named_columns.end()) {
      source.from = named->from;
      if (!named->stored.empty()) {
        source.stored = select_index(named->stored);
        source.cost = named->stored == "cost";
      }
      if (!named->answer.empty()) source.answer = answer_index(named->answer);
    } else if (column.starts_with(slot_prefix) &&
               exportable_slot_name(std::string_view(column).substr(slot_prefix.size()))) {
      source.from = From::answer;
      source.answer = answer_index(std::string_view(column).substr(slot_prefix.size()));
    } else {
      return unexpected("no column " + column);
    }
    sources.push_back(source);
  }
  const int slots_at = answers.empty() ? -1 : select_index("slots");
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < selected.size(); ++i) {
    if (i > 0) select += ", ";
    select += selected[i];
  }
  // In the start-time index's order (ties by rowid, the order the calls were stored in): no
  // sorter, which would copy every row before the first is out.
  select += " FROM calls" + std::string(where_range) + " ORDER BY started_at";
  auto statement = db.prepare(select);
  if (!statement) return unexpected(describe(statement.error()));
  if (auto bound = bind_range(*statement, range); !bound)
    return unexpected(describe(bound.error()));
  CallExportQuery query(std::move(*statement), std::move(sources), std::move(answers));
  query.slots_at_ = slots_at;
  query.times_.resize(query.sources_.size());
  query.numbers_.resize(query.sources_.size());
  return query;
}

Result<bool, std::string> CallExportQuery::next() {
  auto row = statement_.step();
  if (!row) return unexpected(describe(row.error()));
  if (*row && !answer_names_.empty()) read_answers();
  return *row;
}

namespace {

// Takes the wanted answers out of calls.slots ({"slot": "value"}) as the parser meets them,
// building no document: one pass, no allocation per answer once the buffers have grown.
// RapidJSON's SAX reader, not nlohmann's: on a million calls nlohmann's lexer was a quarter of
// the export's time, reading one character at a time through an iterator adapter.
struct AnswerReader : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, AnswerReader> {
  const std::vector<std::string>& wanted;
  std::vector<std::string>& values;
  std::vector<bool>& found;
  int depth = 0;
  int current = -1;  // the wanted answer whose value comes next

  AnswerReader(const std::vector<std::string>& w, std::vector<std::string>& v, std::vector<bool>& f)
      : wanted(w), values(v), found(f) {}
  bool Key(const char* name, rapidjson::SizeType length, bool) {
    current = -1;
    if (depth != 1) return true;
    const std::string_view key(name, length);
    for (std::size_t i = 0; i < wanted.size(); ++i)
      if (wanted[i] == key) current = static_cast<int>(i);
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    if (current >= 0) {
      values[static_cast<std::size_t>(current)].assign(text, length);
      found[static_cast<std::size_t>(current)] = true;
    }
    current = -1;
    return true;
  }
  bool StartObject() { return ++depth, current = -1, true; }
  bool EndObject(rapidjson::SizeType) { return --depth, true; }
  bool StartArray() { return ++depth, current = -1, true; }
  bool EndArray(rapidjson::SizeType) { return --depth, true; }
  bool Default() { return current = -1, true; }  // null, booleans, numbers
};

}  // namespace

// The row's answers any column reads, from calls.slots (written by the store).
void CallExportQuery::read_answers() {
  std::fill(answered_.begin(), answered_.end(), false);
  const std::string_view text = statement_.text_view_at(slots_at_);
  if (text.size() <= 2) return;  // "{}"
  AnswerReader answers(answer_names_, answers_, answered_);
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  // Iterative: a damaged row nested deep costs no stack. Invalid UTF-8 ends the row as it did
  // before (the store never writes it). What was read before an error stands.
  (void)reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(
      stream, answers);
}

CallExportQuery::Cell CallExportQuery::cell(int i) const {
  const Source& source = sources_[static_cast<std::size_t>(i)];
  if ((source.from == From::answer || source.from == From::answer_or_stored) &&
      answered_[static_cast<std::size_t>(source.answer)])
    return {Kind::text, answers_[static_cast<std::size_t>(source.answer)]};
  if (source.from == From::answer || source.stored < 0 || statement_.is_null(source.stored))
    return {};
  if (source.from == From::time) {
    auto& buffer = times_[static_cast<std::size_t>(i)];
    const std::size_t size = format_time(statement_.int_at(source.stored), buffer);
    return {Kind::text, std::string_view(buffer.data(), size)};
  }
  if (source.cost) {
    auto& text = numbers_[static_cast<std::size_t>(i)];
    text.clear();
    fmt::format_to(std::back_inserter(text), "{}",
                   std::round(statement_.real_at(source.stored) * 10000.0) / 10000.0);
    return {Kind::number, text};
  }
  return {statement_.is_number(source.stored) ? Kind::number : Kind::text,
          statement_.text_view_at(source.stored)};
}

}  // namespace voiceops::store
