#pragma once
// The daemon's SQLite store of calls: the engine state saved after every turn (a restart resumes
// the call), each turn's transcript and events, final statuses, and the export outbox written in
// the same transaction as the call it exports. One writing connection guarded by a mutex, every
// write one BEGIN IMMEDIATE transaction; reads go through a second connection, so loading a call's
// state never waits for another webhook's commit (WAL readers see the last commit).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "base/result.hpp"
#include "calls/rollback.hpp"
#include "calls/session_store.hpp"
#include "store/call_row.hpp"
#include "store/message_queue.hpp"
#include "store/outbox.hpp"
#include "store/sqlite.hpp"
#include "store/store_health.hpp"

namespace voiceops::store {

struct StoredLine {
  std::int64_t at = 0;
  std::string speaker, text;
};

struct StoredEvent {
  std::int64_t at = 0;
  std::string kind, detail;
};

struct CallDetail {
  CallRow call;
  std::vector<StoredLine> transcript;
  std::vector<StoredEvent> events;
};

struct CallQuery {
  std::optional<std::int64_t> since;  // started at or after (Unix seconds)
  bool active_only = false;
  int limit = 1000;
};

struct StoreStats {
  int active_calls = 0;
  int outbox_pending = 0;
  int outbox_dead = 0;
};

struct StoreOptions {
  // Zero: SQLite checkpoints the WAL itself, inside whichever write crosses 1,000 pages (and
  // that webhook waits for the fsync). Otherwise a background thread with its own connection
  // checkpoints this often, so webhooks never wait for one (the daemon's choice).
  std::chrono::milliseconds background_checkpoint_every{0};
  // The WAL is truncated back to this size once a checkpoint has copied all of it, so a burst
  // of calls does not leave a large file behind for good.
  std::int64_t wal_size_limit_bytes = 4 * 1024 * 1024;
  // Readiness counts the store as not writable with less than this free on its file system.
  std::int64_t min_free_bytes = 1024 * 1024;
  // Counted up by the host each time the kernel refused a write to a page of the store's
  // shared-memory file (SIGBUS; see voiceopsd's main). The store then stops writing, and once
  // the files are writable again it closes and reopens its connections, which rebuilds the
  // shared-memory index from the WAL. Null: not watched.
  const std::atomic<std::uint64_t>* shared_memory_faults = nullptr;
};

struct RollbackChange;  // store/rollback_store.hpp
struct RollbackEntry;

class CallStore final : public calls::SessionStore,
                        public calls::RollbackView,
                        public Outbox,
                        public MessageQueue {
 public:
  // Opens (creating if needed) and migrates the store. A schema newer than this build knows is
  // refused: running an old binary on a new store would lose data.
  static Result<std::unique_ptr<CallStore>, StoreError> open(const std::string& path,
                                                             StoreOptions options = {});
  ~CallStore() override;

  Result<std::optional<std::string>, std::string> load(const std::string& call_id) override;
  // save() and finish() commit before they return; commit() queues the writes for the writer
  // thread, which commits every queued turn in one transaction (group commit) and then calls
  // `done` on that thread.
  Result<bool, std::string> save(const calls::TurnRecord& turn) override;
  Result<bool, std::string> finish(const calls::CallFinish& finish) override;
  // A staff member took a transferred call: an event "transfer_accepted <leg>" on the call
  // (store/call_store_transfers.cpp), committed before return like save().
  Result<bool, std::string> accept_transfer(const calls::TransferAcceptance& acceptance) override;
  Result<bool, std::string> transfer_accepted(const std::string& call_id,
                                              const std::string& leg_id) override;
  void commit(std::vector<calls::StoreWrite> writes, Committed done) override;
  // Returns once everything queued before it is committed and its `done` has run.
  void flush();

  // Closes calls that have heard nothing for `idle_seconds` as abandoned; returns how many.
  Result<int, std::string> close_abandoned(std::int64_t now, std::int64_t idle_seconds);

  Result<std::vector<CallRow>, std::string> list_calls(const CallQuery& query);
  Result<std::optional<CallDetail>, std::string> show_call(const std::string& call_id);
  Result<StoreStats, std::string> stats();
  // For readiness: commits a small probe write, so a full disk or a read-only file system shows
  // here even with no calls; an error carries every fault in force, one per line.
  Result<bool, std::string> check_writable();
  StoreHealth& health() { return health_; }

  // The rollback state (store/rollback_store.hpp) on this store's own connections, so recovering
  // from a shared-memory fault reopens them too: read on every call, changed through the daemon.
  Result<calls::Rollback, std::string> rollback_for(const std::string& workflow) override;
  Result<RollbackEntry, std::string> apply_rollback(const RollbackChange& change);

  // The outbox (store/outbox.hpp) on this store's own connections, for the export worker.
  Result<std::vector<OutboxItem>, std::string> due(std::int64_t now, int limit,
                                                   std::int64_t lease_s) override;
  Result<std::vector<ExportCall>, std::string> calls_for(
      const std::vector<std::string>& call_ids) override;
  Result<bool, std::string> record(const std::vector<OutboxSent>& sent,
                                   const std::vector<OutboxFailure>& failed,
                                   std::int64_t now) override;
  Result<bool, std::string> release(const std::vector<std::int64_t>& ids,
                                    std::int64_t now) override;
  Result<OutboxStatus, std::string> outbox_status(std::int64_t now);
  Result<std::vector<OutboxItem>, std::string> dead_letters(int limit);
  Result<int, std::string> retry_dead(const std::vector<std::int64_t>& ids, std::int64_t now);

  // The message outbox (store/message_queue.hpp), for the message worker and the delivery
  // callbacks.
  Result<std::vector<MessageItem>, std::string> due_messages(std::int64_t now, int limit,
                                                             std::int64_t lease_s) override;
  Result<bool, std::string> record_messages(const std::vector<MessageOutcome>& outcomes,
                                            std::int64_t now) override;
  Result<std::int64_t, std::string> add_message(const NewMessage& message,
                                                std::int64_t now) override;
  Result<std::optional<MessageItem>, std::string> record_delivery(
      const DeliveryReport& report) override;
  Result<std::optional<MessageItem>, std::string> sent_page(const std::string& call_id,
                                                            std::int64_t turn,
                                                            const std::string& destination,
                                                            const std::string& body) override;
  Result<MessageStatus, std::string> message_status(std::int64_t now);

  const std::string& path() const { return path_; }

 private:
  struct Statements;
  struct Reader;
  CallStore(std::string path, StoreOptions options);
  // Opens the writer, the reader and the checkpointer's connections, with their statements.
  // Called at open, and with every lock held when recovering from a shared-memory fault.
  Result<bool, StoreError> open_connections();
  void close_connections();
  Result<bool, std::string> finish_locked(const calls::CallFinish& finish);
  struct Job {
    std::vector<calls::StoreWrite> writes;
    Committed done;
    std::vector<calls::WriteResult> results;
  };
  void run_writer(std::stop_token stop);
  void write_batch(std::vector<Job>& batch);
  DbResult<Done> write_turn(const calls::TurnRecord& turn);
  Result<bool, std::string> write_acceptance(const calls::TransferAcceptance& acceptance);
  // Turns a failed write into a fault of the store when the disk, not the record, failed.
  void note_write(const DbError& error);
  // Why the store's file system is too full to count as writable; nullopt when it is not.
  std::optional<std::string> short_of_space() const;
  // True when the shared-memory file cannot be trusted: the host saw a SIGBUS since we last
  // looked, or one before that has not been recovered from.
  bool shared_memory_faulted();

  void run_checkpoints(std::stop_token stop);
  void checkpoint_once(bool final);
  void try_recover();

  const std::string path_;
  const StoreOptions options_;
  StoreHealth health_;
  std::atomic<std::uint64_t> shared_memory_faults_seen_{0};

  std::mutex queue_mutex_;  // guards queue_
  std::condition_variable_any queued_;
  std::vector<Job> queue_;

  // Lock order, when more than one is held (only while reopening): mutex_, reader_mutex_,
  // checkpoint_mutex_.
  std::mutex mutex_;  // guards db_ and sql_: a connection is not shared between threads
  std::optional<Database> db_;
  std::unique_ptr<Statements> sql_;
  std::mutex reader_mutex_;  // guards reader_
  std::unique_ptr<Reader> reader_;
  std::mutex checkpoint_mutex_;  // guards checkpointer_
  std::optional<Database> checkpointer_;

  std::jthread checkpoints_;  // stopped and joined before the connections close
  std::jthread writer_;       // last, so it stops first: commits every job queued
};

}  // namespace voiceops::store
