// The DaemonCore's messages to staff: the message worker set up from [twilio] and [email], the
// in-call text pages, and the carrier's delivery reports on texts.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/mask.hpp"
#include "carrier/message_status.hpp"
#include "carrier/webhook_checks.hpp"
#include "host/core_helpers.hpp"
#include "host/daemon_core.hpp"
#include "ops/carrier_settings.hpp"
#include "ops/message_gateways.hpp"
#include "ops/text_page.hpp"

namespace voiceops::host {

std::optional<StartupError> DaemonCore::start_messaging(const config::Environment& environment) {
  const config::Config& config = config_;
  std::unique_ptr<ops::TextGateway> texts;
  if (!config.twilio.account_sid.empty()) {
    auto settings = ops::twilio_rest_settings(config, environment);
    if (!settings) return StartupError{ExitStatus::config, {settings.error().message}};
    settings->timeout = std::chrono::milliseconds(config.twilio.timeout_ms);
    auto client = connectors::twilio::RestClient::make(*settings);
    if (!client) return StartupError{ExitStatus::config, {client.error().message}};
    text_settings_ = *settings;
    texts = std::make_unique<ops::CarrierTextGateway>(std::move(*client));
    if (config.server.public_url.empty()) {
      log_.warning("texts are sent without delivery reports: [server] public_url is not set");
    }
    log_.info(fmt::format("texts through the carrier's REST API at {} (account {})",
                          config.twilio.api_url, config.twilio.account_sid));
  }
  std::unique_ptr<ops::MailGateway> mail;
  if (!config.email.domain.empty()) {
    auto key = config::mailgun_api_key(config, environment);
    if (!key) {
      return StartupError{ExitStatus::config,
                          {key.error().message + " (" + key.error().hint + ")"}};
    }
    connectors::mailgun::Settings settings;
    settings.api_url = config.email.effective_api_url();
    settings.domain = config.email.domain;
    settings.api_key = std::move(*key);
    settings.timeout = std::chrono::milliseconds(config.email.timeout_ms);
    auto client = connectors::mailgun::MailClient::make(std::move(settings));
    if (!client) return StartupError{ExitStatus::config, {client.error().message}};
    mail = std::make_unique<ops::MailgunGateway>(std::move(*client));
    log_.info(fmt::format("emails through Mailgun at {} (domain {})",
                          config.email.effective_api_url(), config.email.domain));
  }
  message_routing_.messaging_service_sid = config.twilio.messaging_service_sid;
  message_routing_.sms_from = config.twilio.sms_from;
  if (!config.server.public_url.empty())
    message_routing_.status_callback =
        config.server.public_url + std::string(carrier::message_status_path);
  message_routing_.email_from = config.email.from;
  message_routing_.summaries_to = config.email.summaries_to;
  message_routing_.alerts_to = config.email.alerts_to;
  ops::MessagePolicy policy;
  policy.max_attempts = config.messages.max_attempts;
  policy.first_delay = std::chrono::seconds(config.messages.retry_first_s);
  policy.max_delay = std::chrono::seconds(config.messages.retry_max_s);
  // Each row of a batch may take a request's whole time, and a lookup's.
  policy.lease = std::chrono::seconds(
      2 * std::max(config.twilio.timeout_ms, config.email.timeout_ms) / 1000 + 5);
  policy.batch = 5;
  message_worker_ = std::make_unique<MessageWorker>(*store_, std::move(texts), std::move(mail),
                                                    message_routing_, policy, log_, metrics_,
                                                    clock_, std::chrono::milliseconds(1000));
  return std::nullopt;
}

std::vector<std::string> DaemonCore::messaging_gaps(
    const std::vector<calls::Workflow>& workflows) const {
  std::vector<std::string> gaps;
  const bool texts = text_settings_.has_value();
  const bool email = !config_.email.domain.empty() && !config_.email.summaries_to.empty();
  for (const auto& workflow : workflows) {
    const contract::Contract& c = *workflow.contract;
    std::vector<std::string> texted, queued;
    for (const auto& mapping : c.tool_calls)
      if (mapping.operation.value == "text") texted.push_back(mapping.call);
    for (const auto& row : c.escalation) {
      const contract::Destination* d = c.destination(row.destination.value);
      if (row.action.value == contract::RowAction::send_sms) {
        texted.push_back("the " + row.name.value + " row");
      } else if (row.action.value == contract::RowAction::take_message && d &&
                 !store::sent_as_text(contract::to_string(d->kind.value))) {
        queued.push_back(d->id);
      }
    }
    if (!texts && !texted.empty()) {
      gaps.push_back(fmt::format(
          "workflow {} promises texts ({}) but [twilio] account_sid is not set: they stay in "
          "the store as unrouted, each logged as an error",
          c.workflow.id.value, fmt::join(texted, ", ")));
    }
    if (!email && !queued.empty()) {
      gaps.push_back(fmt::format(
          "workflow {} leaves messages for {}, which reach no one by email without [email] "
          "domain and summaries_to",
          c.workflow.id.value, fmt::join(queued, ", ")));
    }
  }
  return gaps;
}

engine::ToolResult DaemonCore::send_text_page(const engine::CallState& call,
                                              const contract::Contract& contract,
                                              const contract::ToolCallMapping& mapping,
                                              const std::string& summary,
                                              std::chrono::milliseconds budget) {
  const ops::TextPageRequest request{contract, mapping, call,
                                     summary,  budget,  clock_().time_since_epoch().count()};
  std::string store_error;
  engine::ToolResult result = ops::send_text_page(
      request, text_settings_ ? &*text_settings_ : nullptr, message_routing_, *store_, store_error);
  if (!store_error.empty()) {
    log_.error(fmt::format("call {}: text page {}: its record could not be kept: {}",
                           short_id(call.call_id), mapping.call, store_error));
  }
  const bool sent = result.status == engine::ToolStatus::ok;
  metrics_.messages("sms", sent ? "sent" : "failed", 1);
  if (!sent) {
    log_.error(fmt::format("call {}: text page {} to {} failed: {}", short_id(call.call_id),
                           mapping.call, mapping.to.value, mask_numbers_in(result.detail)));
  } else {
    log_.notice(fmt::format("call {}: text page {} to {} {}", short_id(call.call_id), mapping.call,
                            mapping.to.value, result.detail));
  }
  return result;
}

Answer DaemonCore::answer_message_status(const carrier::HttpRequest& request) {
  Answer answer;
  const auto form = carrier::decode_form(request.body);
  const carrier::SignatureSettings signature{config_.server.public_url, auth_token_,
                                             config_.twilio.validate_signatures};
  if (auto refused = carrier::refuse_webhook(request, form, signature,
                                             {"MessageSid", "MessageStatus", "To", "From"})) {
    if (refused->status == 403) metrics_.signature_failure();
    answer.response = std::move(*refused);
    return answer;
  }
  auto report = carrier::read_message_status(*form);
  if (!report) {
    answer.response =
        carrier::plain_response(400, "not a message status report: " + report.error());
    return answer;
  }
  const std::int64_t now = clock_().time_since_epoch().count();
  auto item =
      store_->record_delivery({report->message_sid, report->status, report->error_code, now});
  if (!item) {
    // The carrier tries a failed callback again: say so with a 503.
    metrics_.store_error();
    answer.response = carrier::plain_response(503, "the store could not take the report");
    return answer;
  }
  answer.response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
  if (!*item || !(*item)->delivery) return answer;  // not ours, or nothing new
  const store::MessageItem& message = **item;
  metrics_.delivery(report->status);
  if (!report->failed()) return answer;
  const std::string code =
      report->error_code ? fmt::format(" (error {})", *report->error_code) : std::string();
  log_.error(fmt::format("{} {} to {} ({}){}: the carrier reports it {}{}", message.purpose,
                         message.id, message.destination, mask_phone(message.address),
                         message.call_id.empty() ? "" : " for call " + short_id(message.call_id),
                         report->status, code));
  // Someone must pass it on: an alert, through the outbox like every message.
  const store::NewMessage alert =
      ops::alert_message(message,
                         "the carrier reports it " + report->status + code +
                             (message.call_ended ? ", after the call ended" : ""),
                         config_.email.alerts_to);
  if (auto added = store_->add_message(alert, now); !added) {
    log_.error(fmt::format("{} {}: the alert about it could not be kept: {}", message.purpose,
                           message.id, added.error()));
  }
  message_worker_->wake();
  return answer;
}

}  // namespace voiceops::host
