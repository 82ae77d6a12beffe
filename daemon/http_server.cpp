#include "http_server.hpp"

#include <fmt/format.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <mutex>

#include "version.hpp"

namespace voiceops::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

class HttpSession;

struct HttpServer::Shared {
  asio::io_context& io;
  asio::thread_pool::executor_type handlers;
  DaemonCore& core;
  HttpLimits limits;
  tcp::acceptor acceptor;
  // Out of file descriptors, accepting again at once only spins: pause, longer each time.
  asio::steady_timer accept_pause;
  std::chrono::milliseconds accept_backoff{0};
  std::uint64_t accept_failures_unlogged = 0;
  std::chrono::steady_clock::time_point accept_failure_logged{};
  mutable std::mutex mutex;
  std::vector<std::weak_ptr<HttpSession>> sessions;
  std::size_t open = 0;
  bool stopping = false;
  std::function<void()> on_drained;

  Shared(asio::io_context& io_context, asio::thread_pool::executor_type handler_pool,
         DaemonCore& daemon_core, HttpLimits l)
      : io(io_context),
        handlers(handler_pool),
        core(daemon_core),
        limits(l),
        acceptor(asio::make_strand(io_context)),
        accept_pause(acceptor.get_executor()) {}

  void session_closed();
};

// Live call events for a dashboard. Messages queue on the strand; a reader that falls more than
// `max_queue` behind loses the oldest (a dashboard wants the present, not a backlog).
class EventsSession : public std::enable_shared_from_this<EventsSession> {
 public:
  EventsSession(tcp::socket&& socket, std::shared_ptr<HttpServer::Shared> shared)
      : ws_(std::move(socket)), shared_(std::move(shared)) {}
  ~EventsSession() { shared_->core.live_events().unsubscribe(ticket_); }

  void run(http::request<http::string_body> request) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
      response.set(http::field::server, std::string("voiceopsd/") + version_string);
    }));
    ws_.read_message_max(4096);
    ws_.async_accept(request,
                     beast::bind_front_handler(&EventsSession::on_accept, shared_from_this()));
  }

 private:
  static constexpr std::size_t max_queue = 256;

  void on_accept(beast::error_code ec) {
    if (ec) return;
    std::weak_ptr<EventsSession> weak = shared_from_this();
    auto executor = ws_.get_executor();
    ticket_ = shared_->core.live_events().subscribe([weak, executor](const std::string& text) {
      asio::post(executor, [weak, text] {
        if (auto self = weak.lock()) self->enqueue(text);
      });
    });
    do_read();
  }

  void enqueue(const std::string& text) {
    if (closed_) return;
    if (queue_.size() >= max_queue) {
      // The front is being written while writing_: its buffer must live until on_write.
      queue_.erase(writing_ ? std::next(queue_.begin()) : queue_.begin());
    }
    queue_.push_back(text);
    if (!writing_) do_write();
  }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    beast::bind_front_handler(&EventsSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) return close();
    queue_.pop_front();
    if (!queue_.empty()) do_write();
  }

  // The client has nothing to say; reading notices it closing (and answers pings).
  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&EventsSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return close();
    buffer_.consume(buffer_.size());
    do_read();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    shared_->core.live_events().unsubscribe(ticket_);
  }

  websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<HttpServer::Shared> shared_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  std::uint64_t ticket_ = 0;
  bool writing_ = false;
  bool closed_ = false;
};

