#pragma once
// Where calls live between webhooks: the engine state of each call plus what happened on each
// turn. The test-pack runner keeps them in memory; the daemon in SQLite (store/call_store.hpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.hpp"
#include "contract/model.hpp"
#include "engine/call_state.hpp"
#include "engine/events.hpp"

namespace voiceops::calls {

struct TranscriptLine {
  std::string speaker;  // caller, agent, tool, system
  std::string text;
};

struct CallEvent {
  std::string kind;  // started, escalation, tool, transfer, notify, ended, status
  std::string detail;
};

// One webhook's worth of a call, saved as one unit (one transaction in SQLite).
struct TurnRecord {
  engine::CallState state;  // after the turn
  std::string blob;         // engine::serialize(state)
  std::vector<TranscriptLine> lines;
  std::vector<CallEvent> events;
  std::string summary;                  // the staff summary as of this turn
  std::int64_t at = 0;                  // Unix seconds
  std::vector<engine::Notify> notices;  // staff to tell once the turn is written (not stored)
};

// The carrier's final word on a call (status callback).
struct CallFinish {
  std::string call_id;
  std::string workflow;  // for the host's events; not stored
  std::string status;    // completed, busy, no-answer, failed, canceled
  std::optional<std::int64_t> duration_s;
  std::int64_t at = 0;
  std::optional<double> cost;  // engine::call_cost of the call's state; none without a workflow
};

// A staff member took a transferred call: their phone answered and they pressed the key the
// transfer's screen asked for. Kept with the caller's call; only such a transfer counts as
// answered (a voicemail greeting answers too, but never presses the key).
struct TransferAcceptance {
  std::string call_id;  // the caller's call
  std::string leg_id;   // the call that rang the staff member (the carrier's child call)
  std::int64_t at = 0;  // Unix seconds
};

// What answering one webhook wrote, in order: the host commits these before it sends the answer.
using StoreWrite = std::variant<TurnRecord, CallFinish, TransferAcceptance>;
using WriteResult = Result<bool, std::string>;

// The call a write belongs to.
const std::string& call_id_of(const StoreWrite& write);

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Result<std::optional<std::string>, std::string> load(const std::string& call_id) = 0;
  virtual WriteResult save(const TurnRecord& turn) = 0;
  // Returns false when the call was already final (a repeated callback).
  virtual WriteResult finish(const CallFinish&) { return true; }
  virtual WriteResult accept_transfer(const TransferAcceptance& acceptance) = 0;
  // Whether a staff member took the call on the transfer leg `leg_id` (on any leg when empty).
  virtual Result<bool, std::string> transfer_accepted(const std::string& call_id,
                                                      const std::string& leg_id) = 0;

  // Commits `writes` in order and calls `done` with one result per write: here, one by one, by
  // default; the daemon's store commits them later on its writer thread, with other webhooks'.
  using Committed = std::function<void(std::vector<StoreWrite>, std::vector<WriteResult>)>;
  virtual void commit(std::vector<StoreWrite> writes, Committed done);
};

class MemorySessionStore final : public SessionStore {
 public:
  Result<std::optional<std::string>, std::string> load(const std::string& call_id) override;
  Result<bool, std::string> save(const TurnRecord& turn) override;
  WriteResult accept_transfer(const TransferAcceptance& acceptance) override;
  Result<bool, std::string> transfer_accepted(const std::string& call_id,
                                              const std::string& leg_id) override;

 private:
  std::vector<std::pair<std::string, std::string>> states_;
  std::vector<TransferAcceptance> acceptances_;
};

}  // namespace voiceops::calls
