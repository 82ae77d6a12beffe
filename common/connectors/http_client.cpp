// One server's HTTP exchanges through a kept libcurl easy handle.
#include "connectors/http_client.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace voiceops::connectors {
namespace {

// What libcurl hands the callbacks during one exchange.
struct Exchange {
  std::size_t max_body = 0;
  bool over_cap = false;
  ClientResponse response;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  if (exchange.response.body.size() + bytes > exchange.max_body) {
    exchange.over_cap = true;
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  exchange.response.body.append(data, bytes);
  return bytes;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes);
  // Each response's status line starts its headers afresh (a 100 Continue, a proxy's CONNECT).
  if (line.starts_with("HTTP/")) {
    exchange.response.headers.clear();
  } else if (const std::size_t colon = line.find(':');
             colon != std::string_view::npos && colon > 0) {
    exchange.response.headers.emplace_back(std::string(line.substr(0, colon)),
                                           std::string(trim(line.substr(colon + 1))));
  }
  return bytes;
}

HttpErrorKind kind_of(CURLcode code, bool over_cap) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT: return HttpErrorKind::unreachable;
    case CURLE_OPERATION_TIMEDOUT: return HttpErrorKind::timeout;
    case CURLE_FILESIZE_EXCEEDED: return HttpErrorKind::too_large;
    case CURLE_WRITE_ERROR: return over_cap ? HttpErrorKind::too_large : HttpErrorKind::io;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE: return HttpErrorKind::tls;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_TOO_MANY_REDIRECTS: return HttpErrorKind::protocol;
    default: return HttpErrorKind::io;
  }
}

// Loopback never goes through a proxy, whatever the environment says; other hosts follow
// no_proxy (or NO_PROXY), as curl(1) does.
std::string no_proxy_list() {
  std::string list = "localhost,127.0.0.1,::1";
  for (const char* name : {"no_proxy", "NO_PROXY"}) {
    if (const char* value = std::getenv(name); value && *value) {
      list += ",";
      list += value;
      break;
    }
  }
  return list;
}

}  // namespace

HttpClient::HttpClient(HttpUrl server, HttpClientOptions options)
    : server_(std::move(server)), options_(options), curl_(CurlLibrary::load()) {}

Result<ClientResponse, HttpError> HttpClient::send(const ClientRequest& request) {
  if (!curl_) return unexpected(HttpError{HttpErrorKind::unavailable, curl_.error()});
  const CurlLibrary& curl = **curl_;
  if (!easy_) {
    easy_ = std::unique_ptr<CURL, EasyDeleter>(curl.easy_init(), EasyDeleter{*curl_});
    if (!easy_) return unexpected(HttpError{HttpErrorKind::io, "libcurl could not start"});
  } else {
    curl.easy_reset(easy_.get());
  }
  CURL* easy = easy_.get();
  const std::string url = server_.origin() + request.target;
  const std::string no_proxy = no_proxy_list();
  char error_text[CURL_ERROR_SIZE] = {};
  Exchange exchange;
  exchange.max_body = options_.max_body_bytes;

  curl.easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: safe in threads
  const auto total = request.timeout.count() > 0 ? std::min(request.timeout, options_.total_timeout)
                                                 : options_.total_timeout;
  curl.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(options_.connect_timeout, total).count()));
  curl.easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
  curl.easy_setopt(easy, CURLOPT_NOPROXY, no_proxy.c_str());
  if (!options_.ca_file.empty()) curl.easy_setopt(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, error_text);
  curl.easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(options_.max_body_bytes));
  curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl.easy_setopt(easy, CURLOPT_WRITEDATA, &exchange);
  curl.easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl.easy_setopt(easy, CURLOPT_HEADERDATA, &exchange);
  if (!options_.keep_alive) curl.easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);

  if (request.method == "GET") {
    curl.easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl.easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else {
    if (request.method != "POST")
      curl.easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl.easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
  }

  // The caller's headers, and none of libcurl's own 100-continue wait.
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(nullptr, curl.slist_free_all);
  const auto add_header = [&](const std::string& line) {
    if (curl_slist* longer = curl.slist_append(headers.get(), line.c_str())) {
      headers.release();
      headers.reset(longer);
    }
  };
  for (const auto& [name, value] : request.headers) add_header(name + ": " + value);
  add_header("Expect:");
  if (!options_.keep_alive) add_header("Connection: close");
  curl.easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode code = curl.easy_perform(easy);
  if (code != CURLE_OK) {
    const std::string why = error_text[0] ? error_text : curl.easy_strerror(code);
    const HttpErrorKind kind = kind_of(code, exchange.over_cap);
    if (kind == HttpErrorKind::too_large)
      return unexpected(HttpError{kind, request.method + " " + url + ": the answer is over " +
                                            std::to_string(options_.max_body_bytes) + " bytes"});
    return unexpected(HttpError{kind, request.method + " " + url + ": " + why});
  }
  long status = 0;
  curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  exchange.response.status = static_cast<int>(status);
  return std::move(exchange.response);
}

}  // namespace voiceops::connectors
