// The CallStore's writes: the writer thread's group commit, final statuses, the sweeper, the
// readiness probe, and how a failed write becomes a fault of the store.
#include <fmt/format.h>
#include <sys/statvfs.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <future>

#include <nlohmann/json.hpp>

#include "store/call_store.hpp"
#include "store/call_store_detail.hpp"

namespace voiceops::store {

// Group commit: one writer thread commits the turns of every job queued in one transaction, each
// turn in its own savepoint so one bad record fails alone. A busy daemon commits many turns per
// WAL write. Final statuses follow, each in its own transaction with synchronous=FULL.
void CallStore::commit(std::vector<calls::StoreWrite> writes, Committed done) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Job{std::move(writes), std::move(done), {}});
  }
  queued_.notify_one();
}

Result<bool, std::string> CallStore::save(const calls::TurnRecord& turn) {
  std::promise<calls::WriteResult> result;
  auto committed = result.get_future();
  std::vector<calls::StoreWrite> writes;
  writes.emplace_back(turn);
  commit(std::move(writes),
         [&result](std::vector<calls::StoreWrite>, std::vector<calls::WriteResult> results) {
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
    job.results.assign(job.writes.size(), calls::WriteResult(true));
    for (const auto& write : job.writes)
      any_finish = any_finish || std::holds_alternative<calls::CallFinish>(write);
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
        if (const auto* turn = std::get_if<calls::TurnRecord>(&job.writes[i]))
          visit(*turn, job.results[i]);
      }
    }
  };
  bool any_turn = false, any_notice = false;
  each_turn([&](const calls::TurnRecord& turn, auto&) {
    any_turn = true;
    any_notice = any_notice || !turn.notices.empty();
  });
  // A page to the on-call technician must survive a power cut, like a finished call.
  if (any_notice) (void)db_->exec("PRAGMA synchronous = FULL");
  if (any_turn) {  // the turns' transaction is over (committed or rolled back) before any finish
    auto transaction = Transaction::begin(*db_);
    if (!transaction) {
      note_write(transaction.error());
      each_turn([&](const auto&, auto& result) { result = failed(transaction); });
    } else {
      bool rolled_back = false;  // SQLite undid the whole transaction (disk full, I/O error)
      std::optional<DbError> fault;
      each_turn([&](const calls::TurnRecord& turn, calls::WriteResult& result) {
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
  if (any_notice && !any_finish) (void)db_->exec("PRAGMA synchronous = NORMAL");
  // Staff who took a transfer, after the turns: each in its own transaction.
  for (Job& job : batch) {
    for (std::size_t i = 0; i < job.writes.size(); ++i) {
      if (const auto* accepted = std::get_if<calls::TransferAcceptance>(&job.writes[i]))
        job.results[i] = write_acceptance(*accepted);
    }
  }
  if (!any_finish) return;
  // A finished call must survive a power cut, not just a crash.
  const auto full = db_->exec("PRAGMA synchronous = FULL");
  for (Job& job : batch) {
    for (std::size_t i = 0; i < job.writes.size(); ++i) {
      if (const auto* finish = std::get_if<calls::CallFinish>(&job.writes[i]))
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

namespace {

// The call's answers as the calls.slots column keeps them: {"slot": "value", ...}.
std::string slots_json(const engine::CallState& state) {
  nlohmann::json slots = nlohmann::json::object();
  for (const auto& [name, slot] : state.slots) slots[name] = slot.value;
  return slots.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

DbResult<Done> CallStore::write_turn(const calls::TurnRecord& turn) {
  const engine::CallState& s = turn.state;
  const long spoken = s.spoken_characters;  // counted in the state by the turn loop
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
      std::int64_t{spoken}, turn.summary, slots_json(s));
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
    if (event.kind == "record") {  // "helpdesk.ticket 42": the export links the call to it
      const std::size_t space = event.detail.find(' ');
      const std::string model = event.detail.substr(0, space);
      std::int64_t id = 0;
      if (space != std::string::npos) {
        const std::string digits = event.detail.substr(space + 1);
        std::from_chars(digits.data(), digits.data() + digits.size(), id);
      }
      if (done && id > 0) done = sql_->link_record.bind(s.call_id, "$.\"" + model + "\"", id);
      if (done && id > 0) done = sql_->link_record.run();
    }
  }
  // Staff to tell: in this transaction, so the message outlives a crash right after the commit,
  // and once, so a turn written again adds none.
  for (std::size_t i = 0; i < turn.notices.size(); ++i) {
    const engine::Notify& notice = turn.notices[i];
    if (done)
      done = sql_->insert_message.bind(s.call_id, std::int64_t{s.turns}, "notice", notice.kind,
                                       notice.destination, notice.address, s.to, notice.text,
                                       turn.at, static_cast<std::int64_t>(i));
    if (done) done = sql_->insert_message.run();
  }
  return done;
}

Result<bool, std::string> CallStore::finish(const calls::CallFinish& finish) {
  std::lock_guard lock(mutex_);
  if (shared_memory_faulted() || !db_)
    return unexpected("the store is not writable: " + health_.causes());
  // A finished call must survive a power cut, not just a crash.
  if (auto full = db_->exec("PRAGMA synchronous = FULL"); !full) return failed(full);
  auto finished = finish_locked(finish);
  (void)db_->exec("PRAGMA synchronous = NORMAL");
  return finished;
}

Result<bool, std::string> CallStore::finish_locked(const calls::CallFinish& finish) {
  auto transaction = Transaction::begin(*db_);
  if (!transaction) {
    note_write(transaction.error());
    return failed(transaction);
  }
  // Whether the call is still open, and when it started (for a duration the carrier left out).
  Statement& q = sql_->open_call;
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
  const std::int64_t started_at = q.int_at(0);
  q.reset();
  const std::int64_t duration =
      finish.duration_s.value_or(std::max<std::int64_t>(0, finish.at - started_at));
  const std::optional<double> cost = finish.cost;  // computed once, by the turn loop
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
