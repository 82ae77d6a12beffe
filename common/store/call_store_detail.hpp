#pragma once
// What the CallStore's files share and nobody else needs: error text, statement helpers, the
// calls columns, migrations, and the connections' prepared statements.
#include <fmt/format.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "store/call_store.hpp"
#include "store/schema.hpp"

namespace voiceops::store {

inline std::string describe(const DbError& error) {
  return fmt::format("{} (SQLite code {})", error.message, error.code);
}

template <typename T>
Unexpected<std::string> failed(const DbResult<T>& result) {
  return unexpected(describe(result.error()));
}

// Resets a reader's statement on every way out: a statement left stepped holds its read
// transaction open, and the checkpointer cannot recycle the WAL past it.
struct ResetAfter {
  Statement& statement;
  ~ResetAfter() { statement.reset(); }
};

inline constexpr std::string_view call_columns =
    "id, workflow, caller, called, status, phase, started_at, updated_at, ended_at, duration_s, "
    "after_hours, intent, outcome, event, escalation, destination, turns, summary, cost";

inline CallRow read_call(const Statement& row) {
  CallRow call;
  call.id = row.text_at(0);
  call.workflow = row.text_at(1);
  call.caller = row.text_at(2);
  call.called = row.text_at(3);
  call.status = row.text_at(4);
  call.phase = row.text_at(5);
  call.started_at = row.int_at(6);
  call.updated_at = row.int_at(7);
  if (!row.is_null(8)) call.ended_at = row.int_at(8);
  if (!row.is_null(9)) call.duration_s = row.int_at(9);
  call.after_hours = row.int_at(10) != 0;
  call.intent = row.optional_text_at(11);
  call.outcome = row.optional_text_at(12);
  call.event = row.optional_text_at(13);
  call.escalation = row.optional_text_at(14);
  call.destination = row.optional_text_at(15);
  call.turns = static_cast<int>(row.int_at(16));
  call.summary = row.text_at(17);
  if (!row.is_null(18)) call.cost = row.real_at(18);
  return call;
}

// Opens (creating) the store file as a writing connection: `pragmas` run, the WAL kept when the
// connection closes last (read-only tools open the file by it), and the schema migrated.
inline Result<Database, StoreError> open_writing_connection(
    const std::string& path, std::initializer_list<std::string_view> pragmas);

inline Result<bool, StoreError> migrate(Database& db) {
  auto version_query = db.prepare("PRAGMA user_version");
  if (!version_query)
    return unexpected(StoreError{StoreError::Kind::failed, describe(version_query.error())});
  auto has_row = version_query->step();
  if (!has_row)
    return unexpected(StoreError{StoreError::Kind::cannot_open, describe(has_row.error())});
  const int current = static_cast<int>(version_query->int_at(0));
  version_query->reset();
  const auto steps = migrations();
  if (current > static_cast<int>(steps.size())) {
    return unexpected(StoreError{
        StoreError::Kind::newer_schema,
        fmt::format("the store has schema version {}, newer than this build knows ({}); run a "
                    "newer voiceops or restore a backup",
                    current, steps.size())});
  }
  for (int version = current; version < static_cast<int>(steps.size()); ++version) {
    auto transaction = Transaction::begin(db);
    if (!transaction)
      return unexpected(StoreError{StoreError::Kind::cannot_open, describe(transaction.error())});
    // Another process (the daemon, the CLI) may have migrated since the version was read: under
    // the write lock, take only the steps still missing, never one twice.
    bool done_already = false;
    {  // the statement is finalized before the migration runs
      auto again = db.prepare("PRAGMA user_version");
      if (!again)
        return unexpected(StoreError{StoreError::Kind::cannot_open, describe(again.error())});
      auto row = again->step();
      if (!row) return unexpected(StoreError{StoreError::Kind::cannot_open, describe(row.error())});
      done_already = *row && again->int_at(0) > version;
    }
    if (done_already) {
      if (auto committed = transaction->commit(); !committed)
        return unexpected(StoreError{StoreError::Kind::failed, describe(committed.error())});
      continue;
    }
    auto applied = db.exec(steps[static_cast<std::size_t>(version)]);
    if (applied) applied = db.exec(fmt::format("PRAGMA user_version = {}", version + 1));
    if (applied) applied = transaction->commit();
    if (!applied) {
      return unexpected(StoreError{StoreError::Kind::failed,
                                   fmt::format("migrating the store to schema version {}: {}",
                                               version + 1, describe(applied.error()))});
    }
  }
  return true;
}

inline Result<Database, StoreError> open_writing_connection(
    const std::string& path, std::initializer_list<std::string_view> pragmas) {
  auto db = Database::open(path, Database::Mode::read_write_create);
  if (!db) {
    return unexpected(
        StoreError{StoreError::Kind::cannot_open,
                   fmt::format("cannot open the store {}: {}", path, describe(db.error()))});
  }
  for (std::string_view pragma : pragmas) {
    if (auto done = db->exec(pragma); !done) {
      return unexpected(
          StoreError{StoreError::Kind::cannot_open,
                     fmt::format("cannot use the store {}: {}", path, describe(done.error()))});
    }
  }
  int persist_wal = 1;
  sqlite3_file_control(db->handle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist_wal);
  if (auto migrated = migrate(*db); !migrated) {
    StoreError error = migrated.error();
    error.message = path + ": " + error.message;
    return unexpected(std::move(error));
  }
  return std::move(*db);
}

inline Result<std::vector<Statement>, StoreError> prepare_all(
    Database& db, const std::string& path, std::initializer_list<std::string_view> sql) {
  std::vector<Statement> statements;
  for (std::string_view text : sql) {
    auto statement = db.prepare(text);
    if (!statement) {
      return unexpected(
          StoreError{StoreError::Kind::failed,
                     fmt::format("{}: preparing a query: {}", path, describe(statement.error()))});
    }
    statements.push_back(std::move(*statement));
  }
  return statements;
}

}  // namespace voiceops::store

namespace voiceops::store {

struct CallStore::Statements {
  Statement upsert_call, upsert_session, insert_line, insert_event;
  Statement open_call, finish_call, insert_outbox, abandon_outbox, abandon_calls, probe;
  Statement link_record, insert_message;
};

struct CallStore::Reader {
  Database db;  // declared first, so its statements are finalized before it closes
  Statement load_session, count_stats, rollback;
};

}  // namespace voiceops::store
