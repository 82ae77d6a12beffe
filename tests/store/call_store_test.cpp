// The daemon's SQLite store: migrations, a call resumed after the process dies, final statuses,
// the outbox written with the call, the abandoned-call sweeper.
#include <date/date.h>
#include <sqlite3.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>

#include "carrier/signature.hpp"
#include "carrier/webhooks.hpp"
#include "contract/check.hpp"
#include "engine/cost.hpp"
#include "store/call_store.hpp"
#include "store/schema.hpp"
#include "support/call_fakes.hpp"
#include "support/corpus.hpp"
#include "support/temp_dir.hpp"

using namespace voiceops;
namespace fs = std::filesystem;

namespace {

using testing::TempDir;

// A CallService over a CallStore at `db`, as the daemon builds it. Recreate it to "restart".
struct Daemonish {
  std::unique_ptr<store::CallStore> store;
  testing::OkTools tools;
  testing::NoMessages messages;
  std::unique_ptr<carrier::Webhooks> service;

  explicit Daemonish(const std::string& db) {
    auto opened = store::CallStore::open(db);
    REQUIRE(opened);
    store = std::move(*opened);
    auto checked = contract::check_contract_file(
        testing::source_dir() + "/tests/contract/fixtures/valid/minimal.toml", false);
    REQUIRE(checked.contract);
    carrier::WebhookOptions options;
    options.public_url = "https://voice.example.com";
    options.auth_token = "secret";
    options.clock = [] {
      return std::chrono::sys_seconds{
          date::sys_days{date::year{2026} / 11 / 24}.time_since_epoch() + std::chrono::hours{3}};
    };
    service = std::make_unique<carrier::Webhooks>(
        std::vector<calls::Workflow>{
            {std::make_shared<contract::Contract>(*checked.contract), nullptr}},
        *store, tools, messages, options);
  }

  carrier::HttpResponse post(const std::string& path, const carrier::FormParams& params) {
    return service->handle(testing::carrier_post(path, params));
  }
};

const carrier::FormParams arrival = {
    {"CallSid", "CA1"}, {"From", "+15125550142"}, {"To", "+15125550100"}};

}  // namespace

TEST_CASE("a new store is migrated to the current schema, and reopening keeps it", "[store]") {
  TempDir dir;
  const std::string db = (dir.path / "voiceops.db").string();
  { REQUIRE(store::CallStore::open(db)); }
  auto again = store::CallStore::open(db);
  REQUIRE(again);
  auto stats = (*again)->stats();
  REQUIRE(stats);
  CHECK(stats->active_calls == 0);
}

TEST_CASE("a store with a newer schema is refused, untouched", "[store]") {
  TempDir dir;
  const std::string db = (dir.path / "voiceops.db").string();
  { REQUIRE(store::CallStore::open(db)); }
  {
    auto raw = store::Database::open(db, store::Database::Mode::read_write);
    REQUIRE(raw);
    REQUIRE(raw->exec("PRAGMA user_version = " + std::to_string(store::schema_version() + 1)));
  }
  auto refused = store::CallStore::open(db);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == store::StoreError::Kind::newer_schema);
  CHECK(refused.error().message.find("newer") != std::string::npos);
}

TEST_CASE("a store in an unwritable place is a clear error", "[store]") {
  auto refused = store::CallStore::open("/proc/voiceops-cannot-be-here/voiceops.db");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == store::StoreError::Kind::cannot_open);
  CHECK(refused.error().message.find("/proc/voiceops-cannot-be-here") != std::string::npos);
}

TEST_CASE("a call survives its process dying between webhooks", "[store]") {
  TempDir dir;
  const std::string db = (dir.path / "voiceops.db").string();
  {
    Daemonish first(db);
    REQUIRE(first.post("/twilio/voice", arrival).status == 200);
    auto r = first.post(
        "/twilio/gather",
        {{"CallSid", "CA1"}, {"SpeechResult", "can someone call me back"}, {"Confidence", "0.9"}});
    CHECK(r.body.find("What is your name?") != std::string::npos);
  }  // the process is gone; only the file remains
  Daemonish second(db);
  auto r =
      second.post("/twilio/gather",
                  {{"CallSid", "CA1"}, {"SpeechResult", "Maria Lopez"}, {"Confidence", "0.9"}});
  CHECK(r.status == 200);
  INFO(r.body);
  CHECK(r.body.find("call you back on?") != std::string::npos);  // the name step was resumed
  auto detail = second.store->show_call("CA1");
  REQUIRE(detail);
  REQUIRE(*detail);
  const store::CallDetail& call = **detail;
  CHECK(call.call.status == "in-progress");
  CHECK(call.call.caller == "+15125550142");
  CHECK(call.call.workflow == "after-hours-callback");
  CHECK(call.call.intent == std::optional<std::string>("request_callback"));
  REQUIRE(call.transcript.size() >= 4);
  CHECK(call.transcript[0].speaker == "agent");
  bool heard_name = false;
  for (const auto& line : call.transcript)
    heard_name = heard_name || (line.speaker == "caller" && line.text == "Maria Lopez");
  CHECK(heard_name);
  REQUIRE_FALSE(call.events.empty());
  CHECK(call.events.front().kind == "started");
}

