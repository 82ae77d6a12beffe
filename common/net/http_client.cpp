#include "net/http_client.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

namespace voiceops::net {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t max_header_bytes = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

HttpError error(HttpErrorKind kind, std::string message) {
  return {kind, std::move(message)};
}

std::string errno_text(int code) {
  return std::strerror(code);
}

// Waits until `fd` is ready for `events`, or the deadline passes: false on timeout.
Result<bool, HttpError> wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return unexpected(error(HttpErrorKind::io, "poll: " + errno_text(errno)));
  }
}

struct ParsedHead {
  int status = 0;
  bool http10 = false;
  Headers headers;
};

Result<ParsedHead, HttpError> parse_head(std::string_view head) {
  ParsedHead parsed;
  const std::size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  // "HTTP/1.1 200 OK"
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.") || status_line[8] != ' ')
    return unexpected(
        error(HttpErrorKind::protocol,
              "not an HTTP/1.x response: \"" + std::string(status_line.substr(0, 40)) + "\""));
  parsed.http10 = status_line[7] == '0';
  auto [end, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, parsed.status);
  if (ec != std::errc() || end != status_line.data() + 12 || parsed.status < 100)
    return unexpected(error(HttpErrorKind::protocol,
                            "bad status line: \"" + std::string(status_line.substr(0, 40)) + "\""));
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    const std::size_t eol = rest.find("\r\n");
    const std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? "" : rest.substr(eol + 2);
    if (line.empty()) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return unexpected(error(HttpErrorKind::protocol, "bad header line in the response"));
    parsed.headers.emplace_back(std::string(line.substr(0, colon)),
                                std::string(trim(line.substr(colon + 1))));
  }
  return parsed;
}

}  // namespace

std::string_view find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

std::string HttpUrl::origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<HttpUrl, UrlError> parse_http_url(std::string_view text) {
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos)
    return unexpected(UrlError{UrlErrorKind::malformed,
                               "'" + std::string(text) + "' is not a URL like http://host:port"});
  if (!iequals(text.substr(0, scheme_end), "http")) {
    return unexpected(UrlError{UrlErrorKind::unsupported_scheme,
                               "'" + std::string(text.substr(0, scheme_end)) +
                                   "://' is not supported: only http:// (no TLS)"});
  }
  std::string_view rest = text.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos)
    return unexpected(UrlError{UrlErrorKind::malformed,
                               "'" + std::string(text) + "': no query or fragment, please"});
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  HttpUrl url;
  url.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  while (url.path.size() > 1 && url.path.back() == '/') url.path.pop_back();
  if (authority.find('@') != std::string_view::npos)
    return unexpected(UrlError{UrlErrorKind::malformed, "'" + std::string(text) +
                                                            "': credentials in the URL are "
                                                            "not supported"});
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return unexpected(UrlError{UrlErrorKind::malformed,
                                 "'" + std::string(text) + "': unclosed '[' in the host"});
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':'))
      return unexpected(UrlError{UrlErrorKind::malformed, "'" + std::string(text) + "': bad host"});
    if (!after.empty()) port_text = after.substr(1);
  } else {
    const std::size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty())
    return unexpected(UrlError{UrlErrorKind::malformed, "'" + std::string(text) + "': no host"});
  if (!port_text.empty()) {
    auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), url.port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || url.port < 1 ||
        url.port > 65535)
      return unexpected(UrlError{UrlErrorKind::malformed,
                                 "'" + std::string(text) + "': the port is not 1-65535"});
  }
  return url;
}

HttpClient::HttpClient(HttpUrl server, HttpClientOptions options)
    : server_(std::move(server)), options_(options) {}

Result<bool, HttpError> HttpClient::connect() {
  socket_.reset();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(server_.port);
  const std::string where = server_.host + ":" + port;
  if (int rc = ::getaddrinfo(server_.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return unexpected(error(HttpErrorKind::unreachable,
                            "cannot resolve " + server_.host + ": " + ::gai_strerror(rc)));
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
  const auto deadline = Clock::now() + options_.connect_timeout;
  HttpError last = error(HttpErrorKind::unreachable, "connect to " + where + ": no address");
  for (const addrinfo* a = found; a; a = a->ai_next) {
    UniqueFd fd(
        ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol));
    if (!fd) {
      last = error(HttpErrorKind::io, "socket: " + errno_text(errno));
      continue;
    }
    int code = 0;
    if (::connect(fd.get(), a->ai_addr, a->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        last = error(HttpErrorKind::unreachable, "connect to " + where + ": " + errno_text(errno));
        continue;
      }
      auto ready = wait_for(fd.get(), POLLOUT, deadline);
      if (!ready) return unexpected(ready.error());
      if (!*ready) {
        last = error(HttpErrorKind::timeout, "connect to " + where + ": no answer within " +
                                                 std::to_string(options_.connect_timeout.count()) +
                                                 " ms");
        continue;
      }
      socklen_t length = sizeof code;
      ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &code, &length);
      if (code != 0) {
        last = error(HttpErrorKind::unreachable, "connect to " + where + ": " + errno_text(code));
        continue;
      }
    }
    const int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    socket_ = std::move(fd);
    return true;
  }
  return unexpected(last);
}

