// Screened transfers: what the staff member a transfer rings hears before taking the call, their
// acceptance kept with the caller's call, and a transfer's result counted only when it was taken.
#include "calls/call_handler.hpp"

namespace voiceops::calls {

TransferScreen CallHandler::transfer_screen(const std::string& call_id,
                                            const std::string& destination) {
  TransferScreen screen;
  auto saved = sessions_.load(call_id);
  if (!saved) {
    // The store cannot say whether the caller still waits: a person reached is what the caller
    // needs most, so the staff member hears the screen (without the summary) and may take it.
    observe(Observation::Kind::store_error, call_id, "", saved.error());
    screen.waiting = true;
    return screen;
  }
  if (!*saved) return screen;  // a call the store has never seen
  auto state = engine::deserialize(**saved);
  if (!state) {
    screen.waiting = true;  // the call exists; its state is unreadable: as above
    return screen;
  }
  if (const Workflow* workflow = router_.of(*state)) screen.voice = voice_of(*workflow->contract);
  // A screen of an earlier transfer, or one reaching the phone after the caller hung up, must
  // not put anybody through.
  screen.waiting = state->phase == engine::Phase::transfer &&
                   (destination.empty() || destination == state->transfer_destination);
  screen.summary = state->transfer_summary;
  return screen;
}

TransferScreen CallHandler::accept_transfer(const std::string& call_id, const std::string& leg_id,
                                            const std::string& destination, Writes& writes) {
  TransferScreen screen = transfer_screen(call_id, destination);
  if (screen.waiting)
    writes.push_back(TransferAcceptance{call_id, leg_id, clock_().time_since_epoch().count()});
  return screen;
}

bool CallHandler::screened_transfer(const Workflow& workflow, const engine::CallState& state) {
  const contract::Destination* destination =
      workflow.contract->destination(state.transfer_destination);
  return !destination || destination->screened();
}

bool CallHandler::transfer_taken(const CallInput& input) const {
  auto accepted = sessions_.transfer_accepted(input.call_id, input.transfer_leg);
  if (!accepted) {
    // Unknown is not taken: the caller goes on to the transfer's failure path, never silence.
    observe(Observation::Kind::store_error, input.call_id, "", accepted.error());
    return false;
  }
  return *accepted;
}

}  // namespace voiceops::calls
