#include "connectors/twilio/rest_client.hpp"

#include <cctype>

#include "base/carrier_ids.hpp"
#include "carrier/form.hpp"
#include "crypto/base64.hpp"

namespace voiceops::connectors::twilio {
namespace {

std::string query_of(std::initializer_list<std::pair<std::string_view, std::string_view>> params) {
  std::string query;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    query += query.empty() ? "?" : "&";
    query += carrier::encode_form_component(name) + "=" + carrier::encode_form_component(value);
  }
  return query;
}

}  // namespace

Result<RestClient, Error> RestClient::make(RestSettings settings) {
  auto url = parse_http_url(settings.api_url);
  if (!url) return unexpected(config_error("twilio.api_url: " + url.error().message));
  if (!is_sid(settings.account_sid, "AC"))
    return unexpected(config_error(
        "twilio.account_sid is " +
        (settings.account_sid.empty() ? std::string("not set")
                                      : "'" + settings.account_sid + "', not an account SID") +
        " (AC followed by 32 hex digits, on the console's account page)"));
  if (!settings.key_sid.empty() && !is_sid(settings.key_sid, "SK"))
    return unexpected(config_error("twilio.api_key_sid '" + settings.key_sid +
                                   "' is not an API key SID (SK followed by 32 hex digits)"));
  if (settings.secret.empty())
    return unexpected(config_error("no carrier secret: the auth token or the API key's secret"));
  const std::string user = settings.key_sid.empty() ? settings.account_sid : settings.key_sid;
  std::string authorization = "Basic " + crypto::base64(user + ":" + settings.secret);
  HttpUrl server = *url;
  return RestClient(std::move(settings), std::move(server), std::move(authorization));
}

RestClient::RestClient(RestSettings settings, HttpUrl url, std::string authorization)
    : settings_(std::move(settings)),
      url_(url),
      authorization_(std::move(authorization)),
      http_(std::move(url), HttpClientOptions{.connect_timeout = settings_.connect_timeout,
                                              .total_timeout = settings_.timeout,
                                              .ca_file = settings_.ca_file,
                                              .max_body_bytes = 2 * 1024 * 1024,
                                              .keep_alive = true}) {}

std::string RestClient::account_path(std::string_view tail) const {
  const std::string base = url_.path == "/" ? "" : url_.path;
  return base + "/2010-04-01/Accounts/" + settings_.account_sid + std::string(tail);
}

std::string RestClient::page_target(const std::string& next_page_uri) const {
  const std::string base = url_.path == "/" ? "" : url_.path;
  return base + next_page_uri;
}

Result<ClientResponse, Error> RestClient::exchange(ClientRequest request, bool writes) {
  request.headers.emplace_back("Authorization", authorization_);
  request.headers.emplace_back("Accept", "application/json");
  if (!request.body.empty())
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  auto response = http_.send(request);
  if (!response) {
    const TransportFailure failure = transport_failure(response.error().kind);
    Error error;
    error.kind = failure.kind;
    error.message = response.error().message;
    error.ambiguous = writes && failure.may_have_arrived;
    return unexpected(std::move(error));
  }
  if (response->status < 200 || response->status >= 300) {
    Error error = read_error(response->status, response->body, response->header("Retry-After"));
    if (!writes) error.ambiguous = false;
    return unexpected(std::move(error));
  }
  return std::move(*response);
}

Result<Message, Error> RestClient::send_message(const OutgoingSms& sms,
                                                std::chrono::milliseconds timeout) {
  std::vector<carrier::FormParam> form = {{"To", sms.to}, {"Body", sms.body}};
  if (!sms.messaging_service_sid.empty())
    form.push_back({"MessagingServiceSid", sms.messaging_service_sid});
  else
    form.push_back({"From", sms.from});
  if (!sms.status_callback.empty()) form.push_back({"StatusCallback", sms.status_callback});
  ClientRequest request;
  request.method = "POST";
  request.target = account_path("/Messages.json");
  request.body = carrier::encode_form(form);
  request.timeout = timeout;
  auto response = exchange(std::move(request), /*writes=*/true);
  if (!response) return unexpected(response.error());
  auto message = read_message(response->body);
  if (!message) {
    // A 2xx with a body we cannot read: the message most likely exists.
    Error error = message.error();
    error.http_status = response->status;
    error.ambiguous = true;
    return unexpected(std::move(error));
  }
  return *message;
}

Result<std::vector<Message>, Error> RestClient::find_messages(const std::string& to,
                                                              std::int64_t since, int max_pages,
                                                              std::chrono::milliseconds timeout) {
  std::vector<Message> found;
  std::string target = account_path("/Messages.json") + query_of({{"To", to}, {"PageSize", "50"}});
  for (int page = 0; page < max_pages && !target.empty(); ++page) {
    ClientRequest request;
    request.target = target;
    request.timeout = timeout;
    auto response = exchange(std::move(request), /*writes=*/false);
    if (!response) return unexpected(response.error());
    auto read = read_message_page(response->body);
    if (!read) return unexpected(read.error());
    bool older = !read->messages.empty();
    for (auto& message : read->messages) {
      older = older && message.created_unix && *message.created_unix < since - 60;
      found.push_back(std::move(message));
    }
    // A page made wholly before `since`: the rest are older still.
    if (older) break;
    target = read->next_page_uri.empty() ? std::string() : page_target(read->next_page_uri);
  }
  return found;
}

Result<std::vector<IncomingNumber>, Error> RestClient::incoming_numbers(
    const std::string& phone_number) {
  std::vector<IncomingNumber> found;
  std::string target = account_path("/IncomingPhoneNumbers.json") +
                       query_of({{"PhoneNumber", phone_number}, {"PageSize", "100"}});
  // An account with thousands of numbers is read in full: 50 pages of 100.
  for (int page = 0; page < 50 && !target.empty(); ++page) {
    ClientRequest request;
    request.target = target;
    auto response = exchange(std::move(request), /*writes=*/false);
    if (!response) return unexpected(response.error());
    auto read = read_number_page(response->body);
    if (!read) return unexpected(read.error());
    for (auto& number : read->numbers) found.push_back(std::move(number));
    target = read->next_page_uri.empty() ? std::string() : page_target(read->next_page_uri);
  }
  return found;
}

}  // namespace voiceops::connectors::twilio
