// The CallStore's share of the outbox repository (store/outbox.hpp), for the daemon's export
// worker: reads on the reader connection, writes on the writing one (between webhooks' batches;
// each holds the lock for a few rows), all refused while the store recovers from a fault.
#include "store/call_store.hpp"
#include "store/call_store_detail.hpp"
#include "store/outbox.hpp"

namespace voiceops::store {
namespace {
const std::string recovering = "the store is recovering from a fault";
}

Result<std::vector<OutboxItem>, std::string> CallStore::due(std::int64_t now, int limit,
                                                            std::int64_t lease_s) {
  std::lock_guard lock(mutex_);  // a claim is a write (a few rows)
  if (!db_ || shared_memory_faulted()) return unexpected(recovering);
  return outbox_sql::due(*db_, now, limit, lease_s);
}

Result<std::vector<ExportCall>, std::string> CallStore::calls_for(
    const std::vector<std::string>& call_ids) {
  std::lock_guard lock(reader_mutex_);
  if (!reader_) return unexpected(recovering);
  return outbox_sql::calls_for(reader_->db, call_ids);
}

Result<bool, std::string> CallStore::record(const std::vector<OutboxSent>& sent,
                                            const std::vector<OutboxFailure>& failed,
                                            std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (!db_ || shared_memory_faulted()) return unexpected(recovering);
  return outbox_sql::record(*db_, sent, failed, now);
}

Result<bool, std::string> CallStore::release(const std::vector<std::int64_t>& ids,
                                             std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (!db_ || shared_memory_faulted()) return unexpected(recovering);
  return outbox_sql::release(*db_, ids, now);
}

Result<OutboxStatus, std::string> CallStore::outbox_status(std::int64_t now) {
  std::lock_guard lock(reader_mutex_);
  if (!reader_) return unexpected(recovering);
  return outbox_sql::status(reader_->db, now);
}

Result<std::vector<OutboxItem>, std::string> CallStore::dead_letters(int limit) {
  std::lock_guard lock(reader_mutex_);
  if (!reader_) return unexpected(recovering);
  return outbox_sql::dead_letters(reader_->db, limit);
}

Result<int, std::string> CallStore::retry_dead(const std::vector<std::int64_t>& ids,
                                               std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (!db_ || shared_memory_faulted()) return unexpected(recovering);
  return outbox_sql::retry_dead(*db_, ids, now);
}

}  // namespace voiceops::store
