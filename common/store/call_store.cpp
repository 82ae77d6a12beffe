#include "store/call_store.hpp"

#include <fmt/format.h>

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <filesystem>

#include "engine/cost.hpp"
#include "store/schema.hpp"

namespace voiceops::store {
namespace {

std::string describe(const DbError& error) {
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

constexpr std::string_view call_columns =
    "id, workflow, caller, called, status, phase, started_at, updated_at, ended_at, duration_s, "
    "after_hours, intent, outcome, event, escalation, destination, turns, summary, cost";

CallRow read_call(const Statement& row) {
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

Result<bool, StoreError> migrate(Database& db) {
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

Result<std::vector<Statement>, StoreError> prepare_all(
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

}  // namespace

struct CallStore::Statements {
  Statement upsert_call, upsert_session, insert_line, insert_event;
  Statement spoken_chars, finish_call, insert_outbox, abandon_outbox, abandon_calls, probe;
};

struct CallStore::Reader {
  Database db;  // declared first, so its statements are finalized before it closes
  Statement load_session, count_stats;
};

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
  auto db = Database::open(path, Database::Mode::read_write_create);
  if (!db) {
    return unexpected(
        StoreError{StoreError::Kind::cannot_open,
                   fmt::format("cannot open the store {}: {}", path, describe(db.error()))});
  }
  // WAL keeps readers off the writer's back; NORMAL survives a killed process (finished calls are
  // written with FULL, see finish()). The WAL is kept so read-only tools can open the file; its
  // size is bounded once checkpointed.
  const std::string size_limit =
      fmt::format("PRAGMA journal_size_limit = {}", options_.wal_size_limit_bytes);
  for (std::string_view pragma :
       {std::string_view("PRAGMA journal_mode = WAL"),
        std::string_view("PRAGMA synchronous = NORMAL"),
        std::string_view("PRAGMA foreign_keys = ON"), std::string_view(size_limit)}) {
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
          " phase, outcome, event, escalation, destination, turns, spoken_chars, summary)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
          " ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at,"
          " intent = excluded.intent, phase = excluded.phase, outcome = excluded.outcome,"
          " event = excluded.event, escalation = COALESCE(calls.escalation, excluded.escalation),"
          " destination = COALESCE(excluded.destination, calls.destination), turns = "
          "excluded.turns,"
          " spoken_chars = calls.spoken_chars + excluded.spoken_chars, summary = excluded.summary",
          "INSERT INTO sessions (call_id, state, updated_at) VALUES (?1, ?2, ?3)"
          " ON CONFLICT (call_id) DO UPDATE SET state = excluded.state, updated_at = "
          "excluded.updated_at",
          "INSERT INTO turns (call_id, seq, at, speaker, text) VALUES (?1,"
          " (SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE call_id = ?1), ?2, ?3, ?4)",
          "INSERT INTO events (call_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
          "SELECT spoken_chars, started_at FROM calls WHERE id = ?1 AND status = 'in-progress'",
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
                           });
  if (!reads) return unexpected(std::move(reads.error()));

  std::vector<Statement>& w = *writes;
  sql_ = std::unique_ptr<Statements>(new Statements{
      std::move(w[0]), std::move(w[1]), std::move(w[2]), std::move(w[3]), std::move(w[4]),
      std::move(w[5]), std::move(w[6]), std::move(w[7]), std::move(w[8]), std::move(w[9])});
  db_ = std::move(*db);
  reader_ = std::unique_ptr<Reader>(
      new Reader{std::move(*reader), std::move((*reads)[0]), std::move((*reads)[1])});
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

// Group commit: one writer thread commits the turns of every job queued in one transaction, each
// turn in its own savepoint so one bad record fails alone. A busy daemon commits many turns per
// WAL write. Final statuses follow, each in its own transaction with synchronous=FULL.
void CallStore::commit(std::vector<service::StoreWrite> writes, Committed done) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Job{std::move(writes), std::move(done), {}});
  }
  queued_.notify_one();
}

Result<bool, std::string> CallStore::save(const service::TurnRecord& turn) {
  std::promise<service::WriteResult> result;
  auto committed = result.get_future();
  std::vector<service::StoreWrite> writes;
  writes.emplace_back(turn);
  commit(std::move(writes),
         [&result](std::vector<service::StoreWrite>, std::vector<service::WriteResult> results) {
           result.set_value(std::move(results.front()));
         });
  return committed.get();
}

void CallStore::flush() {
  std::promise<void> flushed;
  auto done = flushed.get_future();
  commit({}, [&flushed](auto&&...) { flushed.set_value(); });
  done.wait();
}

void CallStore::run_writer(std::stop_token stop) {
  std::unique_lock lock(queue_mutex_);
  for (;;) {
    queued_.wait(lock, stop, [&] { return !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to commit
    std::vector<Job> batch = std::exchange(queue_, {});
    lock.unlock();
    try {
      write_batch(batch);
    } catch (const std::exception& e) {  // out of memory: these writes are lost, and say so
      for (Job& job : batch)
        job.results.assign(job.writes.size(),
                           unexpected(std::string("writing the batch failed: ") + e.what()));
    }
    for (Job& job : batch) {
      try {
        job.done(std::move(job.writes), std::move(job.results));
      } catch (...) {
        // A host's callback failing must not stop the writer: other calls' answers wait on it.
      }
    }
    lock.lock();
  }
}

void CallStore::write_batch(std::vector<Job>& batch) {
  std::lock_guard lock(mutex_);
  bool any_finish = false;
  for (Job& job : batch) {
    job.results.assign(job.writes.size(), service::WriteResult(true));
    for (const auto& write : job.writes)
      any_finish = any_finish || std::holds_alternative<service::CallFinish>(write);
  }
  // Nothing is written through a shared-memory index the kernel would not let us update: every
  // write fails, and each caller gets the human fallback, until the store has recovered.
  if (shared_memory_faulted() || !db_) {
    const std::string why = "the store is not writable: " + health_.causes();
    for (Job& job : batch) job.results.assign(job.writes.size(), unexpected(why));
    return;
  }
  const auto each_turn = [&](auto&& visit) {
    for (Job& job : batch) {
      for (std::size_t i = 0; i < job.writes.size(); ++i) {
        if (const auto* turn = std::get_if<service::TurnRecord>(&job.writes[i]))
          visit(*turn, job.results[i]);
      }
    }
  };
  bool any_turn = false;
  each_turn([&](const auto&, auto&) { any_turn = true; });
  if (any_turn) {  // the turns' transaction is over (committed or rolled back) before any finish
    auto transaction = Transaction::begin(*db_);
    if (!transaction) {
      note_write(transaction.error());
      each_turn([&](const auto&, auto& result) { result = failed(transaction); });
    } else {
      bool rolled_back = false;  // SQLite undid the whole transaction (disk full, I/O error)
      std::optional<DbError> fault;
      each_turn([&](const service::TurnRecord& turn, service::WriteResult& result) {
        if (rolled_back) return;
        DbResult<Done> done = db_->exec("SAVEPOINT turn");
        if (done) done = write_turn(turn);
        if (done) {
          done = db_->exec("RELEASE turn");
        } else if (sqlite3_get_autocommit(db_->handle())) {
          rolled_back = true;
        } else {
          (void)db_->exec("ROLLBACK TO turn");
          (void)db_->exec("RELEASE turn");
        }
        if (!done) {
          if (is_storage_fault(done.error().code)) fault = done.error();
          result = failed(done);
        }
      });
      if (rolled_back) {
        const std::string why = "the batch's transaction was rolled back: " +
                                std::string(sqlite3_errmsg(db_->handle()));
        each_turn([&](const auto&, auto& result) {
          if (result) result = unexpected(why);
        });
        note_write(fault.value_or(DbError{sqlite3_extended_errcode(db_->handle()), why}));
      } else if (auto committed = transaction->commit(); !committed) {
        note_write(committed.error());
        each_turn([&](const auto&, auto& result) { result = failed(committed); });
      } else if (fault) {
        note_write(*fault);  // one turn failed for the disk's sake, the others went in
      } else if (!health_.faulted(StoreHealth::Part::writes) || !short_of_space()) {
        health_.healed(StoreHealth::Part::writes);  // a fault ends only with room to spare
      }
    }
  }
  if (!any_finish) return;
  // A finished call must survive a power cut, not just a crash.
  const auto full = db_->exec("PRAGMA synchronous = FULL");
  for (Job& job : batch) {
    for (std::size_t i = 0; i < job.writes.size(); ++i) {
      if (const auto* finish = std::get_if<service::CallFinish>(&job.writes[i]))
        job.results[i] = full ? finish_locked(*finish) : failed(full);
    }
  }
  (void)db_->exec("PRAGMA synchronous = NORMAL");
}

std::optional<std::string> CallStore::short_of_space() const {
  struct statvfs disk {};
  const std::string folder = std::filesystem::path(path_).parent_path().string();
  if (::statvfs(folder.empty() ? "." : folder.c_str(), &disk) != 0) return std::nullopt;
  const std::int64_t free_bytes =
      static_cast<std::int64_t>(disk.f_bavail) * static_cast<std::int64_t>(disk.f_frsize);
  if (free_bytes >= options_.min_free_bytes) return std::nullopt;
  return fmt::format(
      "the file system holding the store {} has {} KiB free, under the {} KiB it needs to take "
      "calls",
      path_, free_bytes / 1024, options_.min_free_bytes / 1024);
}

void CallStore::note_write(const DbError& error) {
  if (!is_storage_fault(error.code)) return;
  health_.fault(StoreHealth::Part::writes,
                fmt::format("writing to the store {} failed: {}", path_, describe(error)));
}

DbResult<Done> CallStore::write_turn(const service::TurnRecord& turn) {
  const engine::CallState& s = turn.state;
  long spoken = 0;
  for (const auto& line : turn.lines)
    if (line.speaker == "agent") spoken += static_cast<long>(line.text.size());
  std::optional<std::string> escalation;
  for (const auto& event : turn.events)
    if (event.kind == "escalation" && !escalation) escalation = event.detail;
  std::optional<std::string> outcome;
  if (s.outcome) outcome = engine::to_string(*s.outcome);
  const auto optional_text = [](const std::string& text) {
    return text.empty() ? std::optional<std::string>() : std::optional<std::string>(text);
  };
  DbResult<Done> done = sql_->upsert_call.bind(
      s.call_id, s.workflow, s.from, s.to, s.started_at, turn.at, s.after_hours,
      optional_text(s.intent), std::string_view(engine::to_string(s.phase)), outcome,
      optional_text(s.event), escalation, optional_text(s.transfer_destination), s.turns,
      std::int64_t{spoken}, turn.summary);
  if (done) done = sql_->upsert_call.run();
  if (done) done = sql_->upsert_session.bind(s.call_id, turn.blob, turn.at);
  if (done) done = sql_->upsert_session.run();
  for (const auto& line : turn.lines) {
    if (done) done = sql_->insert_line.bind(s.call_id, turn.at, line.speaker, line.text);
    if (done) done = sql_->insert_line.run();
  }
  for (const auto& event : turn.events) {
    if (done) done = sql_->insert_event.bind(s.call_id, turn.at, event.kind, event.detail);
    if (done) done = sql_->insert_event.run();
  }
  return done;
}

Result<bool, std::string> CallStore::finish(const service::CallFinish& finish) {
  std::lock_guard lock(mutex_);
  if (shared_memory_faulted() || !db_)
    return unexpected("the store is not writable: " + health_.causes());
  // A finished call must survive a power cut, not just a crash.
  if (auto full = db_->exec("PRAGMA synchronous = FULL"); !full) return failed(full);
  auto finished = finish_locked(finish);
  (void)db_->exec("PRAGMA synchronous = NORMAL");
  return finished;
}

Result<bool, std::string> CallStore::finish_locked(const service::CallFinish& finish) {
  auto transaction = Transaction::begin(*db_);
  if (!transaction) {
    note_write(transaction.error());
    return failed(transaction);
  }
  Statement& q = sql_->spoken_chars;
  if (auto bound = q.bind(finish.call_id); !bound) return failed(bound);
  auto row = q.step();
  if (!row) {
    note_write(row.error());
    return failed(row);
  }
  if (!*row) {  // unknown, or already final: a repeated or late callback changes nothing
    q.reset();
    return false;
  }
  const long spoken = static_cast<long>(q.int_at(0));
  const std::int64_t started_at = q.int_at(1);
  q.reset();
  const std::int64_t duration =
      finish.duration_s.value_or(std::max<std::int64_t>(0, finish.at - started_at));
  std::optional<double> cost;
  if (finish.cost_model) {
    cost = engine::call_cost(*finish.cost_model,
                             {static_cast<double>(duration), finish.speech_requests, spoken});
  }
  DbResult<Done> done =
      sql_->finish_call.bind(finish.call_id, finish.status, finish.at, duration, cost);
  if (done) done = sql_->finish_call.run();
  if (done) done = sql_->insert_event.bind(finish.call_id, finish.at, "status", finish.status);
  if (done) done = sql_->insert_event.run();
  if (done) done = sql_->insert_outbox.bind(finish.call_id, finish.at);
  if (done) done = sql_->insert_outbox.run();
  if (done) done = transaction->commit();
  if (!done) {
    note_write(done.error());
    return failed(done);
  }
  if (!health_.faulted(StoreHealth::Part::writes) || !short_of_space())
    health_.healed(StoreHealth::Part::writes);
  return true;
}

Result<int, std::string> CallStore::close_abandoned(std::int64_t now, std::int64_t idle_seconds) {
  std::lock_guard lock(mutex_);
  if (shared_memory_faulted() || !db_)
    return unexpected("the store is not writable: " + health_.causes());
  auto transaction = Transaction::begin(*db_);
  if (!transaction) return failed(transaction);
  const std::int64_t cutoff = now - idle_seconds;
  DbResult<Done> done = sql_->abandon_outbox.bind(now, cutoff);
  if (done) done = sql_->abandon_outbox.run();
  if (done) done = sql_->abandon_calls.bind(now, cutoff);
  if (done) done = sql_->abandon_calls.run();
  const int closed = db_->changes();
  if (done) done = transaction->commit();
  if (!done) return failed(done);
  return closed;
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

Result<bool, std::string> CallStore::check_writable() {
  {
    std::lock_guard lock(mutex_);
    if (!shared_memory_faulted() && db_) {
      // Taking the write lock proves nothing on a full disk or a read-only file system: commit
      // a real write, as small as can be.
      const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
      auto transaction = Transaction::begin(*db_);
      DbResult<Done> done = transaction ? sql_->probe.bind(now) : unexpected(transaction.error());
      if (done) done = sql_->probe.run();
      if (done) done = transaction->commit();
      // A nearly full disk takes a one-row probe into space the WAL already holds, then fails
      // the next call's turn: below the free-space floor the store counts as not writable.
      const std::optional<std::string> cramped = short_of_space();
      if (done && cramped) {
        health_.fault(StoreHealth::Part::writes, *cramped);
      } else if (done) {
        health_.healed(StoreHealth::Part::writes);
      } else {
        note_write(done.error());
        if (health_.writable()) return failed(done);  // not the disk: say what it was
      }
    }
  }
  if (!health_.writable()) {
    std::string causes = health_.causes();
    while (!causes.empty() && causes.back() == '\n') causes.pop_back();
    return unexpected(causes);
  }
  return true;
}

}  // namespace voiceops::store
