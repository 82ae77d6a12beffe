// The export's reading of each call's stored answers (calls.slots): the values a script gets,
// whatever the JSON holds, and never a crash on a damaged row. Runs under the sanitizers too.
#include <catch2/catch.hpp>

#include "store/call_export_query.hpp"
#include "store/call_store.hpp"
#include "support/temp_dir.hpp"

using namespace voiceops;

namespace {

// The slot_<name> values `export calls` gives for a call whose calls.slots is `slots`.
std::vector<std::string> exported(const std::string& slots, const std::vector<std::string>& names) {
  testing::TempDir dir;
  const std::string path = (dir.path / "voiceops.db").string();
  { REQUIRE(store::CallStore::open(path)); }  // created and migrated
  auto db = store::Database::open(path, store::Database::Mode::read_write);
  REQUIRE(db);
  auto insert = db->prepare(
      "INSERT INTO calls (id, workflow, caller, called, started_at, updated_at, phase, slots) "
      "VALUES ('CA1', 'w', '+15125550142', '+15125550101', 1, 1, 'done', ?1)");
  REQUIRE(insert);
  REQUIRE(insert->bind(slots));
  REQUIRE(insert->step());
  std::vector<std::string> columns;
  for (const auto& name : names) columns.push_back("slot_" + name);
  auto query = store::CallExportQuery::prepare(*db, {}, columns);
  REQUIRE(query);
  auto row = query->next();
  REQUIRE(row);
  REQUIRE(*row);
  std::vector<std::string> values;
  for (int i = 0; i < query->columns(); ++i) {
    const auto cell = query->cell(i);
    values.push_back(cell.kind == store::CallExportQuery::Kind::none ? "<none>"
                                                                     : std::string(cell.text));
  }
  return values;
}

}  // namespace

TEST_CASE("stored answers are exported as written, escapes undone") {
  CHECK(exported(R"({"a":"21 Oak St","b":"say \"hi\"\n","c":"caf\u00e9 \ud83d\ude00"})",
                 {"a", "b", "c"}) ==
        std::vector<std::string>{"21 Oak St", "say \"hi\"\n", "caf\xc3\xa9 \xf0\x9f\x98\x80"});
  // A NUL inside an answer keeps the answer's length.
  CHECK(exported(R"({"a":"x\u0000y"})", {"a"}) == std::vector<std::string>{std::string("x\0y", 3)});
}

TEST_CASE("only top-level string answers count; others and nested names are no answer") {
  CHECK(exported(R"({"a":null,"b":true,"c":42,"d":{"e":"inner"},"f":["x"],"e":"top"})",
                 {"a", "b", "c", "d", "e", "f"}) ==
        std::vector<std::string>{"<none>", "<none>", "<none>", "<none>", "top", "<none>"});
}

TEST_CASE("a damaged row keeps the answers read before the damage, and never crashes") {
  CHECK(exported(R"({"a":"kept","b":"lost)", {"a", "b"}) ==
        std::vector<std::string>{"kept", "<none>"});
  for (const char* damaged :
       {"", "{}", "[", "{\"a\":", "\"a\"", "{\"a\":\"\xff\xfe\"}", "{\"a\":\"\\ud800\"}", "nul"}) {
    CHECK(exported(damaged, {"a"}) == std::vector<std::string>{"<none>"});
  }
  // Deep nesting costs no stack: the reader is iterative.
  CHECK(exported(std::string(100000, '[') + std::string(100000, ']'), {"a"}) ==
        std::vector<std::string>{"<none>"});
}
