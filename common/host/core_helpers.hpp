#pragma once
// Small pieces the DaemonCore's files share: plain HTTP answers, the last-resort apology, how a
// call id is shortened for the log, and JSON dumped the one way.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "carrier/http_message.hpp"

namespace voiceops::host {

using nlohmann::json;

inline carrier::HttpResponse text_response(int status, std::string body,
                                           std::string content_type = "text/plain; charset=utf-8") {
  carrier::HttpResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

// The last resort when even the fallback could not be built: still spoken TwiML, never a 5xx.
inline carrier::HttpResponse static_apology() {
  return text_response(
      200,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Say>Sorry, something "
      "went wrong on our side. Please call us back.</Say><Hangup/></Response>\n",
      "text/xml; charset=utf-8");
}

inline std::string short_id(std::string_view call_id) {
  return std::string(call_id.substr(0, 40));
}

inline std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

inline std::string error_json(std::string_view message) {
  return dump(json{{"ok", false}, {"error", message}});
}

}  // namespace voiceops::host
