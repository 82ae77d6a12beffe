#include "systemd_notify.hpp"

#include <systemd/sd-daemon.h>
#include <time.h>

#include <string>

namespace voiceops::daemon {
namespace {

std::string one_line(std::string_view text) {
  std::string line(text);
  for (char& c : line)
    if (c == '\n') c = ' ';
  return line;
}

}  // namespace

void SystemdNotifier::ready(std::string_view status) {
  sd_notify(0, ("READY=1\nSTATUS=" + one_line(status)).c_str());
}

void SystemdNotifier::status(std::string_view status) {
  sd_notify(0, ("STATUS=" + one_line(status)).c_str());
}

void SystemdNotifier::reloading() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const long long usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
  sd_notify(0, ("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec)).c_str());
}

void SystemdNotifier::stopping() {
  sd_notify(0, "STOPPING=1\nSTATUS=stopping: finishing requests in flight");
}

void SystemdNotifier::watchdog() {
  sd_notify(0, "WATCHDOG=1");
}

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_interval() const {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

}  // namespace voiceops::daemon
