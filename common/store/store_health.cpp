#include "store/store_health.hpp"

#include <sqlite3.h>

namespace voiceops::store {

bool is_storage_fault(int sqlite_code) {
  switch (sqlite_code & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL: return true;
    default: return false;
  }
}

void StoreHealth::on_change(Changed changed) {
  std::lock_guard lock(mutex_);
  changed_ = std::move(changed);
}

namespace {

std::string& slot(StoreHealth::Part part, std::string& writes, std::string& checkpoints,
                  std::string& shared_memory) {
  switch (part) {
    case StoreHealth::Part::writes: return writes;
    case StoreHealth::Part::checkpoints: return checkpoints;
    case StoreHealth::Part::shared_memory: return shared_memory;
  }
  return writes;
}

}  // namespace

void StoreHealth::fault(Part part, const std::string& cause) {
  std::unique_lock lock(mutex_);
  const bool was = writes_.empty() && checkpoints_.empty() && shared_memory_.empty();
  std::string& held = slot(part, writes_, checkpoints_, shared_memory_);
  if (!held.empty()) return;  // said once, not once per failed write
  held = cause.empty() ? std::string("unknown cause") : cause;
  notify_locked(was, lock);
}

void StoreHealth::healed(Part part) {
  std::unique_lock lock(mutex_);
  std::string& held = slot(part, writes_, checkpoints_, shared_memory_);
  if (held.empty()) return;
  const bool was = false;
  held.clear();
  notify_locked(was, lock);
}

// Tells the host when writability changed, and when a further fault adds a cause.
void StoreHealth::notify_locked(bool was_writable, std::unique_lock<std::mutex>& lock) {
  const bool now = writes_.empty() && checkpoints_.empty() && shared_memory_.empty();
  if (!changed_ || (now && was_writable)) return;
  Changed changed = changed_;
  std::string why;
  for (const std::string* cause : {&writes_, &checkpoints_, &shared_memory_})
    if (!cause->empty()) why += (why.empty() ? "" : "; ") + *cause;
  lock.unlock();
  changed(now, why);
}

bool StoreHealth::writable() const {
  std::lock_guard lock(mutex_);
  return writes_.empty() && checkpoints_.empty() && shared_memory_.empty();
}

bool StoreHealth::faulted(Part part) const {
  std::lock_guard lock(mutex_);
  switch (part) {
    case Part::writes: return !writes_.empty();
    case Part::checkpoints: return !checkpoints_.empty();
    case Part::shared_memory: return !shared_memory_.empty();
  }
  return false;
}

std::string StoreHealth::causes() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const std::string* cause : {&writes_, &checkpoints_, &shared_memory_})
    if (!cause->empty()) out += *cause + "\n";
  return out;
}

}  // namespace voiceops::store
