// The message worker's rules (ops/message_sender.hpp) over a real store, with scripted gateways
// in place of the carrier and Mailgun: each text sent once, a row that may have gone out looked
// for before it is sent again, refusals and opt-outs, rate limits and backoff, alerts, email.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <memory>
#include <stop_token>
#include <string>

#include "engine/call_state.hpp"
#include "ops/message_sender.hpp"
#include "store/call_store.hpp"
#include "store/message_queue.hpp"
#include "support/temp_dir.hpp"

using namespace voiceops;
namespace twilio = voiceops::connectors::twilio;
namespace mailgun = voiceops::connectors::mailgun;
using store::MessageItem;

namespace {

using testing::TempDir;

constexpr std::int64_t t0 = 1796515200;  // 2026-12-06 00:00:00 UTC
constexpr const char* oncall = "+15125550150";
constexpr const char* called = "+15125550100";  // the number the call came to
constexpr const char* callback = "https://voice.example.com/twilio/message-status";

// The carrier, scripted: each send takes the next answer (none left: accepted as SM...n), and
// each lookup the next list (none left: nothing found).
struct FakeTexts final : ops::TextGateway {
  std::vector<twilio::OutgoingSms> sends;
  std::vector<std::pair<std::string, std::int64_t>> lookups;  // to, since
  std::deque<Result<twilio::Message, twilio::Error>> send_answers;
  std::deque<Result<std::vector<twilio::Message>, twilio::Error>> lookup_answers;
  int accepted = 0;

  Result<twilio::Message, twilio::Error> send(const twilio::OutgoingSms& sms) override {
    sends.push_back(sms);
    if (!send_answers.empty()) {
      auto answer = std::move(send_answers.front());
      send_answers.pop_front();
      return answer;
    }
    twilio::Message m;
    m.sid = fmt::format("SM{:032x}", ++accepted);
    m.to = sms.to;
    m.from = sms.from;
    m.body = sms.body;
    m.status = "queued";
    return m;
  }

  Result<std::vector<twilio::Message>, twilio::Error> sent_to(const std::string& to,
                                                              std::int64_t since) override {
    lookups.emplace_back(to, since);
    if (!lookup_answers.empty()) {
      auto answer = std::move(lookup_answers.front());
      lookup_answers.pop_front();
      return answer;
    }
    return std::vector<twilio::Message>{};
  }
};

struct FakeMail final : ops::MailGateway {
  std::vector<mailgun::Mail> sends;
  std::deque<Result<std::string, mailgun::Error>> answers;
  Result<std::string, mailgun::Error> send(const mailgun::Mail& mail) override {
    sends.push_back(mail);
    if (!answers.empty()) {
      auto answer = std::move(answers.front());
      answers.pop_front();
      return answer;
    }
    return "<" + std::to_string(sends.size()) + "@mg.example.com>";
  }
};

twilio::Error carrier_error(twilio::ErrorKind kind, int status, int code, bool ambiguous = false,
                            std::optional<int> retry_after = {}) {
  twilio::Error e;
  e.kind = kind;
  e.http_status = status;
  e.code = code;
  e.ambiguous = ambiguous;
  e.retry_after_s = retry_after;
  e.message = "the carrier answered HTTP " + std::to_string(status) +
              (code ? " (error " + std::to_string(code) + ")" : std::string());
  return e;
}

// A text in the account's list, created `created` (by default a little after the rows of
// these tests were made, as a text an unclear attempt created would be).
twilio::Message found(const std::string& sid, const std::string& body, const std::string& status,
                      std::optional<std::int64_t> created = std::nullopt) {
  twilio::Message m;
  m.sid = sid;
  m.to = oncall;
  m.from = called;
  m.body = body;
  m.status = status;
  m.created_unix = created ? created : std::optional<std::int64_t>(t0 + 50);
  return m;
}

const std::string notice_text = "No heat at 12 Elm St; Maria Lopez; call back +15125550142";

// A store, the fakes, and a sender over them as the daemon builds it.
struct Outbox {
  TempDir dir{"voiceops-sender"};
  std::string path = (dir.path / "voiceops.db").string();
  std::unique_ptr<store::CallStore> store;
  std::unique_ptr<store::MessageStore> cli;
  FakeTexts texts;
  FakeMail mail;
  ops::MessageRouting routing{.status_callback = callback,
                              .email_from = "Voiceops <voiceops@mg.example.com>",
                              .summaries_to = {"office@example.com"},
                              .alerts_to = {"ops@example.com", "owner@example.com"}};
  ops::MessagePolicy policy;
  double random = 0.0;
  bool with_texts = true, with_mail = true;

