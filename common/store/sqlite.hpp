#pragma once
// A thin RAII layer over SQLite's C API: a connection, prepared statements with bound values, and
// a transaction guard that rolls back unless committed. Errors are values carrying SQLite's
// message.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.hpp"

namespace voiceops::store {

struct DbError {
  int code = SQLITE_ERROR;  // SQLite's extended result code
  std::string message;
};

template <typename T>
using DbResult = Result<T, DbError>;

struct Done {};  // the "void" of DbResult

class Statement;

class Database {
 public:
  enum class Mode { read_write_create, read_write, read_only };

  static DbResult<Database> open(const std::string& path, Mode mode);

  // Runs one or more statements without results (schema, pragmas).
  DbResult<Done> exec(std::string_view sql);
  DbResult<Statement> prepare(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  int changes() const;
  sqlite3* handle() const { return db_.get(); }

 private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  explicit Database(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, Close> db_;
};

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string_view>;

class Statement {
 public:
  // Binds `values` to ?1, ?2, ... after resetting the statement.
  template <typename... Values>
  DbResult<Done> bind(const Values&... values) {
    reset();
    int index = 0;
    DbResult<Done> result = Done{};
    ((result = result ? bind_one(++index, Value(as_value(values))) : result), ...);
    return result;
  }

  // Steps once: true when a row is ready, false when the statement is done.
  DbResult<bool> step();
  // Steps to the end, for statements without rows.
  DbResult<Done> run();

  std::int64_t int_at(int column) const;
  double real_at(int column) const;
  std::string text_at(int column) const;
  std::optional<std::string> optional_text_at(int column) const;
  // Valid until the next step() or reset(): for streaming rows out without copying them.
  std::string_view text_view_at(int column) const;
  bool is_null(int column) const;
  bool is_number(int column) const;  // stored as an INTEGER or a REAL

  void reset();

 private:
  friend class Database;
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  DbResult<Done> bind_one(int index, const Value& value);

  static Value as_value(std::nullptr_t) { return nullptr; }
  static Value as_value(std::int64_t v) { return v; }
  static Value as_value(int v) { return std::int64_t{v}; }
  static Value as_value(bool v) { return std::int64_t{v ? 1 : 0}; }
  static Value as_value(double v) { return v; }
  static Value as_value(std::string_view v) { return v; }
  static Value as_value(const std::string& v) { return std::string_view(v); }
  static Value as_value(const char* v) { return std::string_view(v); }
  template <typename T>
  static Value as_value(const std::optional<T>& v) {
    return v ? as_value(*v) : Value(nullptr);
  }

  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
class Transaction {
 public:
  static DbResult<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  DbResult<Done> commit();

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_;  // not owned; null once committed or moved from
};

}  // namespace voiceops::store
