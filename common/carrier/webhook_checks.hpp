#pragma once
// What every carrier webhook must pass before its content is read: POST, a form body, no
// identity parameter given twice, and a valid X-Twilio-Signature over the public URL.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "carrier/form.hpp"
#include "carrier/http_message.hpp"

namespace voiceops::carrier {

struct SignatureSettings {
  std::string public_url;  // no trailing '/'
  std::string auth_token;
  bool validate = true;
};

// The refusal to answer (405, 415, 400, 403), or nullopt when the request passes.
std::optional<HttpResponse> refuse_webhook(const HttpRequest& request,
                                           const Result<FormParams, FormError>& form,
                                           const SignatureSettings& signature,
                                           std::initializer_list<std::string_view> single_params);

// A text/plain answer with a trailing newline.
HttpResponse plain_response(int status, std::string text);

}  // namespace voiceops::carrier
