// The session store's default commit (one write after another) and the in-memory store the
// test-pack runner plays calls against.
#include "calls/session_store.hpp"

#include <algorithm>

namespace voiceops::calls {

const std::string& call_id_of(const StoreWrite& write) {
  return std::visit(
      [](const auto& w) -> const std::string& {
        if constexpr (std::is_same_v<std::decay_t<decltype(w)>, TurnRecord>) {
          return w.state.call_id;
        } else {
          return w.call_id;
        }
      },
      write);
}

void SessionStore::commit(std::vector<StoreWrite> writes, Committed done) {
  std::vector<WriteResult> results;
  for (const StoreWrite& write : writes) {
    results.push_back(std::visit(
        [&](const auto& w) -> WriteResult {
          using W = std::decay_t<decltype(w)>;
          if constexpr (std::is_same_v<W, TurnRecord>) {
            return save(w);
          } else if constexpr (std::is_same_v<W, CallFinish>) {
            return finish(w);
          } else {
            return accept_transfer(w);
          }
        },
        write));
  }
  done(std::move(writes), std::move(results));
}

Result<std::optional<std::string>, std::string> MemorySessionStore::load(
    const std::string& call_id) {
  for (const auto& [id, state] : states_) {
    if (id == call_id) return std::optional<std::string>(state);
  }
  return std::optional<std::string>();
}

Result<bool, std::string> MemorySessionStore::save(const TurnRecord& turn) {
  const std::string& call_id = turn.state.call_id;
  for (auto& [id, saved] : states_) {
    if (id == call_id) {
      saved = turn.blob;
      return true;
    }
  }
  states_.emplace_back(call_id, turn.blob);
  return true;
}

WriteResult MemorySessionStore::accept_transfer(const TransferAcceptance& acceptance) {
  acceptances_.push_back(acceptance);
  return true;
}

Result<bool, std::string> MemorySessionStore::transfer_accepted(const std::string& call_id,
                                                                const std::string& leg_id) {
  return std::any_of(acceptances_.begin(), acceptances_.end(), [&](const auto& a) {
    return a.call_id == call_id && (leg_id.empty() || a.leg_id == leg_id);
  });
}

}  // namespace voiceops::calls
