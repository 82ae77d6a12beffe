#pragma once
// application/x-www-form-urlencoded bodies, the way the carrier posts its webhooks: decoded into
// an ordered list of (name, value) pairs, repeated names kept, every failure an error value.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace voiceops::carrier {

struct FormParam {
  std::string name;
  std::string value;
  bool operator==(const FormParam&) const = default;
};

using FormParams = std::vector<FormParam>;

inline constexpr std::size_t max_form_parameters = 256;
inline constexpr std::size_t max_form_field_bytes = 64 * 1024;  // a name or a value, decoded

enum class FormErrorKind {
  bad_percent_escape,   // '%' not followed by two hex digits
  invalid_utf8,         // a name or value is not UTF-8 once decoded
  too_many_parameters,  // more than max_form_parameters
  name_too_long,        // a decoded name over max_form_field_bytes
  value_too_long,       // a decoded value over max_form_field_bytes
};

struct FormError {
  FormErrorKind kind = FormErrorKind::bad_percent_escape;
  std::size_t offset = 0;  // byte offset in the body: the '%', or the start of the field
  std::string message;     // "bad percent escape at byte offset 17", ready to print
};

// '+' is a space, %XX a byte; fields are separated by '&', empty fields are skipped, a field
// without '=' is a name with an empty value. Never throws (short of running out of memory).
Result<FormParams, FormError> decode_form(std::string_view body);

// Percent-encodes one name or value as Python's urllib.parse.quote_plus does: A-Z a-z 0-9 and
// "-._~" kept, a space as '+', every other byte as %XX (upper-case hex).
std::string encode_form_component(std::string_view text);

// name=value pairs joined by '&', in the order given; decode_form(encode_form(p)) == p.
std::string encode_form(std::span<const FormParam> params);

// Decoded values may be looked up by name; the first occurrence wins. nullptr when absent.
const std::string* find_param(std::span<const FormParam> params, std::string_view name);

}  // namespace voiceops::carrier
