// The message outbox (store/message_queue.hpp): rows added by a turn's notices (once, however
// often the turn is written) and outside a turn, claimed by the sender, their outcomes and
// delivery reports recorded, suppressed recipients, and what `voiceops messages` reads and does.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>

#include "engine/call_state.hpp"
#include "store/call_store.hpp"
#include "store/message_queue.hpp"
#include "support/temp_dir.hpp"

using namespace voiceops;
using store::MessageFate;
using store::MessageItem;
using store::MessageOutcome;
using store::NewMessage;

namespace {

using testing::TempDir;

constexpr std::int64_t t0 = 1796515200;  // 2026-12-06 00:00:00 UTC

// A migrated store, with the daemon's CallStore and the CLI's own connection on the same file.
struct Stores {
  TempDir dir{"voiceops-messages"};
  std::string path = (dir.path / "voiceops.db").string();
  std::unique_ptr<store::CallStore> calls;
  std::unique_ptr<store::MessageStore> cli;

  Stores() {
    auto opened = store::CallStore::open(path);
    REQUIRE(opened);
    calls = std::move(*opened);
    auto own = store::MessageStore::open(path);
    REQUIRE(own);
    cli = std::move(*own);
  }
  store::Database& db() { return cli->db(); }

  // One column of one message row, as the store holds it.
  std::int64_t column(const std::string& name, std::int64_t id) {
    auto query = db().prepare("SELECT " + name + " FROM messages WHERE id = ?1");
    REQUIRE(query);
    REQUIRE(query->bind(id));
    auto row = query->step();
    REQUIRE(row);
    REQUIRE(*row);
    return query->int_at(0);
  }

  std::vector<MessageItem> all() {
    auto items = store::message_sql::list(db(), {}, 1000);
    REQUIRE(items);
    return *items;
  }

  MessageItem item(std::int64_t id) {
    for (const auto& m : all())
      if (m.id == id) return m;
    FAIL("no message " << id);
    return {};
  }
};

engine::Notify sms_notice(const std::string& text = "No heat at 12 Elm St; call +15125550142") {
  return {"oncall_sms", "sms", "+15125550150", text};
}

engine::Notify queue_notice() {
  return {"office_callbacks", "queue", "morning-callbacks", "Maria Lopez wants a callback"};
}

calls::TurnRecord turn_of(const std::string& call_id, int turns,
                          std::vector<engine::Notify> notices = {}) {
  engine::CallState state;
  state.call_id = call_id;
  state.workflow = "after-hours-service";
  state.from = "+15125550142";
  state.to = "+15125550100";
  state.started_at = t0;
  state.turns = turns;
  calls::TurnRecord turn;
  turn.state = state;
  turn.blob = engine::serialize(state);
  turn.lines = {{"caller", "turn " + std::to_string(turns)}};
  turn.at = t0 + turns;
  turn.notices = std::move(notices);
  return turn;
}

NewMessage page(const std::string& call_id, std::int64_t turn, const std::string& address) {
  NewMessage m;
  m.call_id = call_id;
  m.turn = turn;
  m.purpose = "page";
  m.kind = "sms";
  m.destination = "oncall_sms";
  m.address = address;
  m.sender = "+15125550100";
  m.body = "URGENT: call +15125550142 now";
  return m;
}

std::int64_t added(store::Database& db, const NewMessage& m, std::int64_t now) {
  auto id = store::message_sql::add(db, m, now);
  REQUIRE(id);
  REQUIRE(*id > 0);
  return *id;
}

std::vector<std::int64_t> ids_of(const std::vector<MessageItem>& items) {
  std::vector<std::int64_t> ids;
  for (const auto& m : items) ids.push_back(m.id);
  return ids;
}

}  // namespace