  Outbox() {
    auto opened = store::CallStore::open(path);
    REQUIRE(opened);
    store = std::move(*opened);
    auto own = store::MessageStore::open(path);
    REQUIRE(own);
    cli = std::move(*own);
  }

  ops::MessageRun run(std::int64_t now) {
    ops::MessageSender sender(*store, with_texts ? &texts : nullptr, with_mail ? &mail : nullptr,
                              routing, policy, [this] { return random; });
    return sender.run(now);
  }

  // The call's turn `turns` tells staff `notice`; returns the row's id.
  std::int64_t notice(engine::Notify notice, int turns = 1, const std::string& call_id = "CA1") {
    engine::CallState state;
    state.call_id = call_id;
    state.workflow = "after-hours-service";
    state.from = "+15125550142";
    state.to = called;
    state.started_at = t0;
    state.turns = turns;
    calls::TurnRecord turn;
    turn.state = state;
    turn.blob = engine::serialize(state);
    turn.at = t0 + turns;
    turn.notices = {notice};
    REQUIRE(store->save(turn));
    std::int64_t newest = 0;
    for (const auto& m : all())
      if (m.call_id == call_id && m.turn == turns && m.destination == notice.destination)
        newest = m.id;
    REQUIRE(newest > 0);
    return newest;
  }
  std::int64_t text_notice(int turns = 1, const std::string& to = oncall,
                           const std::string& text = notice_text) {
    return notice({"oncall_sms", "sms", to, text}, turns);
  }

  std::vector<MessageItem> all() {
    auto items = store::message_sql::list(cli->db(), {}, 1000);
    REQUIRE(items);
    return *items;
  }
  MessageItem item(std::int64_t id) {
    for (const auto& m : all())
      if (m.id == id) return m;
    FAIL("no message " << id);
    return {};
  }
  std::vector<MessageItem> alerts() {
    std::vector<MessageItem> out;
    for (const auto& m : all())
      if (m.purpose == "alert") out.push_back(m);
    return out;
  }
};

}  // namespace

TEST_CASE("message sender: a pending text is sent once, from the called number, with the callback",
          "[ops][messages]") {
  Outbox o;
  const std::int64_t id = o.text_notice();
  const ops::MessageRun first = o.run(t0 + 100);
  CHECK(first.texts_sent == 1);
  CHECK(first.store_error.empty());
  CHECK(first.alerts.empty());
  REQUIRE(o.texts.sends.size() == 1);
  const twilio::OutgoingSms& sms = o.texts.sends.front();
  CHECK(sms.to == oncall);
  CHECK(sms.from == called);
  CHECK(sms.messaging_service_sid.empty());
  CHECK(sms.body == notice_text);
  CHECK(sms.status_callback == callback);
  CHECK(o.texts.lookups.empty());  // a first attempt sends at once

  const MessageItem m = o.item(id);
  CHECK(m.state == "sent");
  CHECK(m.remote_id == std::optional<std::string>(fmt::format("SM{:032x}", 1)));
  CHECK(m.attempts == 1);
  CHECK_FALSE(m.uncertain);
  CHECK(m.channel == std::optional<std::string>("sms"));
  CHECK(m.recipient == std::optional<std::string>(oncall));
  CHECK(m.sent_at.has_value());

  const ops::MessageRun second = o.run(t0 + 1000);
  CHECK(second.texts_sent == 0);
  CHECK(o.texts.sends.size() == 1);
  CHECK(o.alerts().empty());
}

