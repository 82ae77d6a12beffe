#pragma once
// sd_notify(3) for Type=notify: READY, STATUS, RELOADING (with MONOTONIC_USEC, in one message, as
// systemd 252 wants), STOPPING, and WATCHDOG pings. Outside systemd every call does nothing.
#include <chrono>
#include <optional>
#include <string_view>

namespace voiceops::daemon {

class SystemdNotifier {
 public:
  void ready(std::string_view status);
  void status(std::string_view status);
  void reloading();
  void stopping();
  void watchdog();
  // Half the WatchdogSec= interval when the watchdog is on: how often to ping.
  std::optional<std::chrono::microseconds> watchdog_interval() const;
};

}  // namespace voiceops::daemon