// Changed after review: a second page to the same destination in one webhook (an on_error step
// paging again) is a message of its own, never dropped; a webhook run again is caught before the
// add (sent_page), not by the key.
TEST_CASE("message queue: each add is a row, numbered within its call, turn and destination",
          "[store][messages]") {
  Stores s;
  const std::int64_t id = added(s.db(), page("CA1", 3, "+15125550150"), t0);
  auto again = store::message_sql::add(s.db(), page("CA1", 3, "+15125550150"), t0 + 5);
  REQUIRE(again);
  CHECK(*again != id);
  CHECK(*again > 0);
  NewMessage other = page("CA1", 3, "+15125550150");
  other.destination = "oncall_tech";
  CHECK(added(s.db(), other, t0) != id);
  CHECK(added(s.db(), page("CA1", 4, "+15125550150"), t0) != id);
  CHECK(s.all().size() == 4);

  const MessageItem m = s.item(id);
  CHECK(m.call_id == "CA1");
  CHECK(m.turn == 3);
  CHECK(m.purpose == "page");
  CHECK(m.kind == "sms");
  CHECK(m.destination == "oncall_sms");
  CHECK(m.address == "+15125550150");
  CHECK(m.sender == "+15125550100");
  CHECK(m.body == "URGENT: call +15125550142 now");
  CHECK(m.state == "pending");
  CHECK(m.attempts == 0);
  CHECK(m.created_at == t0);
  CHECK(m.next_attempt_at == t0);
  CHECK_FALSE(m.uncertain);
  CHECK_FALSE(m.channel);
  CHECK_FALSE(m.remote_id);
  CHECK_FALSE(m.sent_at);
  CHECK_FALSE(m.delivery);
}

TEST_CASE("message queue: a page already sent is added as sent", "[store][messages]") {
  Stores s;
  NewMessage sent = page("CA1", 2, "+15125550150");
  sent.state = "sent";
  sent.channel = "sms";
  sent.recipient = "+15125550150";
  sent.remote_id = "SM0123456789abcdef0123456789abcdef";
  const std::int64_t id = added(s.db(), sent, t0);
  const MessageItem m = s.item(id);
  CHECK(m.state == "sent");
  CHECK(m.attempts == 1);
  CHECK(m.sent_at == std::optional<std::int64_t>(t0));
  CHECK(m.channel == std::optional<std::string>("sms"));
  CHECK(m.recipient == std::optional<std::string>("+15125550150"));
  CHECK(m.remote_id == std::optional<std::string>("SM0123456789abcdef0123456789abcdef"));

  NewMessage dead = page("CA1", 3, "+15125550150");
  dead.state = "dead";
  dead.last_error = "the carrier answered HTTP 400 (error 21211)";
  const MessageItem d = s.item(added(s.db(), dead, t0));
  CHECK(d.state == "dead");
  CHECK(d.attempts == 1);
  CHECK_FALSE(d.sent_at);
  CHECK(d.last_error == std::optional<std::string>("the carrier answered HTTP 400 (error 21211)"));
  // Neither is due.
  auto due = store::message_sql::due(s.db(), t0 + 1000, 10, 60);
  REQUIRE(due);
  CHECK(due->empty());
}

TEST_CASE("message queue: a turn's notices are written with it, once however often it is written",
          "[store][messages]") {
  Stores s;
  const calls::TurnRecord turn = turn_of("CA1", 4, {sms_notice(), queue_notice()});
  REQUIRE(s.calls->save(turn));
  auto rows = s.all();
  REQUIRE(rows.size() == 2);
  for (const auto& m : rows) {
    INFO(m.destination);
    CHECK(m.call_id == "CA1");
    CHECK(m.turn == 4);
    CHECK(m.purpose == "notice");
    CHECK(m.sender == "+15125550100");  // the number the call came to
    CHECK(m.state == "pending");
    CHECK(m.created_at == turn.at);
    CHECK(m.next_attempt_at == turn.at);
  }
  const auto sms =
      std::find_if(rows.begin(), rows.end(), [](const MessageItem& m) { return m.kind == "sms"; });
  REQUIRE(sms != rows.end());
  CHECK(sms->destination == "oncall_sms");
  CHECK(sms->address == "+15125550150");
  CHECK(sms->body == sms_notice().text);

  // The same turn again (a webhook retried): nothing more.
  REQUIRE(s.calls->save(turn));
  CHECK(s.all().size() == 2);
  // A later turn telling the same destination again is a message of its own.
  REQUIRE(s.calls->save(turn_of("CA1", 5, {sms_notice("again")})));
  CHECK(s.all().size() == 3);
  // A turn without notices adds none.
  REQUIRE(s.calls->save(turn_of("CA1", 6)));
  CHECK(s.all().size() == 3);
}

