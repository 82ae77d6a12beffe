#pragma once
// The carrier-facing HTTP server (Boost.Beast): asynchronous, one strand per connection,
// keep-alive, a deadline on every read, header and body limits, and a WebSocket for GET /events.
// All answers come from DaemonCore; this file only speaks HTTP.
#include <utility>  // before Asio: GCC 12 in C++20 mode (asio issue 944)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "host/daemon_core.hpp"

namespace voiceops::daemon {

using host::Answer;
using host::DaemonCore;

struct HttpLimits {
  std::size_t header_bytes = 8 * 1024;       // 431 beyond
  std::size_t body_bytes = 64 * 1024;        // 413 beyond; carrier forms are a few KiB
  std::chrono::seconds request_timeout{10};  // the whole request must arrive within this
  std::chrono::seconds idle_timeout{60};     // keep-alive between requests
  std::size_t max_connections = 20000;
  // Threads that run webhooks. Each waits for its turn's commit (joining a group commit with the
  // others) and, on live calls, for tool calls; the event loop never does.
  std::size_t handler_threads = 16;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, DaemonCore& core, HttpLimits limits = {});
  ~HttpServer();

  // Binds and starts accepting; returns the bound endpoint (port 0 picks one) or why not.
  Result<boost::asio::ip::tcp::endpoint, std::string> listen(const std::string& address);

  // Stops accepting and closes idle connections; requests in flight finish and their
  // connections close after the response. `on_drained` runs (on the io_context) when none are left.
  void shutdown(std::function<void()> on_drained);
  std::size_t connections() const;

  struct Shared;  // the sessions' view of the server; defined in the .cpp

 private:
  boost::asio::thread_pool handlers_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace voiceops::daemon
