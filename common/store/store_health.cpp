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
  std::lock_guard changing(changing_);
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
  const std::string given = cause.empty() ? std::string("unknown cause") : cause;
  change(part, &given);
}

void StoreHealth::healed(Part part) {
  change(part, nullptr);
}

// Sets or clears one part's cause; tells the host only when writability flips, so a second
// fault or a partial recovery says nothing new.
void StoreHealth::change(Part part, const std::string* cause) {
  std::lock_guard changing(changing_);
  Changed changed;
  bool now = false;
  std::string why;
  {
    std::lock_guard lock(mutex_);
    std::string& held = slot(part, writes_, checkpoints_, shared_memory_);
    if (cause ? !held.empty() : held.empty()) return;  // said once, not once per failed write
    const bool was = writes_.empty() && checkpoints_.empty() && shared_memory_.empty();
    held = cause ? *cause : std::string();
    now = writes_.empty() && checkpoints_.empty() && shared_memory_.empty();
    if (was == now || !changed_) return;
    changed = changed_;
    for (const std::string* c : {&writes_, &checkpoints_, &shared_memory_})
      if (!c->empty()) why += (why.empty() ? "" : "; ") + *c;
  }
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
