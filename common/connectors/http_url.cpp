// Where a client sends: URLs and header lookup.
#include "connectors/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

namespace voiceops::connectors {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
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
  return (tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

Result<HttpUrl, UrlError> parse_http_url(std::string_view text) {
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos)
    return unexpected(UrlError{UrlErrorKind::malformed,
                               "'" + std::string(text) + "' is not a URL like http://host:port"});
  const std::string_view scheme = text.substr(0, scheme_end);
  const bool tls = iequals(scheme, "https");
  if (!tls && !iequals(scheme, "http")) {
    return unexpected(
        UrlError{UrlErrorKind::unsupported_scheme,
                 "'" + std::string(scheme) + "://' is not supported: only http:// and https://"});
  }
  std::string_view rest = text.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos)
    return unexpected(UrlError{UrlErrorKind::malformed,
                               "'" + std::string(text) + "': no query or fragment, please"});
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  HttpUrl url;
  url.tls = tls;
  url.port = tls ? 443 : 80;
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

}  // namespace voiceops::connectors
