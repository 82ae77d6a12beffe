#include "connectors/mailgun/mail_client.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "carrier/form.hpp"
#include "connectors/http_answers.hpp"
#include "crypto/base64.hpp"

namespace voiceops::connectors::mailgun {
namespace {

Error config_error(std::string message) {
  Error error;
  error.kind = ErrorKind::config;
  error.message = std::move(message);
  return error;
}

}  // namespace

Result<std::string, Error> read_answer(int http_status, std::string_view body,
                                       std::string_view retry_after) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string said;
  if (!json.is_discarded() && json.is_object()) {
    if (auto it = json.find("message"); it != json.end() && it->is_string()) said = *it;
  }
  said = one_line(said);
  if (http_status >= 200 && http_status < 300) {
    if (!json.is_discarded() && json.is_object()) {
      if (auto it = json.find("id");
          it != json.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
        return it->get<std::string>();
    }
    Error error;
    error.kind = ErrorKind::malformed;
    error.http_status = http_status;
    error.message = "Mailgun answered " + std::to_string(http_status) + " without a message id";
    error.ambiguous = true;  // a 2xx: it was most likely queued
    return unexpected(std::move(error));
  }
  Error error;
  error.http_status = http_status;
  error.retry_after_s = retry_after_seconds(retry_after);
  error.message = "Mailgun answered HTTP " + std::to_string(http_status) +
                  (said.empty() ? std::string() : ": " + said);
  if (http_status == 429 || http_status == 420) {
    error.kind = ErrorKind::rate_limited;
  } else if (http_status == 401 || http_status == 403) {
    error.kind = ErrorKind::auth;
  } else if (http_status >= 500) {
    error.kind = ErrorKind::server;
    error.ambiguous = true;
  } else {
    error.kind = ErrorKind::rejected;  // 400 bad address, 402 plan, 404 domain, 413 too large
  }
  return unexpected(std::move(error));
}

Result<MailClient, Error> MailClient::make(Settings settings) {
  auto url = parse_http_url(settings.api_url);
  if (!url) return unexpected(config_error("email.api_url: " + url.error().message));
  if (settings.domain.empty()) return unexpected(config_error("email.domain is not set"));
  if (settings.api_key.empty()) return unexpected(config_error("no Mailgun API key"));
  std::string authorization = "Basic " + crypto::base64("api:" + settings.api_key);
  HttpUrl server = *url;
  return MailClient(std::move(settings), std::move(server), std::move(authorization));
}

MailClient::MailClient(Settings settings, HttpUrl url, std::string authorization)
    : settings_(std::move(settings)),
      url_(url),
      authorization_(std::move(authorization)),
      http_(std::move(url), HttpClientOptions{.connect_timeout = settings_.connect_timeout,
                                              .total_timeout = settings_.timeout,
                                              .max_body_bytes = 256 * 1024}) {}

Result<std::string, Error> MailClient::send(const Mail& mail) {
  std::vector<carrier::FormParam> form = {{"from", mail.from}};
  for (const auto& to : mail.to) form.push_back({"to", to});
  form.push_back({"subject", mail.subject});
  form.push_back({"text", mail.text});
  if (!mail.reference.empty()) form.push_back({"h:X-Voiceops-Message", mail.reference});
  ClientRequest request;
  request.method = "POST";
  const std::string base = url_.path == "/" ? "" : url_.path;
  request.target = base + "/v3/" + carrier::encode_form_component(settings_.domain) + "/messages";
  request.headers = {{"Authorization", authorization_},
                     {"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = carrier::encode_form(form);
  auto response = http_.send(request);
  if (!response) {
    const TransportFailure failure = transport_failure(response.error().kind);
    Error error;
    error.kind = failure.kind;
    error.message = response.error().message;
    error.ambiguous = failure.may_have_arrived;
    return unexpected(std::move(error));
  }
  return read_answer(response->status, response->body, response->header("Retry-After"));
}

}  // namespace voiceops::connectors::mailgun
