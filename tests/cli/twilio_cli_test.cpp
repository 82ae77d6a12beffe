// voiceops twilio sign|verify as operators and scripts use them: output, streams, exit statuses.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/corpus.hpp"
#include "support/process.hpp"

using voiceops::testing::cli_path;
using voiceops::testing::run_process;

namespace {

// The carrier's documented example: token 12345, this URL and these parameters.
const std::string doc_url = "https://mycompany.com/myapp.php?foo=1&bar=2";
const std::string doc_signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
const std::vector<std::string> doc_params{"--param", "CallSid=CA1234567890ABCDE",
                                          "--param", "Caller=+14158675309",
                                          "--param", "Digits=1234",
                                          "--param", "From=+14158675309",
                                          "--param", "To=+18005551212"};
const std::string json_body = R"({"property": "value", "boolean": true})";
const std::string json_url =
    doc_url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

class Scratch {
 public:
  Scratch()
      : dir_(std::filesystem::temp_directory_path() /
             ("voiceops-twilio-cli-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
  }
  ~Scratch() { std::filesystem::remove_all(dir_); }
  std::string file(const std::string& name, const std::string& text) const {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

 private:
  std::filesystem::path dir_;
};

// Runs voiceops with a known environment: no inherited token or configuration.
voiceops::testing::ProcessResult twilio(std::vector<std::string> args,
                                        std::vector<std::string> env = {},
                                        const std::string& input = {}) {
  std::vector<std::string> argv{"/usr/bin/env", "-u", "TWILIO_AUTH_TOKEN", "-u", "VOICEOPS_CONFIG"};
  for (auto& e : env) argv.push_back(std::move(e));
  argv.push_back(cli_path());
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, input);
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

TEST_CASE("twilio sign prints the carrier's signature", "[cli][twilio]") {
  Scratch scratch;
  const std::string config = scratch.file("empty.toml", "");
  auto r = twilio(with({"--config", config, "twilio", "sign", "--url", doc_url}, doc_params),
                  {"TWILIO_AUTH_TOKEN=12345"});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out == doc_signature + "\n");
  CHECK(r.err.empty());

  // The token from the configuration's auth_token_file, found through $VOICEOPS_CONFIG.
  const std::string token = scratch.file("token", "12345\n");
  const std::string with_file =
      scratch.file("voiceops.toml", "[twilio]\nauth_token_file = \"" + token + "\"\n");
  auto from_file = twilio(with({"twilio", "sign", "--url", doc_url}, doc_params),
                          {"VOICEOPS_CONFIG=" + with_file, "TWILIO_AUTH_TOKEN=wrong"});
  INFO(from_file.err);
  CHECK(from_file.status == 0);
  CHECK(from_file.out == doc_signature + "\n");

  // The same parameters as a form body, in another order, with an editor's newline.
  const std::string body = scratch.file(
      "body.txt",
      "To=%2B18005551212&From=%2B14158675309&Digits=1234&Caller=%2B14158675309&CallSid="
      "CA1234567890ABCDE\n");
  auto from_body = twilio({"--config", config, "twilio", "sign", "--url", doc_url, "--body", body},
                          {"TWILIO_AUTH_TOKEN=12345"});
  CHECK(from_body.out == doc_signature + "\n");
  auto from_stdin =
      twilio({"--config", config, "twilio", "sign", "--url", doc_url, "--body", "-"},
             {"TWILIO_AUTH_TOKEN=12345"}, "CallSid=CA1234567890ABCDE&Caller=%2B14158675309");
  CHECK(from_stdin.out == twilio({"--config", config, "twilio", "sign", "--url", doc_url, "--param",
                                  "CallSid=CA1234567890ABCDE", "--param", "Caller=+14158675309"},
                                 {"TWILIO_AUTH_TOKEN=12345"})
                              .out);

  // A JSON body, through bodySHA256.
  const std::string json = scratch.file("body.json", json_body);
  auto signed_json =
      twilio({"--config", config, "twilio", "sign", "--url", json_url, "--body", json, "--json"},
             {"TWILIO_AUTH_TOKEN=12345"});
  CHECK(signed_json.status == 0);
  CHECK(signed_json.out == "a9nBmqA0ju/hNViExpshrM61xv4=\n");
}

TEST_CASE("twilio verify: 0 when valid, 1 when not, with the URLs tried", "[cli][twilio]") {
  Scratch scratch;
  const std::string config = scratch.file("empty.toml", "");
  const std::vector<std::string> env{"TWILIO_AUTH_TOKEN=12345"};
  auto verify = [&](const std::string& url, const std::string& signature,
                    const std::vector<std::string>& more) {
    return twilio(
        with({"--config", config, "twilio", "verify", "--url", url, "--signature", signature},
             more),
        env);
  };
  auto ok = verify(doc_url, doc_signature, doc_params);
  INFO(ok.err);
  CHECK(ok.status == 0);
  CHECK(ok.out == "valid: signed for " + doc_url + "\n");
  // Behind a proxy that added the default port.
  auto port = verify("https://mycompany.com:443/myapp.php?foo=1&bar=2", doc_signature, doc_params);
  CHECK(port.status == 0);
  CHECK(port.out == "valid: signed for " + doc_url + "\n");

  auto bad = verify(doc_url, doc_signature, with(doc_params, {"--param", "Extra=1"}));
  CHECK(bad.status == 1);
  CHECK(bad.out == "invalid\n");
  CHECK(bad.err.find("URL variants tried (2):\n      " + doc_url +
                     "\n      https://mycompany.com:443/myapp.php?foo=1&bar=2\n") !=
        std::string::npos);
  CHECK(bad.err.find("hint: ") != std::string::npos);
  CHECK(bad.err.find("12345") == std::string::npos);  // the token is never shown

  auto as_json = verify("http://h.example:8080/x", "bad", {"--format", "json"});
  CHECK(as_json.status == 1);
  const auto document = nlohmann::json::parse(as_json.out);
  CHECK(document["valid"] == false);
  CHECK(document["urls_tried"] ==
        nlohmann::json::array({"http://h.example:8080/x", "http://h.example/x"}));
  CHECK(document["matched_url"].is_null());

  const std::string json = scratch.file("body.json", json_body);
  CHECK(verify(json_url, "a9nBmqA0ju/hNViExpshrM61xv4=", {"--body", json, "--json"}).status == 0);
  const std::string tampered = scratch.file("tampered.json", json_body + "\n");
  auto wrong_body =
      verify(json_url, "a9nBmqA0ju/hNViExpshrM61xv4=", {"--body", tampered, "--json"});
  CHECK(wrong_body.status == 1);
  CHECK(wrong_body.err.find("bodySHA256") != std::string::npos);
  auto no_hash = verify(doc_url, "a9nBmqA0ju/hNViExpshrM61xv4=", {"--body", json, "--json"});
  CHECK(no_hash.status == 1);
  CHECK(no_hash.err.find("no bodySHA256") != std::string::npos);
}

TEST_CASE("twilio sign|verify: usage errors are 64", "[cli][twilio]") {
  Scratch scratch;
  const std::string config = scratch.file("empty.toml", "");
  const std::string json = scratch.file("body.json", json_body);
  const std::vector<std::string> env{"TWILIO_AUTH_TOKEN=12345"};
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {{"twilio"}, ""},
           {{"twilio", "sign"}, "--url"},
           {{"twilio", "verify", "--url", doc_url}, "--signature"},
           {{"twilio", "sign", "--url", doc_url, "--param", "NoEquals"}, "not NAME=VALUE"},
           {{"twilio", "sign", "--url", doc_url, "--param", "=value"}, "not NAME=VALUE"},
           {{"twilio", "sign", "--url", doc_url, "--json"}, "--json needs --body"},
           {{"twilio", "sign", "--url", json_url, "--json", "--body", json, "--param", "a=1"},
            "drop --param"},
           {{"twilio", "sign", "--url", doc_url, "--json", "--body", json}, "bodySHA256"},
           {{"twilio", "sign", "--url", doc_url, "--param", "a=1", "b=2"}, "b=2"},
           {{"twilio", "verify", "--url", doc_url, "--signature", "x", "--format", "xml"}, "xml"},
           {{"twilio", "sign", "--url", doc_url, "--frobnicate"}, "--frobnicate"}}) {
    auto r = twilio(with({"--config", config}, c.args), env);
    INFO(r.err);
    CHECK(r.status == 64);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.says) != std::string::npos);
  }
}

