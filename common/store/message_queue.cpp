#include "store/message_queue.hpp"

#include <algorithm>
#include <array>

#include "store/call_store_detail.hpp"

namespace voiceops::store {
namespace {

constexpr std::string_view item_columns =
    "m.id, COALESCE(m.call_id, ''), m.turn, m.purpose, m.kind, m.destination, m.address,"
    " m.sender, m.subject, m.body, m.created_at, m.next_attempt_at, m.attempts, m.uncertain,"
    " m.state, m.channel, m.recipient, m.remote_id, m.last_error, m.delivery, m.sent_at,"
    " m.delivery_code";

MessageItem read_item(const Statement& row) {
  MessageItem item;
  item.id = row.int_at(0);
  item.call_id = row.text_at(1);
  item.turn = row.int_at(2);
  item.purpose = row.text_at(3);
  item.kind = row.text_at(4);
  item.destination = row.text_at(5);
  item.address = row.text_at(6);
  item.sender = row.text_at(7);
  item.subject = row.text_at(8);
  item.body = row.text_at(9);
  item.created_at = row.int_at(10);
  item.next_attempt_at = row.int_at(11);
  item.attempts = static_cast<int>(row.int_at(12));
  item.uncertain = row.int_at(13) != 0;
  item.state = row.text_at(14);
  item.channel = row.optional_text_at(15);
  item.recipient = row.optional_text_at(16);
  item.remote_id = row.optional_text_at(17);
  item.last_error = row.optional_text_at(18);
  item.delivery = row.optional_text_at(19);
  if (!row.is_null(20)) item.sent_at = row.int_at(20);
  if (!row.is_null(21)) item.delivery_code = row.int_at(21);
  return item;
}

// Runs `query` (bound) and reads every row; `extra` reads the columns after item_columns.
template <typename Extra>
Result<std::vector<MessageItem>, std::string> read_all(Statement& query, Extra extra) {
  std::vector<MessageItem> out;
  for (;;) {
    auto row = query.step();
    if (!row) return unexpected(describe(row.error()));
    if (!*row) break;
    out.push_back(read_item(query));
    extra(query, out.back());
  }
  return out;
}

std::string_view fate_state(MessageFate fate) {
  switch (fate) {
    case MessageFate::sent: return "sent";
    case MessageFate::retry: return "pending";
    case MessageFate::dead: return "dead";
    case MessageFate::suppressed: return "suppressed";
    case MessageFate::unrouted: return "unrouted";
  }
  return "pending";
}

std::optional<std::string> optional_text(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

namespace message_sql {

Result<std::vector<MessageItem>, std::string> due(Database& db, std::int64_t now, int limit,
                                                  std::int64_t lease_s) {
  // The worker asks every second: with nothing due, it takes no write lock from the webhooks.
  auto any = db.prepare(
      "SELECT 1 FROM messages WHERE state = 'pending' AND next_attempt_at <= ?1 LIMIT 1");
  if (!any) return unexpected(describe(any.error()));
  if (auto bound = any->bind(now); !bound) return unexpected(describe(bound.error()));
  auto found = any->step();
  if (!found) return unexpected(describe(found.error()));
  if (!*found) return std::vector<MessageItem>{};
  any->reset();
  auto transaction = Transaction::begin(db);
  if (!transaction) return unexpected(describe(transaction.error()));
  auto query =
      db.prepare(fmt::format("SELECT {}, s.recipient IS NOT NULL FROM messages m"
                             " LEFT JOIN suppressed_recipients s ON s.recipient = m.address"
                             " WHERE m.state = 'pending' AND m.next_attempt_at <= ?1"
                             " ORDER BY m.next_attempt_at, m.id LIMIT ?2",
                             item_columns));
  if (!query) return unexpected(describe(query.error()));
  if (auto bound = query->bind(now, limit); !bound) return unexpected(describe(bound.error()));
  auto claimed = read_all(*query, [](const Statement& row, MessageItem& item) {
    item.suppressed = row.int_at(22) != 0;
  });
  if (!claimed) return claimed;
  query->reset();
  // Claimed rows are marked uncertain before anything is sent, so a sender killed mid-request
  // leaves them to be looked for, not sent blindly a second time. The rows returned keep what
  // they were: this run's first attempt sends at once.
  auto lease = db.prepare("UPDATE messages SET next_attempt_at = ?2, uncertain = 1 WHERE id = ?1");
  if (!lease) return unexpected(describe(lease.error()));
  DbResult<Done> done = Done{};
  for (const auto& item : *claimed) {
    if (done) done = lease->bind(item.id, now + lease_s);
    if (done) done = lease->run();
  }
  if (done) done = transaction->commit();
  if (!done) return unexpected(describe(done.error()));
  return claimed;
}

Result<bool, std::string> record(Database& db, const std::vector<MessageOutcome>& outcomes,
                                 std::int64_t now) {
  auto transaction = Transaction::begin(db);
  if (!transaction) return unexpected(describe(transaction.error()));
  auto update = db.prepare(
      "UPDATE messages SET state = ?2, attempts = attempts + ?3, next_attempt_at = ?4,"
      " uncertain = ?5, channel = COALESCE(?6, channel), recipient = COALESCE(?7, recipient),"
      " remote_id = COALESCE(?8, remote_id), last_error = ?9,"
      " sent_at = CASE WHEN ?2 = 'sent' THEN ?10 ELSE sent_at END WHERE id = ?1");
  if (!update) return unexpected(describe(update.error()));
  auto suppress = db.prepare(
      "INSERT INTO suppressed_recipients (recipient, at, code, reason) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (recipient) DO NOTHING");
  if (!suppress) return unexpected(describe(suppress.error()));
  DbResult<Done> done = Done{};
  for (const auto& o : outcomes) {
    if (done)
      done = update->bind(o.id, fate_state(o.fate), std::int64_t{o.counts_attempt ? 1 : 0},
                          o.fate == MessageFate::retry ? o.next_attempt_at : now,
                          std::int64_t{o.uncertain ? 1 : 0}, optional_text(o.channel),
                          optional_text(o.recipient), optional_text(o.remote_id),
                          optional_text(o.error), now);
    if (done) done = update->run();
    if (o.suppress_recipient && !o.recipient.empty()) {
      if (done) done = suppress->bind(o.recipient, now, std::int64_t{o.code}, o.error);
      if (done) done = suppress->run();
    }
  }
  if (done) done = transaction->commit();
  if (!done) return unexpected(describe(done.error()));
  return true;
}

Result<std::int64_t, std::string> add(Database& db, const NewMessage& m, std::int64_t now) {
  auto insert = db.prepare(
      "INSERT INTO messages (call_id, turn, purpose, kind, destination, address, sender, subject,"
      " body, created_at, next_attempt_at, state, channel, recipient, remote_id, last_error,"
      " sent_at, attempts, uncertain, seq)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15,"
      " CASE WHEN ?11 = 'sent' THEN ?10 END, CASE WHEN ?11 = 'pending' THEN 0 ELSE 1 END, ?16,"
      " (SELECT COUNT(*) FROM messages WHERE call_id IS ?1 AND turn = ?2 AND purpose = ?3"
      " AND destination = ?5))");
  if (!insert) return unexpected(describe(insert.error()));
  DbResult<Done> done =
      insert->bind(optional_text(m.call_id), m.turn, m.purpose, m.kind, m.destination, m.address,
                   m.sender, m.subject, m.body, now, m.state, m.channel, m.recipient, m.remote_id,
                   m.last_error, std::int64_t{m.uncertain ? 1 : 0});
  if (done) done = insert->run();
  if (!done) return unexpected(describe(done.error()));
  return sqlite3_last_insert_rowid(db.handle());
}

Result<std::optional<MessageItem>, std::string> sent_page(Database& db, const std::string& call_id,
                                                          std::int64_t turn,
                                                          const std::string& destination,
                                                          const std::string& body) {
  auto query = db.prepare(fmt::format(
      "SELECT {} FROM messages m WHERE m.call_id = ?1 AND m.turn = ?2 AND m.purpose = 'page'"
      " AND m.destination = ?3 AND m.body = ?4 AND m.state = 'sent' LIMIT 1",
      item_columns));
  if (!query) return unexpected(describe(query.error()));
  if (auto bound = query->bind(call_id, turn, destination, body); !bound)
    return unexpected(describe(bound.error()));
  auto rows = read_all(*query, [](const Statement&, MessageItem&) {});
  if (!rows) return unexpected(rows.error());
  if (rows->empty()) return std::optional<MessageItem>();
  return std::optional<MessageItem>(std::move(rows->front()));
}

Result<std::optional<MessageItem>, std::string> record_delivery(Database& db,
                                                                const DeliveryReport& report) {
  auto transaction = Transaction::begin(db);
  if (!transaction) return unexpected(describe(transaction.error()));
  // Reports come out of order (sent after delivered): a final status is never taken back.
  auto update = db.prepare(
      "UPDATE messages SET delivery = ?2, delivery_code = ?3, delivery_at = ?4"
      " WHERE remote_id = ?1 AND delivery IS NOT ?2 AND (delivery IS NULL OR delivery NOT IN"
      " ('delivered', 'undelivered', 'failed', 'read') OR (?2 IN ('undelivered', 'failed') AND"
      " delivery NOT IN ('undelivered', 'failed')))");
  if (!update) return unexpected(describe(update.error()));
  std::optional<std::int64_t> code;
  if (report.code) code = *report.code;
  if (auto done = update->bind(report.remote_id, report.status, code, report.at); !done)
    return unexpected(describe(done.error()));
  if (auto done = update->run(); !done) return unexpected(describe(done.error()));
  const bool changed = db.changes() > 0;
  auto query = db.prepare(
      fmt::format("SELECT {}, COALESCE(c.status, 'in-progress') <> 'in-progress' FROM messages m"
                  " LEFT JOIN calls c ON c.id = m.call_id WHERE m.remote_id = ?1 LIMIT 1",
                  item_columns));
  if (!query) return unexpected(describe(query.error()));
  if (auto bound = query->bind(report.remote_id); !bound)
    return unexpected(describe(bound.error()));
  auto rows = read_all(*query, [](const Statement& row, MessageItem& item) {
    item.call_ended = row.int_at(22) != 0;
  });
  if (!rows) return unexpected(rows.error());
  query->reset();
  if (rows->empty()) return std::optional<MessageItem>();
  MessageItem& item = rows->front();
  // On the call's record too, where the morning review reads what happened.
  if (changed && !item.call_id.empty()) {
    auto event =
        db.prepare("INSERT INTO events (call_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)");
    if (!event) return unexpected(describe(event.error()));
    std::string detail = item.purpose + " to " + item.destination + ": " + report.status;
    if (report.code) detail += " (error " + std::to_string(*report.code) + ")";
    DbResult<Done> done = event->bind(item.call_id, report.at, "delivery", detail);
    if (done) done = event->run();
    if (!done) return unexpected(describe(done.error()));
  }
  if (auto done = transaction->commit(); !done) return unexpected(describe(done.error()));
  if (!changed) item.delivery.reset();  // nothing new: the host reports nothing
  return std::optional<MessageItem>(std::move(item));
}

Result<MessageStatus, std::string> status(Database& db, std::int64_t now) {
  auto query = db.prepare(
      "SELECT"
      " COUNT(*) FILTER (WHERE state = 'pending'),"
      " COUNT(*) FILTER (WHERE state = 'pending' AND next_attempt_at <= ?1),"
      " COUNT(*) FILTER (WHERE state = 'sent'),"
      " COUNT(*) FILTER (WHERE state = 'dead'),"
      " COUNT(*) FILTER (WHERE state = 'suppressed'),"
      " COUNT(*) FILTER (WHERE state = 'unrouted'),"
      " COUNT(*) FILTER (WHERE delivery IN ('undelivered', 'failed')),"
      " MIN(created_at) FILTER (WHERE state = 'pending'),"
      " (SELECT COUNT(*) FROM suppressed_recipients)"
      " FROM messages");
  if (!query) return unexpected(describe(query.error()));
  if (auto bound = query->bind(now); !bound) return unexpected(describe(bound.error()));
  auto row = query->step();
  if (!row) return unexpected(describe(row.error()));
  MessageStatus s;
  s.pending = static_cast<int>(query->int_at(0));
  s.due = static_cast<int>(query->int_at(1));
  s.sent = static_cast<int>(query->int_at(2));
  s.dead = static_cast<int>(query->int_at(3));
  s.suppressed = static_cast<int>(query->int_at(4));
  s.unrouted = static_cast<int>(query->int_at(5));
  s.undelivered = static_cast<int>(query->int_at(6));
  if (!query->is_null(7)) s.oldest_pending_at = query->int_at(7);
  s.suppressed_recipients = static_cast<int>(query->int_at(8));
  return s;
}

Result<std::vector<MessageItem>, std::string> list(Database& db,
                                                   const std::vector<std::string>& states,
                                                   int limit) {
  static constexpr std::array<std::string_view, 5> known = {"pending", "sent", "dead", "suppressed",
                                                            "unrouted"};
  std::string where = "1";
  for (const std::string& state : states) {
    if (std::find(known.begin(), known.end(), state) == known.end())
      return unexpected("no message state '" + state + "'");
    where += (where == "1" ? std::string(" AND m.state IN ('") : std::string(", '")) + state + "'";
  }
  if (!states.empty()) where += ")";
  auto query = db.prepare(fmt::format(
      "SELECT {} FROM messages m WHERE {} ORDER BY m.id DESC LIMIT ?1", item_columns, where));
  if (!query) return unexpected(describe(query.error()));
  if (auto done = query->bind(limit); !done) return unexpected(describe(done.error()));
  return read_all(*query, [](const Statement&, MessageItem&) {});
}

Result<int, std::string> retry_dead(Database& db, const std::vector<std::int64_t>& ids,
                                    std::int64_t now) {
  auto transaction = Transaction::begin(db);
  if (!transaction) return unexpected(describe(transaction.error()));
  int changed = 0;
  const std::string reset =
      "UPDATE messages SET state = 'pending', attempts = 0, uncertain = uncertain,"
      " next_attempt_at = ?1 WHERE state = 'dead'";
  if (ids.empty()) {
    auto all = db.prepare(reset + " AND purpose <> 'page'");
    if (!all) return unexpected(describe(all.error()));
    DbResult<Done> done = all->bind(now);
    if (done) done = all->run();
    if (!done) return unexpected(describe(done.error()));
    changed = db.changes();
  } else {
    auto one = db.prepare(reset + " AND id = ?2");
    if (!one) return unexpected(describe(one.error()));
    for (std::int64_t id : ids) {
      DbResult<Done> done = one->bind(now, id);
      if (done) done = one->run();
      if (!done) return unexpected(describe(done.error()));
      changed += db.changes();
    }
  }
  if (auto done = transaction->commit(); !done) return unexpected(describe(done.error()));
  return changed;
}

Result<std::vector<Suppression>, std::string> suppressions(Database& db) {
  auto query =
      db.prepare("SELECT recipient, at, code, reason FROM suppressed_recipients ORDER BY at");
  if (!query) return unexpected(describe(query.error()));
  std::vector<Suppression> out;
  for (;;) {
    auto row = query->step();
    if (!row) return unexpected(describe(row.error()));
    if (!*row) break;
    out.push_back({query->text_at(0), query->int_at(1), static_cast<int>(query->int_at(2)),
                   query->text_at(3)});
  }
  return out;
}

Result<bool, std::string> unsuppress(Database& db, const std::string& recipient) {
  auto erase = db.prepare("DELETE FROM suppressed_recipients WHERE recipient = ?1");
  if (!erase) return unexpected(describe(erase.error()));
  DbResult<Done> done = erase->bind(recipient);
  if (done) done = erase->run();
  if (!done) return unexpected(describe(done.error()));
  return db.changes() > 0;
}

}  // namespace message_sql

Result<std::unique_ptr<MessageStore>, StoreError> MessageStore::open(const std::string& path) {
  auto db =
      open_writing_connection(path, {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"});
  if (!db) return unexpected(std::move(db.error()));
  sqlite3_busy_timeout(db->handle(), 5000);  // the daemon's commits hold the lock for ms
  return std::unique_ptr<MessageStore>(new MessageStore(std::move(*db)));
}

}  // namespace voiceops::store
