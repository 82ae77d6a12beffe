#include "bus_fault_guard.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>

namespace voiceops::daemon {
namespace {

// The process-wide state here, because a signal handler has nowhere else to keep it: the count
// the store watches, and the page size read once at install (sysconf is not signal-safe).
std::atomic<std::uint64_t> bus_faults{0};
long page_size = 4096;
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

void die_as_before(int signal) {
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

std::uintptr_t parse_hex(const char*& at, const char* end) {
  std::uintptr_t value = 0;
  for (; at < end; ++at) {
    const char c = *at;
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) break;
    value = value * 16 + static_cast<std::uintptr_t>(digit);
  }
  return value;
}

// Whether `address` is in a mapping of a file named "...-shm" (SQLite's shared memory), read
// from /proc/self/maps with open/read only. Anything else is not ours to mend.
bool in_shared_memory_file(std::uintptr_t address) {
  const int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buffer[4096];
  std::size_t kept = 0;  // the start of a line carried over from the last read
  bool found = false;
  for (;;) {
    const ssize_t got = ::read(fd, buffer + kept, sizeof buffer - kept);
    if (got <= 0) break;
    const char* end = buffer + kept + got;
    const char* line = buffer;
    for (;;) {
      const auto* nl =
          static_cast<const char*>(std::memchr(line, '\n', static_cast<std::size_t>(end - line)));
      if (!nl) break;
      const char* at = line;
      const std::uintptr_t from = parse_hex(at, nl);
      if (at < nl && *at == '-') ++at;
      const std::uintptr_t to = parse_hex(at, nl);
      if (address >= from && address < to) {
        found = nl - line >= 4 && std::memcmp(nl - 4, "-shm", 4) == 0;
        ::close(fd);
        return found;
      }
      line = nl + 1;
    }
    kept = static_cast<std::size_t>(end - line);
    if (kept == sizeof buffer) kept = 0;  // a line longer than the buffer: not a mapping we want
    std::memmove(buffer, line, kept);
  }
  ::close(fd);
  return found;
}

void on_bus_fault(int signal, siginfo_t* info, void*) {
  const int saved_errno = errno;
  if (!info || info->si_code != BUS_ADRERR || !info->si_addr) return die_as_before(signal);
  const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  if (!in_shared_memory_file(address)) return die_as_before(signal);
  const auto size = static_cast<std::size_t>(page_size);
  auto* page = reinterpret_cast<void*>(address & ~static_cast<std::uintptr_t>(page_size - 1));
  void* copy = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (copy == MAP_FAILED) return die_as_before(signal);
  // Reading the page is allowed (the kernel refused a write); were it not, this faults again
  // with SIGBUS blocked and the process ends, as it would have without this handler.
  std::memcpy(copy, page, size);
  if (mremap(copy, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, page) == MAP_FAILED)
    return die_as_before(signal);
  bus_faults.fetch_add(1, std::memory_order_relaxed);
  errno = saved_errno;
}

}  // namespace

const std::atomic<std::uint64_t>* install_bus_fault_guard() {
  if (const long size = sysconf(_SC_PAGESIZE); size > 0) page_size = size;
  struct sigaction action {};
  action.sa_sigaction = on_bus_fault;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  sigaction(SIGBUS, &action, nullptr);
  return &bus_faults;
}

}  // namespace voiceops::daemon
