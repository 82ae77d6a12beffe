#pragma once
// Survives the kernel's SIGBUS on a write to a memory-mapped file that can no longer be written:
// SQLite maps the store's -shm file, and an ext4 file made immutable, or a full tmpfs, answers a
// write to one of its pages with SIGBUS, which would kill the daemon mid-call and log nothing.
//
// The handler checks in /proc/self/maps that the address is in a file named "...-shm", gives
// the faulting page a private copy of its contents, so the write that faulted lands in memory
// and the thread carries on, and counts the fault. The store watches the count: it stops
// writing at once, answers every call with the human fallback, and reopens its connections when
// the files are writable again, which drops the private pages and rebuilds the index from the
// WAL. Faults on anything but a mapped file page are not ours to mend: they kill as before.
#include <atomic>
#include <cstdint>

namespace voiceops::daemon {

// Installs the handler once for the process; returns the counter it counts up. The counter
// lives as long as the process (a signal handler cannot reach anything narrower).
const std::atomic<std::uint64_t>* install_bus_fault_guard();

}  // namespace voiceops::daemon
