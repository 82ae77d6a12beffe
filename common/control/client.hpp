#pragma once
// The CLI's side of the control socket: one JSON request line, one JSON answer line. No Asio here:
// the CLI starts in milliseconds and must stay that way.
#include <chrono>
#include <string>
#include <string_view>

#include "base/exit_status.hpp"
#include "base/result.hpp"

namespace voiceops::control {

struct ControlError {
  ExitStatus status = ExitStatus::unavailable;  // 69 not running, 77 no permission, 74 I/O
  std::string message;
  std::string hint;
  // The request may have reached the daemon, which may still act on it (no answer in time, or
  // the connection closed after sending): a caller must not assume it was not done.
  bool maybe_delivered = false;
};

Result<std::string, ControlError> send_request(const std::string& socket_path,
                                               std::string_view request,
                                               std::chrono::milliseconds timeout);

}  // namespace voiceops::control
