#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

#include "calls/scripted_tools.hpp"
#include "carrier/webhooks.hpp"
#include "testcalls/target.hpp"

#include "carrier/signature.hpp"
#include "control/staging_call_state.hpp"

namespace voiceops::testcalls {
namespace {

constexpr const char* test_token = "voiceops-test-auth-token";
constexpr const char* test_url = "https://voiceops.test";

double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
      .count();
}

// One set of webhooks for the whole pack: the dialogue (phrases normalised once) is built once,
// and the call being played answers their clock, tool calls and messages through its hooks.
class InProcessTarget final : public Target, calls::ToolRunner, calls::Messenger {
 public:
  InProcessTarget(const contract::Contract& contract, const contract::Directory* directory)
      // The webhooks share ownership; these aliases do not own what the caller keeps alive.
      : webhooks_(
            {{std::shared_ptr<const contract::Contract>(std::shared_ptr<void>(), &contract),
              std::shared_ptr<const contract::Directory>(std::shared_ptr<void>(), directory)}},
            sessions_, *this, *this, options(*this)) {}

  bool remote() const override { return false; }

  std::string begin_call(const ScriptedCall& call, CallHooks& hooks) override {
    hooks_ = &hooks;
    return "CA" + std::string(32 - std::min<std::size_t>(call.name.size(), 30), '0') +
           call.name.substr(0, 30);
  }

  Result<WebhookAnswer, TargetError> post(const std::string& path,
                                          carrier::FormParams params) override {
    carrier::HttpRequest request;
    request.target = path;
    request.body = carrier::encode_form(params);
    request.headers = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"X-Twilio-Signature", carrier::compute_signature(test_token, test_url + path, params)}};
    const auto start = std::chrono::steady_clock::now();
    carrier::HttpResponse response = webhooks_.handle(request);
    return WebhookAnswer{response.status, std::move(response.body), {}, since(start)};
  }

  Result<std::optional<ObservedCall>, TargetError> observe(const std::string& call_id) override {
    auto state = webhooks_.calls().call_state(call_id);
    if (!state) return std::optional<ObservedCall>();
    ObservedCall seen;
    if (state->outcome) seen.outcome = engine::to_string(*state->outcome);
    seen.event = state->event;
    seen.after_hours = state->after_hours;
    for (const auto& [name, slot] : state->slots) seen.slots[name] = slot.value;
    seen.escalation_rows = state->escalations;
    seen.speech_requests = state->speech_requests;
    seen.spoken_characters = state->spoken_characters;
    seen.summary = webhooks_.calls().summary(*state);
    return std::optional<ObservedCall>(std::move(seen));
  }

 private:
  static carrier::WebhookOptions options(InProcessTarget& self) {
    carrier::WebhookOptions o;
    o.public_url = test_url;
    o.auth_token = test_token;
    o.clock = [&self] { return self.hooks_->now(); };
    return o;
  }

  engine::ToolResult run(const engine::CallState&, const engine::CallTool& tool,
                         const calls::ToolContext&) override {
    return hooks_->run_tool(tool);
  }
  void notify(const engine::CallState&, const engine::Notify& notice, bool) override {
    hooks_->notified(notice);
  }

  CallHooks* hooks_ = nullptr;
  calls::MemorySessionStore sessions_;
  carrier::Webhooks webhooks_;
};

class RemoteTarget final : public Target {
 public:
  explicit RemoteTarget(RemoteTargetOptions options)
      : options_(std::move(options)), client_(options_.daemon, options_.http) {
    while (!options_.public_url.empty() && options_.public_url.back() == '/')
      options_.public_url.pop_back();
    std::random_device entropy;
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    nonce_ = (std::uint64_t{entropy()} << 32 ^ entropy()) ^ static_cast<std::uint64_t>(now);
  }

  bool remote() const override { return true; }

  std::string begin_call(const ScriptedCall& call, CallHooks&) override {
    integrations_ = calls::encode_scripted_outcomes(call.integrations);
    char sid[40];
    std::snprintf(sid, sizeof sid, "CA%016llx%016llx", static_cast<unsigned long long>(nonce_),
                  static_cast<unsigned long long>(++calls_));
    return sid;
  }

  Result<WebhookAnswer, TargetError> post(const std::string& path,
                                          carrier::FormParams params) override {
    params.push_back({std::string(carrier::scripted_integrations_param), integrations_});
    connectors::ClientRequest request;
    request.method = "POST";
    request.target = path;
    request.body = carrier::encode_form(params);
    request.headers = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"X-Twilio-Signature",
         carrier::compute_signature(options_.auth_token, options_.public_url + path, params)}};
    const auto start = std::chrono::steady_clock::now();
    auto response = client_.send(request);
    if (!response) return unexpected(transport_error(response.error()));
    return WebhookAnswer{response->status, std::move(response->body),
                         std::string(response->header("X-Voiceops-Scripted-Integrations")),
                         since(start)};
  }

  Result<std::optional<ObservedCall>, TargetError> observe(const std::string& call_id) override {
    connectors::ClientRequest request;
    request.target = "/testing/calls/" + call_id;
    request.headers = {
        {"X-Twilio-Signature", carrier::compute_signature(
                                   options_.auth_token, options_.public_url + request.target, {})}};
    auto response = client_.send(request);
    if (!response) return unexpected(transport_error(response.error()));
    if (response->status == 404) return std::optional<ObservedCall>();
    if (response->status != 200)
      return unexpected(TargetError{
          false, "GET " + request.target + " answered HTTP " + std::to_string(response->status)});
    return parse_state(response->body, request.target);
  }

 private:
  static TargetError transport_error(const connectors::HttpError& error) {
    const bool gone = error.kind == connectors::HttpErrorKind::unreachable ||
                      error.kind == connectors::HttpErrorKind::timeout ||
                      error.kind == connectors::HttpErrorKind::io;
    return {gone, error.message};
  }

  static Result<std::optional<ObservedCall>, TargetError> parse_state(const std::string& body,
                                                                      const std::string& where) {
    auto state = control::decode_staging_call_state(body);
    if (!state)
      return unexpected(TargetError{false, where + " did not answer a call's state as JSON"});
    ObservedCall seen;
    seen.outcome = state->outcome;
    seen.event = state->event;
    seen.after_hours = state->after_hours;
    seen.slots = state->slots;
    seen.summary = state->summary;
    seen.escalation_rows = state->escalation_rows;
    seen.speech_requests = state->speech_requests;
    seen.spoken_characters = state->spoken_characters;
    return std::optional<ObservedCall>(std::move(seen));
  }

  RemoteTargetOptions options_;
  connectors::HttpClient client_;
  std::uint64_t nonce_ = 0;
  std::uint64_t calls_ = 0;
  std::string integrations_;  // the current call's, encoded
};

}  // namespace

std::unique_ptr<Target> in_process_target(const contract::Contract& contract,
                                          const contract::Directory* directory) {
  return std::make_unique<InProcessTarget>(contract, directory);
}

std::unique_ptr<Target> remote_target(RemoteTargetOptions options) {
  return std::make_unique<RemoteTarget>(std::move(options));
}

}  // namespace voiceops::testcalls
