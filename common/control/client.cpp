#include "control/client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.hpp"

namespace voiceops::control {
namespace {

constexpr std::size_t max_answer = 64 * 1024 * 1024;  // `calls list` of a busy line

ControlError io_error(const std::string& socket_path, const char* what) {
  return {ExitStatus::io_error,
          "control socket " + socket_path + ": " + what + ": " + std::strerror(errno), ""};
}

// Waits until `fd` is ready for `events` or the deadline passes.
bool wait_for(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return false;
  }
}

}  // namespace

Result<std::string, ControlError> send_request(const std::string& socket_path,
                                               std::string_view request,
                                               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(address.sun_path))
    return unexpected(
        ControlError{ExitStatus::config, "control socket path too long: " + socket_path, ""});
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);

  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return unexpected(io_error(socket_path, "socket"));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    const int error = errno;
    if (error == ENOENT || error == ECONNREFUSED) {
      return unexpected(
          ControlError{ExitStatus::unavailable,
                       "voiceopsd is not running (nothing listens on " + socket_path + ")",
                       "start it with: systemctl start voiceopsd; or point --config at the right "
                       "voiceops.toml"});
    }
    if (error == EACCES || error == EPERM) {
      return unexpected(ControlError{ExitStatus::permission,
                                     "no permission to use the control socket " + socket_path,
                                     "run as root or as a member of the voiceops group"});
    }
    errno = error;
    return unexpected(io_error(socket_path, "connect"));
  }
  std::string line(request);
  line += '\n';
  std::size_t sent = 0;
  while (sent < line.size()) {
    if (!wait_for(fd.get(), POLLOUT, deadline))
      return unexpected(
          ControlError{ExitStatus::unavailable, "voiceopsd did not answer in time", "", true});
    const ssize_t n = ::send(fd.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return unexpected(io_error(socket_path, "send"));
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  char buffer[16 * 1024];
  for (;;) {
    if (const auto newline = answer.find('\n'); newline != std::string::npos) {
      answer.resize(newline);
      return answer;
    }
    if (answer.size() > max_answer)
      return unexpected(ControlError{ExitStatus::io_error, "voiceopsd's answer is too long", ""});
    if (!wait_for(fd.get(), POLLIN, deadline))
      return unexpected(ControlError{ExitStatus::unavailable, "voiceopsd did not answer in time",
                                     "it may be busy or wedged; see journalctl -u voiceopsd",
                                     true});
    const ssize_t n = ::recv(fd.get(), buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return unexpected(io_error(socket_path, "recv"));
    if (n == 0)
      return unexpected(ControlError{ExitStatus::unavailable,
                                     "voiceopsd closed the control connection without answering",
                                     "", true});
    answer.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace voiceops::control
