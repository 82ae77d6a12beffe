#include "ops/text_page.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/time_spec.hpp"
#include "base/utf8.hpp"
#include "ops/call_template.hpp"

namespace voiceops::ops {
namespace {

using Clock = std::chrono::steady_clock;

engine::ToolResult failed(const engine::CallTool& tool, std::string why) {
  return {tool.name, engine::ToolStatus::error, std::move(why), {}};
}

}  // namespace

std::string text_page_body(const contract::ToolCallMapping& mapping, const engine::CallState& call,
                           const std::string& summary, std::int64_t now) {
  return fill_template(mapping.body.value, [&](std::string_view name) {
    return call_value(call, summary, now, name, format_utc);
  });
}

engine::ToolResult send_text_page(const TextPageRequest& request,
                                  const connectors::twilio::RestSettings* settings,
                                  const MessageRouting& routing, store::MessageQueue& queue,
                                  std::string& store_error) {
  namespace twilio = connectors::twilio;
  const auto deadline = Clock::now() + request.budget;
  const engine::CallTool tool{request.mapping.call, 0, {}};
  const contract::Destination* destination = request.contract.destination(request.mapping.to.value);
  if (!destination || destination->number.value.empty())
    return failed(tool, "the text's destination '" + request.mapping.to.value + "' has no number");

  store::NewMessage record;
  record.call_id = request.call.call_id;
  record.turn = request.call.turns;
  record.purpose = "page";
  record.kind = std::string(contract::to_string(destination->kind.value));
  record.destination = destination->id;
  record.address = destination->number.value;
  record.sender = request.call.to;
  // The carrier refuses a longer body outright (21617): better the start of the page than none.
  record.body = std::string(utf8_first_chars(
      text_page_body(request.mapping, request.call, request.summary, request.now), 1600));
  record.channel = "sms";
  record.recipient = record.address;
  // The page stands or falls without its record; the host logs a store that fails here.
  const auto keep = [&](std::string state, std::string error) -> std::int64_t {
    record.state = std::move(state);
    if (!error.empty()) record.last_error = std::move(error);
    auto id = queue.add_message(record, request.now);
    if (!id) store_error = id.error();
    return id ? *id : 0;
  };
  // This turn's webhook ran before and paged (the carrier retried it after a crash): once.
  if (auto earlier = queue.sent_page(record.call_id, record.turn, record.destination, record.body);
      earlier && *earlier) {
    return {tool.name,
            engine::ToolStatus::ok,
            "already sent as " + (*earlier)->remote_id.value_or("?"),
            {}};
  }
  if (!settings) {
    keep("dead", "texts are not set up: [twilio] account_sid is not configured");
    return failed(tool, "texts are not set up: [twilio] account_sid is not configured");
  }
  auto client = twilio::RestClient::make(*settings);
  if (!client) {
    keep("dead", client.error().message);
    return failed(tool, client.error().message);
  }
  twilio::OutgoingSms sms;
  sms.to = record.address;
  sms.body = record.body;
  sms.messaging_service_sid = routing.messaging_service_sid;
  sms.from = routing.sms_from.empty() ? request.call.to : routing.sms_from;
  sms.status_callback = routing.status_callback;
  auto sent = client->send_message(sms, request.budget);
  if (sent) {
    record.remote_id = sent->sid;
    keep("sent", {});
    return {tool.name, engine::ToolStatus::ok, "accepted as " + sent->sid, {}};
  }
  twilio::Error error = sent.error();
  // It may have gone out: with a second or more left, look for it.
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (error.ambiguous && left >= std::chrono::milliseconds(1000)) {
    if (auto found = client->find_messages(sms.to, request.now, 1, left)) {
      if (const twilio::Message* same = earlier_attempt(*found, sms.body, request.now)) {
        record.remote_id = same->sid;
        keep("sent", {});
        return {tool.name,
                engine::ToolStatus::ok,
                "found as " + same->sid + " after " + error.message,
                {}};
      }
    }
  }
  record.uncertain = error.ambiguous;  // `voiceops messages retry ID` looks before resending
  const std::int64_t id = keep("dead", error.message);
  if (error.code == twilio::recipient_opted_out && id > 0) {
    // The number texted STOP: no later message tries it until an operator clears it.
    store::MessageOutcome opted_out{.id = id,
                                    .fate = store::MessageFate::dead,
                                    .channel = "sms",
                                    .recipient = record.address,
                                    .error = error.message,
                                    .suppress_recipient = true,
                                    .code = error.code,
                                    .counts_attempt = false};
    if (auto recorded = queue.record_messages({opted_out}, request.now); !recorded)
      store_error = recorded.error();
  }
  const bool timed_out = error.kind == twilio::ErrorKind::timeout;
  return {tool.name,
          timed_out ? engine::ToolStatus::timeout : engine::ToolStatus::error,
          error.message,
          {}};
}

}  // namespace voiceops::ops