TEST_CASE("message queue: due claims rows oldest first, and marks them uncertain in the store",
          "[store][messages]") {
  Stores s;
  const std::int64_t a = added(s.db(), page("CA1", 1, "+15125550150"), t0);
  const std::int64_t b = added(s.db(), page("CA1", 2, "+15125550151"), t0 - 10);
  const std::int64_t c = added(s.db(), page("CA1", 3, "+15125550152"), t0 + 100);

  auto due = store::message_sql::due(s.db(), t0, 10, 60);
  REQUIRE(due);
  CHECK(ids_of(*due) == std::vector<std::int64_t>{b, a});
  for (const auto& m : *due) {
    CHECK_FALSE(m.uncertain);  // as they were: this run's first attempt sends at once
    CHECK_FALSE(m.suppressed);
  }
  CHECK((*due)[0].next_attempt_at == t0 - 10);
  CHECK((*due)[1].next_attempt_at == t0);
  for (std::int64_t id : {a, b}) {
    CHECK(s.column("uncertain", id) == 1);
    CHECK(s.column("next_attempt_at", id) == t0 + 60);
    CHECK(s.column("attempts", id) == 0);
  }
  CHECK(s.column("uncertain", c) == 0);
  CHECK(s.column("next_attempt_at", c) == t0 + 100);

  // Leased: not due again until the lease runs out.
  auto leased = store::message_sql::due(s.db(), t0 + 59, 10, 60);
  REQUIRE(leased);
  CHECK(leased->empty());
  // Then they come back, uncertain now (a sender that died mid-request).
  auto back = store::message_sql::due(s.db(), t0 + 60, 10, 60);
  REQUIRE(back);
  CHECK(ids_of(*back) == std::vector<std::int64_t>{a, b});
  for (const auto& m : *back) CHECK(m.uncertain);

  // At most `limit`.
  auto one = store::message_sql::due(s.db(), t0 + 1000, 1, 60);
  REQUIRE(one);
  CHECK(ids_of(*one) == std::vector<std::int64_t>{c});
}

