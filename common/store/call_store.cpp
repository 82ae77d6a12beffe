// The CallStore's connections: opening and migrating, the checkpointer, and recovery from a
// shared-memory fault. Writes are in call_store_writes.cpp, reads in call_store_reads.cpp.
#include "store/call_store.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/call_store_detail.hpp"
#include "store/rollback_store.hpp"

namespace voiceops::store {

CallStore::CallStore(std::string path, StoreOptions options)
    : path_(std::move(path)), options_(options) {
  if (options_.shared_memory_faults)
    shared_memory_faults_seen_ = options_.shared_memory_faults->load();
}

// Threads first (the writer commits what is queued), then the connections.
CallStore::~CallStore() {
  writer_ = {};
  checkpoints_ = {};
}

Result<std::unique_ptr<CallStore>, StoreError> CallStore::open(const std::string& path,
                                                               StoreOptions options) {
  auto store = std::unique_ptr<CallStore>(new CallStore(path, options));
  if (auto opened = store->open_connections(); !opened) return unexpected(opened.error());
  if (options.background_checkpoint_every.count() > 0) {
    store->checkpoints_ = std::jthread(
        [raw = store.get()](std::stop_token stop) { raw->run_checkpoints(std::move(stop)); });
  }
  store->writer_ =
      std::jthread([raw = store.get()](std::stop_token stop) { raw->run_writer(stop); });
  return store;
}

Result<bool, StoreError> CallStore::open_connections() {
  const std::string& path = path_;
  // WAL keeps readers off the writer's back; NORMAL survives a killed process (finished calls are
  // written with FULL, see finish()). The WAL's size is bounded once checkpointed.
  const std::string size_limit =
      fmt::format("PRAGMA journal_size_limit = {}", options_.wal_size_limit_bytes);
  auto db =
      open_writing_connection(path, {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                                     "PRAGMA foreign_keys = ON", size_limit});
  if (!db) return unexpected(std::move(db.error()));

  auto reader = Database::open(path, Database::Mode::read_write);
  if (!reader) {
    return unexpected(StoreError{
        StoreError::Kind::cannot_open,
        fmt::format("cannot open the store {} for reading: {}", path, describe(reader.error()))});
  }
  auto writes = prepare_all(
      *db, path,
      {
          "INSERT INTO calls (id, workflow, caller, called, started_at, updated_at, after_hours, "
          "intent,"
          " phase, outcome, event, escalation, destination, turns, spoken_chars, summary, slots)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
          " ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at,"
          " intent = excluded.intent, phase = excluded.phase, outcome = excluded.outcome,"
          " event = excluded.event, escalation = COALESCE(calls.escalation, excluded.escalation),"
          " destination = COALESCE(excluded.destination, calls.destination), turns = "
          "excluded.turns,"
          " spoken_chars = excluded.spoken_chars, summary = excluded.summary, slots = "
          "excluded.slots",
          "INSERT INTO sessions (call_id, state, updated_at) VALUES (?1, ?2, ?3)"
          " ON CONFLICT (call_id) DO UPDATE SET state = excluded.state, updated_at = "
          "excluded.updated_at",
          "INSERT INTO turns (call_id, seq, at, speaker, text) VALUES (?1,"
          " (SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE call_id = ?1), ?2, ?3, ?4)",
          "INSERT INTO events (call_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
          "SELECT started_at FROM calls WHERE id = ?1 AND status = 'in-progress'",
          "UPDATE calls SET status = ?2, ended_at = ?3, duration_s = ?4, cost = ?5,"
          " outcome = COALESCE(outcome, 'abandoned'), updated_at = ?3"
          " WHERE id = ?1 AND status = 'in-progress'",
          "INSERT INTO outbox (kind, call_id, created_at, next_attempt_at) VALUES ('odoo.call', "
          "?1, "
          "?2, ?2)"
          " ON CONFLICT (kind, call_id) DO NOTHING",
          "INSERT INTO outbox (kind, call_id, created_at, next_attempt_at) SELECT 'odoo.call', id, "
          "?1, "
          "?1"
          " FROM calls WHERE status = 'in-progress' AND updated_at < ?2 ON CONFLICT (kind, "
          "call_id) DO "
          "NOTHING",
          "UPDATE calls SET status = 'abandoned', ended_at = ?1, outcome = COALESCE(outcome, "
          "'abandoned'),"
          " duration_s = MAX(0, updated_at - started_at) WHERE status = 'in-progress' AND "
          "updated_at < "
          "?2",
          "INSERT INTO store_probe (id, at) VALUES (1, ?1)"
          " ON CONFLICT (id) DO UPDATE SET at = excluded.at",
          // ?2 is the JSON path of the model, '$."helpdesk.ticket"'.
          "UPDATE calls SET records = json_set(records, ?2, ?3) WHERE id = ?1",
          message_sql::insert_notice,
      });
  if (!writes) return unexpected(std::move(writes.error()));
  std::optional<Database> checkpointer;
  if (options_.background_checkpoint_every.count() > 0) {
    auto opened = Database::open(path, Database::Mode::read_write);
    if (!opened || !db->exec("PRAGMA wal_autocheckpoint = 0")) {
      return unexpected(StoreError{StoreError::Kind::cannot_open,
                                   path + ": cannot open a second connection for checkpoints"});
    }
    // A truncating checkpoint waits for readers this long at most, never the webhooks' 5 s.
    sqlite3_busy_timeout(opened->handle(), 100);
    checkpointer = std::move(*opened);
  }
  auto reads = prepare_all(*reader, path,
                           {
                               "SELECT state FROM sessions WHERE call_id = ?1",
                               "SELECT (SELECT COUNT(*) FROM calls WHERE status = 'in-progress'),"
                               " COALESCE(SUM(state = 'pending'), 0),"
                               " COALESCE(SUM(state = 'dead'), 0) FROM outbox",
                               rollback_sql::read_query,
                           });
  if (!reads) return unexpected(std::move(reads.error()));

  std::vector<Statement>& w = *writes;
  sql_ = std::unique_ptr<Statements>(
      new Statements{std::move(w[0]), std::move(w[1]), std::move(w[2]), std::move(w[3]),
                     std::move(w[4]), std::move(w[5]), std::move(w[6]), std::move(w[7]),
                     std::move(w[8]), std::move(w[9]), std::move(w[10]), std::move(w[11])});
  db_ = std::move(*db);
  reader_ = std::unique_ptr<Reader>(new Reader{std::move(*reader), std::move((*reads)[0]),
                                               std::move((*reads)[1]), std::move((*reads)[2])});
  checkpointer_ = std::move(checkpointer);
  return true;
}

// Statements before their connections: a connection with a statement left open is only
// marked for closing, and would keep the shared-memory file mapped.
void CallStore::close_connections() {
  sql_.reset();
  db_.reset();
  reader_.reset();
  checkpointer_.reset();
}

void CallStore::run_checkpoints(std::stop_token stop) {
  std::mutex sleeping;
  std::condition_variable_any wake;
  std::unique_lock lock(sleeping);
  while (!stop.stop_requested()) {
    wake.wait_for(lock, stop, options_.background_checkpoint_every, [] { return false; });
    if (stop.stop_requested()) break;
    if (shared_memory_faulted()) {
      try_recover();
    } else {
      checkpoint_once(false);
    }
  }
  if (!shared_memory_faulted()) checkpoint_once(true);
}

// PASSIVE never blocks the writer; frames in use are copied on a later round. Once everything
// is copied and the WAL has grown past its limit (a burst of calls), a TRUNCATE checkpoint gives
// the space back; it waits 100 ms at most for readers, and is tried again next round.
void CallStore::checkpoint_once(bool final) {
  std::lock_guard lock(checkpoint_mutex_);
  if (!checkpointer_) return;
  // The pragma, not sqlite3_wal_checkpoint_v2(): a connection that has not read the database
  // yet does not know it is in WAL mode, and the C call then does nothing.
  int rc = SQLITE_OK, log_frames = -1, checkpointed = -1;
  auto checkpoint = checkpointer_->prepare("PRAGMA main.wal_checkpoint(PASSIVE)");
  DbResult<bool> row = checkpoint ? checkpoint->step() : unexpected(checkpoint.error());
  if (!row) {
    rc = row.error().code;
    if (is_storage_fault(rc)) {
      health_.fault(
          StoreHealth::Part::checkpoints,
          fmt::format("checkpointing the WAL into {} failed: {}", path_, describe(row.error())));
    }
    return;
  }
  if (*row) {
    if (checkpoint->int_at(0) != 0) rc = SQLITE_BUSY;
    log_frames = static_cast<int>(checkpoint->int_at(1));
    checkpointed = static_cast<int>(checkpoint->int_at(2));
  }
  checkpoint->reset();
  if (rc == SQLITE_OK) health_.healed(StoreHealth::Part::checkpoints);
  if (final || rc != SQLITE_OK || checkpointed < log_frames) return;
  struct stat wal {};
  if (::stat((path_ + "-wal").c_str(), &wal) != 0 || wal.st_size <= options_.wal_size_limit_bytes)
    return;
  if (auto truncated = checkpointer_->exec("PRAGMA main.wal_checkpoint(TRUNCATE)");
      !truncated && is_storage_fault(truncated.error().code)) {
    health_.fault(StoreHealth::Part::checkpoints, fmt::format("truncating the WAL of {} failed: {}",
                                                              path_, describe(truncated.error())));
  }
}

bool CallStore::shared_memory_faulted() {
  if (options_.shared_memory_faults) {
    const std::uint64_t now = options_.shared_memory_faults->load();
    if (now != shared_memory_faults_seen_.exchange(now)) {
      health_.fault(StoreHealth::Part::shared_memory,
                    fmt::format("the kernel refused a write to the store's shared-memory file "
                                "{}-shm (SIGBUS: immutable, read-only or out of space)",
                                path_));
    }
  }
  return health_.faulted(StoreHealth::Part::shared_memory);
}

// After a shared-memory fault: once the store's files can be written again, close every
// connection (which unmaps the shared memory) and open them again. The first connection to
// open rebuilds the shared-memory index from the WAL, so nothing committed is lost.
void CallStore::try_recover() {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = path_ + suffix;
    if (::access(file.c_str(), F_OK) == 0 && ::access(file.c_str(), W_OK) != 0) return;
  }
  std::scoped_lock lock(mutex_, reader_mutex_, checkpoint_mutex_);
  close_connections();
  if (auto opened = open_connections(); !opened) {
    close_connections();
    return;  // tried again on the next round; writes fail meanwhile (no connection)
  }
  health_.healed(StoreHealth::Part::shared_memory);
}
}  // namespace voiceops::store
