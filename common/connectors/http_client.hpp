#pragma once
// A blocking HTTP client on libcurl (connectors/curl_library.hpp) for one server: http and https
// (the system's CA certificates), connect and total timeouts, proxies from the environment
// (http_proxy, https_proxy, no_proxy; loopback never goes through one), capped bodies, no
// redirects. Keeps its connection alive between requests and opens it again when the server
// closed it in between. One client per thread.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "connectors/curl_library.hpp"

namespace voiceops::connectors {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive, first match; empty when absent.
std::string_view find_header(const Headers& headers, std::string_view name);

struct HttpUrl {
  std::string host;  // a name or an address; IPv6 without brackets
  int port = 80;
  std::string path;            // "/" or "/base/path", never with a trailing '/' beyond the root
  bool tls = false;            // https
  std::string origin() const;  // "http://host:port" (brackets around IPv6)
};

enum class UrlErrorKind { unsupported_scheme, malformed };
struct UrlError {
  UrlErrorKind kind = UrlErrorKind::malformed;
  std::string message;
};

// "http://host[:port][/path]" or "https://..." (port 443 by default); other schemes are
// unsupported_scheme.
Result<HttpUrl, UrlError> parse_http_url(std::string_view text);

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds total_timeout{20000};  // the whole exchange, connecting included
  // PEM certificates to trust for https instead of the system's (a private CA); empty: the
  // system's.
  std::string ca_file;
  std::size_t max_body_bytes = 4 * 1024 * 1024;
  bool keep_alive = true;
};

struct ClientRequest {
  std::string method = "GET";
  std::string target;  // path and query, e.g. "/twilio/voice"
  Headers headers;     // Host and Content-Length are added
  std::string body;
  // Shorter than the client's total_timeout for this exchange only (a tool call's own budget);
  // zero: the client's.
  std::chrono::milliseconds timeout{0};
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

enum class HttpErrorKind {
  unreachable,  // name lookup or connect failed: nothing listens there
  timeout,      // connecting or the whole exchange took longer than its timeout
  protocol,     // the answer is not HTTP this client understands
  too_large,    // the body is over max_body_bytes
  io,           // the connection broke mid-exchange
  tls,          // the TLS handshake or the server's certificate failed
  unavailable,  // libcurl cannot be loaded
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
  struct EasyDeleter {
    std::shared_ptr<const CurlLibrary> curl;
    void operator()(CURL* easy) const { curl->easy_cleanup(easy); }
  };

  HttpUrl server_;
  HttpClientOptions options_;
  Result<std::shared_ptr<const CurlLibrary>, std::string> curl_;
  std::unique_ptr<CURL, EasyDeleter> easy_;  // holds the kept-alive connection
};

}  // namespace voiceops::connectors
