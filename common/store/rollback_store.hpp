#pragma once
// The rollback repository: the settings per scope that calls::RollbackView reads on every call,
// and the history of every change with who made it, when, why, how (through the daemon or
// directly) and what it found before. A change is one BEGIN IMMEDIATE transaction that reads
// the scope, writes it and appends the history, so two operators changing it at once are
// serialised by SQLite's write lock: neither change is lost, from the state or the history. The
// CLI opens it directly when voiceopsd is down; the daemon reads it on the next call.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "calls/rollback.hpp"
#include "store/call_store.hpp"
#include "store/sqlite.hpp"

namespace voiceops::store {

struct RollbackChange {
  std::string action;    // forward-all, disable-intent, enable-intent, after-hours-only, clear
  std::string argument;  // forward-all: the number; disable- and enable-intent: the intent
  std::string workflow;  // empty: every workflow
  bool now = false;      // forward-all: move calls in progress too
  std::string reason;
  std::string who;  // the Unix user
  std::string via;  // daemon or direct
  std::int64_t at = 0;
};

struct RollbackScope {
  std::string workflow;  // empty: every workflow
  calls::Rollback settings;
  std::int64_t changed_at = 0;
};

struct RollbackEntry {
  std::int64_t id = 0, at = 0;
  std::string who, via, action, argument, workflow, reason;
  std::string before, after;  // the scope's settings as JSON (clear for every workflow: all scopes)
};

// The settings as the store keeps them, and back (lenient: unknown keys are ignored).
std::string rollback_json(const calls::Rollback& settings);
calls::Rollback rollback_from_json(std::string_view text);

// The repository's work on a connection its owner guards: the CLI's RollbackStore below, and the
// daemon's CallStore, which keeps every connection to the file it may have to reopen.
namespace rollback_sql {
// The settings for every workflow and for one (?1), in one read; for a prepared statement.
inline constexpr std::string_view read_query =
    "SELECT workflow, settings FROM rollback_state WHERE workflow IN ('', ?1)";
// What applies to `workflow`, through `query` (prepared from read_query); leaves it reset.
Result<calls::Rollback, std::string> read_prepared(Statement& query, const std::string& workflow);
Result<calls::Rollback, std::string> read(Database& db, const std::string& workflow);
Result<std::vector<RollbackScope>, std::string> scopes(Database& db);
Result<RollbackEntry, std::string> apply(Database& db, const RollbackChange& change);
Result<std::vector<RollbackEntry>, std::string> history(Database& db, int limit);
}  // namespace rollback_sql

// The CLI's own connection to the store, for when it writes the rollback itself.
class RollbackStore final : public calls::RollbackView {
 public:
  // Opens the store file (creating and migrating it when voiceopsd never ran, so the daemon finds
  // the rollback when it starts).
  static Result<std::unique_ptr<RollbackStore>, StoreError> open(const std::string& path);

  Result<calls::Rollback, std::string> rollback_for(const std::string& workflow) override;
  // Every scope with settings, every-workflow first.
  Result<std::vector<RollbackScope>, std::string> scopes();
  Result<RollbackEntry, std::string> apply(const RollbackChange& change);
  // The newest `limit` changes, newest first.
  Result<std::vector<RollbackEntry>, std::string> history(int limit);

 private:
  explicit RollbackStore(Database db) : db_(std::move(db)) {}

  std::mutex mutex_;  // one connection, used by the webhook threads and the control socket
  Database db_;
};

}  // namespace voiceops::store