TEST_CASE("status callbacks finalise a call once, with its cost, and queue its export", "[store]") {
  TempDir dir;
  Daemonish d((dir.path / "voiceops.db").string());
  d.post("/twilio/voice", arrival);
  const carrier::FormParams completed = {
      {"CallSid", "CA1"}, {"CallStatus", "completed"}, {"CallDuration", "95"}};
  CHECK(d.post("/twilio/status", completed).status == 200);
  // Repeated and late callbacks change nothing.
  CHECK(d.post("/twilio/status", completed).status == 200);
  CHECK(d.post("/twilio/status", {{"CallSid", "CA1"}, {"CallStatus", "failed"}}).status == 200);
  CHECK(d.post("/twilio/gather", {{"CallSid", "CA1"}, {"SpeechResult", "hello"}}).status == 200);
  auto detail = d.store->show_call("CA1");
  REQUIRE(detail);
  REQUIRE(*detail);
  CHECK((*detail)->call.status == "completed");
  CHECK((*detail)->call.duration_s == std::optional<std::int64_t>(95));
  REQUIRE((*detail)->call.cost);
  CHECK(*(*detail)->call.cost > 0);
  int status_events = 0;
  for (const auto& e : (*detail)->events) status_events += e.kind == "status";
  CHECK(status_events == 1);
  auto stats = d.store->stats();
  REQUIRE(stats);
  CHECK(stats->active_calls == 0);
  CHECK(stats->outbox_pending == 1);
}

TEST_CASE("the cost stored is the call state's, counted from what the agent said and heard",
          "[store]") {
  TempDir dir;
  Daemonish d((dir.path / "voiceops.db").string());
  d.post("/twilio/voice", arrival);
  d.post("/twilio/gather", {{"CallSid", "CA1"}, {"SpeechResult", "my furnace stopped working"}});
  d.post("/twilio/gather", {{"CallSid", "CA1"}});  // silence: a speech request all the same
  d.post("/twilio/gather", {{"CallSid", "CA1"}, {"Digits", "12"}});  // keypad: none
  d.post("/twilio/status",
         {{"CallSid", "CA1"}, {"CallStatus", "completed"}, {"CallDuration", "61"}});
  auto state = d.service->calls().call_state("CA1");
  REQUIRE(state);
  CHECK(state->speech_requests == 2);
  auto detail = d.store->show_call("CA1");
  REQUIRE(detail);
  REQUIRE(*detail);
  long agent_characters = 0;
  for (const auto& line : (*detail)->transcript)
    if (line.speaker == "agent") agent_characters += static_cast<long>(line.text.size());
  CHECK(agent_characters > 0);
  CHECK(state->spoken_characters == agent_characters);
  // One formula, fed by the state's counts: two started minutes, two requests, the characters.
  auto checked = contract::check_contract_file(
      testing::source_dir() + "/tests/contract/fixtures/valid/minimal.toml", false);
  REQUIRE(checked.contract);
  const contract::CostModel& price = checked.contract->cost;
  const double expected = 2 * price.telephony_per_minute + 2 * price.speech_per_request +
                          agent_characters / 1000.0 * price.tts_per_1k_chars + price.llm_per_call;
  REQUIRE((*detail)->call.cost);
  CHECK(*(*detail)->call.cost == Approx(expected));
  CHECK(*(*detail)->call.cost == Approx(engine::call_cost(price, *state, 61)));
}

TEST_CASE("a status callback for a call never seen is harmless", "[store]") {
  TempDir dir;
  Daemonish d((dir.path / "voiceops.db").string());
  CHECK(d.post("/twilio/status", {{"CallSid", "CAnever"}, {"CallStatus", "completed"}}).status ==
        200);
  auto stats = d.store->stats();
  REQUIRE(stats);
  CHECK(stats->outbox_pending == 0);
}

TEST_CASE("the sweeper closes calls that never got a final callback", "[store]") {
  TempDir dir;
  Daemonish d((dir.path / "voiceops.db").string());
  d.post("/twilio/voice", arrival);
  const std::int64_t started =
      std::chrono::sys_seconds{date::sys_days{date::year{2026} / 11 / 24}.time_since_epoch() +
                               std::chrono::hours{3}}
          .time_since_epoch()
          .count();
  auto none = d.store->close_abandoned(started + 60, 3600);
  REQUIRE(none);
  CHECK(*none == 0);
  auto closed = d.store->close_abandoned(started + 7200, 3600);
  REQUIRE(closed);
  CHECK(*closed == 1);
  auto calls = d.store->list_calls({});
  REQUIRE(calls);
  REQUIRE(calls->size() == 1);
  CHECK(calls->front().status == "abandoned");
  auto stats = d.store->stats();
  REQUIRE(stats);
  CHECK(stats->active_calls == 0);
  CHECK(stats->outbox_pending == 1);
  // A final callback after the sweep changes nothing.
  d.post("/twilio/status", {{"CallSid", "CA1"}, {"CallStatus", "completed"}});
  CHECK(d.store->list_calls({})->front().status == "abandoned");
}

