#include "connectors/send_error.hpp"

namespace voiceops::connectors {

std::string_view kind_name(SendErrorKind kind) {
  switch (kind) {
    case SendErrorKind::rejected: return "rejected";
    case SendErrorKind::auth: return "auth";
    case SendErrorKind::rate_limited: return "rate_limited";
    case SendErrorKind::server: return "server";
    case SendErrorKind::unreachable: return "unreachable";
    case SendErrorKind::timeout: return "timeout";
    case SendErrorKind::malformed: return "malformed";
    case SendErrorKind::config: return "config";
  }
  return "server";
}

TransportFailure transport_failure(HttpErrorKind kind) {
  switch (kind) {
    case HttpErrorKind::unreachable:
    case HttpErrorKind::tls:
    case HttpErrorKind::unavailable: return {SendErrorKind::unreachable, false};
    case HttpErrorKind::timeout: return {SendErrorKind::timeout, true};
    case HttpErrorKind::protocol:
    case HttpErrorKind::too_large:
    case HttpErrorKind::io: break;  // the request went out; what became of it is unknown
  }
  return {SendErrorKind::server, true};
}

}  // namespace voiceops::connectors
