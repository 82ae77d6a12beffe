// The CallStore's share of the rollback repository: reads on the reader connection, changes on
// the writing one, both refused while the store recovers from a shared-memory fault.
#include "store/call_store.hpp"
#include "store/call_store_detail.hpp"
#include "store/rollback_store.hpp"

namespace voiceops::store {

Result<calls::Rollback, std::string> CallStore::rollback_for(const std::string& workflow) {
  std::lock_guard lock(reader_mutex_);
  if (!reader_)
    return unexpected(std::string("the store is closed while it recovers from a fault"));
  return rollback_sql::read_prepared(reader_->rollback, workflow);
}

Result<RollbackEntry, std::string> CallStore::apply_rollback(const RollbackChange& change) {
  std::lock_guard lock(mutex_);
  if (!db_ || shared_memory_faulted())
    return unexpected(std::string("the store is recovering from a fault"));
  auto entry = rollback_sql::apply(*db_, change);
  return entry;
}

}  // namespace voiceops::store
