#pragma once
// A text sent during the call: a [tool_calls] mapping with operation "text" (a step's
// call = "sms.…"), carried out within the step's time through the carrier's Messages API.
// Accepted (201) is ok; a refusal, a timeout or no answer is an error and the step takes its
// on_error path. After an ambiguous failure, while time is left, the account's messages are
// searched for it: found, it was sent. Every attempt is kept in the message outbox as a page,
// sent or dead (never retried after the call: its failure path has already been taken), so the
// carrier's delivery report finds it and a failed delivery raises an alert.
#include <chrono>
#include <cstdint>

#include "connectors/twilio/rest_client.hpp"
#include "contract/model.hpp"
#include "engine/call_state.hpp"
#include "engine/events.hpp"
#include "ops/message_sender.hpp"
#include "store/message_queue.hpp"

namespace voiceops::ops {

struct TextPageRequest {
  const contract::Contract& contract;
  const contract::ToolCallMapping& mapping;
  const engine::CallState& call;
  const std::string& summary;
  std::chrono::milliseconds budget;
  std::int64_t now = 0;  // Unix seconds
};

// `settings` null: texts are not set up, and the page fails at once. `store_error` is set when
// the page's record could not be kept (the page's own outcome stands).
engine::ToolResult send_text_page(const TextPageRequest& request,
                                  const connectors::twilio::RestSettings* settings,
                                  const MessageRouting& routing, store::MessageQueue& queue,
                                  std::string& store_error);

// The page's text: the mapping's body with the call's answers and facts filled in (times in
// UTC; {partner_id}, an Odoo id, is refused by the validator in a text).
std::string text_page_body(const contract::ToolCallMapping& mapping, const engine::CallState& call,
                           const std::string& summary, std::int64_t now);

}  // namespace voiceops::ops
