#pragma once
// X-Twilio-Signature: how the carrier signs its webhook requests, and how a request is checked.
//   signature = base64(HMAC-SHA1(auth token, URL + name1 + value1 + name2 + value2 ...))
// with the POST parameters sorted by name, bytewise (then by value, for repeated names). A JSON
// body is signed through a `bodySHA256` query parameter (lower-case hex SHA-256 of the raw body)
// and an empty parameter list.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "carrier/form.hpp"

namespace voiceops::carrier {

// The signature of a form-encoded request (or of any request with these parameters).
std::string compute_signature(std::string_view auth_token, std::string_view url,
                              std::span<const FormParam> params);

// The string that is signed: the URL, then each parameter's name and value, sorted.
std::string signed_data(std::string_view url, std::span<const FormParam> params);

// Lower-case hex SHA-256 of a raw body, as the carrier puts in `bodySHA256`.
std::string sha256_hex(std::string_view body);

// The URL with `bodySHA256=<sha256_hex(body)>` added to its query, as the carrier builds it for
// a JSON body (the test runner uses it to sign such requests).
std::string with_body_sha256(std::string_view url, std::string_view body);

// The value of the first non-empty `bodySHA256` query parameter, percent-decoded (as Python's
// parse_qs finds it); empty when absent.
std::string body_sha256_of(std::string_view url);

// Compares two signatures in time that depends only on their lengths (CRYPTO_memcmp).
bool signatures_equal(std::string_view a, std::string_view b);

// The URLs the carrier may have signed for a request to `url`, in the order they are tried:
// the URL as given, then without its port (when it has one), or with the scheme's default port
// added (443 for https, 80 for http; when it has none), as the carrier's own validators do.
std::vector<std::string> url_variants(std::string_view url);

struct SignatureCheck {
  bool valid = false;
  std::vector<std::string> urls_tried;  // url_variants(url)
  std::string matched_url;              // the variant that matched, when valid
  std::string problem;                  // why it is invalid, one sentence
};

// Checks a form-encoded request: every parameter received, in any order. Repeated identical
// name=value pairs are tried both kept (as the carrier's Node and older Python libraries sign
// them) and collapsed to one (newer Python library).
SignatureCheck verify_signature(std::string_view auth_token, std::string_view url,
                                std::span<const FormParam> params, std::string_view signature);

// Checks a request with a raw (JSON) body: the URL must carry bodySHA256, it must equal the
// body's hash, and the signature must match the URL with no parameters.
SignatureCheck verify_body_signature(std::string_view auth_token, std::string_view url,
                                     std::string_view body, std::string_view signature);

}  // namespace voiceops::carrier
