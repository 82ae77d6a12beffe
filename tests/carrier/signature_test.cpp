#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "carrier/signature.hpp"
#include "support/process.hpp"

using namespace voiceops::carrier;
using voiceops::testing::run_process;

namespace {

// The example of the carrier's documentation and of its libraries' own tests.
constexpr std::string_view doc_token = "12345";
constexpr std::string_view doc_url = "https://mycompany.com/myapp.php?foo=1&bar=2";
const FormParams doc_params{{"CallSid", "CA1234567890ABCDE"},
                            {"Caller", "+14158675309"},
                            {"Digits", "1234"},
                            {"From", "+14158675309"},
                            {"To", "+18005551212"}};
constexpr std::string_view doc_signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
constexpr std::string_view doc_body = R"({"property": "value", "boolean": true})";
constexpr std::string_view doc_body_hash =
    "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

}  // namespace

TEST_CASE("signature: the documented example", "[signature]") {
  CHECK(compute_signature(doc_token, doc_url, doc_params) == doc_signature);
  // Parameter order as received does not matter: they are sorted.
  FormParams shuffled(doc_params.rbegin(), doc_params.rend());
  CHECK(compute_signature(doc_token, doc_url, shuffled) == doc_signature);
  CHECK(signed_data("u", FormParams{{"b", "2"}, {"a", "1"}, {"B", "3"}}) == "uB3a1b2");
  // Repeated names: by value too; duplicates kept.
  CHECK(signed_data("u", FormParams{{"a", "2"}, {"a", "1"}, {"a", "2"}}) == "ua1a2a2");
  // Bytewise: "é" (0xC3...) after "z", a prefix before the longer name.
  CHECK(signed_data("u", FormParams{{"\xc3\xa9", "1"}, {"z", "2"}, {"To", "3"}, {"ToCity", "4"}}) ==
        "uTo3ToCity4z2\xc3\xa9"
        "1");
}

