#pragma once
// What can go wrong talking to Odoo, in the terms an operator acts on: the key is wrong, the user
// lacks a right, a record was refused (and for which field), the model does not exist, Odoo or
// the network failed. Both protocols' error shapes map onto these (connectors/odoo/envelope.hpp).
#include <string>
#include <string_view>

#include "base/exit_status.hpp"

namespace voiceops::connectors::odoo {

enum class ErrorKind {
  access_denied,  // the login or API key was refused (AccessDenied; JSON-2 401)
  access_error,   // the user lacks a right on a model (AccessError; JSON-2 403)
  validation,     // a record or argument was refused (ValidationError, UserError...; JSON-2 422)
  not_found,      // no such model or method, or no Odoo at that URL (JSON-2 404)
  server,         // Odoo failed (HTTP 5xx, an unexpected exception)
  unreachable,    // nothing answered, TLS failed, or the connection broke
  timeout,        // no answer within the time allowed
  malformed,      // the answer is not Odoo's JSON: truncated, HTML, the wrong shape
  config,         // the settings are incomplete: no url, database, user or key
};

struct Error {
  ErrorKind kind = ErrorKind::server;
  std::string message;  // one line, ready to print; never holds the API key
  std::string name;     // Odoo's exception name, when it gave one
  std::string field;    // the field a refused record names, when it does
  int http_status = 0;  // 0 when no HTTP answer came
  // The request may have been carried out though no answer said so (a timeout, a connection
  // dropped after sending, a proxy's 502): a write must be retried idempotently, never blindly.
  bool ambiguous = false;
};

std::string_view kind_name(ErrorKind kind);

// voiceops(1)'s exit statuses: 77 for rights and keys, 65 for refused records, 69 for an Odoo
// that cannot be reached or does not answer as Odoo, 78 for incomplete settings.
ExitStatus exit_status(const Error& error);

// What to do about it, one line.
std::string hint(const Error& error);

// Whether trying again later may succeed without anyone changing anything in voiceops: network,
// timeouts, Odoo's own failures, and rights an administrator may still grant.
bool transient(const Error& error);

}  // namespace voiceops::connectors::odoo
