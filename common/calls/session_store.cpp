// The session store's default commit (one write after another) and the in-memory store the
// test-pack runner plays calls against.
#include "calls/session_store.hpp"

namespace voiceops::calls {

void SessionStore::commit(std::vector<StoreWrite> writes, Committed done) {
  std::vector<WriteResult> results;
  for (const StoreWrite& write : writes) {
    results.push_back(std::visit(
        [&](const auto& w) -> WriteResult {
          if constexpr (std::is_same_v<std::decay_t<decltype(w)>, TurnRecord>) {
            return save(w);
          } else {
            return finish(w);
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

}  // namespace voiceops::calls