TEST_CASE("message sender: texts from [twilio] sms_from, or through the Messaging Service",
          "[ops][messages]") {
  SECTION("sms_from") {
    Outbox o;
    o.routing.sms_from = "+15125550101";
    o.text_notice();
    o.run(t0 + 100);
    REQUIRE(o.texts.sends.size() == 1);
    CHECK(o.texts.sends[0].from == "+15125550101");
    CHECK(o.texts.sends[0].messaging_service_sid.empty());
  }
  SECTION("messaging_service_sid") {
    Outbox o;
    o.routing.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
    o.text_notice();
    o.run(t0 + 100);
    REQUIRE(o.texts.sends.size() == 1);
    CHECK(o.texts.sends[0].messaging_service_sid == "MG0123456789abcdef0123456789abcdef");
  }
  SECTION("no status callback: no delivery reports asked for") {
    Outbox o;
    o.routing.status_callback.clear();
    o.text_notice();
    o.run(t0 + 100);
    REQUIRE(o.texts.sends.size() == 1);
    CHECK(o.texts.sends[0].status_callback.empty());
  }
}

TEST_CASE("message sender: after an ambiguous failure the next run looks first, and finds it",
          "[ops][messages]") {
  Outbox o;
  const std::int64_t id = o.text_notice(3);
  o.texts.send_answers.push_back(
      unexpected(carrier_error(twilio::ErrorKind::server, 502, 0, /*ambiguous=*/true)));
  const std::int64_t now = t0 + 100;
  const ops::MessageRun first = o.run(now);
  CHECK(first.retried == 1);
  CHECK(first.texts_sent == 0);
  CHECK(first.last_error.find("502") != std::string::npos);
  MessageItem m = o.item(id);
  CHECK(m.state == "pending");
  CHECK(m.uncertain);
  CHECK(m.attempts == 1);
  CHECK(m.next_attempt_at >= now + 5);  // first_delay 10, less at most half
  CHECK(m.next_attempt_at <= now + 12);
  CHECK(m.last_error.value_or("").find("502") != std::string::npos);

  // The carrier did take it: the next run finds the same text and sends nothing.
  o.texts.lookup_answers.push_back(std::vector<twilio::Message>{
      found("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "something else", "delivered"),
      found("SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", notice_text, "sent")});
  const ops::MessageRun second = o.run(m.next_attempt_at);
  CHECK(second.found_sent == 1);
  CHECK(second.texts_sent == 1);
  CHECK(o.texts.sends.size() == 1);
  REQUIRE(o.texts.lookups.size() == 1);
  CHECK(o.texts.lookups[0].first == oncall);
  CHECK(o.texts.lookups[0].second == t0 + 3);  // back to when the row was made
  m = o.item(id);
  CHECK(m.state == "sent");
  CHECK(m.remote_id == std::optional<std::string>("SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"));
  CHECK_FALSE(m.uncertain);
}

TEST_CASE("message sender: an earlier day's or an undated text with the same body is not it",
          "[ops][messages]") {
  // The same caller's smoke report yesterday, texted then: today's page is still sent.
  const std::vector<twilio::Message> sent = {
      found("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", notice_text, "delivered", t0 - 86400),
      found("SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", notice_text, "sent", t0 - 61)};
  CHECK(ops::earlier_attempt(sent, notice_text, t0) == nullptr);
  twilio::Message undated = found("SMcccccccccccccccccccccccccccccccc", notice_text, "sent");
  undated.created_unix.reset();
  CHECK(ops::earlier_attempt({undated}, notice_text, t0) == nullptr);
  // A minute's clock difference is allowed.
  const std::vector<twilio::Message> skewed = {
      found("SMdddddddddddddddddddddddddddddddd", notice_text, "queued", t0 - 59)};
  CHECK(ops::earlier_attempt(skewed, notice_text, t0) == &skewed[0]);
}

TEST_CASE("message sender: an uncertain row not found (or found failed) is sent again",
          "[ops][messages]") {
  Outbox o;
  const std::int64_t id = o.text_notice();
  o.texts.send_answers.push_back(
      unexpected(carrier_error(twilio::ErrorKind::timeout, 0, 0, /*ambiguous=*/true)));
  o.run(t0 + 100);
  REQUIRE(o.item(id).uncertain);
  o.texts.lookup_answers.push_back(std::vector<twilio::Message>{
      found("SMcccccccccccccccccccccccccccccccc", notice_text, "failed"),
      found("SMdddddddddddddddddddddddddddddddd", notice_text, "undelivered")});
  const ops::MessageRun second = o.run(o.item(id).next_attempt_at);
  CHECK(second.found_sent == 0);
  CHECK(second.texts_sent == 1);
  CHECK(o.texts.lookups.size() == 1);
  CHECK(o.texts.sends.size() == 2);
  const MessageItem m = o.item(id);
  CHECK(m.state == "sent");
  CHECK(m.remote_id == std::optional<std::string>(fmt::format("SM{:032x}", 1)));
  CHECK_FALSE(m.uncertain);
  CHECK(m.attempts == 2);
}

TEST_CASE("message sender: a lookup that fails leaves the row to wait, unsent", "[ops][messages]") {
  Outbox o;
  const std::int64_t id = o.text_notice();
  o.texts.send_answers.push_back(
      unexpected(carrier_error(twilio::ErrorKind::server, 500, 0, /*ambiguous=*/true)));
  o.run(t0 + 100);
  o.texts.lookup_answers.push_back(
      unexpected(carrier_error(twilio::ErrorKind::server, 503, 0, /*ambiguous=*/true, 40)));
  const std::int64_t now = o.item(id).next_attempt_at;
  const ops::MessageRun second = o.run(now);
  CHECK(second.retried == 1);
  CHECK(second.texts_sent == 0);
  CHECK(o.texts.lookups.size() == 1);
  CHECK(o.texts.sends.size() == 1);  // not sent blindly
  const MessageItem m = o.item(id);
  CHECK(m.state == "pending");
  CHECK(m.uncertain);  // still to be looked for
  CHECK(m.attempts == 2);
  CHECK(m.next_attempt_at >= now + 40);  // the lookup's Retry-After
  CHECK(m.last_error.value_or("").find("looking for an earlier attempt") != std::string::npos);
}

TEST_CASE("message sender: 21211 is a dead letter, and raises an alert by email",
          "[ops][messages]") {
  Outbox o;
  const std::int64_t id = o.text_notice();
  o.texts.send_answers.push_back(
      unexpected(carrier_error(twilio::ErrorKind::rejected, 400, twilio::invalid_to_number)));
  const ops::MessageRun run = o.run(t0 + 100);
  CHECK(run.dead == 1);
  CHECK(run.texts_failed == 1);
  CHECK(run.retried == 0);
  const MessageItem m = o.item(id);
  CHECK(m.state == "dead");
  CHECK(m.attempts == 1);
  CHECK(m.last_error.value_or("").find("21211") != std::string::npos);
  CHECK(store::message_sql::suppressions(o.cli->db()).value().empty());  // not an opt-out
  REQUIRE(run.alerts.size() == 1);
  CHECK(run.alerts[0].item.id == id);

  const auto alerts = o.alerts();
  REQUIRE(alerts.size() == 1);
  const MessageItem& alert = alerts[0];
  CHECK(alert.kind == "email");
  CHECK(alert.call_id == "CA1");
  CHECK(alert.state == "pending");
  CHECK(alert.address == "ops@example.com, owner@example.com");
  CHECK(alert.subject.find("oncall_sms") != std::string::npos);
  CHECK(alert.body.find("21211") != std::string::npos);
  CHECK(alert.body.find(notice_text) != std::string::npos);  // staff need what it said
  CHECK(alert.body.find(oncall) == std::string::npos);       // the recipient's number masked

  // The alert goes by email to alerts_to on the next run.
  const ops::MessageRun next = o.run(t0 + 200);
  CHECK(next.emails_sent == 1);
  REQUIRE(o.mail.sends.size() == 1);
  const mailgun::Mail& mail = o.mail.sends[0];
  CHECK(mail.to == o.routing.alerts_to);
  CHECK(mail.from == o.routing.email_from);
  CHECK(mail.subject == alert.subject);
  CHECK(mail.text == alert.body);
  CHECK(mail.reference == std::to_string(alert.id));
  const MessageItem sent = o.item(alert.id);
  CHECK(sent.state == "sent");
  CHECK(sent.channel == std::optional<std::string>("email"));
  CHECK(sent.remote_id == std::optional<std::string>("<1@mg.example.com>"));
  CHECK(o.texts.sends.size() == 1);
}

TEST_CASE("message sender: an alert that fails raises no alert about itself", "[ops][messages]") {
  Outbox o;
  o.text_notice();
  o.texts.send_answers.push_back(
      unexpected(carrier_error(twilio::ErrorKind::rejected, 400, twilio::invalid_to_number)));
  o.run(t0 + 100);
  REQUIRE(o.alerts().size() == 1);
  mailgun::Error refused;
  refused.kind = mailgun::ErrorKind::rejected;
  refused.http_status = 400;
  refused.message = "Mailgun answered HTTP 400: 'to' parameter is not a valid address";
  o.mail.answers.push_back(unexpected(refused));
  const ops::MessageRun run = o.run(t0 + 200);
  CHECK(run.emails_failed == 1);
  CHECK(run.dead == 1);
  REQUIRE(run.alerts.size() == 1);  // told to the host's log...
  CHECK(run.alerts[0].item.purpose == "alert");
  const auto alerts = o.alerts();  // ...but no alert about the alert
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].state == "dead");
  CHECK(o.run(t0 + 300).alerts.empty());
}

