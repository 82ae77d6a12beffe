#pragma once
// The carrier's REST answers, read: a Message resource, a page of Messages, a page of
// IncomingPhoneNumbers, and the error object every failure carries ({code, message, more_info,
// status}). Pure functions over the body and status, so the fuzzer reaches them without a server.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "connectors/send_error.hpp"

namespace voiceops::connectors::twilio {

struct Message {
  std::string sid;  // SM… (or MM…)
  std::string to, from, body;
  std::string status;  // accepted, queued, sending, sent, delivered, undelivered, failed, …
  std::optional<int> error_code;
  std::string date_created;                  // RFC 2822, as the carrier writes it
  std::optional<std::int64_t> created_unix;  // date_created read; none when absent or unreadable
};

// "Mon, 07 Dec 2026 00:40:01 +0000" as Unix seconds.
std::optional<std::int64_t> read_rfc2822(std::string_view text);

struct MessagePage {
  std::vector<Message> messages;
  std::string next_page_uri;  // empty on the last page
};

struct IncomingNumber {
  std::string sid;  // PN…
  std::string phone_number;
  std::string friendly_name;
  std::string voice_url, voice_method;
  std::string voice_fallback_url, voice_fallback_method;
  std::string status_callback, status_callback_method;
  std::string voice_application_sid;  // set: the number's calls go to a TwiML App instead
  std::string sms_url;
};

struct NumberPage {
  std::vector<IncomingNumber> numbers;
  std::string next_page_uri;
};

// The kinds are the messaging services' (connectors/send_error.hpp): 21211 and 21610 are
// rejected, 20003 auth, 429 and 20429 rate_limited.
using ErrorKind = SendErrorKind;
using connectors::kind_name;

struct Error {
  ErrorKind kind = ErrorKind::server;
  int code = 0;         // the carrier's error code (21211, 21610, 20429…), 0 when none came
  int http_status = 0;  // 0 when no HTTP answer came
  std::string message;  // one line, ready to print; never holds a secret
  std::string more_info;
  std::optional<int> retry_after_s;  // from Retry-After, when it came
  // The request may have been carried out though no answer said so (a timeout, a connection that
  // broke after sending, a 5xx): look before sending again.
  bool ambiguous = false;
};

// Settings that are missing or malformed, said in `message`.
Error config_error(std::string message);

// The well-known codes this client acts on.
inline constexpr int invalid_to_number = 21211;
inline constexpr int recipient_opted_out = 21610;
inline constexpr int too_many_requests = 20429;

// Any non-2xx answer as an Error: the carrier's JSON error object when the body is one, else the
// status line alone. `retry_after` is the header's value, seconds or an HTTP date (only seconds
// are honoured; a date counts as absent).
Error read_error(int http_status, std::string_view body, std::string_view retry_after);

Result<Message, Error> read_message(std::string_view body);
Result<MessagePage, Error> read_message_page(std::string_view body);
Result<NumberPage, Error> read_number_page(std::string_view body);

}  // namespace voiceops::connectors::twilio
