// The CallStore's share of the message outbox (store/message_queue.hpp): writes on the writing
// connection between webhooks' batches, the status on the reader; all refused while the store
// recovers from a fault.
#include "store/call_store.hpp"
#include "store/call_store_detail.hpp"
#include "store/message_queue.hpp"

namespace voiceops::store {
namespace {
const std::string recovering = "the store is recovering from a fault";
}

Result<std::vector<MessageItem>, std::string> CallStore::due_messages(std::int64_t now, int limit,
                                                                      std::int64_t lease_s) {
  std::lock_guard lock(mutex_);
  if (!db_ || shared_memory_faulted()) return unexpected(recovering);
  return message_sql::due(*db_, now, limit, lease_s);
}

Result<bool, std::string> CallStore::record_messages(const std::vector<MessageOutcome>& outcomes,
                                                     std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (!db_ || shared_memory_faulted()) return unexpected(recovering);
  return message_sql::record(*db_, outcomes, now);
}

Result<std::int64_t, std::string> CallStore::add_message(const NewMessage& message,
                                                         std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (!db_ || shared_memory_faulted()) return unexpected(recovering);
  return message_sql::add(*db_, message, now);
}

Result<std::optional<MessageItem>, std::string> CallStore::record_delivery(
    const DeliveryReport& report) {
  std::lock_guard lock(mutex_);
  if (!db_ || shared_memory_faulted()) return unexpected(recovering);
  return message_sql::record_delivery(*db_, report);
}

Result<std::optional<MessageItem>, std::string> CallStore::sent_page(const std::string& call_id,
                                                                     std::int64_t turn,
                                                                     const std::string& destination,
                                                                     const std::string& body) {
  std::lock_guard lock(reader_mutex_);
  if (!reader_) return unexpected(recovering);
  return message_sql::sent_page(reader_->db, call_id, turn, destination, body);
}

Result<MessageStatus, std::string> CallStore::message_status(std::int64_t now) {
  std::lock_guard lock(reader_mutex_);
  if (!reader_) return unexpected(recovering);
  return message_sql::status(reader_->db, now);
}

}  // namespace voiceops::store
