#include "carrier/form.hpp"

#include <algorithm>
#include <optional>

#include "base/utf8.hpp"

namespace voiceops::carrier {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

FormError error_at(FormErrorKind kind, std::size_t offset, std::string what) {
  return FormError{kind, offset, std::move(what) + " at byte offset " + std::to_string(offset)};
}

// Decodes body[begin, end) into `out`; `is_name` only chooses the error kind and wording.
std::optional<FormError> decode_part(std::string_view body, std::size_t begin, std::size_t end,
                                     bool is_name, std::string& out) {
  out.clear();
  out.reserve(std::min(end - begin, max_form_field_bytes));
  for (std::size_t i = begin; i < end; ++i) {
    if (out.size() == max_form_field_bytes) {
      return error_at(is_name ? FormErrorKind::name_too_long : FormErrorKind::value_too_long, begin,
                      std::string(is_name ? "a parameter name" : "a parameter value") +
                          " longer than " + std::to_string(max_form_field_bytes / 1024) + " KiB");
    }
    const char c = body[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      const int high = i + 2 < end ? hex_value(body[i + 1]) : -1;
      const int low = high >= 0 ? hex_value(body[i + 2]) : -1;
      if (low < 0) {
        return error_at(FormErrorKind::bad_percent_escape, i,
                        "bad percent escape ('%' not followed by two hex digits)");
      }
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  if (find_invalid_utf8(out)) {
    return error_at(FormErrorKind::invalid_utf8, begin,
                    std::string("invalid UTF-8 in a parameter ") + (is_name ? "name" : "value") +
                        " (after percent-decoding) starting");
  }
  return std::nullopt;
}

}  // namespace

Result<FormParams, FormError> decode_form(std::string_view body) {
  FormParams params;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    if (end > start) {
      if (params.size() == max_form_parameters) {
        return unexpected(error_at(FormErrorKind::too_many_parameters, start,
                                   "more than " + std::to_string(max_form_parameters) +
                                       " parameters: the next one starts"));
      }
      std::size_t equals = body.find('=', start);
      if (equals == std::string_view::npos || equals > end) equals = end;
      FormParam param;
      if (auto error = decode_part(body, start, equals, true, param.name))
        return unexpected(std::move(*error));
      if (equals < end) {
        if (auto error = decode_part(body, equals + 1, end, false, param.value))
          return unexpected(std::move(*error));
      }
      params.push_back(std::move(param));
    }
    start = end + 1;
  }
  return params;
}

std::string encode_form_component(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += digits[byte >> 4];
      out += digits[byte & 0x0F];
    }
  }
  return out;
}

std::string encode_form(std::span<const FormParam> params) {
  std::string out;
  for (const FormParam& param : params) {
    if (!out.empty()) out += '&';
    out += encode_form_component(param.name);
    out += '=';
    out += encode_form_component(param.value);
  }
  return out;
}

const std::string* find_param(std::span<const FormParam> params, std::string_view name) {
  for (const FormParam& param : params) {
    if (param.name == name) return &param.value;
  }
  return nullptr;
}

}  // namespace voiceops::carrier