TEST_CASE("message sender: 21610 suppresses the recipient; later texts to them are not sent",
          "[ops][messages]") {
  Outbox o;
  const std::int64_t id = o.text_notice(1);
  o.texts.send_answers.push_back(
      unexpected(carrier_error(twilio::ErrorKind::rejected, 400, twilio::recipient_opted_out)));
  const ops::MessageRun run = o.run(t0 + 100);
  CHECK(run.dead == 1);
  CHECK(o.item(id).state == "dead");
  auto suppressed = store::message_sql::suppressions(o.cli->db());
  REQUIRE(suppressed);
  REQUIRE(suppressed->size() == 1);
  CHECK(suppressed->front().recipient == oncall);
  CHECK(suppressed->front().code == twilio::recipient_opted_out);

  const std::int64_t later = o.text_notice(2);
  const ops::MessageRun next = o.run(t0 + 200);
  CHECK(next.texts_suppressed == 1);
  CHECK(o.texts.sends.size() == 1);  // never tried
  CHECK(o.texts.lookups.empty());
  const MessageItem m = o.item(later);
  CHECK(m.state == "suppressed");
  CHECK(m.last_error.value_or("").find("21610") != std::string::npos);
  // A different number is still texted.
  o.text_notice(3, "+15125550151");
  o.run(t0 + 300);
  CHECK(o.texts.sends.size() == 2);
}

