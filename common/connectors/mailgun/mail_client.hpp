#pragma once
// Mailgun's HTTP API on the libcurl client: POST /v3/<domain>/messages as a form (from, to,
// subject, text), basic authentication as api:<key>, in the US (api.mailgun.net) or EU
// (api.eu.mailgun.net) region. Answers 200 {"id": "<...>", "message": "Queued. Thank you."};
// failures carry {"message": "..."} with 400, 401, 402, 404, 413, 420 (sending limit), 429 or
// 5xx. One client per thread.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "connectors/http_client.hpp"
#include "connectors/send_error.hpp"

namespace voiceops::connectors::mailgun {

struct Settings {
  std::string api_url = "https://api.mailgun.net";
  std::string domain;
  std::string api_key;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};
};

struct Mail {
  std::string from;
  std::vector<std::string> to;
  std::string subject;
  std::string text;
  std::string reference;  // sent as the X-Voiceops-Message header, to trace it
};

using ErrorKind = SendErrorKind;  // connectors/send_error.hpp
using connectors::kind_name;

struct Error {
  ErrorKind kind = ErrorKind::server;
  int http_status = 0;
  std::string message;
  std::optional<int> retry_after_s;
  bool ambiguous = false;  // it may have been queued though no answer said so
};

// Any answer as the message id or an Error; pure, for the fuzzer.
Result<std::string, Error> read_answer(int http_status, std::string_view body,
                                       std::string_view retry_after);

class MailClient {
 public:
  static Result<MailClient, Error> make(Settings settings);
  Result<std::string, Error> send(const Mail& mail);

 private:
  MailClient(Settings settings, HttpUrl url, std::string authorization);
  Settings settings_;
  HttpUrl url_;
  std::string authorization_;
  HttpClient http_;
};

}  // namespace voiceops::connectors::mailgun
