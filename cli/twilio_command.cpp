// voiceops twilio sign|verify: compute or check the carrier's X-Twilio-Signature with the very
// code the daemon uses, so operators can debug 403s behind proxies. (check-number has its own
// file, twilio_check_number.cpp.)
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/input_file.hpp"
#include "carrier/form.hpp"
#include "carrier/signature.hpp"
#include "cli/commands.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/terminal.hpp"
#include "config/config.hpp"

namespace voiceops::cli {
namespace {

struct TwilioOptions {
  std::string url;
  std::string signature;  // verify only
  std::vector<std::string> params;
  std::string body_file;
  bool json = false;
  std::string format = "text";  // verify only
};

// What the request carried: form parameters, or a raw body signed through bodySHA256.
struct Request {
  carrier::FormParams params;
  std::string raw_body;
};

void complain(const std::string& message, const std::string& hint = {}) {
  std::fprintf(stderr, "voiceops: %s\n", message.c_str());
  if (!hint.empty()) std::fprintf(stderr, "    hint: %s\n", hint.c_str());
}

// Usage checks and the inputs: ExitStatus::ok with `request` filled, or the status to exit with.
ExitStatus read_request(const TwilioOptions& options, Request& request) {
  if (options.json && options.body_file.empty()) {
    complain("--json needs --body FILE, the raw JSON body", "voiceops twilio --help");
    return ExitStatus::usage;
  }
  if (options.json && !options.params.empty()) {
    complain("a JSON body is signed with no parameters: drop --param, or drop --json for a form");
    return ExitStatus::usage;
  }
  for (const std::string& param : options.params) {
    const std::size_t equals = param.find('=');
    if (equals == std::string::npos || equals == 0) {
      complain("--param '" + param + "' is not NAME=VALUE",
               "write --param CallSid=CA123 (the value may be empty: --param Digits=)");
      return ExitStatus::usage;
    }
    request.params.push_back({param.substr(0, equals), param.substr(equals + 1)});
  }
  if (options.body_file.empty()) return ExitStatus::ok;

  const std::string path = options.body_file == "-" ? "/dev/stdin" : options.body_file;
  auto text = read_input_file(path, max_input_bytes, Streams::allowed);
  if (!text) {
    complain(text.error().message, text.error().hint);
    return text.error().status;
  }
  if (options.json) {
    request.raw_body = std::move(*text);
    return ExitStatus::ok;
  }
  // A form body never holds a raw newline (it would be %0A): one left by an editor or echo goes.
  std::string_view form = *text;
  while (!form.empty() && (form.back() == '\n' || form.back() == '\r')) form.remove_suffix(1);
  auto decoded = carrier::decode_form(form);
  if (!decoded) {
    complain(options.body_file + ": not a form body: " + decoded.error().message,
             "--body takes an application/x-www-form-urlencoded body (a=1&b=2); for a JSON "
             "body add --json");
    return ExitStatus::data_error;
  }
  // Parameters from the body first, then any --param.
  decoded->insert(decoded->end(), request.params.begin(), request.params.end());
  request.params = std::move(*decoded);
  return ExitStatus::ok;
}

ExitStatus run_sign(const TwilioOptions& options, const Context& context) {
  Request request;
  if (ExitStatus status = read_request(options, request); status != ExitStatus::ok) return status;
  if (options.json) {
    const std::string declared = carrier::body_sha256_of(options.url);
    if (declared.empty()) {
      complain("a JSON body is signed through a bodySHA256 query parameter, and --url has none",
               "the carrier would have requested --url '" +
                   carrier::with_body_sha256(options.url, request.raw_body) + "'");
      return ExitStatus::usage;
    }
    if (!carrier::signatures_equal(declared, carrier::sha256_hex(request.raw_body))) {
      complain("bodySHA256 in --url is not the SHA-256 of " + options.body_file,
               "the body's is " + carrier::sha256_hex(request.raw_body) +
                   " (a trailing newline counts)");
      return ExitStatus::data_error;
    }
  }
  const auto token = configured_auth_token(context);
  if (!token) return ExitStatus::config;
  std::printf("%s\n", carrier::compute_signature(*token, options.url, request.params).c_str());
  return ExitStatus::ok;
}

ExitStatus run_verify(const TwilioOptions& options, const Context& context) {
  Request request;
  if (ExitStatus status = read_request(options, request); status != ExitStatus::ok) return status;
  const auto token = configured_auth_token(context);
  if (!token) return ExitStatus::config;
  const carrier::SignatureCheck check =
      options.json
          ? carrier::verify_body_signature(*token, options.url, request.raw_body, options.signature)
          : carrier::verify_signature(*token, options.url, request.params, options.signature);

  if (options.format == "json") {
    nlohmann::json out = {{"valid", check.valid},
                          {"urls_tried", check.urls_tried},
                          {"parameters", request.params.size()}};
    out["matched_url"] = check.valid ? nlohmann::json(check.matched_url) : nlohmann::json();
    out["problem"] = check.valid ? nlohmann::json() : nlohmann::json(check.problem);
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return check.valid ? ExitStatus::ok : ExitStatus::check_failed;
  }
  const Style out{color_enabled(stdout, context.no_color)};
  if (check.valid) {
    std::printf("%s: signed for %s\n", out.green("valid").c_str(), check.matched_url.c_str());
    return ExitStatus::ok;
  }
  std::printf("%s\n", out.red("invalid").c_str());
  std::fprintf(stderr, "voiceops: %s\n", check.problem.c_str());
  if (check.urls_tried.empty()) {
    std::fputs("    no URL was tried\n", stderr);
  } else {
    std::fprintf(stderr, "    URL variants tried (%zu):\n", check.urls_tried.size());
    for (const std::string& url : check.urls_tried) std::fprintf(stderr, "      %s\n", url.c_str());
  }
  std::fputs(
      "    hint: --url must be the URL the carrier requested, byte for byte (scheme, host, path, "
      "query); behind a proxy that is the public URL, not the one voiceopsd listens on. Every "
      "POST parameter counts, and the token must be the account's current auth token.\n",
      stderr);
  return ExitStatus::check_failed;
}

void add_common_options(CLI::App& command, TwilioOptions& options) {
  command.add_option("--url", options.url, "The full URL the carrier requested, query included")
      ->required()
      ->type_name("URL");
  command
      .add_option("--param", options.params,
                  "A POST parameter the request carried, as NAME=VALUE (repeatable)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  command
      .add_option("--body", options.body_file,
                  "The request body: a form body (a=1&b=2), or with --json a raw JSON body; - "
                  "reads standard input")
      ->type_name("FILE");
  command.add_flag("--json", options.json,
                   "--body is a raw JSON body, signed through bodySHA256 in --url");
}

}  // namespace

// The auth token from the configuration's file or TWILIO_AUTH_TOKEN; never printed.
std::optional<std::string> configured_auth_token(const Context& context) {
  const auto environment = config::process_environment();
  auto loaded = config::load_config(config::locate_config(context.config_file, environment));
  if (!loaded) {
    print_diagnostics(loaded.error(), Style{color_enabled(stderr, context.no_color)}, stderr);
    complain("bad configuration in " + loaded.error().file() + "; see voiceops.toml(5)");
    return std::nullopt;
  }
  auto token = config::twilio_auth_token(*loaded, environment);
  if (!token) {
    complain(token.error().message, token.error().hint);
    return std::nullopt;
  }
  return std::move(*token);
}

void add_twilio_commands(CLI::App& app, Context& context) {
  auto* twilio = app.add_subcommand(
      "twilio", "The carrier: compute or check request signatures, check the numbers' set-up");
  twilio->require_subcommand(1);

  auto sign_options = std::make_shared<TwilioOptions>();
  auto* sign = twilio->add_subcommand(
      "sign", "Print the X-Twilio-Signature the carrier would send for a request");
  add_common_options(*sign, *sign_options);
  sign->callback([&context, sign_options] {
    context.action = [&context, sign_options] { return run_sign(*sign_options, context); };
  });

  auto verify_options = std::make_shared<TwilioOptions>();
  auto* verify = twilio->add_subcommand(
      "verify", "Check an X-Twilio-Signature: exit 0 when valid, 1 when not");
  add_common_options(*verify, *verify_options);
  verify
      ->add_option("--signature", verify_options->signature,
                   "The X-Twilio-Signature header's value")
      ->required()
      ->type_name("SIG");
  verify->add_option("--format", verify_options->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  verify->callback([&context, verify_options] {
    context.action = [&context, verify_options] { return run_verify(*verify_options, context); };
  });

  add_twilio_check_number_command(*twilio, context);
}

}  // namespace voiceops::cli