TEST_CASE("message queue: outcomes recorded: sent, retry, dead, suppressed, unrouted",
          "[store][messages]") {
  Stores s;
  const std::int64_t a = added(s.db(), page("CA1", 1, "+15125550150"), t0);
  const std::int64_t b = added(s.db(), page("CA1", 2, "+15125550151"), t0);
  const std::int64_t c = added(s.db(), page("CA1", 3, "+15125550199"), t0);
  const std::int64_t d = added(s.db(), page("CA1", 4, "+15125550153"), t0);
  const std::int64_t e = added(s.db(), page("CA1", 5, "+15125550154"), t0);
  REQUIRE(store::message_sql::due(s.db(), t0, 10, 60).value().size() == 5);

  std::vector<MessageOutcome> outcomes;
  outcomes.push_back({.id = a,
                      .fate = MessageFate::sent,
                      .channel = "sms",
                      .recipient = "+15125550150",
                      .remote_id = "SM0123456789abcdef0123456789abcdef"});
  outcomes.push_back({.id = b,
                      .fate = MessageFate::retry,
                      .channel = "sms",
                      .recipient = "+15125550151",
                      .error = "the carrier answered HTTP 500",
                      .next_attempt_at = t0 + 30,
                      .uncertain = true});
  outcomes.push_back({.id = c,
                      .fate = MessageFate::dead,
                      .channel = "sms",
                      .recipient = "+15125550199",
                      .error = "the carrier answered HTTP 400 (error 21610)",
                      .suppress_recipient = true,
                      .code = 21610});
  outcomes.push_back(
      {.id = d, .fate = MessageFate::retry, .next_attempt_at = t0 + 1, .counts_attempt = false});
  outcomes.push_back({.id = e, .fate = MessageFate::unrouted, .error = "texts are not set up"});
  REQUIRE(store::message_sql::record(s.db(), outcomes, t0 + 2));

  const MessageItem sent = s.item(a);
  CHECK(sent.state == "sent");
  CHECK(sent.attempts == 1);
  CHECK_FALSE(sent.uncertain);
  CHECK(sent.sent_at == std::optional<std::int64_t>(t0 + 2));
  CHECK(sent.remote_id == std::optional<std::string>("SM0123456789abcdef0123456789abcdef"));
  CHECK(sent.channel == std::optional<std::string>("sms"));
  CHECK(sent.recipient == std::optional<std::string>("+15125550150"));
  CHECK_FALSE(sent.last_error);

  const MessageItem retry = s.item(b);
  CHECK(retry.state == "pending");
  CHECK(retry.attempts == 1);
  CHECK(retry.uncertain);
  CHECK(retry.next_attempt_at == t0 + 30);
  CHECK(retry.last_error == std::optional<std::string>("the carrier answered HTTP 500"));
  CHECK_FALSE(retry.sent_at);

  const MessageItem dead = s.item(c);
  CHECK(dead.state == "dead");
  CHECK(dead.attempts == 1);
  CHECK_FALSE(dead.uncertain);

  const MessageItem handed_back = s.item(d);
  CHECK(handed_back.state == "pending");
  CHECK(handed_back.attempts == 0);  // not tried
  CHECK(handed_back.next_attempt_at == t0 + 1);

  CHECK(s.item(e).state == "unrouted");

  auto suppressed = store::message_sql::suppressions(s.db());
  REQUIRE(suppressed);
  REQUIRE(suppressed->size() == 1);
  CHECK(suppressed->front().recipient == "+15125550199");
  CHECK(suppressed->front().code == 21610);
  CHECK(suppressed->front().at == t0 + 2);
  CHECK(suppressed->front().reason == "the carrier answered HTTP 400 (error 21610)");

  // A later message to a suppressed recipient says so when claimed; the others do not.
  const std::int64_t later = added(s.db(), page("CA2", 1, "+15125550199"), t0 + 40);
  auto due = store::message_sql::due(s.db(), t0 + 40, 10, 60);
  REQUIRE(due);
  REQUIRE(due->size() == 3);  // b, d and the later one
  for (const auto& m : *due) {
    INFO(m.id);
    CHECK(m.suppressed == (m.id == later));
  }

  // An operator clears the recipient: their message is no longer suppressed when claimed.
  CHECK(store::message_sql::unsuppress(s.db(), "+15125550199").value());
  CHECK_FALSE(store::message_sql::unsuppress(s.db(), "+15125550199").value());
  CHECK(store::message_sql::suppressions(s.db()).value().empty());
  auto cleared = store::message_sql::due(s.db(), t0 + 100, 10, 60);
  REQUIRE(cleared);
  for (const auto& m : *cleared) CHECK_FALSE(m.suppressed);
  CHECK(s.item(c).state == "dead");  // its suppressed or dead messages stay as they are
}

