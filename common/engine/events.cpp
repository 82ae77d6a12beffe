#include "engine/events.hpp"

namespace voiceops::engine {

const char* to_string(ToolStatus status) {
  switch (status) {
    case ToolStatus::ok: return "ok";
    case ToolStatus::error: return "error";
    case ToolStatus::timeout: return "timeout";
    case ToolStatus::duplicate: return "duplicate";
    case ToolStatus::malformed: return "malformed";
  }
  return "?";
}

const char* to_string(TransferStatus status) {
  switch (status) {
    case TransferStatus::completed: return "completed";
    case TransferStatus::busy: return "busy";
    case TransferStatus::no_answer: return "no-answer";
    case TransferStatus::failed: return "failed";
    case TransferStatus::canceled: return "canceled";
    case TransferStatus::not_accepted: return "not-accepted";
  }
  return "?";
}

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::success: return "success";
    case Outcome::failure: return "failure";
    case Outcome::escalated: return "escalated";
    case Outcome::abandoned: return "abandoned";
  }
  return "?";
}

std::optional<ToolStatus> tool_status_from(std::string_view text) {
  for (auto s : {ToolStatus::ok, ToolStatus::error, ToolStatus::timeout, ToolStatus::duplicate,
                 ToolStatus::malformed}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

std::optional<TransferStatus> transfer_status_from(std::string_view text) {
  for (auto s : {TransferStatus::completed, TransferStatus::busy, TransferStatus::no_answer,
                 TransferStatus::failed, TransferStatus::canceled, TransferStatus::not_accepted}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

}  // namespace voiceops::engine
