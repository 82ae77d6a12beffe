#include "store/outbox.hpp"

#include "store/call_store_detail.hpp"

namespace voiceops::store {
namespace {

constexpr std::string_view item_columns =
    "id, kind, COALESCE(call_id, ''), attempts, created_at, next_attempt_at, last_error, state,"
    " sent_at, remote_id";

OutboxItem read_item(const Statement& row) {
  OutboxItem item;
  item.id = row.int_at(0);
  item.kind = row.text_at(1);
  item.call_id = row.text_at(2);
  item.attempts = static_cast<int>(row.int_at(3));
  item.created_at = row.int_at(4);
  item.next_attempt_at = row.int_at(5);
  item.last_error = row.optional_text_at(6);
  item.state = row.text_at(7);
  if (!row.is_null(8)) item.sent_at = row.int_at(8);
  if (!row.is_null(9)) item.remote_id = row.int_at(9);
  return item;
}

Result<std::vector<OutboxItem>, std::string> items(Database& db, const std::string& sql,
                                                   std::int64_t a, std::int64_t b) {
  auto query = db.prepare(sql);
  if (!query) return unexpected(describe(query.error()));
  if (auto bound = query->bind(a, b); !bound) return unexpected(describe(bound.error()));
  std::vector<OutboxItem> out;
  for (;;) {
    auto row = query->step();
    if (!row) return unexpected(describe(row.error()));
    if (!*row) break;
    out.push_back(read_item(*query));
  }
  return out;
}

}  // namespace

namespace outbox_sql {

Result<std::vector<OutboxItem>, std::string> peek(Database& db, std::int64_t now, int limit) {
  return items(db,
               fmt::format("SELECT {} FROM outbox WHERE state = 'pending' AND next_attempt_at <= "
                           "?1 ORDER BY next_attempt_at, id LIMIT ?2",
                           item_columns),
               now, limit);
}

Result<std::vector<OutboxItem>, std::string> due(Database& db, std::int64_t now, int limit,
                                                 std::int64_t lease_s) {
  auto transaction = Transaction::begin(db);
  if (!transaction) return unexpected(describe(transaction.error()));
  auto claimed = peek(db, now, limit);
  if (!claimed) return claimed;
  auto lease = db.prepare("UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1");
  if (!lease) return unexpected(describe(lease.error()));
  DbResult<Done> done = Done{};
  for (const auto& item : *claimed) {
    if (done) done = lease->bind(item.id, now + lease_s);
    if (done) done = lease->run();
  }
  if (done) done = transaction->commit();
  if (!done) return unexpected(describe(done.error()));
  return claimed;
}

Result<std::vector<ExportCall>, std::string> calls_for(Database& db,
                                                       const std::vector<std::string>& call_ids) {
  auto query =
      db.prepare(fmt::format("SELECT {}, slots, records FROM calls WHERE id = ?1", call_columns));
  if (!query) return unexpected(describe(query.error()));
  std::vector<ExportCall> out;
  out.reserve(call_ids.size());
  for (const auto& id : call_ids) {
    if (auto bound = query->bind(id); !bound) return unexpected(describe(bound.error()));
    auto row = query->step();
    if (!row) return unexpected(describe(row.error()));
    if (!*row) continue;  // a row whose call is gone: nothing to send
    ExportCall call{read_call(*query), query->text_at(19), query->text_at(20)};
    out.push_back(std::move(call));
  }
  return out;
}

Result<bool, std::string> record(Database& db, const std::vector<OutboxSent>& sent,
                                 const std::vector<OutboxFailure>& failed, std::int64_t now) {
  auto transaction = Transaction::begin(db);
  if (!transaction) return unexpected(describe(transaction.error()));
  auto done_sql = db.prepare(
      "UPDATE outbox SET state = 'done', attempts = attempts + 1, sent_at = ?2, remote_id = ?3,"
      " last_error = NULL WHERE id = ?1");
  if (!done_sql) return unexpected(describe(done_sql.error()));
  auto failed_sql = db.prepare(
      "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3,"
      " state = CASE WHEN ?4 THEN 'dead' ELSE 'pending' END WHERE id = ?1 AND state = 'pending'");
  if (!failed_sql) return unexpected(describe(failed_sql.error()));
  DbResult<Done> done = Done{};
  for (const auto& row : sent) {
    if (done) done = done_sql->bind(row.id, now, row.remote_id);
    if (done) done = done_sql->run();
  }
  for (const auto& row : failed) {
    if (done) done = failed_sql->bind(row.id, row.error, row.next_attempt_at, row.dead);
    if (done) done = failed_sql->run();
  }
  if (done) done = transaction->commit();
  if (!done) return unexpected(describe(done.error()));
  return true;
}

Result<bool, std::string> release(Database& db, const std::vector<std::int64_t>& ids,
                                  std::int64_t now) {
  auto transaction = Transaction::begin(db);
  if (!transaction) return unexpected(describe(transaction.error()));
  auto update =
      db.prepare("UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1 AND state = 'pending'");
  if (!update) return unexpected(describe(update.error()));
  DbResult<Done> done = Done{};
  for (std::int64_t id : ids) {
    if (done) done = update->bind(id, now);
    if (done) done = update->run();
  }
  if (done) done = transaction->commit();
  if (!done) return unexpected(describe(done.error()));
  return true;
}

Result<OutboxStatus, std::string> status(Database& db, std::int64_t now) {
  auto query = db.prepare(
      "SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'pending' AND "
      "next_attempt_at <= ?1), 0), COALESCE(SUM(state = 'dead'), 0), COALESCE(SUM(state = "
      "'done'), 0), MIN(CASE WHEN state = 'pending' THEN created_at END), MIN(CASE WHEN state = "
      "'pending' THEN next_attempt_at END), MAX(sent_at),"
      " (SELECT last_error FROM outbox WHERE state = 'pending' AND last_error IS NOT NULL"
      "  ORDER BY next_attempt_at DESC LIMIT 1) FROM outbox");
  if (!query) return unexpected(describe(query.error()));
  if (auto bound = query->bind(now); !bound) return unexpected(describe(bound.error()));
  auto row = query->step();
  if (!row) return unexpected(describe(row.error()));
  OutboxStatus status;
  status.pending = static_cast<int>(query->int_at(0));
  status.due = static_cast<int>(query->int_at(1));
  status.dead = static_cast<int>(query->int_at(2));
  status.done = static_cast<int>(query->int_at(3));
  if (!query->is_null(4)) status.oldest_pending_at = query->int_at(4);
  if (!query->is_null(5)) status.next_attempt_at = query->int_at(5);
  if (!query->is_null(6)) status.last_sent_at = query->int_at(6);
  status.last_error = query->optional_text_at(7);
  return status;
}

Result<std::vector<OutboxItem>, std::string> dead_letters(Database& db, int limit) {
  return items(db,
               fmt::format("SELECT {} FROM outbox WHERE state = 'dead' AND ?1 = ?1"
                           " ORDER BY created_at, id LIMIT ?2",
                           item_columns),
               0, limit);
}

Result<int, std::string> retry_dead(Database& db, const std::vector<std::int64_t>& ids,
                                    std::int64_t now) {
  auto transaction = Transaction::begin(db);
  if (!transaction) return unexpected(describe(transaction.error()));
  auto update = db.prepare(
      ids.empty() ? "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?1"
                    " WHERE state = 'dead' AND ?2 = ?2"
                  : "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?1"
                    " WHERE state = 'dead' AND id = ?2");
  if (!update) return unexpected(describe(update.error()));
  int changed = 0;
  DbResult<Done> done = Done{};
  const std::vector<std::int64_t> every = ids.empty() ? std::vector<std::int64_t>{0} : ids;
  for (std::int64_t id : every) {
    if (done) done = update->bind(now, id);
    if (done) done = update->run();
    if (done) changed += sqlite3_changes(db.handle());
  }
  if (done) done = transaction->commit();
  if (!done) return unexpected(describe(done.error()));
  return changed;
}

}  // namespace outbox_sql

Result<std::unique_ptr<OutboxStore>, StoreError> OutboxStore::open(const std::string& path) {
  auto db =
      open_writing_connection(path, {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"});
  if (!db) return unexpected(std::move(db.error()));
  sqlite3_busy_timeout(db->handle(), 5000);  // the daemon's commits hold the lock for ms
  return std::unique_ptr<OutboxStore>(new OutboxStore(std::move(*db)));
}

Result<std::vector<OutboxItem>, std::string> OutboxStore::due(std::int64_t now, int limit,
                                                              std::int64_t lease_s) {
  std::lock_guard lock(mutex_);
  return outbox_sql::due(db_, now, limit, lease_s);
}
Result<bool, std::string> OutboxStore::release(const std::vector<std::int64_t>& ids,
                                               std::int64_t now) {
  std::lock_guard lock(mutex_);
  return outbox_sql::release(db_, ids, now);
}
Result<std::vector<OutboxItem>, std::string> OutboxStore::peek(std::int64_t now, int limit) {
  std::lock_guard lock(mutex_);
  return outbox_sql::peek(db_, now, limit);
}
Result<std::vector<ExportCall>, std::string> OutboxStore::calls_for(
    const std::vector<std::string>& call_ids) {
  std::lock_guard lock(mutex_);
  return outbox_sql::calls_for(db_, call_ids);
}
Result<bool, std::string> OutboxStore::record(const std::vector<OutboxSent>& sent,
                                              const std::vector<OutboxFailure>& failed,
                                              std::int64_t now) {
  std::lock_guard lock(mutex_);
  return outbox_sql::record(db_, sent, failed, now);
}
Result<OutboxStatus, std::string> OutboxStore::status(std::int64_t now) {
  std::lock_guard lock(mutex_);
  return outbox_sql::status(db_, now);
}
Result<std::vector<OutboxItem>, std::string> OutboxStore::dead_letters(int limit) {
  std::lock_guard lock(mutex_);
  return outbox_sql::dead_letters(db_, limit);
}
Result<int, std::string> OutboxStore::retry_dead(const std::vector<std::int64_t>& ids,
                                                 std::int64_t now) {
  std::lock_guard lock(mutex_);
  return outbox_sql::retry_dead(db_, ids, now);
}

}  // namespace voiceops::store