Result<ClientResponse, HttpError> HttpClient::send(const ClientRequest& request) {
  const bool reused = static_cast<bool>(socket_);
  if (!reused) {
    if (auto connected = connect(); !connected) return unexpected(connected.error());
  }
  bool nothing_read = false;
  auto response = exchange(request, nothing_read);
  // A kept-alive connection the server closed while idle fails before any answer: once more.
  if (!response && reused && nothing_read && response.error().kind == HttpErrorKind::io) {
    if (auto connected = connect(); !connected) return unexpected(connected.error());
    response = exchange(request, nothing_read);
  }
  if (!response) socket_.reset();
  return response;
}

Result<ClientResponse, HttpError> HttpClient::exchange(const ClientRequest& request,
                                                       bool& nothing_read) {
  nothing_read = true;
  const int fd = socket_.get();
  const std::string where = server_.host + ":" + std::to_string(server_.port);
  std::string wire = request.method + " " + request.target + " HTTP/1.1\r\n";
  const bool v6 = server_.host.find(':') != std::string::npos;
  wire += "Host: " + (v6 ? "[" + server_.host + "]" : server_.host) + ":" +
          std::to_string(server_.port) + "\r\n";
  for (const auto& [name, value] : request.headers) wire += name + ": " + value + "\r\n";
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT")
    wire += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  wire += options_.keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  wire += request.body;

  auto timed_out = [&](const char* what) {
    return error(HttpErrorKind::timeout, std::string(what) + " " + where + ": no progress within " +
                                             std::to_string(options_.io_timeout.count()) + " ms");
  };
  for (std::size_t sent = 0; sent < wire.size();) {
    const ssize_t n = ::send(fd, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      auto ready = wait_for(fd, POLLOUT, Clock::now() + options_.io_timeout);
      if (!ready) return unexpected(ready.error());
      if (!*ready) return unexpected(timed_out("write to"));
      continue;
    }
    return unexpected(error(HttpErrorKind::io, "write to " + where + ": " + errno_text(errno)));
  }

  std::string buffer;
  bool eof = false;
  // Reads more into `buffer`; false at the end of the stream.
  auto read_more = [&]() -> Result<bool, HttpError> {
    char chunk[16 * 1024];
    for (;;) {
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n > 0) {
        nothing_read = false;
        buffer.append(chunk, static_cast<std::size_t>(n));
        return true;
      }
      if (n == 0) {
        eof = true;
        return false;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        auto ready = wait_for(fd, POLLIN, Clock::now() + options_.io_timeout);
        if (!ready) return unexpected(ready.error());
        if (!*ready) return unexpected(timed_out("read from"));
        continue;
      }
      return unexpected(error(HttpErrorKind::io, "read from " + where + ": " + errno_text(errno)));
    }
  };

  std::size_t head_end;
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (buffer.size() > max_header_bytes)
      return unexpected(error(HttpErrorKind::too_large, "the response's headers are over 64 KiB"));
    auto more = read_more();
    if (!more) return unexpected(more.error());
    if (!*more)
      return unexpected(
          error(HttpErrorKind::io, where + " closed the connection " +
                                       (buffer.empty() ? "without answering" : "mid-response")));
  }
  auto head = parse_head(std::string_view(buffer).substr(0, head_end));
  if (!head) return unexpected(head.error());
  ClientResponse response;
  response.status = head->status;
  response.headers = std::move(head->headers);
  buffer.erase(0, head_end + 4);

  if (!response.header("Transfer-Encoding").empty())
    return unexpected(error(HttpErrorKind::protocol,
                            "the response uses Transfer-Encoding " +
                                std::string(response.header("Transfer-Encoding")) +
                                ", which this client does not read (it needs Content-Length)"));
  const std::string_view length_text = response.header("Content-Length");
  const bool no_body = request.method == "HEAD" || response.status == 204 ||
                       response.status == 304 || response.status < 200;
  if (!length_text.empty()) {
    std::size_t length = 0;
    auto [end, ec] =
        std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
    if (ec != std::errc() || end != length_text.data() + length_text.size())
      return unexpected(error(HttpErrorKind::protocol,
                              "bad Content-Length \"" + std::string(length_text) + "\""));
    if (length > options_.max_body_bytes)
      return unexpected(
          error(HttpErrorKind::too_large, "the response body (" + std::to_string(length) +
                                              " bytes) is over the limit of " +
                                              std::to_string(options_.max_body_bytes)));
    if (no_body) length = 0;
    while (buffer.size() < length) {
      auto more = read_more();
      if (!more) return unexpected(more.error());
      if (!*more)
        return unexpected(error(HttpErrorKind::io, where + " closed the connection mid-response"));
    }
    buffer.resize(length);  // anything beyond would be an unasked-for pipelined answer
  } else if (no_body) {
    buffer.clear();
  } else {
    // No length: the body runs to the end of the connection.
    for (;;) {
      if (buffer.size() > options_.max_body_bytes)
        return unexpected(error(HttpErrorKind::too_large,
                                "the response body is over the limit of " +
                                    std::to_string(options_.max_body_bytes) + " bytes"));
      auto more = read_more();
      if (!more) return unexpected(more.error());
      if (!*more) break;
    }
  }
  response.body = std::move(buffer);
  const bool server_closes =
      iequals(response.header("Connection"), "close") || head->http10 || eof || length_text.empty();
  if (server_closes || !options_.keep_alive) socket_.reset();
  return response;
}

}  // namespace voiceops::net