TEST_CASE("message queue: a recipient suppressed twice is kept once, as first recorded",
          "[store][messages]") {
  Stores s;
  const std::int64_t a = added(s.db(), page("CA1", 1, "+15125550199"), t0);
  const std::int64_t b = added(s.db(), page("CA1", 2, "+15125550199"), t0);
  REQUIRE(store::message_sql::record(s.db(),
                                     {{.id = a,
                                       .fate = MessageFate::dead,
                                       .recipient = "+15125550199",
                                       .error = "first",
                                       .suppress_recipient = true,
                                       .code = 21610},
                                      {.id = b,
                                       .fate = MessageFate::dead,
                                       .recipient = "+15125550199",
                                       .error = "second",
                                       .suppress_recipient = true,
                                       .code = 21610}},
                                     t0));
  auto suppressed = store::message_sql::suppressions(s.db());
  REQUIRE(suppressed);
  REQUIRE(suppressed->size() == 1);
  CHECK(suppressed->front().reason == "first");
}

TEST_CASE("message queue: delivery reports, once each, never taking a final status back",
          "[store][messages]") {
  Stores s;
  REQUIRE(s.calls->save(turn_of("CA1", 1)));
  store::CallStore& calls = *s.calls;
  NewMessage first = page("CA1", 1, "+15125550150");
  first.state = "sent";
  first.remote_id = "SM00000000000000000000000000000001";
  NewMessage second = page("CA1", 2, "+15125550150");
  second.state = "sent";
  second.remote_id = "SM00000000000000000000000000000002";
  NewMessage third = page("CA1", 3, "+15125550150");
  third.state = "sent";
  third.remote_id = "SM00000000000000000000000000000003";
  for (const NewMessage* m : {&first, &second, &third})
    REQUIRE(calls.add_message(*m, t0).value() > 0);

  const auto deliveries = [&] {
    int n = 0;
    const auto detail = calls.show_call("CA1").value();
    REQUIRE(detail);
    for (const auto& e : detail->events) n += e.kind == "delivery";
    return n;
  };

  // No message has that sid.
  auto unknown = calls.record_delivery({"SMffffffffffffffffffffffffffffffff", "delivered", {}, t0});
  REQUIRE(unknown);
  CHECK_FALSE(*unknown);

  // The first report of a failed delivery: the message, with its delivery, and an event on the
  // call.
  auto failed = calls.record_delivery({*first.remote_id, "undelivered", 30007, t0 + 10});
  REQUIRE(failed);
  REQUIRE(*failed);
  CHECK((*failed)->remote_id == first.remote_id);
  CHECK((*failed)->delivery == std::optional<std::string>("undelivered"));
  CHECK((*failed)->delivery_code == std::optional<std::int64_t>(30007));
  CHECK((*failed)->call_id == "CA1");
  CHECK_FALSE((*failed)->call_ended);
  auto detail = calls.show_call("CA1");
  REQUIRE(detail);
  REQUIRE(*detail);
  const auto event = std::find_if((*detail)->events.begin(), (*detail)->events.end(),
                                  [](const store::StoredEvent& e) { return e.kind == "delivery"; });
  REQUIRE(event != (*detail)->events.end());
  CHECK(event->at == t0 + 10);
  CHECK(event->detail.find("undelivered") != std::string::npos);
  CHECK(event->detail.find("30007") != std::string::npos);
  CHECK(event->detail.find("oncall_sms") != std::string::npos);
  CHECK(deliveries() == 1);

  // The same report again: the message, but nothing new to tell, and no second event.
  auto repeat = calls.record_delivery({*first.remote_id, "undelivered", 30007, t0 + 11});
  REQUIRE(repeat);
  REQUIRE(*repeat);
  CHECK_FALSE((*repeat)->delivery);
  CHECK(deliveries() == 1);

  // "sent" arriving after "delivered" does not overwrite it.
  auto delivered = calls.record_delivery({*second.remote_id, "delivered", {}, t0 + 20});
  REQUIRE(delivered);
  REQUIRE(*delivered);
  CHECK((*delivered)->delivery == std::optional<std::string>("delivered"));
  auto late = calls.record_delivery({*second.remote_id, "sent", {}, t0 + 21});
  REQUIRE(late);
  REQUIRE(*late);
  CHECK_FALSE((*late)->delivery);
  auto rows = store::message_sql::list(s.db(), {"sent"}, 10);
  REQUIRE(rows);
  for (const auto& m : *rows) {
    if (m.remote_id == second.remote_id)
      CHECK(m.delivery == std::optional<std::string>("delivered"));
  }
  CHECK(deliveries() == 2);

  // The status says how many texts were not delivered.
  auto status = calls.message_status(t0 + 30);
  REQUIRE(status);
  CHECK(status->undelivered == 1);
  CHECK(status->sent == 3);

  // Once the call is over, a report says so.
  REQUIRE(calls.finish({.call_id = "CA1",
                        .workflow = "after-hours-service",
                        .status = "completed",
                        .duration_s = 60,
                        .at = t0 + 60}));
  auto after = calls.record_delivery({*third.remote_id, "delivered", {}, t0 + 70});
  REQUIRE(after);
  REQUIRE(*after);
  CHECK((*after)->call_ended);
}

