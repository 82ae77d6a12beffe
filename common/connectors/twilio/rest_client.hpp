#pragma once
// The carrier's REST API (Twilio, API version 2010-04-01) on the libcurl client: send a text
// (Messages), look texts up again (the Messages list, by To, From and the day sent), and read the
// account's incoming numbers (IncomingPhoneNumbers). Basic authentication with the account SID
// and auth token, or an API key's SID and secret. One client per thread; it keeps its
// connection alive.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "connectors/http_client.hpp"
#include "connectors/twilio/rest_reply.hpp"

namespace voiceops::connectors::twilio {

inline constexpr std::string_view default_api_url = "https://api.twilio.com";

struct RestSettings {
  std::string api_url = std::string(default_api_url);  // tests and proxies point it elsewhere
  std::string account_sid;                             // AC…
  std::string key_sid;  // SK…: authenticate with an API key; empty: with the account SID
  std::string secret;   // the auth token, or the API key's secret
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};
  std::string ca_file;
};

struct OutgoingSms {
  std::string to;
  std::string from;                   // a number of the account...
  std::string messaging_service_sid;  // ...or a Messaging Service (MG…), which picks one
  std::string body;
  std::string status_callback;  // empty: no delivery reports
};

class RestClient {
 public:
  // A config error when the URL, the account SID or the secret is missing or malformed.
  static Result<RestClient, Error> make(RestSettings settings);

  // 201 with the Message resource; anything else an Error. `timeout` shortens the client's.
  Result<Message, Error> send_message(const OutgoingSms& sms,
                                      std::chrono::milliseconds timeout = {});
  // The account's texts to `to`, newest first, back to those created before `since` (Unix
  // seconds, less a minute for clocks that differ), at most `max_pages` pages of 50. Not
  // filtered by DateSent: a text still queued has no date_sent, and it is the one looked for.
  Result<std::vector<Message>, Error> find_messages(const std::string& to, std::int64_t since,
                                                    int max_pages = 4,
                                                    std::chrono::milliseconds timeout = {});
  // Every incoming number of the account, or only `phone_number` (E.164) when given.
  Result<std::vector<IncomingNumber>, Error> incoming_numbers(const std::string& phone_number = {});

  const std::string& account_sid() const { return settings_.account_sid; }

 private:
  RestClient(RestSettings settings, HttpUrl url, std::string authorization);
  Result<ClientResponse, Error> exchange(ClientRequest request, bool writes);
  std::string account_path(std::string_view tail) const;
  // A next_page_uri as a target on this client's server (under the API URL's own path).
  std::string page_target(const std::string& next_page_uri) const;

  RestSettings settings_;
  HttpUrl url_;
  std::string authorization_;
  HttpClient http_;
};

}  // namespace voiceops::connectors::twilio
