#include "carrier/signature.hpp"

#include "crypto/constant_time.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>
#include <numeric>
#include <optional>

namespace voiceops::carrier {
namespace {

struct MacFree {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacContextFree {
  void operator()(EVP_MAC_CTX* context) const { EVP_MAC_CTX_free(context); }
};

// HMAC-SHA1 over the pieces, one after another, without joining them first.
class HmacSha1 {
 public:
  explicit HmacSha1(std::string_view key) {
    mac_.reset(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac_) return;
    context_.reset(EVP_MAC_CTX_new(mac_.get()));
    if (!context_) return;
    char digest[] = "SHA1";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    // An empty key still needs a non-null pointer.
    static constexpr unsigned char no_key = 0;
    const auto* key_bytes =
        key.empty() ? &no_key : reinterpret_cast<const unsigned char*>(key.data());
    ok_ = EVP_MAC_init(context_.get(), key_bytes, key.size(), params) == 1;
  }

  void update(std::string_view data) {
    if (ok_ && !data.empty()) {
      ok_ = EVP_MAC_update(context_.get(), reinterpret_cast<const unsigned char*>(data.data()),
                           data.size()) == 1;
    }
  }

  // The base64 of the MAC; empty if OpenSSL failed (which then matches no signature).
  std::string final_base64() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    std::size_t length = 0;
    if (!ok_ || EVP_MAC_final(context_.get(), mac.data(), &length, mac.size()) != 1) return {};
    std::string out(4 * ((length + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac.data(),
                                        static_cast<int>(length));
    out.resize(static_cast<std::size_t>(std::max(written, 0)));
    return out;
  }

 private:
  std::unique_ptr<EVP_MAC, MacFree> mac_;
  std::unique_ptr<EVP_MAC_CTX, MacContextFree> context_;
  bool ok_ = false;
};

// Indices of the parameters in signing order: by name, then value, bytewise.
std::vector<std::size_t> signing_order(std::span<const FormParam> params) {
  std::vector<std::size_t> order(params.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const int by_name = params[a].name.compare(params[b].name);
    return by_name != 0 ? by_name < 0 : params[a].value < params[b].value;
  });
  return order;
}

std::string sign_in_order(std::string_view auth_token, std::string_view url,
                          std::span<const FormParam> params,
                          const std::vector<std::size_t>& order) {
  HmacSha1 hmac(auth_token);
  hmac.update(url);
  for (std::size_t i : order) {
    hmac.update(params[i].name);
    hmac.update(params[i].value);
  }
  return hmac.final_base64();
}

struct Authority {
  std::size_t host_begin = 0;                       // after any userinfo@
  std::size_t port_colon = std::string_view::npos;  // the ':' before the port, if any
  std::size_t end = 0;                              // first of / ? # after the authority
  std::string scheme;                               // lower-case
};

std::optional<Authority> find_authority(std::string_view url) {
  const std::size_t separator = url.find("://");
  if (separator == std::string_view::npos || separator == 0) return std::nullopt;
  Authority a;
  for (char c : url.substr(0, separator))
    a.scheme += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  const std::size_t begin = separator + 3;
  a.end = url.find_first_of("/?#", begin);
  if (a.end == std::string_view::npos) a.end = url.size();
  const std::string_view authority = url.substr(begin, a.end - begin);
  const std::size_t at = authority.rfind('@');
  a.host_begin = begin + (at == std::string_view::npos ? 0 : at + 1);
  const std::string_view host_port = url.substr(a.host_begin, a.end - a.host_begin);
  if (host_port.empty()) return std::nullopt;
  std::size_t colon = std::string_view::npos;
  if (host_port.front() == '[') {
    const std::size_t bracket = host_port.find(']');
    if (bracket == std::string_view::npos) return std::nullopt;
    if (bracket + 1 < host_port.size() && host_port[bracket + 1] == ':') colon = bracket + 1;
  } else {
    colon = host_port.rfind(':');
  }
  if (colon != std::string_view::npos) {
    const std::string_view port = host_port.substr(colon + 1);
    const bool digits = !port.empty() && std::all_of(port.begin(), port.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return std::nullopt;  // "host:" or worse: tried only as given
    a.port_colon = a.host_begin + colon;
  }
  return a;
}

bool has_repeated_pairs(std::span<const FormParam> params, const std::vector<std::size_t>& order) {
  for (std::size_t k = 1; k < order.size(); ++k) {
    if (params[order[k]] == params[order[k - 1]]) return true;
  }
  return false;
}

}  // namespace

std::string compute_signature(std::string_view auth_token, std::string_view url,
                              std::span<const FormParam> params) {
  return sign_in_order(auth_token, url, params, signing_order(params));
}

std::string signed_data(std::string_view url, std::span<const FormParam> params) {
  std::string data(url);
  for (std::size_t i : signing_order(params)) {
    data += params[i].name;
    data += params[i].value;
  }
  return data;
}

std::string sha256_hex(std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(body.data(), body.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    return {};
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0x0F];
  }
  return out;
}

std::string with_body_sha256(std::string_view url, std::string_view body) {
  const std::size_t hash_mark = url.find('#');
  std::string out(url.substr(0, hash_mark));
  const std::size_t question = out.find('?');
  if (question == std::string::npos)
    out += '?';
  else if (question + 1 != out.size() && out.back() != '&')
    out += '&';
  out += "bodySHA256=" + sha256_hex(body);
  if (hash_mark != std::string_view::npos) out += url.substr(hash_mark);
  return out;
}

std::string body_sha256_of(std::string_view url) {
  const std::size_t question = url.find('?');
  if (question == std::string_view::npos) return {};
  std::string_view query = url.substr(question + 1);
  query = query.substr(0, query.find('#'));
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    // One field at a time, so a bad escape elsewhere in the query does not hide this one.
    if (auto field = decode_form(query.substr(start, end - start));
        field && field->size() == 1 && field->front().name == "bodySHA256" &&
        !field->front().value.empty()) {
      return std::move(field->front().value);
    }
    start = end + 1;
  }
  return {};
}

bool signatures_equal(std::string_view a, std::string_view b) {
  // The length of a signature is no secret (28 characters of base64); the bytes are.
  return secrets_equal(a, b);
}

std::vector<std::string> url_variants(std::string_view url) {
  std::vector<std::string> variants{std::string(url)};
  const auto authority = find_authority(url);
  if (!authority) return variants;
  std::string other;
  if (authority->port_colon != std::string_view::npos) {
    other =
        std::string(url.substr(0, authority->port_colon)) + std::string(url.substr(authority->end));
  } else if (authority->scheme == "https" || authority->scheme == "http") {
    other = std::string(url.substr(0, authority->end)) +
            (authority->scheme == "https" ? ":443" : ":80") +
            std::string(url.substr(authority->end));
  }
  if (!other.empty() && other != variants.front()) variants.push_back(std::move(other));
  return variants;
}

SignatureCheck verify_signature(std::string_view auth_token, std::string_view url,
                                std::span<const FormParam> params, std::string_view signature) {
  SignatureCheck check;
  check.urls_tried = url_variants(url);
  std::vector<std::vector<std::size_t>> orders{signing_order(params)};
  if (has_repeated_pairs(params, orders.front())) {
    std::vector<std::size_t> collapsed;
    for (std::size_t i : orders.front()) {
      if (collapsed.empty() || !(params[collapsed.back()] == params[i])) collapsed.push_back(i);
    }
    orders.push_back(std::move(collapsed));
  }
  for (const std::string& candidate : check.urls_tried) {
    for (const auto& order : orders) {
      if (signatures_equal(sign_in_order(auth_token, candidate, params, order), signature)) {
        check.valid = true;
        check.matched_url = candidate;
        return check;
      }
    }
  }
  check.problem = signature.empty()
                      ? "the signature is empty (no X-Twilio-Signature header?)"
                      : "the signature matches none of the URL variants tried (with " +
                            std::to_string(params.size()) +
                            (params.size() == 1 ? " parameter)" : " parameters)");
  return check;
}

SignatureCheck verify_body_signature(std::string_view auth_token, std::string_view url,
                                     std::string_view body, std::string_view signature) {
  const std::string declared = body_sha256_of(url);
  if (declared.empty()) {
    SignatureCheck check;
    check.problem =
        "the URL carries no bodySHA256 query parameter, through which a raw (JSON) body is "
        "signed";
    return check;
  }
  SignatureCheck check = verify_signature(auth_token, url, {}, signature);
  if (!signatures_equal(sha256_hex(body), declared)) {
    check.problem = std::string("bodySHA256 in the URL is not the SHA-256 of the body") +
                    (check.valid ? "" : ", and " + check.problem);
    check.valid = false;
    check.matched_url.clear();
  }
  return check;
}

}  // namespace voiceops::carrier
