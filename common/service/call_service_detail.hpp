#pragma once
// What the CallService's files share: a form parameter or "", a plain-text answer, the
// carrier's dial status in the engine's words.
#include <optional>
#include <string>
#include <string_view>

#include "engine/events.hpp"
#include "service/http_message.hpp"
#include "twilio/form.hpp"

namespace voiceops::service {

inline constexpr int max_tool_rounds = 16;  // a flow of call steps chained by on_ok is short

inline std::string param(const twilio::FormParams& form, std::string_view name) {
  const std::string* value = twilio::find_param(form, name);
  return value ? *value : std::string();
}

inline HttpResponse plain(int status, std::string text) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(text) + "\n";
  return response;
}

inline std::optional<engine::TransferStatus> dial_status(std::string_view status) {
  if (status == "completed" || status == "answered") return engine::TransferStatus::completed;
  return engine::transfer_status_from(status);
}

}  // namespace voiceops::service
