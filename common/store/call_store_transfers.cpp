// Screened transfers in the store: a staff member's acceptance is an event on the caller's call,
// "transfer_accepted <staff leg's CallSid>" (so `voiceops calls show` lists it), read back when
// the transfer's result comes in.
#include <future>

#include "store/call_store.hpp"
#include "store/call_store_detail.hpp"

namespace voiceops::store {
namespace {

constexpr std::string_view accepted_event = "transfer_accepted";

}  // namespace

Result<bool, std::string> CallStore::accept_transfer(const calls::TransferAcceptance& acceptance) {
  std::promise<calls::WriteResult> result;
  auto committed = result.get_future();
  std::vector<calls::StoreWrite> writes;
  writes.emplace_back(acceptance);
  commit(std::move(writes),
         [&result](std::vector<calls::StoreWrite>, std::vector<calls::WriteResult> results) {
           result.set_value(std::move(results.front()));
         });
  return committed.get();
}

// On the writer thread, with mutex_ held (write_batch), in a transaction of its own.
Result<bool, std::string> CallStore::write_acceptance(const calls::TransferAcceptance& acceptance) {
  auto transaction = Transaction::begin(*db_);
  if (!transaction) {
    note_write(transaction.error());
    return failed(transaction);
  }
  DbResult<Done> done =
      sql_->insert_event.bind(acceptance.call_id, acceptance.at, accepted_event, acceptance.leg_id);
  if (done) done = sql_->insert_event.run();
  if (done) done = transaction->commit();
  if (!done) {
    note_write(done.error());
    return failed(done);
  }
  return true;
}

Result<bool, std::string> CallStore::transfer_accepted(const std::string& call_id,
                                                       const std::string& leg_id) {
  std::lock_guard lock(reader_mutex_);
  if (!reader_)
    return unexpected(std::string("the store is closed while it recovers from a fault"));
  auto q = reader_->db.prepare(
      "SELECT 1 FROM events WHERE call_id = ?1 AND kind = ?2 AND (?3 = '' OR detail = ?3) "
      "LIMIT 1");
  if (!q) return failed(q);
  if (auto bound = q->bind(call_id, accepted_event, leg_id); !bound) return failed(bound);
  auto row = q->step();
  if (!row) return failed(row);
  return *row;
}

}  // namespace voiceops::store
