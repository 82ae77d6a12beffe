#include "carrier/message_status.hpp"

#include "base/carrier_ids.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace voiceops::carrier {
namespace {

// The statuses the carrier documents for a message's lifecycle.
constexpr std::array<std::string_view, 14> known_statuses = {"accepted",
                                                             "scheduled",
                                                             "canceled",
                                                             "queued",
                                                             "sending",
                                                             "sent",
                                                             "failed",
                                                             "delivered",
                                                             "undelivered",
                                                             "receiving",
                                                             "received",
                                                             "read",
                                                             "partially_delivered",
                                                             "sending_failed"};

const std::string* only(const FormParams& form, std::string_view name, bool& repeated) {
  const std::string* found = nullptr;
  for (const auto& [key, value] : form) {
    if (key != name) continue;
    if (found) repeated = true;
    found = &value;
  }
  return found;
}

}  // namespace

Result<MessageStatusReport, std::string> read_message_status(const FormParams& form) {
  bool repeated = false;
  const std::string* sid = only(form, "MessageSid", repeated);
  const std::string* status = only(form, "MessageStatus", repeated);
  const std::string* code = only(form, "ErrorCode", repeated);
  if (repeated) return unexpected(std::string("a parameter is given twice"));
  if (!sid || !(is_sid(*sid, "SM") || is_sid(*sid, "MM")))
    return unexpected(std::string("no MessageSid, or not SM followed by 32 hexadecimal digits"));
  if (!status ||
      std::find(known_statuses.begin(), known_statuses.end(), *status) == known_statuses.end())
    return unexpected(std::string("no MessageStatus, or not a status the carrier sends"));
  MessageStatusReport report{*sid, *status, std::nullopt};
  if (code && !code->empty()) {
    int value = 0;
    auto [end, ec] = std::from_chars(code->data(), code->data() + code->size(), value);
    if (ec != std::errc() || end != code->data() + code->size() || value < 0)
      return unexpected(std::string("ErrorCode is not a number"));
    report.error_code = value;
  }
  return report;
}

}  // namespace voiceops::carrier
