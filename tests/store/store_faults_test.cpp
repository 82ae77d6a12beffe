// The store's own health: a fault said once, writes refused while the shared-memory file cannot
// be trusted and recovered from when it can, and a WAL that gives its space back after a burst.
#include <sqlite3.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "engine/call_state.hpp"
#include "store/call_store.hpp"
#include "store/store_health.hpp"
#include "support/temp_dir.hpp"

using namespace voiceops;
namespace fs = std::filesystem;

namespace {

using testing::TempDir;

calls::TurnRecord turn_of(const std::string& call_id, std::string line = "hello") {
  engine::CallState state;
  state.call_id = call_id;
  state.workflow = "w";
  calls::TurnRecord turn;
  turn.state = state;
  turn.blob = engine::serialize(state);
  turn.lines = {{"caller", std::move(line)}};
  return turn;
}

template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace

TEST_CASE("disk and file-system errors are store faults; a bad record is not", "[store]") {
  CHECK(store::is_storage_fault(SQLITE_FULL));
  CHECK(store::is_storage_fault(SQLITE_IOERR_WRITE));
  CHECK(store::is_storage_fault(SQLITE_READONLY));
  CHECK(store::is_storage_fault(SQLITE_CANTOPEN));
  CHECK_FALSE(store::is_storage_fault(SQLITE_CONSTRAINT_UNIQUE));
  CHECK_FALSE(store::is_storage_fault(SQLITE_BUSY));
  CHECK_FALSE(store::is_storage_fault(SQLITE_TOOBIG));
}

TEST_CASE("a store fault is told once, with its cause, and once when it heals", "[store]") {
  store::StoreHealth health;
  std::vector<std::pair<bool, std::string>> told;
  health.on_change(
      [&](bool writable, const std::string& cause) { told.emplace_back(writable, cause); });
  using Part = store::StoreHealth::Part;
  health.healed(Part::writes);  // nothing to heal: nothing said
  CHECK(told.empty());
  health.fault(Part::writes, "disk full");
  health.fault(Part::writes, "disk full");  // the second failed write says nothing new
  REQUIRE(told.size() == 1);
  CHECK_FALSE(told[0].first);
  CHECK(told[0].second == "disk full");
  CHECK_FALSE(health.writable());
  health.fault(Part::checkpoints, "checkpoint failed");
  CHECK(told.size() == 1);  // still faulted: nothing new to tell
  CHECK(health.causes() == "disk full\ncheckpoint failed\n");
  health.healed(Part::writes);
  CHECK(told.size() == 1);
  CHECK_FALSE(health.writable());  // the checkpoint fault is still in force
  health.healed(Part::checkpoints);
  CHECK(health.writable());
  REQUIRE(told.size() == 2);
  CHECK(told.back().first);
  CHECK(health.causes().empty());
}

TEST_CASE("after a shared-memory fault nothing is written until the store has reopened",
          "[store]") {
  TempDir dir;
  const std::string db = (dir.path / "voiceops.db").string();
  std::atomic<std::uint64_t> bus_faults{0};
  auto opened =
      store::CallStore::open(db, {.background_checkpoint_every = std::chrono::milliseconds(20),
                                  .shared_memory_faults = &bus_faults});
  REQUIRE(opened);
  store::CallStore& calls = **opened;
  REQUIRE(calls.save(turn_of("CAbefore")));

  // The -shm file made unwritable, as chattr +i does: the fault is seen, no write goes in.
  const std::string shm = db + "-shm";
  REQUIRE(fs::exists(shm));
  fs::permissions(shm, fs::perms::owner_read, fs::perm_options::replace);
  const bool root = geteuid() == 0;  // root writes through permissions; the check then can't
  bus_faults.fetch_add(1);
  auto refused = calls.save(turn_of("CAduring"));
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error(), Catch::Matchers::Contains("-shm"));
  auto ready = calls.check_writable();
  REQUIRE_FALSE(ready);
  CHECK_THAT(ready.error(), Catch::Matchers::Contains("SIGBUS"));
  if (!root) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_FALSE(calls.check_writable());  // still faulted while the file is unwritable
  }

  // Writable again: the store reopens by itself and takes writes; nothing before is lost.
  fs::permissions(shm, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  CHECK(eventually([&] { return static_cast<bool>(calls.check_writable()); },
                   std::chrono::seconds(5)));
  REQUIRE(calls.save(turn_of("CAafter")));
  CHECK(calls.load("CAbefore").value().has_value());
  CHECK(calls.load("CAafter").value().has_value());
  CHECK_FALSE(calls.load("CAduring").value().has_value());
}

TEST_CASE("the WAL gives its space back once a burst is checkpointed", "[store]") {
  TempDir dir;
  const std::string db = (dir.path / "voiceops.db").string();
  constexpr std::int64_t limit = 256 * 1024;
  auto opened =
      store::CallStore::open(db, {.background_checkpoint_every = std::chrono::milliseconds(20),
                                  .wal_size_limit_bytes = limit});
  REQUIRE(opened);
  store::CallStore& calls = **opened;
  // A burst: many turns committed together, each with a long transcript line.
  const std::string words(2000, 'w');
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i)
        REQUIRE(calls.save(turn_of("CA" + std::to_string(t) + "_" + std::to_string(i), words)));
    });
  }
  for (auto& w : writers) w.join();
  const std::string wal = db + "-wal";
  CHECK(eventually(
      [&] { return fs::exists(wal) && static_cast<std::int64_t>(fs::file_size(wal)) <= limit; },
      std::chrono::seconds(10)));
  CHECK(calls.load("CA3_299").value().has_value());
}
