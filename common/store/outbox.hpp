#pragma once
// The export outbox: one row per finished call, written in the same transaction as the call's end
// (call_store_writes.cpp), emptied by the Odoo export (ops/odoo_export.hpp). This is its
// repository: which rows are due, the calls they carry, and what became of each send: sent
// (with Odoo's record id), failed (tried again later), or dead (an operator's to retry).
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "store/call_row.hpp"
#include "store/sqlite.hpp"

namespace voiceops::store {

struct OutboxItem {
  std::int64_t id = 0;
  std::string kind;  // odoo.call
  std::string call_id;
  int attempts = 0;
  std::int64_t created_at = 0, next_attempt_at = 0;
  std::optional<std::string> last_error;
  std::string state;  // pending, done, dead
  std::optional<std::int64_t> sent_at, remote_id;
};

// A finished call as an export reads it: the row, and its answers and created records as JSON.
struct ExportCall {
  CallRow call;
  std::string slots = "{}";    // {"slot": "value"}
  std::string records = "{}";  // {"helpdesk.ticket": 42}
};

struct OutboxSent {
  std::int64_t id = 0;
  std::optional<std::int64_t> remote_id;
};

struct OutboxFailure {
  std::int64_t id = 0;
  std::string error;
  std::int64_t next_attempt_at = 0;
  bool dead = false;
};

struct OutboxStatus {
  int pending = 0, due = 0, dead = 0, done = 0;
  std::optional<std::int64_t> oldest_pending_at;  // created_at of the oldest row not yet sent
  std::optional<std::int64_t> next_attempt_at;    // the soonest pending row's
  std::optional<std::int64_t> last_sent_at;
  std::optional<std::string> last_error;  // of the pending row tried most recently
};

// What an export needs from wherever the outbox lives: the daemon's CallStore, on the connection
// it owns, or the CLI's OutboxStore.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // Claims up to `limit` pending rows due at `now`, oldest first: their next attempt moves
  // `lease_s` ahead, so a second sender (the CLI beside the daemon) does not take them meanwhile,
  // and a sender killed mid-send leaves them due again that soon.
  virtual Result<std::vector<OutboxItem>, std::string> due(std::int64_t now, int limit,
                                                           std::int64_t lease_s) = 0;
  virtual Result<std::vector<ExportCall>, std::string> calls_for(
      const std::vector<std::string>& call_ids) = 0;
  // Every row's attempt is counted; sent rows are done, failed ones wait or die.
  virtual Result<bool, std::string> record(const std::vector<OutboxSent>& sent,
                                           const std::vector<OutboxFailure>& failed,
                                           std::int64_t now) = 0;
  // Sets when claimed rows are next due, `at`, their attempts uncounted: now to give them back
  // (not theirs the fault), later to hold them a while longer or to wait without an attempt.
  virtual Result<bool, std::string> release(const std::vector<std::int64_t>& ids,
                                            std::int64_t now) = 0;
};

// The repository's statements on a connection its owner guards.
namespace outbox_sql {
Result<std::vector<OutboxItem>, std::string> due(Database& db, std::int64_t now, int limit,
                                                 std::int64_t lease_s);
// The rows due, claiming nothing (for --dry-run).
Result<std::vector<OutboxItem>, std::string> peek(Database& db, std::int64_t now, int limit);
Result<std::vector<ExportCall>, std::string> calls_for(Database& db,
                                                       const std::vector<std::string>& call_ids);
Result<bool, std::string> record(Database& db, const std::vector<OutboxSent>& sent,
                                 const std::vector<OutboxFailure>& failed, std::int64_t now);
Result<bool, std::string> release(Database& db, const std::vector<std::int64_t>& ids,
                                  std::int64_t now);
Result<OutboxStatus, std::string> status(Database& db, std::int64_t now);
Result<std::vector<OutboxItem>, std::string> dead_letters(Database& db, int limit);
// Makes dead rows pending and due now, their attempts reset: `ids`, or every one when empty.
// Returns how many.
Result<int, std::string> retry_dead(Database& db, const std::vector<std::int64_t>& ids,
                                    std::int64_t now);
}  // namespace outbox_sql

// The CLI's own connection to the store, for `voiceops export odoo`.
class OutboxStore final : public Outbox {
 public:
  static Result<std::unique_ptr<OutboxStore>, StoreError> open(const std::string& path);

  Result<std::vector<OutboxItem>, std::string> due(std::int64_t now, int limit,
                                                   std::int64_t lease_s) override;
  Result<std::vector<ExportCall>, std::string> calls_for(
      const std::vector<std::string>& call_ids) override;
  Result<bool, std::string> record(const std::vector<OutboxSent>& sent,
                                   const std::vector<OutboxFailure>& failed,
                                   std::int64_t now) override;
  Result<bool, std::string> release(const std::vector<std::int64_t>& ids,
                                    std::int64_t now) override;
  Result<std::vector<OutboxItem>, std::string> peek(std::int64_t now, int limit);
  Result<OutboxStatus, std::string> status(std::int64_t now);
  Result<std::vector<OutboxItem>, std::string> dead_letters(int limit);
  Result<int, std::string> retry_dead(const std::vector<std::int64_t>& ids, std::int64_t now);

 private:
  explicit OutboxStore(Database db) : db_(std::move(db)) {}
  std::mutex mutex_;
  Database db_;
};

}  // namespace voiceops::store
