#include "carrier/webhook_checks.hpp"

#include <cctype>

#include "carrier/signature.hpp"

namespace voiceops::carrier {

HttpResponse plain_response(int status, std::string text) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(text) + "\n";
  return response;
}

std::optional<HttpResponse> refuse_webhook(const HttpRequest& request,
                                           const Result<FormParams, FormError>& form,
                                           const SignatureSettings& signature,
                                           std::initializer_list<std::string_view> single_params) {
  if (request.method != "POST") return plain_response(405, "use POST");
  // The carrier posts forms. A JSON body (or anything else) is not one, whatever it holds.
  if (const std::string_view type = request.header("Content-Type"); !type.empty()) {
    const std::string_view media = type.substr(0, type.find(';'));
    std::string lowered;
    for (char c : media)
      if (c != ' ' && c != '\t')
        lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered != "application/x-www-form-urlencoded")
      return plain_response(415, "webhooks are application/x-www-form-urlencoded forms");
  }
  if (!form) return plain_response(400, "malformed form: " + form.error().message);
  for (std::string_view name : single_params) {
    int seen = 0;
    for (const auto& [key, value] : *form) seen += key == name ? 1 : 0;
    if (seen > 1) return plain_response(400, "duplicate parameter " + std::string(name));
  }
  if (signature.validate) {
    const auto check = verify_signature(signature.auth_token, signature.public_url + request.target,
                                        *form, request.header("X-Twilio-Signature"));
    if (!check.valid) return plain_response(403, "invalid X-Twilio-Signature");
  }
  return std::nullopt;
}

}  // namespace voiceops::carrier