TEST_CASE("message sender: a rate limit waits at least Retry-After", "[ops][messages]") {
  Outbox o;
  const std::int64_t id = o.text_notice();
  o.texts.send_answers.push_back(unexpected(
      carrier_error(twilio::ErrorKind::rate_limited, 429, twilio::too_many_requests, false, 30)));
  const std::int64_t now = t0 + 100;
  const ops::MessageRun run = o.run(now);
  CHECK(run.retried == 1);
  const MessageItem m = o.item(id);
  CHECK(m.state == "pending");
  CHECK_FALSE(m.uncertain);  // a 429 was not taken
  CHECK(m.next_attempt_at >= now + 30);
  CHECK(m.next_attempt_at <= now + 32);
  // Not due before then.
  o.run(now + 29);
  CHECK(o.texts.sends.size() == 1);
}

TEST_CASE("message sender: after max_attempts a row is dead", "[ops][messages]") {
  Outbox o;
  o.policy.max_attempts = 3;
  const std::int64_t id = o.text_notice();
  for (int i = 0; i < 3; ++i)
    o.texts.send_answers.push_back(
        unexpected(carrier_error(twilio::ErrorKind::rate_limited, 429, 0)));
  std::int64_t now = t0 + 100;
  for (int attempt = 1; attempt <= 2; ++attempt) {
    INFO(attempt);
    const ops::MessageRun run = o.run(now);
    CHECK(run.dead == 0);
    const MessageItem m = o.item(id);
    CHECK(m.state == "pending");
    CHECK(m.attempts == attempt);
    now = m.next_attempt_at;
  }
  const ops::MessageRun last = o.run(now);
  CHECK(last.dead == 1);
  CHECK(last.texts_failed == 1);
  const MessageItem m = o.item(id);
  CHECK(m.state == "dead");
  CHECK(m.attempts == 3);
  CHECK(m.last_error.value_or("").find("gave up after 3 attempts") != std::string::npos);
  CHECK(o.texts.sends.size() == 3);
  CHECK(o.alerts().size() == 1);
}

