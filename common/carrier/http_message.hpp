#pragma once
// The small request/response pair the webhook handlers work on. The daemon fills it from
// Boost.Beast; the test-pack runner fills it directly, so both run the very same handler code.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace voiceops::carrier {

struct HttpRequest {
  std::string method = "POST";
  std::string target;  // path and query, e.g. "/twilio/gather?attempt=2"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Case-insensitive, first match; empty when absent.
  std::string_view header(std::string_view name) const;
  std::string_view path() const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/xml; charset=utf-8";
  std::string body;
};

}  // namespace voiceops::carrier
