#pragma once
// The message outbox: texts and emails for staff outside the call. A turn's notices are written
// in the turn's own transaction (call_store_writes.cpp), so a crash between the commit and the
// send loses nothing and a resend never doubles one; the message worker (ops/message_sender.hpp)
// claims due rows, sends them and records what became of each. Recipients who opted out are kept
// in suppressed_recipients until an operator clears them. This is the repository: the SQL on a
// connection its owner guards (message_sql), the daemon's CallStore and the CLI's MessageStore.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "store/call_row.hpp"
#include "store/sqlite.hpp"

namespace voiceops::store {

struct MessageItem {
  std::int64_t id = 0;
  std::string call_id;  // empty for an alert about no one call
  std::int64_t turn = 0;
  std::string purpose;  // notice, page, alert
  std::string kind;     // phone, sms, queue, voicemail, email
  std::string destination, address, sender, subject, body;
  std::int64_t created_at = 0, next_attempt_at = 0;
  int attempts = 0;
  bool uncertain = false;
  std::string state;  // pending, sent, dead, suppressed, unrouted
  std::optional<std::string> channel, recipient, remote_id, last_error, delivery;
  std::optional<std::int64_t> sent_at, delivery_code;
  bool suppressed = false;  // the address is in suppressed_recipients (read with due rows)
  bool call_ended = false;  // the call is final (read with a delivery report)
};

// Whether a message of this destination kind goes out as a text (else as an email).
inline bool sent_as_text(std::string_view kind) {
  return kind == "sms" || kind == "phone";
}

// A message to add outside a turn: an in-call page already sent, or an alert.
struct NewMessage {
  std::string call_id;
  std::int64_t turn = 0;
  std::string purpose, kind, destination, address, sender, subject, body;
  // Already sent (an in-call page): its state, channel, recipient and the carrier's id.
  std::string state = "pending";
  std::optional<std::string> channel, recipient, remote_id, last_error;
  bool uncertain = false;  // it may have gone out though no answer said so
};

enum class MessageFate {
  sent,        // the carrier or Mailgun took it
  retry,       // try again at next_attempt_at
  dead,        // given up: an operator's to look at
  suppressed,  // not sent: the recipient opted out
  unrouted,    // no channel configured for its kind
};

struct MessageOutcome {
  std::int64_t id = 0;
  MessageFate fate = MessageFate::retry;
  std::string channel, recipient;  // where it went (or was to go)
  std::string remote_id;           // sent: the carrier's id
  std::string error;               // retry, dead, suppressed, unrouted: why
  std::int64_t next_attempt_at = 0;
  bool uncertain = false;           // retry: the attempt may have gone out; look before resending
  bool suppress_recipient = false;  // dead because the recipient opted out: remember them
  int code = 0;                     // the carrier's error code, for the suppression
  bool counts_attempt = true;       // false: handed back, not tried (shutting down)
};

// A delivery status callback, by the message's remote id.
struct DeliveryReport {
  std::string remote_id;
  std::string status;  // queued, sent, delivered, undelivered, failed, ...
  std::optional<int> code;
  std::int64_t at = 0;
};

struct Suppression {
  std::string recipient;
  std::int64_t at = 0;
  int code = 0;
  std::string reason;
};

struct MessageStatus {
  int pending = 0, due = 0, sent = 0, dead = 0, suppressed = 0, unrouted = 0, undelivered = 0;
  int suppressed_recipients = 0;
  std::optional<std::int64_t> oldest_pending_at;
};

// What the message worker needs from wherever the messages live.
class MessageQueue {
 public:
  virtual ~MessageQueue() = default;
  // Claims up to `limit` pending rows due at `now`, oldest first, for `lease_s` seconds, and marks
  // them uncertain in the store until their outcome is recorded.
  virtual Result<std::vector<MessageItem>, std::string> due_messages(std::int64_t now, int limit,
                                                                     std::int64_t lease_s) = 0;
  // Counts each attempt; remembers suppressed recipients.
  virtual Result<bool, std::string> record_messages(const std::vector<MessageOutcome>& outcomes,
                                                    std::int64_t now) = 0;
  // The new row's id. Each is a new row: its seq counts those of its call, turn, purpose and
  // destination before it.
  virtual Result<std::int64_t, std::string> add_message(const NewMessage& message,
                                                        std::int64_t now) = 0;
  // The page of this call's turn to `destination` with this body that was sent, if one was:
  // a webhook run again (the carrier retried it after a crash) does not page twice.
  virtual Result<std::optional<MessageItem>, std::string> sent_page(const std::string& call_id,
                                                                    std::int64_t turn,
                                                                    const std::string& destination,
                                                                    const std::string& body) = 0;
  // The message the report is about, updated, or nullopt when no message has that id. Its
  // delivery is unset when the report told nothing new (a repeat, or "sent" after "delivered").
  virtual Result<std::optional<MessageItem>, std::string> record_delivery(
      const DeliveryReport& report) = 0;
};

namespace message_sql {
// The statement write_turn runs for each notice: ?1 call, ?2 turn, ?3 purpose, ?4 kind,
// ?5 destination, ?6 address, ?7 sender, ?8 body, ?9 now, ?10 the notice's place in the turn.
// A turn written twice adds nothing.
inline constexpr std::string_view insert_notice =
    "INSERT INTO messages (call_id, turn, purpose, kind, destination, address, sender, body,"
    " created_at, next_attempt_at, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)"
    " ON CONFLICT (call_id, turn, purpose, destination, seq) DO NOTHING";

Result<std::vector<MessageItem>, std::string> due(Database& db, std::int64_t now, int limit,
                                                  std::int64_t lease_s);
Result<bool, std::string> record(Database& db, const std::vector<MessageOutcome>& outcomes,
                                 std::int64_t now);
Result<std::int64_t, std::string> add(Database& db, const NewMessage& message, std::int64_t now);
Result<std::optional<MessageItem>, std::string> sent_page(Database& db, const std::string& call_id,
                                                          std::int64_t turn,
                                                          const std::string& destination,
                                                          const std::string& body);
Result<std::optional<MessageItem>, std::string> record_delivery(Database& db,
                                                                const DeliveryReport& report);
Result<MessageStatus, std::string> status(Database& db, std::int64_t now);
// The newest rows, in `states` (every state when empty), at most `limit`.
Result<std::vector<MessageItem>, std::string> list(Database& db,
                                                   const std::vector<std::string>& states,
                                                   int limit);
// Dead rows made pending and due now, attempts reset: `ids`, or every dead one but in-call pages
// when empty (a page's call took its failure path long ago: resend one only by its id).
Result<int, std::string> retry_dead(Database& db, const std::vector<std::int64_t>& ids,
                                    std::int64_t now);
Result<std::vector<Suppression>, std::string> suppressions(Database& db);
// Clears a recipient's suppression; their suppressed messages stay as they are. Returns whether
// there was one.
Result<bool, std::string> unsuppress(Database& db, const std::string& recipient);
}  // namespace message_sql

// The CLI's own connection, for `voiceops messages`.
class MessageStore {
 public:
  static Result<std::unique_ptr<MessageStore>, StoreError> open(const std::string& path);
  Database& db() { return db_; }

 private:
  explicit MessageStore(Database db) : db_(std::move(db)) {}
  Database db_;
};

}  // namespace voiceops::store