TEST_CASE("listing calls filters by time and activity", "[store]") {
  TempDir dir;
  Daemonish d((dir.path / "voiceops.db").string());
  d.post("/twilio/voice", arrival);
  d.post("/twilio/voice", {{"CallSid", "CA2"}, {"From", "+15125550143"}, {"To", "+15125550100"}});
  d.post("/twilio/status", {{"CallSid", "CA2"}, {"CallStatus", "busy"}});
  store::CallQuery active;
  active.active_only = true;
  auto only_active = d.store->list_calls(active);
  REQUIRE(only_active);
  REQUIRE(only_active->size() == 1);
  CHECK(only_active->front().id == "CA1");
  store::CallQuery later;
  later.since = 4'000'000'000;
  CHECK(d.store->list_calls(later)->empty());
  CHECK(d.store->check_writable());
}

TEST_CASE("with background checkpoints the WAL is folded into the database file", "[store]") {
  TempDir dir;
  const std::string db = (dir.path / "voiceops.db").string();
  {
    auto opened =
        store::CallStore::open(db, {.background_checkpoint_every = std::chrono::milliseconds(5)});
    REQUIRE(opened);
    CHECK((*opened)->check_writable());
    engine::CallState state;
    state.call_id = "CAwal";
    state.workflow = "w";
    calls::TurnRecord turn;
    turn.state = state;
    turn.blob = engine::serialize(state);
    turn.lines = {{"caller", "hello"}};
    REQUIRE((*opened)->save(turn));
    const auto main_size_before = fs::file_size(db);
    for (int i = 0; i < 200 && fs::file_size(db) == main_size_before; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(fs::file_size(db) > main_size_before);  // pages copied from the WAL by the checkpointer
  }  // the checkpointer stops and joins before the connection closes
  auto reopened = store::CallStore::open(db);
  REQUIRE(reopened);
  CHECK((*reopened)->load("CAwal").value().has_value());
}

TEST_CASE("turns saved from many threads at once are all committed", "[store]") {
  TempDir dir;
  auto opened = store::CallStore::open((dir.path / "voiceops.db").string());
  REQUIRE(opened);
  store::CallStore& calls = **opened;
  constexpr int threads = 8, turns_each = 25;
  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      engine::CallState state;
      state.call_id = "CAthread" + std::to_string(t);
      state.workflow = "w";
      for (int i = 0; i < turns_each; ++i) {
        state.turns = i + 1;
        calls::TurnRecord turn;
        turn.state = state;
        turn.blob = engine::serialize(state);
        turn.lines = {{"caller", "turn " + std::to_string(i)}};
        if (!calls.save(turn)) ++failures;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  CHECK(failures == 0);
  for (int t = 0; t < threads; ++t) {
    auto detail = calls.show_call("CAthread" + std::to_string(t));
    REQUIRE(detail);
    REQUIRE(*detail);
    CHECK((*detail)->call.turns == turns_each);
    CHECK((*detail)->transcript.size() == static_cast<std::size_t>(turns_each));
  }
}

TEST_CASE("loading a call does not wait for a write in progress", "[store]") {
  TempDir dir;
  const std::string db = (dir.path / "voiceops.db").string();
  auto opened = store::CallStore::open(db);
  REQUIRE(opened);
  store::CallStore& calls = **opened;
  engine::CallState state;
  state.call_id = "CAread";
  state.workflow = "w";
  state.turns = 1;
  calls::TurnRecord turn;
  turn.state = state;
  turn.blob = engine::serialize(state);
  REQUIRE(calls.save(turn));

  // Another writer holds the write lock with a change it has not committed.
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(
              other, "BEGIN IMMEDIATE; UPDATE sessions SET state = x'00' WHERE call_id = 'CAread'",
              nullptr, nullptr, nullptr) == SQLITE_OK);

  std::atomic<bool> saved{false};
  std::thread writer([&] {
    state.turns = 2;
    calls::TurnRecord second = turn;
    second.state = state;
    second.blob = engine::serialize(state);
    saved = calls.save(second).has_value();  // waits for the lock (busy_timeout)
  });
  const auto began = std::chrono::steady_clock::now();
  auto loaded = calls.load("CAread");  // the last commit, at once
  CHECK(std::chrono::steady_clock::now() - began < std::chrono::milliseconds(500));
  REQUIRE(loaded);
  REQUIRE(*loaded);
  CHECK(engine::deserialize(**loaded).value().turns == 1);
  CHECK(calls.stats().has_value());
  CHECK(calls.list_calls({}).value().size() == 1);
  CHECK_FALSE(saved);

  REQUIRE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(other);
  writer.join();
  CHECK(saved);
  CHECK(engine::deserialize(*calls.load("CAread").value()).value().turns == 2);
}
