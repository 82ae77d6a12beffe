#include "store/rollback_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/call_store_detail.hpp"

namespace voiceops::store {
namespace {

using nlohmann::json;

// The settings of one scope, or the default (nothing rolled back) when it has none.
DbResult<calls::Rollback> read_scope(Database& db, const std::string& workflow) {
  auto query = db.prepare("SELECT settings FROM rollback_state WHERE workflow = ?1");
  if (!query) return unexpected(query.error());
  if (auto bound = query->bind(workflow); !bound) return unexpected(bound.error());
  auto row = query->step();
  if (!row) return unexpected(row.error());
  return *row ? rollback_from_json(query->text_at(0)) : calls::Rollback{};
}

DbResult<Done> write_scope(Database& db, const std::string& workflow,
                           const calls::Rollback& settings, std::int64_t at) {
  auto statement =
      settings.empty()
          ? db.prepare("DELETE FROM rollback_state WHERE workflow = ?1")
          : db.prepare(
                "INSERT INTO rollback_state (workflow, settings, changed_at) VALUES (?1, ?2, ?3)"
                " ON CONFLICT (workflow) DO UPDATE SET settings = excluded.settings,"
                " changed_at = excluded.changed_at");
  if (!statement) return unexpected(statement.error());
  DbResult<Done> bound = settings.empty() ? statement->bind(workflow)
                                          : statement->bind(workflow, rollback_json(settings), at);
  if (!bound) return bound;
  return statement->run();
}

// Every scope's settings as one JSON object keyed by workflow ("" for every workflow).
DbResult<std::string> all_scopes_json(Database& db) {
  auto query = db.prepare("SELECT workflow, settings FROM rollback_state ORDER BY workflow");
  if (!query) return unexpected(query.error());
  json all = json::object();
  for (;;) {
    auto row = query->step();
    if (!row) return unexpected(row.error());
    if (!*row) break;
    all[query->text_at(0)] = json::parse(query->text_at(1), nullptr, false);
  }
  return all.dump();
}

calls::Rollback changed(calls::Rollback settings, const RollbackChange& change) {
  if (change.action == "forward-all") {
    settings.forward_to = change.argument;
    settings.move_calls_in_progress = change.now;
  } else if (change.action == "disable-intent") {
    if (!settings.disables(change.argument)) settings.disabled_intents.push_back(change.argument);
  } else if (change.action == "enable-intent") {
    auto& intents = settings.disabled_intents;
    intents.erase(std::remove(intents.begin(), intents.end(), change.argument), intents.end());
  } else if (change.action == "after-hours-only") {
    settings.after_hours_only = true;
  } else if (change.action == "clear") {
    settings = {};
  }
  return settings;
}

}  // namespace

std::string rollback_json(const calls::Rollback& s) {
  json out = json::object();
  if (s.forward_to) out["forward_to"] = *s.forward_to;
  if (s.forward_to && s.move_calls_in_progress) out["now"] = true;
  if (s.after_hours_only) out["after_hours_only"] = true;
  if (!s.disabled_intents.empty()) out["disabled_intents"] = s.disabled_intents;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

calls::Rollback rollback_from_json(std::string_view text) {
  calls::Rollback s;
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return s;
  if (auto it = j.find("forward_to"); it != j.end() && it->is_string())
    s.forward_to = it->get<std::string>();
  if (auto it = j.find("now"); it != j.end() && it->is_boolean())
    s.move_calls_in_progress = s.forward_to && it->get<bool>();
  if (auto it = j.find("after_hours_only"); it != j.end() && it->is_boolean())
    s.after_hours_only = it->get<bool>();
  if (auto it = j.find("disabled_intents"); it != j.end() && it->is_array()) {
    for (const auto& intent : *it)
      if (intent.is_string()) s.disabled_intents.push_back(intent.get<std::string>());
  }
  return s;
}

Result<std::unique_ptr<RollbackStore>, StoreError> RollbackStore::open(const std::string& path) {
  auto db =
      open_writing_connection(path, {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"});
  if (!db) return unexpected(std::move(db.error()));
  // Another operator's change, or the daemon's checkpoint, holds the lock for milliseconds: wait.
  sqlite3_busy_timeout(db->handle(), 5000);
  return std::unique_ptr<RollbackStore>(new RollbackStore(std::move(*db)));
}

namespace rollback_sql {

Result<calls::Rollback, std::string> read_prepared(Statement& query, const std::string& workflow) {
  ResetAfter reset{query};  // a stepped statement would hold its read transaction open
  if (auto bound = query.bind(workflow); !bound) return unexpected(describe(bound.error()));
  calls::Rollback wide, narrow;
  for (;;) {
    auto row = query.step();
    if (!row) return unexpected(describe(row.error()));
    if (!*row) break;
    (query.text_at(0).empty() ? wide : narrow) = rollback_from_json(query.text_at(1));
  }
  if (workflow.empty()) return wide;
  return calls::Rollback::merged(wide, narrow);
}

Result<calls::Rollback, std::string> read(Database& db_, const std::string& workflow) {
  auto query = db_.prepare(read_query);
  if (!query) return unexpected(describe(query.error()));
  return read_prepared(*query, workflow);
}

Result<std::vector<RollbackScope>, std::string> scopes(Database& db_) {
  auto query =
      db_.prepare("SELECT workflow, settings, changed_at FROM rollback_state ORDER BY workflow");
  if (!query) return unexpected(describe(query.error()));
  std::vector<RollbackScope> out;
  for (;;) {
    auto row = query->step();
    if (!row) return unexpected(describe(row.error()));
    if (!*row) break;
    out.push_back({query->text_at(0), rollback_from_json(query->text_at(1)), query->int_at(2)});
  }
  return out;
}

Result<RollbackEntry, std::string> apply(Database& db_, const RollbackChange& change) {
  auto transaction = Transaction::begin(db_);
  if (!transaction) return unexpected(describe(transaction.error()));
  RollbackEntry entry{0,
                      change.at,
                      change.who,
                      change.via,
                      change.action,
                      change.argument,
                      change.workflow,
                      change.reason,
                      {},
                      {}};
  const bool everything = change.action == "clear" && change.workflow.empty();
  if (everything) {
    // Back to normal everywhere: every scope goes, and the history keeps them all.
    auto before = all_scopes_json(db_);
    if (!before) return unexpected(describe(before.error()));
    entry.before = *before;
    entry.after = "{}";
    if (auto cleared = db_.exec("DELETE FROM rollback_state"); !cleared)
      return unexpected(describe(cleared.error()));
  } else {
    auto before = read_scope(db_, change.workflow);
    if (!before) return unexpected(describe(before.error()));
    const calls::Rollback after = changed(*before, change);
    entry.before = rollback_json(*before);
    entry.after = rollback_json(after);
    if (auto written = write_scope(db_, change.workflow, after, change.at); !written)
      return unexpected(describe(written.error()));
  }
  auto insert = db_.prepare(
      "INSERT INTO rollback_history (at, who, via, action, argument, workflow, reason, before,"
      " after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!insert) return unexpected(describe(insert.error()));
  DbResult<Done> done = insert->bind(entry.at, entry.who, entry.via, entry.action, entry.argument,
                                     entry.workflow, entry.reason, entry.before, entry.after);
  if (done) done = insert->run();
  if (done) entry.id = db_.last_insert_rowid();
  if (done) done = transaction->commit();
  if (!done) return unexpected(describe(done.error()));
  return entry;
}

Result<std::vector<RollbackEntry>, std::string> history(Database& db_, int limit) {
  auto query = db_.prepare(
      "SELECT id, at, who, via, action, argument, workflow, reason, before, after"
      " FROM rollback_history ORDER BY id DESC LIMIT ?1");
  if (!query) return unexpected(describe(query.error()));
  if (auto bound = query->bind(std::int64_t{std::max(1, limit)}); !bound)
    return unexpected(describe(bound.error()));
  std::vector<RollbackEntry> out;
  for (;;) {
    auto row = query->step();
    if (!row) return unexpected(describe(row.error()));
    if (!*row) break;
    out.push_back({query->int_at(0), query->int_at(1), query->text_at(2), query->text_at(3),
                   query->text_at(4), query->text_at(5), query->text_at(6), query->text_at(7),
                   query->text_at(8), query->text_at(9)});
  }
  return out;
}

}  // namespace rollback_sql

Result<calls::Rollback, std::string> RollbackStore::rollback_for(const std::string& workflow) {
  std::lock_guard lock(mutex_);
  return rollback_sql::read(db_, workflow);
}

Result<std::vector<RollbackScope>, std::string> RollbackStore::scopes() {
  std::lock_guard lock(mutex_);
  return rollback_sql::scopes(db_);
}

Result<RollbackEntry, std::string> RollbackStore::apply(const RollbackChange& change) {
  std::lock_guard lock(mutex_);
  return rollback_sql::apply(db_, change);
}

Result<std::vector<RollbackEntry>, std::string> RollbackStore::history(int limit) {
  std::lock_guard lock(mutex_);
  return rollback_sql::history(db_, limit);
}

}  // namespace voiceops::store
