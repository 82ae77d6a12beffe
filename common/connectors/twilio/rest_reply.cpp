#include "connectors/twilio/rest_reply.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <date/date.h>

#include <nlohmann/json.hpp>

#include "connectors/http_answers.hpp"

namespace voiceops::connectors::twilio {
namespace {

using Json = nlohmann::json;

Error malformed(std::string what) {
  Error error;
  error.kind = ErrorKind::malformed;
  error.message = "the carrier's answer is not " + std::move(what);
  return error;
}

// A string member, or empty when it is absent, null or not a string.
std::string text_of(const Json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

// An integer member that the carrier writes as a number or as a numeric string.
std::optional<int> integer_of(const Json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end()) return std::nullopt;
  if (it->is_number_integer()) {
    const auto value = it->get<std::int64_t>();
    if (value < 0 || value > 1'000'000'000) return std::nullopt;
    return static_cast<int>(value);
  }
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    int value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && end == s.data() + s.size() && value >= 0) return value;
  }
  return std::nullopt;
}

std::optional<Message> message_of(const Json& object) {
  if (!object.is_object()) return std::nullopt;
  Message message;
  message.sid = text_of(object, "sid");
  if (message.sid.empty()) return std::nullopt;
  message.to = text_of(object, "to");
  message.from = text_of(object, "from");
  message.body = text_of(object, "body");
  message.status = text_of(object, "status");
  message.error_code = integer_of(object, "error_code");
  message.date_created = text_of(object, "date_created");
  message.created_unix = read_rfc2822(message.date_created);
  return message;
}

Result<Json, Error> object_of(std::string_view body, const char* what) {
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return unexpected(malformed(what));
  return json;
}

}  // namespace

// The carrier writes one shape, "Tue, 24 Nov 2026 03:00:00 +0000"; anything else is unread.
// Read by hand: date::parse turns some malformed seconds into a NaN it then converts (UB).
std::optional<std::int64_t> read_rfc2822(std::string_view text) {
  if (text.size() != 31 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text[25] != ' ' ||
      (text[26] != '+' && text[26] != '-'))
    return std::nullopt;
  const auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    const char* first = text.data() + at;
    auto [end, ec] = std::from_chars(first, first + length, value);
    if (ec != std::errc() || end != first + length || *first == '-' || *first == '+')
      return std::nullopt;
    return value;
  };
  static constexpr std::array<std::string_view, 12> months = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto month = std::find(months.begin(), months.end(), text.substr(8, 3));
  const auto day = number(5, 2), year = number(12, 4), hour = number(17, 2), minute = number(20, 2),
             second = number(23, 2), zone_h = number(27, 2), zone_m = number(29, 2);
  if (month == months.end() || !day || !year || !hour || !minute || !second || !zone_h || !zone_m ||
      *hour > 23 || *minute > 59 || *second > 60 || *zone_h > 23 || *zone_m > 59)
    return std::nullopt;
  const date::year_month_day ymd{date::year{*year},
                                 date::month{static_cast<unsigned>(month - months.begin() + 1)},
                                 date::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  const std::int64_t zone = (*zone_h * 3600 + *zone_m * 60) * (text[26] == '-' ? -1 : 1);
  const std::int64_t days = date::sys_days{ymd}.time_since_epoch().count();
  return days * 86400 + *hour * 3600 + *minute * 60 + *second - zone;
}

Error config_error(std::string message) {
  Error error;
  error.kind = ErrorKind::config;
  error.message = std::move(message);
  return error;
}

Error read_error(int http_status, std::string_view body, std::string_view retry_after) {
  Error error;
  error.http_status = http_status;
  error.retry_after_s = retry_after_seconds(retry_after);
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded() && json.is_object()) {
    error.code = integer_of(json, "code").value_or(0);
    error.message = text_of(json, "message");
    error.more_info = text_of(json, "more_info");
  }
  error.message = one_line(error.message);  // whatever the carrier wrote, and never a novel
  const std::string code = error.code ? " (error " + std::to_string(error.code) + ")" : "";
  error.message = error.message.empty()
                      ? "the carrier answered HTTP " + std::to_string(http_status) + code
                      : "the carrier answered HTTP " + std::to_string(http_status) + code + ": " +
                            error.message;

  // Refusals that pass: a sender's queue full (21611), the account's queue overflowing (30001).
  const bool busy = error.code == 21611 || error.code == 30001;
  if (http_status == 429 || error.code == too_many_requests || busy) {
    error.kind = ErrorKind::rate_limited;
  } else if (http_status == 401 || http_status == 403) {
    error.kind = ErrorKind::auth;
  } else if (http_status >= 500) {
    // A 5xx may come after the carrier took the message (a proxy's 502 on a slow answer).
    error.kind = ErrorKind::server;
    error.ambiguous = true;
  } else if (http_status >= 400) {
    error.kind = ErrorKind::rejected;
  } else {
    error.kind = ErrorKind::malformed;
  }
  return error;
}

Result<Message, Error> read_message(std::string_view body) {
  auto json = object_of(body, "a Message resource");
  if (!json) return unexpected(json.error());
  auto message = message_of(*json);
  if (!message) return unexpected(malformed("a Message resource (no sid)"));
  return *message;
}

Result<MessagePage, Error> read_message_page(std::string_view body) {
  auto json = object_of(body, "a page of Messages");
  if (!json) return unexpected(json.error());
  auto list = json->find("messages");
  if (list == json->end() || !list->is_array())
    return unexpected(malformed("a page of Messages (no messages list)"));
  MessagePage page;
  for (const Json& item : *list) {
    auto message = message_of(item);
    if (!message) return unexpected(malformed("a page of Messages (a message without a sid)"));
    page.messages.push_back(std::move(*message));
  }
  page.next_page_uri = text_of(*json, "next_page_uri");
  return page;
}

Result<NumberPage, Error> read_number_page(std::string_view body) {
  auto json = object_of(body, "a page of IncomingPhoneNumbers");
  if (!json) return unexpected(json.error());
  auto list = json->find("incoming_phone_numbers");
  if (list == json->end() || !list->is_array())
    return unexpected(malformed("a page of IncomingPhoneNumbers (no incoming_phone_numbers list)"));
  NumberPage page;
  for (const Json& item : *list) {
    if (!item.is_object() || text_of(item, "phone_number").empty())
      return unexpected(
          malformed("a page of IncomingPhoneNumbers (a number without phone_number)"));
    IncomingNumber number;
    number.sid = text_of(item, "sid");
    number.phone_number = text_of(item, "phone_number");
    number.friendly_name = text_of(item, "friendly_name");
    number.voice_url = text_of(item, "voice_url");
    number.voice_method = text_of(item, "voice_method");
    number.voice_fallback_url = text_of(item, "voice_fallback_url");
    number.voice_fallback_method = text_of(item, "voice_fallback_method");
    number.status_callback = text_of(item, "status_callback");
    number.status_callback_method = text_of(item, "status_callback_method");
    number.voice_application_sid = text_of(item, "voice_application_sid");
    number.sms_url = text_of(item, "sms_url");
    page.numbers.push_back(std::move(number));
  }
  page.next_page_uri = text_of(*json, "next_page_uri");
  return page;
}

}  // namespace voiceops::connectors::twilio
