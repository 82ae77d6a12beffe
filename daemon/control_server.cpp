#include "control_server.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>

namespace voiceops::daemon {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

struct ControlServer::Shared {
  asio::io_context& io;
  Handler handler;
  local::acceptor acceptor;
  std::string path;
  Shared(asio::io_context& io_context, Handler h)
      : io(io_context), handler(std::move(h)), acceptor(io_context) {}
};

namespace {

constexpr std::size_t max_request = 64 * 1024;

class ControlSession : public std::enable_shared_from_this<ControlSession> {
 public:
  ControlSession(local::socket socket, std::shared_ptr<ControlServer::Shared> shared)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), shared_(std::move(shared)) {}

  void do_read() {
    timer_.expires_after(std::chrono::seconds(30));
    timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->socket_.close();
    });
    asio::async_read_until(socket_, buffer_, '\n',
                           [self = shared_from_this()](boost::system::error_code ec,
                                                       std::size_t n) { self->on_read(ec, n); });
  }

 private:
  void on_read(boost::system::error_code ec, std::size_t n) {
    timer_.cancel();
    if (ec) {
      if (ec == asio::error::not_found) {
        reply_ = R"({"ok":false,"error":"request longer than 64 KiB"})"
                 "\n";
        close_after_ = true;
        return do_write();
      }
      return;
    }
    std::string line(asio::buffers_begin(buffer_.data()),
                     asio::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(n) - 1);
    buffer_.consume(n);
    reply_ = shared_->handler(line) + "\n";
    do_write();
  }

  void do_write() {
    asio::async_write(socket_, asio::buffer(reply_),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (!ec && !self->close_after_) self->do_read();
                      });
  }

  local::socket socket_;
  asio::steady_timer timer_;
  asio::streambuf buffer_{max_request};
  std::shared_ptr<ControlServer::Shared> shared_;
  std::string reply_;
  bool close_after_ = false;
};

void do_accept(std::shared_ptr<ControlServer::Shared> shared) {
  if (!shared->acceptor.is_open()) return;
  shared->acceptor.async_accept(
      asio::make_strand(shared->io), [shared](boost::system::error_code ec, local::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) std::make_shared<ControlSession>(std::move(socket), shared)->do_read();
        do_accept(shared);
      });
}

}  // namespace

ControlServer::ControlServer(asio::io_context& io, Handler handler)
    : shared_(std::make_shared<Shared>(io, std::move(handler))) {}

ControlServer::~ControlServer() {
  close();
}

Result<bool, std::string> ControlServer::listen(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode))
      return unexpected(
          fmt::format("control socket {}: a file that is not a socket is in the way", path));
    ::unlink(path.c_str());  // left behind by a daemon that did not stop cleanly
  }
  boost::system::error_code ec;
  auto& acceptor = shared_->acceptor;
  acceptor.open(local(), ec);
  if (!ec) acceptor.bind(local::endpoint(path), ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return unexpected(fmt::format("control socket {}: {}", path, ec.message()));
  if (::chmod(path.c_str(), 0660) != 0)
    return unexpected(fmt::format("control socket {}: chmod: {}", path, std::strerror(errno)));
  shared_->path = path;
  do_accept(shared_);
  return true;
}

void ControlServer::close() {
  if (!shared_->acceptor.is_open()) return;
  boost::system::error_code ignored;
  shared_->acceptor.close(ignored);
  if (!shared_->path.empty()) ::unlink(shared_->path.c_str());
}

}  // namespace voiceops::daemon
