#pragma once
// What can go wrong sending to a messaging service (the carrier's REST API, Mailgun), in the
// terms the message outbox acts on; each service's Error carries one, with its own details.
#include <string_view>

#include "connectors/http_client.hpp"

namespace voiceops::connectors {

enum class SendErrorKind {
  rejected,      // the request itself is wrong or refused (a bad number, an opted-out one)
  auth,          // 401/403: the credentials are wrong
  rate_limited,  // 429 and the like: try again after Retry-After
  server,        // 5xx: the service failed; may or may not have done it
  unreachable,   // nothing answered: connect or name lookup failed, TLS refused
  timeout,       // no answer in time: may have been done
  malformed,     // an answer that is not the service's
  config,        // the settings are incomplete
};

std::string_view kind_name(SendErrorKind kind);

// A request that got no HTTP answer: whether it never left (unreachable), ran out of time, or
// broke after it was sent (server); and whether a write may have been carried out anyway.
struct TransportFailure {
  SendErrorKind kind = SendErrorKind::server;
  bool may_have_arrived = true;
};
TransportFailure transport_failure(HttpErrorKind kind);

}  // namespace voiceops::connectors
