#pragma once
// The control socket (a Unix socket, mode 0660): one JSON request per line, one JSON answer per
// line, for `voiceops daemon` and `voiceops calls`. Requests are small (64 KiB at most) and a
// connection that says nothing for 30 s is closed.
#include <utility>  // before Asio: GCC 12 in C++20 mode (asio issue 944)

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "base/result.hpp"

namespace voiceops::daemon {

class ControlServer {
 public:
  using Handler = std::function<std::string(std::string_view request)>;

  ControlServer(boost::asio::io_context& io, Handler handler);
  ~ControlServer();

  // Replaces a stale socket file (never any other kind of file), binds, sets mode 0660.
  Result<bool, std::string> listen(const std::string& path);
  void close();

  struct Shared;  // the sessions' view of the server; defined in the .cpp

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace voiceops::daemon
