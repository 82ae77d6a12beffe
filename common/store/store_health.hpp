#pragma once
// Whether the store can keep the daemon's promise that every answer follows its commit. A write
// or a checkpoint that fails for a reason of the disk or the file system (full, read-only,
// immutable, an I/O error, a shared-memory page the kernel would not let us write) marks the
// store faulted until a write, or a checkpoint, succeeds again. The host hears of every change
// once, with the cause, so it logs a fault once rather than once per call.
#include <functional>
#include <mutex>
#include <string>

namespace voiceops::store {

// True for SQLite result codes that say the disk or file system failed, not the statement.
bool is_storage_fault(int sqlite_code);

class StoreHealth {
 public:
  enum class Part { writes, checkpoints, shared_memory };
  // Called when the store goes from writable to faulted and back, on the thread that saw it,
  // one call at a time and in the order the changes happened. It must not call back into this.
  using Changed = std::function<void(bool writable, const std::string& cause)>;

  // Replacing (or clearing) the callback waits for a call of the old one in progress.
  void on_change(Changed changed);
  void fault(Part part, const std::string& cause);
  void healed(Part part);

  bool writable() const;
  bool faulted(Part part) const;
  // Every cause now in force, one per line; empty when writable.
  std::string causes() const;

 private:
  void change(Part part, const std::string* cause);
  std::mutex changing_;       // held over a change and its callback: changes are told in order
  mutable std::mutex mutex_;  // guards the causes, for readers
  std::string writes_, checkpoints_, shared_memory_;  // the cause of each fault in force
  Changed changed_;
};

}  // namespace voiceops::store
