#pragma once
// The carrier's delivery status callback for a text (the StatusCallback of a Messages request):
// a signed form POST with MessageSid, MessageStatus and, on failure, ErrorCode (30003
// unreachable, 30005 unknown number, 30006 landline, 30007 filtered as spam, ...).
#include <optional>
#include <string>

#include "base/result.hpp"
#include "carrier/form.hpp"

namespace voiceops::carrier {

inline constexpr std::string_view message_status_path = "/twilio/message-status";

struct MessageStatusReport {
  std::string message_sid;  // SM... or MM...
  std::string status;       // queued, sent, delivered, undelivered, failed, ...
  std::optional<int> error_code;
  bool failed() const { return status == "undelivered" || status == "failed"; }
};

// The report in `form`, or why it is not one.
Result<MessageStatusReport, std::string> read_message_status(const FormParams& form);

}  // namespace voiceops::carrier