TEST_CASE("signature: verification tries the URL with and without the port", "[signature]") {
  const auto check = verify_signature(doc_token, doc_url, doc_params, doc_signature);
  CHECK(check.valid);
  CHECK(check.matched_url == doc_url);
  CHECK(check.urls_tried ==
        std::vector<std::string>{std::string(doc_url),
                                 "https://mycompany.com:443/myapp.php?foo=1&bar=2"});
  // The request arrived at :443 (a proxy added it); the carrier signed without.
  const auto with_port = verify_signature(
      doc_token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", doc_params, doc_signature);
  CHECK(with_port.valid);
  CHECK(with_port.matched_url == doc_url);
  // The carrier signed with the port; the request is checked without.
  const std::string signed_with_port =
      compute_signature(doc_token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", doc_params);
  CHECK(verify_signature(doc_token, doc_url, doc_params, signed_with_port).valid);

  SECTION("anything else changed is invalid") {
    FormParams extra = doc_params;
    extra.push_back({"ApiVersion", "2010-04-01"});
    for (const SignatureCheck& bad :
         {verify_signature(doc_token, doc_url, extra, doc_signature),
          verify_signature("12346", doc_url, doc_params, doc_signature),
          verify_signature(doc_token, "http://mycompany.com/myapp.php?foo=1&bar=2", doc_params,
                           doc_signature),
          verify_signature(doc_token, "https://mycompany.com/myapp.php?foo=1&bar=3", doc_params,
                           doc_signature),
          verify_signature(doc_token, doc_url, FormParams(doc_params.begin(), doc_params.end() - 1),
                           doc_signature),
          verify_signature(doc_token, doc_url, doc_params, "RSOYDt4T1cUTdK1PDd93/VVr8B8"),
          verify_signature(doc_token, doc_url, doc_params, "rSOYDt4T1cUTdK1PDd93/VVr8B8="),
          verify_signature(doc_token, doc_url, doc_params, "")}) {
      CHECK_FALSE(bad.valid);
      CHECK(bad.matched_url.empty());
      CHECK_FALSE(bad.problem.empty());
    }
  }
}

TEST_CASE("signature: URL variants", "[signature]") {
  using V = std::vector<std::string>;
  CHECK(url_variants("https://a.example/x") == V{"https://a.example/x", "https://a.example:443/x"});
  CHECK(url_variants("http://a.example?q=1") ==
        V{"http://a.example?q=1", "http://a.example:80?q=1"});
  CHECK(url_variants("HTTPS://a.example") == V{"HTTPS://a.example", "HTTPS://a.example:443"});
  CHECK(url_variants("https://a.example:8443/x?p=a:b") ==
        V{"https://a.example:8443/x?p=a:b", "https://a.example/x?p=a:b"});
  CHECK(url_variants("https://u:pw@a.example/x") ==
        V{"https://u:pw@a.example/x", "https://u:pw@a.example:443/x"});
  CHECK(url_variants("https://u:pw@a.example:443/x") ==
        V{"https://u:pw@a.example:443/x", "https://u:pw@a.example/x"});
  CHECK(url_variants("http://[::1]:8750/twilio/voice") ==
        V{"http://[::1]:8750/twilio/voice", "http://[::1]/twilio/voice"});
  CHECK(url_variants("http://[::1]/t") == V{"http://[::1]/t", "http://[::1]:80/t"});
  // Not a URL the variants apply to: only as given.
  for (const char* odd : {"", "/twilio/voice", "ftp://a.example/x", "https://", "https://h:/x",
                          "https://h:12ab/x", "https://[::1/x", "://x"}) {
    CHECK(url_variants(odd) == V{odd});
  }
}

TEST_CASE("signature: JSON bodies are signed through bodySHA256", "[signature]") {
  CHECK(sha256_hex(doc_body) == doc_body_hash);
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string url = with_body_sha256(doc_url, doc_body);
  CHECK(url == std::string(doc_url) + "&bodySHA256=" + std::string(doc_body_hash));
  CHECK(with_body_sha256("https://h/x", "") ==
        "https://h/x?bodySHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(with_body_sha256("https://h/x?#f", "").ends_with("b855#f"));
  CHECK(with_body_sha256("https://h/x?a=?", "").starts_with("https://h/x?a=?&bodySHA256=e3b0"));
  CHECK(body_sha256_of(url) == doc_body_hash);
  CHECK(body_sha256_of("https://h/x?a=%zz&bodySHA256=ab%63&c=1") == "abc");
  CHECK(body_sha256_of("https://h/x?bodySHA2567=1").empty());
  CHECK(body_sha256_of("https://h/x?bodySHA256=&bodySHA256=f00") == "f00");
  CHECK(body_sha256_of("https://h/x#bodySHA256=1").empty());

  // The signature of the carrier's own library test.
  const std::string signature = compute_signature(doc_token, url, {});
  CHECK(signature == "a9nBmqA0ju/hNViExpshrM61xv4=");
  auto ok = verify_body_signature(doc_token, url, doc_body, signature);
  CHECK(ok.valid);
  CHECK(ok.matched_url == url);
  auto tampered = verify_body_signature(doc_token, url, std::string(doc_body) + " ", signature);
  CHECK_FALSE(tampered.valid);
  CHECK(tampered.problem.find("not the SHA-256 of the body") != std::string::npos);
  auto no_hash = verify_body_signature(doc_token, doc_url, doc_body,
                                       compute_signature(doc_token, doc_url, {}));
  CHECK_FALSE(no_hash.valid);
  CHECK(no_hash.problem.find("no bodySHA256") != std::string::npos);
  CHECK_FALSE(verify_body_signature("other", url, doc_body, signature).valid);
}

TEST_CASE("signature: repeated identical pairs are accepted signed either way", "[signature]") {
  const FormParams params{{"a", "1"}, {"b", "2"}, {"a", "1"}};
  const std::string kept = compute_signature("t", "https://h/x", params);
  const std::string collapsed =
      compute_signature("t", "https://h/x", FormParams{{"a", "1"}, {"b", "2"}});
  CHECK(kept != collapsed);
  CHECK(verify_signature("t", "https://h/x", params, kept).valid);
  CHECK(verify_signature("t", "https://h/x", params, collapsed).valid);
  CHECK_FALSE(verify_signature("t", "https://h/x", FormParams{{"a", "1"}, {"b", "2"}}, kept).valid);
}

TEST_CASE("signature: comparison and odd tokens", "[signature]") {
  CHECK(signatures_equal("", ""));
  CHECK(signatures_equal("abc", "abc"));
  CHECK_FALSE(signatures_equal("abc", "abd"));
  CHECK_FALSE(signatures_equal("abc", "ab"));
  // An empty or binary token still gives a signature (the configuration refuses empty ones).
  CHECK(compute_signature("", "https://h/x", {}).size() == 28);
  CHECK(compute_signature(std::string("\0\xff", 2), "https://h/x", {}).size() == 28);
}

// The carrier's official Python library (Debian's python3-twilio) as the reference: it computes
// signatures for the same requests and validates ours, with and without ports.
TEST_CASE("signature: agrees with the carrier's official Python library", "[signature][python]") {
  const char* python = "/usr/bin/python3";
  INFO("needs /usr/bin/python3 with python3-twilio (scripts/setup-debian.sh installs it)");
  REQUIRE(std::filesystem::exists(python));

  struct Case {
    std::string token, url;
    FormParams params;
    std::optional<std::string> body;  // a JSON body instead of params
    bool default_port = true;         // every URL variant is the same request
  };
  std::vector<Case> cases{
      {std::string(doc_token), std::string(doc_url), doc_params, {}},
      {"token",
       "https://voice.example.com/twilio/gather",
       {{"SpeechResult", "Ol\xc3\xa1, my caf\xc3\xa9's AC \xe2\x80\x94 broken \xf0\x9f\x91\x8b"},
        {"Confidence", "0.62"},
        {"\xc3\xa9t\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac"},
        {"z", "last?"}},
       {}},
      {"token",
       "https://voice.example.com/twilio/voice?workflow=ops",
       {{"To", "+15125550101"}, {"To", "+15125550100"}, {"a", "2"}, {"a", "1"}, {"a", "2"}},
       {}},
      {"token",
       "https://voice.example.com/twilio/status",
       {{"Digits", ""}, {"CallStatus", "completed"}, {"Empty", ""}, {"B", "upper"}, {"b", "lower"}},
       {}},
      {"secret", "https://voice.example.com:443/twilio/voice", {{"CallSid", "CA1"}}, {}},
      {"secret", "http://voice.example.com:8080/twilio/voice?x=1", {{"CallSid", "CA2"}}, {}, false},
      {"secret", "http://voice.example.com/twilio/dial", {{"DialCallStatus", "no-answer"}}, {}},
      {"secret", "https://voice.example.com/twilio/voice?q=a%20b&r=%E2%82%AC", {}, {}},
      {"12345", with_body_sha256(doc_url, doc_body), {}, std::string(doc_body)},
      {"tok",
       with_body_sha256("https://h.example/json", "{\"caf\xc3\xa9\": \"\xe2\x82\xac\"}"),
       {},
       std::string("{\"caf\xc3\xa9\": \"\xe2\x82\xac\"}")},
  };
  std::mt19937 random(8750);
  const std::vector<std::string> pieces{
      "a", "b", "Z", "0", " ", "+", "&", "=", "%", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x93\x9e",
      ":", "/"};
  const auto random_text = [&](unsigned max) {
    std::string text;
    for (unsigned k = random() % max; k > 0; --k) text += pieces[random() % pieces.size()];
    return text;
  };
  for (int i = 0; i < 40; ++i) {
    Case c{random_text(12) + "t", "https://h.example/p" + std::to_string(i), {}, {}};
    for (unsigned k = random() % 8; k > 0; --k)
      c.params.push_back({random_text(5) + "n", random_text(10)});
    cases.push_back(std::move(c));
  }

  nlohmann::json input = nlohmann::json::array();
  for (const Case& c : cases) {
    nlohmann::json params = nlohmann::json::array();
    for (const auto& p : c.params) params.push_back({p.name, p.value});
    const std::string ours = c.body ? compute_signature(c.token, c.url, {})
                                    : compute_signature(c.token, c.url, c.params);
    input.push_back(
        {{"token", c.token},
         {"url", c.url},
         {"params", params},
         {"body", c.body ? nlohmann::json(*c.body) : nlohmann::json()},
         {"variants", c.default_port ? url_variants(c.url) : std::vector<std::string>{c.url}},
         {"ours", ours}});
  }
  // A list of pairs with .items(), so repeated names reach the library as they do from a
  // multi-dict; a str body takes the bodySHA256 path.
  const std::string script = R"PY(
import json, sys
from twilio.request_validator import RequestValidator
class Pairs(list):
    def items(self):
        return list(self)
out = []
for c in json.load(sys.stdin):
    v = RequestValidator(c["token"])
    params = c["body"] if c["body"] is not None else Pairs(tuple(p) for p in c["params"])
    theirs = v.compute_signature(c["url"], {} if c["body"] is not None else params)
    accepts = [v.validate(u, params, c["ours"]) for u in c["variants"]]
    out.append({"theirs": theirs, "accepts": accepts})
json.dump(out, sys.stdout)
)PY";
  const auto r = run_process({python, "-c", script}, input.dump());
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto output = nlohmann::json::parse(r.out);
  REQUIRE(output.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    INFO("case " << i << ": " << input[i].dump());
    const std::string theirs = output[i]["theirs"];
    CHECK(theirs == input[i]["ours"].get<std::string>());
    for (const auto& accepted : output[i]["accepts"]) CHECK(accepted.get<bool>());
    // And we accept theirs, whichever variant of the URL the request arrived at.
    for (const std::string variant : input[i]["variants"]) {
      const auto check = c.body ? verify_body_signature(c.token, variant, *c.body, theirs)
                                : verify_signature(c.token, variant, c.params, theirs);
      CHECK(check.valid);
    }
  }
}
