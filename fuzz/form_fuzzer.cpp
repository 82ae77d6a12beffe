// libFuzzer target: arbitrary bytes as a webhook body through everything the daemon does to one
// before answering: form decoding, then signature computation and verification over the decoded
// parameters. The same bytes are also tried as a URL (port variants, bodySHA256) and as TwiML
// text. Checks, beyond "no crash": encoding the decoded parameters decodes back to them, a
// signature computed is one that verifies, and escaped text carries no markup.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/xml_escape.hpp"
#include "carrier/form.hpp"
#include "carrier/signature.hpp"
#include "carrier/twiml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace voiceops::carrier;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view token = "fuzz-auth-token";
  constexpr std::string_view url = "https://voice.example.com/twilio/gather?attempt=2";

  auto params = decode_form(bytes);
  if (params) {
    if (params->size() > max_form_parameters) __builtin_trap();
    const std::string signature = compute_signature(token, url, *params);
    if (!verify_signature(token, url, *params, signature).valid) __builtin_trap();
    if (!verify_signature(token, "https://voice.example.com:443/twilio/gather?attempt=2", *params,
                          signature)
             .valid)
      __builtin_trap();
    auto again = decode_form(encode_form(*params));
    if (!again || *again != *params) __builtin_trap();
  } else if (params.error().offset > size || params.error().message.empty()) {
    __builtin_trap();
  }

  // The bytes as the URL of a request with a raw body.
  if (url_variants(bytes).empty()) __builtin_trap();
  if (body_sha256_of(bytes).empty()) {  // else that earlier bodySHA256 is the one that counts
    const std::string signed_url = with_body_sha256(bytes, "{}");
    if (!verify_body_signature(token, signed_url, "{}", compute_signature(token, signed_url, {}))
             .valid)
      __builtin_trap();
  }

  // The bytes as text spoken to a caller.
  const std::string escaped = voiceops::xml_escape(bytes, true);
  if (escaped.find_first_of("<>\"'\r") != std::string::npos) __builtin_trap();
  return 0;
}
