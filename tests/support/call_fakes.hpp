#pragma once
// What tests of the webhook handlers share: systems that always answer ok, a messenger that
// drops notices, and requests signed the way the carrier signs them.
#include <string>

#include "carrier/form.hpp"
#include "carrier/signature.hpp"
#include "carrier/webhooks.hpp"

namespace voiceops::testing {

inline constexpr const char* test_auth_token = "secret";
inline constexpr const char* test_public_url = "https://voice.example.com";

struct OkTools final : calls::ToolRunner {
  engine::ToolResult run(const engine::CallState&, const engine::CallTool& tool,
                         const calls::ToolContext&) override {
    return {tool.name, engine::ToolStatus::ok, ""};
  }
};

struct NoMessages final : calls::Messenger {
  void notify(const engine::CallState&, const engine::Notify&, bool) override {}
};

// A POST of `params` to `path`, with X-Twilio-Signature for test_public_url unless `sign` is off.
inline carrier::HttpRequest carrier_post(const std::string& path, const carrier::FormParams& params,
                                         bool sign = true) {
  carrier::HttpRequest request;
  request.target = path;
  request.body = carrier::encode_form(params);
  if (sign) {
    request.headers.push_back(
        {"X-Twilio-Signature",
         carrier::compute_signature(test_auth_token, std::string(test_public_url) + path, params)});
  }
  return request;
}

}  // namespace voiceops::testing
