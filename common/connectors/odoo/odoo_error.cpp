#include "connectors/odoo/odoo_error.hpp"

namespace voiceops::connectors::odoo {

std::string_view kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::access_denied: return "access-denied";
    case ErrorKind::access_error: return "access-error";
    case ErrorKind::validation: return "validation";
    case ErrorKind::not_found: return "not-found";
    case ErrorKind::server: return "server";
    case ErrorKind::unreachable: return "unreachable";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::malformed: return "malformed";
    case ErrorKind::config: return "config";
  }
  return "server";
}

ExitStatus exit_status(const Error& error) {
  switch (error.kind) {
    case ErrorKind::access_denied:
    case ErrorKind::access_error: return ExitStatus::permission;
    case ErrorKind::validation: return ExitStatus::data_error;
    case ErrorKind::config: return ExitStatus::config;
    case ErrorKind::not_found:
    case ErrorKind::server:
    case ErrorKind::unreachable:
    case ErrorKind::timeout:
    case ErrorKind::malformed: return ExitStatus::unavailable;
  }
  return ExitStatus::unavailable;
}

std::string hint(const Error& error) {
  switch (error.kind) {
    case ErrorKind::access_denied:
      return "check [odoo] user and database and the API key (Odoo: Preferences > Account "
             "Security > New API Key)";
    case ErrorKind::access_error:
      return "give the Odoo user the access rights on that model (Settings > Users > Access "
             "Rights), then run: voiceops export odoo --check";
    case ErrorKind::validation:
      return error.field.empty() ? "Odoo refused the values; the message says which rule"
                                 : "Odoo refused the value of field '" + error.field + "'";
    case ErrorKind::not_found:
      return "check [odoo] url, and that the model's app is installed (run: voiceops export "
             "odoo --setup for x_voiceops_call)";
    case ErrorKind::server: return "Odoo failed on its side; its server log has the traceback";
    case ErrorKind::unreachable:
      return "check [odoo] url, the network and Odoo's TLS certificate ([odoo] ca_file for a "
             "private CA)";
    case ErrorKind::timeout:
      return "Odoo did not answer in time; raise [odoo] timeout_ms if it is only slow";
    case ErrorKind::malformed:
      return "the answer was not Odoo's JSON: check that [odoo] url is Odoo itself and not a "
             "proxy's page";
    case ErrorKind::config:
      return "set [odoo] url, database and user in voiceops.toml(5), and the key in "
             "[odoo] api_key_file or $ODOO_API_KEY";
  }
  return {};
}

bool transient(const Error& error) {
  switch (error.kind) {
    case ErrorKind::server:
    case ErrorKind::unreachable:
    case ErrorKind::timeout:
    case ErrorKind::malformed:
    case ErrorKind::access_denied:
    case ErrorKind::access_error:
    case ErrorKind::not_found: return true;
    case ErrorKind::validation:
    case ErrorKind::config: return false;
  }
  return true;
}

}  // namespace voiceops::connectors::odoo