TEST_CASE("message queue: a repeated non-final report is nothing new", "[store][messages]") {
  Stores s;
  REQUIRE(s.calls->save(turn_of("CA1", 1)));
  NewMessage sent = page("CA1", 1, "+15125550150");
  sent.state = "sent";
  sent.remote_id = "SM00000000000000000000000000000009";
  REQUIRE(s.calls->add_message(sent, t0).value() > 0);
  auto first = s.calls->record_delivery({*sent.remote_id, "sent", {}, t0 + 1});
  REQUIRE(first);
  REQUIRE(*first);
  CHECK((*first)->delivery == std::optional<std::string>("sent"));
  // The header: "Its delivery is unset when the report told nothing new (a repeat, ...)".
  auto again = s.calls->record_delivery({*sent.remote_id, "sent", {}, t0 + 2});
  REQUIRE(again);
  REQUIRE(*again);
  CHECK_FALSE((*again)->delivery);
  int events = 0;
  const auto detail = s.calls->show_call("CA1").value();
  REQUIRE(detail);
  for (const auto& e : detail->events) events += e.kind == "delivery";
  CHECK(events == 1);
}

TEST_CASE("message queue: the status counts each state", "[store][messages]") {
  Stores s;
  auto empty = store::message_sql::status(s.db(), t0);
  REQUIRE(empty);
  CHECK(empty->pending == 0);
  CHECK_FALSE(empty->oldest_pending_at);

  const std::int64_t a = added(s.db(), page("CA1", 1, "+15125550150"), t0 - 100);
  added(s.db(), page("CA1", 2, "+15125550151"), t0 + 100);  // pending, not yet due
  const std::int64_t c = added(s.db(), page("CA1", 3, "+15125550152"), t0);
  const std::int64_t d = added(s.db(), page("CA1", 4, "+15125550153"), t0);
  const std::int64_t e = added(s.db(), page("CA1", 5, "+15125550154"), t0);
  const std::int64_t f = added(s.db(), page("CA1", 6, "+15125550155"), t0);
  REQUIRE(store::message_sql::record(s.db(),
                                     {{.id = c, .fate = MessageFate::sent, .remote_id = "SM1"},
                                      {.id = d,
                                       .fate = MessageFate::dead,
                                       .recipient = "+15125550153",
                                       .error = "STOP",
                                       .suppress_recipient = true,
                                       .code = 21610},
                                      {.id = e, .fate = MessageFate::suppressed},
                                      {.id = f, .fate = MessageFate::unrouted}},
                                     t0));
  auto status = store::message_sql::status(s.db(), t0);
  REQUIRE(status);
  CHECK(status->pending == 2);
  CHECK(status->due == 1);  // a; the other waits until t0 + 100
  CHECK(status->sent == 1);
  CHECK(status->dead == 1);
  CHECK(status->suppressed == 1);
  CHECK(status->unrouted == 1);
  CHECK(status->undelivered == 0);
  CHECK(status->suppressed_recipients == 1);
  CHECK(status->oldest_pending_at == std::optional<std::int64_t>(t0 - 100));
  (void)a;
  // The CallStore reads the same.
  auto same = s.calls->message_status(t0);
  REQUIRE(same);
  CHECK(same->pending == 2);
  CHECK(same->dead == 1);
}

