// libFuzzer target: what the carrier's REST API (or a proxy before it) answers the message
// worker, the in-call page and `twilio check-number`, what Mailgun answers, and the carrier's
// delivery status callback. The first byte picks the reader and the HTTP status:
//   % 6 == 0  an error answer (read_error) under one of the statuses below;
//   % 6 == 1  a Message resource;  2  a page of Messages;  3  a page of IncomingPhoneNumbers;
//   % 6 == 4  a Mailgun answer under one of the statuses;
//   % 6 == 5  a status callback's form body (decode_form, then read_message_status).
// For 0 and 4, a first line ending in '\n' is the Retry-After header and the rest the body.
// Beyond "no crash": every failure has a one-line message, a wait is never negative nor over a
// day, and what is read has what the readers promise (a sid, a phone number, a message id).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "carrier/form.hpp"
#include "carrier/message_status.hpp"
#include "connectors/mailgun/mail_client.hpp"
#include "connectors/twilio/rest_reply.hpp"

namespace twilio = voiceops::connectors::twilio;
namespace mailgun = voiceops::connectors::mailgun;

namespace {

void check_line(const std::string& message) {
  if (message.empty()) __builtin_trap();
  for (char c : message)
    if (c == '\n' || c == '\r') __builtin_trap();
}

void check_wait(const std::optional<int>& seconds) {
  if (seconds && (*seconds < 0 || *seconds > 24 * 3600)) __builtin_trap();
}

void check_malformed(const twilio::Error& error) {
  if (error.kind != twilio::ErrorKind::malformed) __builtin_trap();
  check_line(error.message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t pick = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  constexpr std::array statuses = {200, 201, 400, 401, 402, 403, 404, 413,
                                   420, 429, 500, 502, 503, 504, 302, 0};
  const int status = statuses[(pick / 6) % statuses.size()];
  const std::size_t line = input.find('\n');
  const std::string_view retry_after = line == std::string_view::npos ? "" : input.substr(0, line);
  const std::string_view answer_body =
      line == std::string_view::npos ? input : input.substr(line + 1);
  const std::string_view body = input;

  switch (pick % 6) {
    case 0: {
      const twilio::Error error = twilio::read_error(status, answer_body, retry_after);
      check_line(error.message);
      check_wait(error.retry_after_s);
      if (error.http_status != status || error.code < 0) __builtin_trap();
      if (error.ambiguous != (error.kind == twilio::ErrorKind::server)) __builtin_trap();
      (void)twilio::kind_name(error.kind);
      break;
    }
    case 1: {
      auto message = twilio::read_message(body);
      if (!message) {
        check_malformed(message.error());
      } else if (message->sid.empty() || (message->error_code && *message->error_code < 0)) {
        __builtin_trap();
      }
      break;
    }
    case 2: {
      auto page = twilio::read_message_page(body);
      if (!page) {
        check_malformed(page.error());
      } else {
        for (const auto& message : page->messages)
          if (message.sid.empty()) __builtin_trap();
      }
      break;
    }
    case 3: {
      auto page = twilio::read_number_page(body);
      if (!page) {
        check_malformed(page.error());
      } else {
        for (const auto& number : page->numbers)
          if (number.phone_number.empty()) __builtin_trap();
      }
      break;
    }
    case 4: {
      auto answer = mailgun::read_answer(status, answer_body, retry_after);
      if (answer) {
        if (answer->empty() || status < 200 || status >= 300) __builtin_trap();
      } else {
        const mailgun::Error& error = answer.error();
        check_line(error.message);
        check_wait(error.retry_after_s);
        (void)mailgun::kind_name(error.kind);
      }
      break;
    }
    case 5: {
      auto form = voiceops::carrier::decode_form(body);
      if (!form) {
        if (form.error().message.empty()) __builtin_trap();
        break;
      }
      auto report = voiceops::carrier::read_message_status(*form);
      if (!report) {
        if (report.error().empty()) __builtin_trap();
      } else {
        const auto& sid = report->message_sid;
        if (sid.size() != 34 || !(sid.starts_with("SM") || sid.starts_with("MM")) ||
            report->status.empty() || (report->error_code && *report->error_code < 0))
          __builtin_trap();
        (void)report->failed();
      }
      break;
    }
  }
  return 0;
}
