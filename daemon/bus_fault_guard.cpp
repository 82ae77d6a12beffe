#include "bus_fault_guard.hpp"

#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstring>

namespace voiceops::daemon {
namespace {

// The one piece of process-wide state here: a signal handler has nowhere else to count.
std::atomic<std::uint64_t> bus_faults{0};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

void die_as_before(int signal) {
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

// Only async-signal-safe calls: sysconf, mmap, process_vm_readv, mremap, getpid.
void on_bus_fault(int signal, siginfo_t* info, void*) {
  if (!info || info->si_code != BUS_ADRERR || !info->si_addr) return die_as_before(signal);
  const long page_size = sysconf(_SC_PAGESIZE);
  if (page_size <= 0) return die_as_before(signal);
  auto* page = reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(info->si_addr) &
                                       ~static_cast<std::uintptr_t>(page_size - 1));
  void* copy = mmap(nullptr, static_cast<std::size_t>(page_size), PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (copy == MAP_FAILED) return die_as_before(signal);
  iovec local{copy, static_cast<std::size_t>(page_size)};
  iovec remote{page, static_cast<std::size_t>(page_size)};
  (void)process_vm_readv(getpid(), &local, 1, &remote, 1, 0);  // zeros if it cannot be read
  if (mremap(copy, static_cast<std::size_t>(page_size), static_cast<std::size_t>(page_size),
             MREMAP_MAYMOVE | MREMAP_FIXED, page) == MAP_FAILED) {
    return die_as_before(signal);
  }
  bus_faults.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

const std::atomic<std::uint64_t>* install_bus_fault_guard() {
  struct sigaction action {};
  action.sa_sigaction = on_bus_fault;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  sigaction(SIGBUS, &action, nullptr);
  return &bus_faults;
}

}  // namespace voiceops::daemon
