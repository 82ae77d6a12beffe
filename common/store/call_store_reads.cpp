// The CallStore's reads, on their own connection: a call's state, lists and details, counts.
#include "store/call_store.hpp"
#include "store/call_store_detail.hpp"

namespace voiceops::store {

Result<std::optional<std::string>, std::string> CallStore::load(const std::string& call_id) {
  std::lock_guard lock(reader_mutex_);
  if (!reader_)
    return unexpected(std::string("the store is closed while it recovers from a fault"));
  Statement& q = reader_->load_session;
  ResetAfter reset{q};
  if (auto bound = q.bind(call_id); !bound) return failed(bound);
  auto row = q.step();
  if (!row) return failed(row);
  std::optional<std::string> state;
  if (*row) state = q.text_at(0);
  return state;
}

Result<std::vector<CallRow>, std::string> CallStore::list_calls(const CallQuery& query) {
  std::string sql = fmt::format("SELECT {} FROM calls WHERE started_at >= ?1", call_columns);
  if (query.active_only) sql += " AND status = 'in-progress'";
  sql += " ORDER BY started_at DESC, id LIMIT ?2";
  std::lock_guard lock(reader_mutex_);
  if (!reader_)
    return unexpected(std::string("the store is closed while it recovers from a fault"));
  auto q = reader_->db.prepare(sql);
  if (!q) return failed(q);
  if (auto bound = q->bind(query.since.value_or(0), query.limit); !bound) return failed(bound);
  std::vector<CallRow> calls;
  for (;;) {
    auto row = q->step();
    if (!row) return failed(row);
    if (!*row) break;
    calls.push_back(read_call(*q));
  }
  return calls;
}

Result<std::optional<CallDetail>, std::string> CallStore::show_call(const std::string& call_id) {
  std::lock_guard lock(reader_mutex_);
  if (!reader_)
    return unexpected(std::string("the store is closed while it recovers from a fault"));
  Database& db = reader_->db;
  // One read transaction: the call, its transcript and its events as of the same commit.
  if (auto begun = db.exec("BEGIN"); !begun) return failed(begun);
  struct End {
    Database& db;
    ~End() { (void)db.exec("COMMIT"); }
  } end{db};
  auto q = db.prepare(fmt::format("SELECT {} FROM calls WHERE id = ?1", call_columns));
  if (!q) return failed(q);
  if (auto bound = q->bind(call_id); !bound) return failed(bound);
  auto row = q->step();
  if (!row) return failed(row);
  if (!*row) return std::optional<CallDetail>();
  CallDetail detail;
  detail.call = read_call(*q);

  auto lines = db.prepare("SELECT at, speaker, text FROM turns WHERE call_id = ?1 ORDER BY seq");
  if (!lines) return failed(lines);
  if (auto bound = lines->bind(call_id); !bound) return failed(bound);
  for (;;) {
    auto next = lines->step();
    if (!next) return failed(next);
    if (!*next) break;
    detail.transcript.push_back({lines->int_at(0), lines->text_at(1), lines->text_at(2)});
  }
  auto events = db.prepare("SELECT at, kind, detail FROM events WHERE call_id = ?1 ORDER BY id");
  if (!events) return failed(events);
  if (auto bound = events->bind(call_id); !bound) return failed(bound);
  for (;;) {
    auto next = events->step();
    if (!next) return failed(next);
    if (!*next) break;
    detail.events.push_back({events->int_at(0), events->text_at(1), events->text_at(2)});
  }
  return std::optional<CallDetail>(std::move(detail));
}

Result<StoreStats, std::string> CallStore::stats() {
  std::lock_guard lock(reader_mutex_);
  if (!reader_)
    return unexpected(std::string("the store is closed while it recovers from a fault"));
  Statement& counts = reader_->count_stats;
  ResetAfter reset{counts};
  counts.reset();
  auto row = counts.step();
  if (!row) return failed(row);
  StoreStats stats;
  stats.active_calls = static_cast<int>(counts.int_at(0));
  stats.outbox_pending = static_cast<int>(counts.int_at(1));
  stats.outbox_dead = static_cast<int>(counts.int_at(2));
  return stats;
}
}  // namespace voiceops::store