// One connection: do_read / on_read / do_write / on_write, with a deadline on every read.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<HttpServer::Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {}

  ~HttpSession() { shared_->session_closed(); }

  void run() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
  }

  // From shutdown(): close now if waiting for a request, else after the response.
  void stop() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (!self->busy_) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->stream_.close();
      }
    });
  }

 private:
  // Between requests on a keep-alive connection the idle timeout applies, until the next
  // request's first byte; from then the request has request_timeout, whatever came before it.
  void do_read() {
    if (stopping_) return do_close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.header_bytes));
    parser_->body_limit(shared_->limits.body_bytes);  // always a number (Beast 1.74)
    busy_ = false;
    if (requests_ > 0 && buffer_.size() == 0) {
      stream_.expires_after(shared_->limits.idle_timeout);
      stream_.async_read_some(
          buffer_.prepare(1024),
          beast::bind_front_handler(&HttpSession::on_first_bytes, shared_from_this()));
      return;
    }
    read_request();
  }

  void on_first_bytes(beast::error_code ec, std::size_t bytes) {
    if (ec) return do_close();  // idle too long, or the peer closed between requests
    buffer_.commit(bytes);
    read_request();
  }

  // The request's own deadline is a timer of ours, not the stream's: the stream's would close
  // the socket, and a request cut short deserves a 408 it can read.
  void read_request() {
    stream_.expires_never();
    deadline_hit_ = false;
    deadline_.expires_after(shared_->limits.request_timeout);
    deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->deadline_hit_ = true;
      // Cancel the read waiting now, and end any later one (a completion already queued would
      // otherwise read on with no deadline); the send side stays open for the 408.
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_receive, ignored);
      self->stream_.socket().cancel(ignored);
    });
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    busy_ = true;
    deadline_.cancel();
    if (deadline_hit_ && ec) {
      // Part of a request (a body shorter than its Content-Length, headers never finished).
      if (parser_->got_some() || buffer_.size() > 0)
        return refuse(408, "the request did not arrive within the time allowed");
      return do_close();
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::bad_descriptor)
      return do_close();
    if (ec == http::error::header_limit) return refuse(431, "request headers too large");
    if (ec == http::error::body_limit) return refuse(413, "request body too large");
    if (ec) return refuse(400, "malformed HTTP request");
    ++requests_;

    http::request<http::string_body> request = parser_->release();
    if (websocket::is_upgrade(request) && request.target() == "/events") {
      return upgrade(std::move(request));
    }

    carrier::HttpRequest in;
    in.method = std::string(request.method_string());
    in.target = std::string(request.target());
    // The absolute form ("POST http://host/twilio/voice", RFC 9112 3.2.2) names the same
    // resource as its origin form; the path is what routes and what signatures cover.
    if (const auto scheme = in.target.find("://");
        scheme != std::string::npos && in.target.front() != '/') {
      const auto path = in.target.find('/', scheme + 3);
      in.target = path == std::string::npos ? std::string("/") : in.target.substr(path);
    }
    for (const auto& field : request)
      in.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    in.body = std::move(request.body());
    if (in.path() == "/events") {
      const bool allowed = shared_->core.events_enabled();
      return refuse(allowed ? 426 : 404,
                    allowed ? "GET /events is a WebSocket" : "live events are off",
                    request.keep_alive());
    }
    // The answer comes back on whichever thread had it (a webhook's, the store's writer): the
    // response is written from this connection's strand.
    DaemonCore::Respond respond = [self = shared_from_this(), version = request.version(),
                                   keep_alive = request.keep_alive()](Answer answer) {
      asio::post(self->stream_.get_executor(),
                 [self, answer = std::move(answer), version, keep_alive]() mutable {
                   self->respond(std::move(answer), version, keep_alive);
                 });
    };
    if (shared_->core.may_block(in)) {
      asio::post(shared_->handlers,
                 [shared = shared_, in = std::move(in), respond = std::move(respond)]() mutable {
                   shared->core.handle_http(std::move(in), std::move(respond));
                 });
    } else {
      shared_->core.handle_http(std::move(in), std::move(respond));
    }
  }

  void respond(Answer answer, unsigned version, bool keep_alive) {
    auto response = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(answer.response.status), version);
    response->set(http::field::server, std::string("voiceopsd/") + version_string);
    response->set(http::field::content_type, answer.response.content_type);
    response->set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : answer.headers) response->set(name, value);
    response->body() = std::move(answer.response.body);
    response->keep_alive(keep_alive && !stopping_);
    response->prepare_payload();
    do_write(std::move(response));
  }

  void upgrade(http::request<http::string_body> request) {
    if (!shared_->core.events_enabled()) return refuse(404, "live events are off");
    if (!shared_->core.events_token_ok(request[http::field::authorization])) {
      return refuse(401, "GET /events needs Authorization: Bearer <token>");
    }
    stream_.expires_never();  // the WebSocket keeps its own timeouts
    std::make_shared<EventsSession>(stream_.release_socket(), shared_)->run(std::move(request));
  }

  void refuse(int status, std::string_view why, bool keep_alive = false) {
    auto response =
        std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
    response->set(http::field::server, std::string("voiceopsd/") + version_string);
    response->set(http::field::content_type, "text/plain; charset=utf-8");
    if (status == 401) response->set(http::field::www_authenticate, "Bearer");
    response->body() = std::string(why) + "\n";
    response->keep_alive(keep_alive && !stopping_);
    response->prepare_payload();
    shared_->core.count_refused(status);
    do_write(std::move(response));
  }

  void do_write(std::shared_ptr<http::response<http::string_body>> response) {
    const bool close = !response->keep_alive();
    stream_.expires_after(shared_->limits.request_timeout);
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response, close](
                          beast::error_code ec, std::size_t) { self->on_write(close, ec); });
  }

  void on_write(bool close, beast::error_code ec) {
    if (ec || close) return do_close();
    buffer_.consume(0);
    do_read();
  }

  void do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  asio::steady_timer deadline_{stream_.get_executor()};
  bool deadline_hit_ = false;
  beast::flat_buffer buffer_{8 * 1024};
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<HttpServer::Shared> shared_;
  std::uint64_t requests_ = 0;
  bool busy_ = true;
  bool stopping_ = false;
};