TEST_CASE("message sender: with no text gateway a text is unrouted", "[ops][messages]") {
  Outbox o;
  o.with_texts = false;
  const std::int64_t id = o.text_notice();
  const ops::MessageRun run = o.run(t0 + 100);
  CHECK(run.unrouted == 1);
  CHECK(run.texts_sent == 0);
  const MessageItem m = o.item(id);
  CHECK(m.state == "unrouted");
  CHECK(m.last_error.value_or("").find("not set up") != std::string::npos);
  CHECK(o.texts.sends.empty());
}

TEST_CASE("message sender: a queue's notice is an email to summaries_to", "[ops][messages]") {
  Outbox o;
  const std::int64_t id =
      o.notice({"office_callbacks", "queue", "morning-callbacks", "Maria Lopez wants a callback"});
  const ops::MessageRun run = o.run(t0 + 100);
  CHECK(run.emails_sent == 1);
  CHECK(o.texts.sends.empty());
  REQUIRE(o.mail.sends.size() == 1);
  const mailgun::Mail& mail = o.mail.sends[0];
  CHECK(mail.to == std::vector<std::string>{"office@example.com"});
  CHECK(mail.from == "Voiceops <voiceops@mg.example.com>");
  CHECK(mail.subject.find("office_callbacks") != std::string::npos);
  CHECK(mail.text == "Maria Lopez wants a callback");
  CHECK(mail.reference == std::to_string(id));
  const MessageItem m = o.item(id);
  CHECK(m.state == "sent");
  CHECK(m.channel == std::optional<std::string>("email"));
  CHECK(m.recipient == std::optional<std::string>("office@example.com"));
  CHECK(m.remote_id == std::optional<std::string>("<1@mg.example.com>"));
}

TEST_CASE("message sender: email with nowhere to go is unrouted; a summary raises no alert",
          "[ops][messages]") {
  SECTION("no mail gateway") {
    Outbox o;
    o.with_mail = false;
    const std::int64_t id = o.notice({"office_callbacks", "queue", "morning-callbacks", "call"});
    CHECK(o.run(t0 + 100).unrouted == 1);
    CHECK(o.item(id).state == "unrouted");
    CHECK(o.alerts().empty());
  }
  SECTION("no summaries_to") {
    Outbox o;
    o.routing.summaries_to.clear();
    const std::int64_t id = o.notice({"office_callbacks", "queue", "morning-callbacks", "call"});
    CHECK(o.run(t0 + 100).unrouted == 1);
    CHECK(o.item(id).state == "unrouted");
    CHECK(o.mail.sends.empty());
    CHECK(o.alerts().empty());
  }
}

TEST_CASE("message sender: Mailgun's rate limit and failures are retried", "[ops][messages]") {
  Outbox o;
  const std::int64_t id = o.notice({"office_callbacks", "queue", "morning-callbacks", "call"});
  mailgun::Error limited;
  limited.kind = mailgun::ErrorKind::rate_limited;
  limited.http_status = 429;
  limited.message = "Mailgun answered HTTP 429";
  limited.retry_after_s = 60;
  o.mail.answers.push_back(unexpected(limited));
  const std::int64_t now = t0 + 100;
  CHECK(o.run(now).retried == 1);
  const MessageItem m = o.item(id);
  CHECK(m.state == "pending");
  CHECK(m.next_attempt_at >= now + 60);
  CHECK(o.run(m.next_attempt_at).emails_sent == 1);
  CHECK(o.item(id).state == "sent");
}