TEST_CASE("twilio sign|verify: missing token or bad configuration is 78", "[cli][twilio]") {
  Scratch scratch;
  const std::string empty = scratch.file("empty.toml", "");
  for (const std::string command : {"sign", "verify"}) {
    std::vector<std::string> args{"--config", empty, "twilio", command, "--url", doc_url};
    if (command == "verify") args = with(args, {"--signature", doc_signature});
    auto r = twilio(args);
    CHECK(r.status == 78);
    CHECK(r.out.empty());
    CHECK(r.err.find("no Twilio auth token") != std::string::npos);
    CHECK(r.err.find("TWILIO_AUTH_TOKEN") != std::string::npos);
  }
  // A secret inline is refused, and not repeated.
  const std::string inline_secret =
      scratch.file("inline.toml", "[twilio]\nauth_token = \"hunter2-token\"\n");
  auto r = twilio({"--config", inline_secret, "twilio", "sign", "--url", doc_url},
                  {"TWILIO_AUTH_TOKEN=12345"});
  CHECK(r.status == 78);
  CHECK(r.err.find(inline_secret + ":2:1: error: twilio.auth_token: ") == 0);
  CHECK(r.err.find("[secret-inline]") != std::string::npos);
  CHECK(r.err.find("hunter2") == std::string::npos);
  // A typo, located, with a suggestion.
  const std::string typo = scratch.file("typo.toml", "[twilio]\nauth_token_fle = \"/x\"\n");
  r = twilio({"--config", typo, "twilio", "sign", "--url", doc_url}, {"TWILIO_AUTH_TOKEN=12345"});
  CHECK(r.status == 78);
  CHECK(r.err.find(typo + ":2:1: error: unknown key 'twilio.auth_token_fle'") == 0);
  CHECK(r.err.find("did you mean 'auth_token_file'?") != std::string::npos);
  // --config naming a file that is not there; $VOICEOPS_CONFIG too.
  r = twilio({"--config", "/nonexistent/voiceops.toml", "twilio", "sign", "--url", doc_url},
             {"TWILIO_AUTH_TOKEN=12345"});
  CHECK(r.status == 78);
  CHECK(r.err.find("/nonexistent/voiceops.toml") != std::string::npos);
  r = twilio({"twilio", "sign", "--url", doc_url},
             {"TWILIO_AUTH_TOKEN=12345", "VOICEOPS_CONFIG=/nonexistent/voiceops.toml"});
  CHECK(r.status == 78);
  CHECK(r.err.find("VOICEOPS_CONFIG") != std::string::npos);
  // A token file that cannot be read.
  const std::string missing_token = scratch.file(
      "missing-token.toml", "[twilio]\nauth_token_file = \"/nonexistent/twilio-token\"\n");
  r = twilio({"--config", missing_token, "twilio", "sign", "--url", doc_url},
             {"TWILIO_AUTH_TOKEN=12345"});
  CHECK(r.status == 78);
  CHECK(r.err.find("/nonexistent/twilio-token") != std::string::npos);
}

TEST_CASE("twilio sign|verify: body files", "[cli][twilio]") {
  Scratch scratch;
  const std::string config = scratch.file("empty.toml", "");
  const std::vector<std::string> env{"TWILIO_AUTH_TOKEN=12345"};
  auto r = twilio(
      {"--config", config, "twilio", "sign", "--url", doc_url, "--body", "/nonexistent/body.txt"},
      env);
  CHECK(r.status == 66);
  const std::string bad = scratch.file("bad.txt", "CallSid=CA1&Digits=%G1");
  r = twilio({"--config", config, "twilio", "sign", "--url", doc_url, "--body", bad}, env);
  CHECK(r.status == 65);
  CHECK(r.err.find("bad percent escape") != std::string::npos);
  CHECK(r.err.find("byte offset 19") != std::string::npos);
  const std::string latin1 = scratch.file("latin1.txt", "Body=caf%E9");
  r = twilio({"--config", config, "twilio", "verify", "--url", doc_url, "--signature", "x",
              "--body", latin1},
             env);
  CHECK(r.status == 65);
  CHECK(r.err.find("UTF-8") != std::string::npos);
}