void HttpServer::Shared::session_closed() {
  std::function<void()> drained;
  {
    std::lock_guard lock(mutex);
    --open;
    if (stopping && open == 0 && on_drained) drained = std::exchange(on_drained, nullptr);
  }
  if (drained) asio::post(io, drained);
}

namespace {

void do_accept(std::shared_ptr<HttpServer::Shared> shared);

// Logged at once, then at most once per interval with how many failed since.
constexpr auto accept_failure_log_every = std::chrono::seconds(10);
constexpr auto accept_backoff_first = std::chrono::milliseconds(10);
constexpr auto accept_backoff_most = std::chrono::milliseconds(1000);

void on_accept(std::shared_ptr<HttpServer::Shared> shared, beast::error_code ec,
               tcp::socket socket) {
  if (ec == asio::error::operation_aborted) return;
  if (!ec) {
    shared->accept_backoff = std::chrono::milliseconds(0);
    std::shared_ptr<HttpSession> session;
    {
      std::lock_guard lock(shared->mutex);
      if (shared->stopping) return;
      if (shared->open < shared->limits.max_connections) {
        ++shared->open;
        // A response is one write; waiting for more to coalesce only adds the peer's delayed ACK.
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        session = std::make_shared<HttpSession>(std::move(socket), shared);
        std::erase_if(shared->sessions, [](const auto& weak) { return weak.expired(); });
        shared->sessions.push_back(session);
      }
    }
    if (session) session->run();  // else the socket closes here: over the connection limit
    return do_accept(std::move(shared));
  }
  // Out of descriptors (or kernel memory): the connections already open go on being served;
  // new ones wait in the listen backlog while accepting pauses. Any other error (a client that
  // gave up in the backlog) concerns one connection: accept the next at once.
  const bool out_of_resources = ec == asio::error::no_descriptors ||
                                ec == boost::system::errc::too_many_files_open_in_system ||
                                ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
  if (!out_of_resources) return do_accept(std::move(shared));
  shared->core.count_accept_failure();
  ++shared->accept_failures_unlogged;
  const auto now = std::chrono::steady_clock::now();
  if (now - shared->accept_failure_logged >= accept_failure_log_every) {
    std::size_t open = 0;
    {
      std::lock_guard lock(shared->mutex);
      open = shared->open;
    }
    shared->core.log().warning(fmt::format(
        "cannot accept connections: {} ({} time(s) since the last report; {} connection(s) "
        "open); pausing accepts up to {} ms at a time",
        ec.message(), shared->accept_failures_unlogged, open, accept_backoff_most.count()));
    shared->accept_failures_unlogged = 0;
    shared->accept_failure_logged = now;
  }
  shared->accept_backoff = std::min(accept_backoff_most, shared->accept_backoff.count() == 0
                                                             ? accept_backoff_first
                                                             : shared->accept_backoff * 2);
  shared->accept_pause.expires_after(shared->accept_backoff);
  shared->accept_pause.async_wait([shared](beast::error_code timer_ec) mutable {
    if (timer_ec) return;
    do_accept(std::move(shared));
  });
}

void do_accept(std::shared_ptr<HttpServer::Shared> shared) {
  auto& acceptor = shared->acceptor;
  if (!acceptor.is_open()) return;
  acceptor.async_accept(asio::make_strand(shared->io),
                        [shared](beast::error_code ec, tcp::socket socket) mutable {
                          on_accept(std::move(shared), ec, std::move(socket));
                        });
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, DaemonCore& core, HttpLimits limits)
    : handlers_(limits.handler_threads),
      shared_(std::make_shared<Shared>(io, handlers_.get_executor(), core, limits)) {
  // A call's webhook that waited behind the one before it runs where webhooks run.
  core.set_post([shared = shared_](std::function<void()> work) {
    if (shared->core.webhooks_may_block()) {
      asio::post(shared->handlers, std::move(work));
    } else {
      asio::post(shared->io, std::move(work));
    }
  });
}

// Handlers still running (a tool call past the stop deadline) finish, and turns handed to the
// store are committed, before the core goes away.
HttpServer::~HttpServer() {
  handlers_.join();
  shared_->core.flush();
  shared_->core.set_post({});
  shared_->core.drop_waiting();  // while the io_context their sessions live on is still here
  std::lock_guard lock(shared_->mutex);
  shared_->on_drained = nullptr;  // sessions closing from here on have no one to tell
}

Result<tcp::endpoint, std::string> HttpServer::listen(const std::string& address) {
  std::string host = address;
  std::string port;
  if (!host.empty() && host.front() == '[') {
    const auto bracket = host.find(']');
    port = host.substr(bracket + 2);
    host = host.substr(1, bracket - 1);
  } else {
    const auto colon = host.rfind(':');
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  beast::error_code ec;
  const auto ip = asio::ip::make_address(host, ec);
  if (ec) return unexpected(fmt::format("listen = \"{}\": {} is not an IP address", address, host));
  const tcp::endpoint endpoint(ip, static_cast<unsigned short>(std::stoi(port)));
  auto& acceptor = shared_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return unexpected(fmt::format("cannot listen on {}: {}", address, ec.message()));
  const tcp::endpoint bound = acceptor.local_endpoint(ec);
  do_accept(shared_);
  return bound;
}

void HttpServer::shutdown(std::function<void()> on_drained) {
  std::vector<std::shared_ptr<HttpSession>> live;
  bool drained_now = false;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
    for (const auto& weak : shared_->sessions)
      if (auto session = weak.lock()) live.push_back(session);
    drained_now = shared_->open == 0;
    if (!drained_now) shared_->on_drained = std::move(on_drained);
  }
  asio::post(shared_->acceptor.get_executor(), [shared = shared_] {
    beast::error_code ignored;
    shared->accept_pause.cancel();
    shared->acceptor.close(ignored);
  });
  for (const auto& session : live) session->stop();
  if (drained_now && on_drained) asio::post(shared_->io, std::move(on_drained));
}

std::size_t HttpServer::connections() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->open;
}

}  // namespace voiceops::daemon