TEST_CASE("message sender: a stopped run hands its rows back untried", "[ops][messages]") {
  Outbox o;
  const std::int64_t id = o.text_notice();
  std::stop_source stop;
  stop.request_stop();
  ops::MessageSender sender(*o.store, &o.texts, &o.mail, o.routing, o.policy, [] { return 0.0; });
  sender.run(t0 + 100, stop.get_token());
  CHECK(o.texts.sends.empty());
  const MessageItem m = o.item(id);
  CHECK(m.state == "pending");
  CHECK(m.attempts == 0);
}

TEST_CASE("message backoff: doubling from first_delay, capped, jittered, never under Retry-After",
          "[ops][messages]") {
  ops::MessagePolicy policy;
  policy.first_delay = std::chrono::seconds(10);
  policy.max_delay = std::chrono::seconds(900);
  // Equal jitter: within [full / 2, full] of the attempt's full delay.
  const std::vector<std::pair<int, std::int64_t>> full = {
      {1, 10}, {2, 20}, {3, 40}, {4, 80}, {7, 640}, {8, 900}, {9, 900}, {30, 900}, {1000, 900}};
  for (const auto& [attempts, delay] : full) {
    for (double r : {0.0, 0.25, 0.5, 0.999999}) {
      INFO("attempts " << attempts << ", random " << r);
      const std::int64_t wait = ops::message_backoff(attempts, policy, r, std::nullopt);
      CHECK(wait >= (delay + 1) / 2);
      CHECK(wait <= delay);
    }
  }
  CHECK(ops::message_backoff(1, policy, 0.0, std::nullopt) == 5);
  CHECK(ops::message_backoff(1, policy, 0.999999, std::nullopt) == 10);
  CHECK(ops::message_backoff(2, policy, 0.0, std::nullopt) == 10);
  // No attempt yet counts as the first.
  CHECK(ops::message_backoff(0, policy, 0.0, std::nullopt) == 5);
  // Never sooner than Retry-After, and Retry-After never shortens it.
  CHECK(ops::message_backoff(1, policy, 0.0, 30) == 30);
  CHECK(ops::message_backoff(1, policy, 0.0, 5000) == 5000);
  const std::int64_t third = ops::message_backoff(3, policy, 0.5, 3);
  CHECK(third >= 20);
  CHECK(third <= 40);
  // Degenerate settings still wait, and never past the larger of the two.
  ops::MessagePolicy zero;
  zero.first_delay = std::chrono::seconds(0);
  zero.max_delay = std::chrono::seconds(0);
  CHECK(ops::message_backoff(1, zero, 0.0, std::nullopt) >= 1);
  ops::MessagePolicy inverted;
  inverted.first_delay = std::chrono::seconds(60);
  inverted.max_delay = std::chrono::seconds(10);
  CHECK(ops::message_backoff(5, inverted, 0.999999, std::nullopt) <= 60);
  CHECK(ops::message_backoff(5, inverted, 0.0, std::nullopt) >= 30);
}

TEST_CASE("alert text: what failed, to whom (masked), for which call, and what to do",
          "[ops][messages]") {
  MessageItem item;
  item.call_id = "CA1";
  item.purpose = "page";
  item.kind = "sms";
  item.destination = "oncall_sms";
  item.address = oncall;
  item.body = "URGENT: call back now";
  const std::string text = ops::alert_text(item, "the carrier answered HTTP 400 (error 21211)");
  INFO(text);
  CHECK(text.find("oncall_sms") != std::string::npos);
  CHECK(text.find(oncall) == std::string::npos);
  CHECK(text.find("CA1") != std::string::npos);
  CHECK(text.find("21211") != std::string::npos);
  CHECK(text.find("URGENT: call back now") != std::string::npos);
  CHECK(text.find("voiceops messages") != std::string::npos);
}
