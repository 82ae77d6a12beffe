// The rollback repository: settings per scope, merged for a workflow; a history that keeps who,
// why and the state before; concurrent changes from two connections both kept.
#include <catch2/catch.hpp>

#include <functional>
#include <thread>

#include "store/rollback_store.hpp"
#include "support/temp_dir.hpp"

using namespace voiceops;

namespace {

store::RollbackChange change(std::string action, std::string argument = {},
                             std::string workflow = {}) {
  store::RollbackChange c;
  c.action = std::move(action);
  c.argument = std::move(argument);
  c.workflow = std::move(workflow);
  c.reason = "test";
  c.who = "alice";
  c.via = "direct";
  c.at = 1'790'000'000;
  return c;
}

}  // namespace

TEST_CASE("rollback store: scopes merge, clear empties, history keeps the state before",
          "[rollback]") {
  testing::TempDir dir;
  auto opened = store::RollbackStore::open((dir.path / "voiceops.db").string());
  REQUIRE(opened);
  auto& store = **opened;
  REQUIRE(store.rollback_for("after_hours_service")->empty());

  REQUIRE(store.apply(change("forward-all", "+15125550177")));
  REQUIRE(store.apply(change("disable-intent", "book_visit", "booking")));
  REQUIRE(store.apply(change("after-hours-only", "", "booking")));
  auto booking = store.rollback_for("booking");
  REQUIRE(booking);
  CHECK(booking->forward_to == std::optional<std::string>("+15125550177"));
  CHECK(booking->disables("book_visit"));
  CHECK(booking->after_hours_only);
  auto other = store.rollback_for("after_hours_service");
  REQUIRE(other);
  CHECK(other->forward_to);
  CHECK_FALSE(other->after_hours_only);  // set for booking only
  CHECK(store.scopes()->size() == 2);

  auto enabled = store.apply(change("enable-intent", "book_visit", "booking"));
  REQUIRE(enabled);
  CHECK(enabled->before == R"({"after_hours_only":true,"disabled_intents":["book_visit"]})");
  CHECK(enabled->after == R"({"after_hours_only":true})");

  auto cleared = store.apply(change("clear"));
  REQUIRE(cleared);
  CHECK(cleared->before.find("+15125550177") != std::string::npos);
  CHECK(cleared->before.find("booking") != std::string::npos);
  CHECK(store.rollback_for("booking")->empty());
  CHECK(store.scopes()->empty());

  auto history = store.history(10);
  REQUIRE(history);
  REQUIRE(history->size() == 5);
  CHECK(history->front().action == "clear");  // newest first
  CHECK(history->back().action == "forward-all");
  CHECK(history->back().who == "alice");
  CHECK(history->back().reason == "test");
}

TEST_CASE("rollback store: two operators at once lose neither change", "[rollback]") {
  testing::TempDir dir;
  const std::string path = (dir.path / "voiceops.db").string();
  REQUIRE(store::RollbackStore::open(path));  // created and migrated once
  // Catch's assertions are not for other threads: each operator counts what went through.
  const auto operator_run = [&](const std::string& who, int& applied) {
    auto opened = store::RollbackStore::open(path);  // a connection of its own, like a process
    if (!opened) return;
    for (int i = 0; i < 25; ++i) {
      auto c = change("disable-intent", who + "_" + std::to_string(i));
      c.who = who;
      if ((*opened)->apply(c)) ++applied;
    }
  };
  int by_alice = 0, by_bob = 0;
  std::thread a(operator_run, "alice", std::ref(by_alice));
  std::thread b(operator_run, "bob", std::ref(by_bob));
  a.join();
  b.join();
  CHECK(by_alice == 25);
  CHECK(by_bob == 25);
  auto opened = store::RollbackStore::open(path);
  REQUIRE(opened);
  auto state = (*opened)->rollback_for("");
  REQUIRE(state);
  CHECK(state->disabled_intents.size() == 50);
  CHECK((*opened)->history(1000)->size() == 50);
}

TEST_CASE("rollback store: stored settings are read leniently", "[rollback]") {
  CHECK(store::rollback_from_json("not json").empty());
  CHECK(store::rollback_from_json(R"({"forward_to": 5, "now": true})").empty());
  auto s = store::rollback_from_json(
      R"({"forward_to":"+15125550177","now":true,"disabled_intents":["a",1],"extra":{}})");
  CHECK(s.forward_to == std::optional<std::string>("+15125550177"));
  CHECK(s.move_calls_in_progress);
  CHECK(s.disabled_intents == std::vector<std::string>{"a"});
  CHECK(store::rollback_json(s) ==
        R"({"disabled_intents":["a"],"forward_to":"+15125550177","now":true})");
}

TEST_CASE("rollback store: opening a store another connection migrated keeps its changes",
          "[rollback]") {
  testing::TempDir dir;
  const std::string path = (dir.path / "voiceops.db").string();
  auto first = store::RollbackStore::open(path);
  REQUIRE(first);
  REQUIRE((*first)->apply(change("forward-all", "+15125550177")));
  // Opening again (the daemon starting beside the CLI) must not run a migration twice.
  auto second = store::RollbackStore::open(path);
  REQUIRE(second);
  auto state = (*second)->rollback_for("");
  REQUIRE(state);
  CHECK(state->forward_to == std::optional<std::string>("+15125550177"));
}
