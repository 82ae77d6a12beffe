#pragma once
// A small blocking HTTP/1.1 client over POSIX sockets, for the CLI to talk to a voiceopsd it
// points at (`testcalls run --target`). http:// only: no TLS, no redirects, no proxies. Responses
// need a Content-Length (or end with the connection); bodies are capped. Keeps one connection
// alive between requests and reconnects once when the server closed it in between.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "base/unique_fd.hpp"

namespace voiceops::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive, first match; empty when absent.
std::string_view find_header(const Headers& headers, std::string_view name);

struct HttpUrl {
  std::string host;  // a name or an address; IPv6 without brackets
  int port = 80;
  std::string path;            // "/" or "/base/path", never with a trailing '/' beyond the root
  std::string origin() const;  // "http://host:port" (brackets around IPv6)
};

enum class UrlErrorKind { unsupported_scheme, malformed };
struct UrlError {
  UrlErrorKind kind = UrlErrorKind::malformed;
  std::string message;
};

// "http://host[:port][/path]"; https:// and other schemes are unsupported_scheme.
Result<HttpUrl, UrlError> parse_http_url(std::string_view text);

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds io_timeout{20000};  // each wait for the socket, not the whole exchange
  std::size_t max_body_bytes = 4 * 1024 * 1024;
  bool keep_alive = true;
};

struct ClientRequest {
  std::string method = "GET";
  std::string target;  // path and query, e.g. "/twilio/voice"
  Headers headers;     // Host, Content-Length and Connection are added
  std::string body;
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

enum class HttpErrorKind {
  unreachable,  // name lookup or connect failed: nothing listens there
  timeout,      // connect or a read/write took longer than its timeout
  protocol,     // the answer is not HTTP/1.x this client understands
  too_large,    // the body is over max_body_bytes
  io,           // the connection broke mid-exchange
};

struct HttpError {
  HttpErrorKind kind = HttpErrorKind::io;
  std::string message;  // ready to print: "connect to 127.0.0.1:8080: Connection refused"
};

class HttpClient {
 public:
  explicit HttpClient(HttpUrl server, HttpClientOptions options = {});

  Result<ClientResponse, HttpError> send(const ClientRequest& request);
  const HttpUrl& server() const { return server_; }

 private:
  Result<bool, HttpError> connect();
  Result<ClientResponse, HttpError> exchange(const ClientRequest& request, bool& nothing_read);

  HttpUrl server_;
  HttpClientOptions options_;
  UniqueFd socket_;
};

}  // namespace voiceops::net