TEST_CASE("message queue: list, newest first, by state; an unknown state is an error",
          "[store][messages]") {
  Stores s;
  const std::int64_t a = added(s.db(), page("CA1", 1, "+15125550150"), t0);
  const std::int64_t b = added(s.db(), page("CA1", 2, "+15125550151"), t0);
  const std::int64_t c = added(s.db(), page("CA1", 3, "+15125550152"), t0);
  REQUIRE(store::message_sql::record(
      s.db(), {{.id = b, .fate = MessageFate::dead}, {.id = c, .fate = MessageFate::sent}}, t0));

  CHECK(ids_of(store::message_sql::list(s.db(), {}, 10).value()) ==
        std::vector<std::int64_t>{c, b, a});
  CHECK(ids_of(store::message_sql::list(s.db(), {}, 2).value()) == std::vector<std::int64_t>{c, b});
  CHECK(ids_of(store::message_sql::list(s.db(), {"dead"}, 10).value()) ==
        std::vector<std::int64_t>{b});
  CHECK(ids_of(store::message_sql::list(s.db(), {"pending", "sent"}, 10).value()) ==
        std::vector<std::int64_t>{c, a});
  CHECK(store::message_sql::list(s.db(), {"suppressed", "unrouted"}, 10).value().empty());

  for (const std::string bad : {"bogus", "Pending", "dead'); DROP TABLE messages; --", ""}) {
    INFO(bad);
    auto refused = store::message_sql::list(s.db(), {"dead", bad}, 10);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().find(bad) != std::string::npos);
  }
  CHECK(s.all().size() == 3);
}

TEST_CASE("message queue: retry_dead makes dead rows pending and due now", "[store][messages]") {
  Stores s;
  const std::int64_t a = added(s.db(), page("CA1", 1, "+15125550150"), t0);
  const std::int64_t b = added(s.db(), page("CA1", 2, "+15125550151"), t0);
  const std::int64_t c = added(s.db(), page("CA1", 3, "+15125550152"), t0);
  const std::int64_t d = added(s.db(), page("CA1", 4, "+15125550153"), t0);
  for (int round = 0; round < 3; ++round) {
    REQUIRE(store::message_sql::record(s.db(),
                                       {{.id = a, .fate = MessageFate::dead},
                                        {.id = b, .fate = MessageFate::dead},
                                        {.id = c, .fate = MessageFate::dead},
                                        {.id = d, .fate = MessageFate::sent}},
                                       t0));
  }
  CHECK(s.item(a).attempts == 3);

  // By id: only dead ones count; a sent or unknown id changes nothing.
  CHECK(store::message_sql::retry_dead(s.db(), {a, d, 999}, t0 + 500).value() == 1);
  const MessageItem retried = s.item(a);
  CHECK(retried.state == "pending");
  CHECK(retried.attempts == 0);
  CHECK(retried.next_attempt_at == t0 + 500);
  CHECK(s.item(d).state == "sent");
  CHECK(s.item(b).state == "dead");

  // Every dead one, but in-call pages (changed after review: a page's call took its failure
  // path long ago; one is resent only by its id).
  CHECK(store::message_sql::retry_dead(s.db(), {}, t0 + 600).value() == 0);
  CHECK(s.item(b).state == "dead");
  CHECK(store::message_sql::retry_dead(s.db(), {b, c}, t0 + 600).value() == 2);
  CHECK(s.item(b).state == "pending");
  CHECK(s.item(c).state == "pending");
  CHECK(s.item(c).next_attempt_at == t0 + 600);
  CHECK(store::message_sql::retry_dead(s.db(), {}, t0 + 700).value() == 0);
  auto due = store::message_sql::due(s.db(), t0 + 600, 10, 60);
  REQUIRE(due);
  CHECK(due->size() == 3);
}
