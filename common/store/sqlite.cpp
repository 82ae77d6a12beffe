#include "store/sqlite.hpp"

namespace voiceops::store {
namespace {

DbError error_of(sqlite3* db, int code) {
  return DbError{db ? sqlite3_extended_errcode(db) : code,
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(code)};
}

}  // namespace

DbResult<Database> Database::open(const std::string& path, Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case Mode::read_write_create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case Mode::read_write: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::read_only: flags |= SQLITE_OPEN_READONLY; break;
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) return unexpected(error_of(raw, rc));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

DbResult<Done> Database::exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return unexpected(error_of(db_.get(), rc));
  return Done{};
}

DbResult<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return unexpected(error_of(db_.get(), rc));
  }
  return Statement(stmt);
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}

int Database::changes() const {
  return sqlite3_changes(db_.get());
}

DbResult<Done> Statement::bind_one(int index, const Value& value) {
  sqlite3_stmt* s = stmt_.get();
  const int rc = std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::nullptr_t>)
          return sqlite3_bind_null(s, index);
        else if constexpr (std::is_same_v<V, std::int64_t>)
          return sqlite3_bind_int64(s, index, v);
        else if constexpr (std::is_same_v<V, double>)
          return sqlite3_bind_double(s, index, v);
        else
          return sqlite3_bind_text64(s, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      },
      value);
  if (rc != SQLITE_OK) return unexpected(error_of(sqlite3_db_handle(s), rc));
  return Done{};
}

DbResult<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  DbError error = error_of(sqlite3_db_handle(stmt_.get()), rc);
  sqlite3_reset(stmt_.get());
  return unexpected(std::move(error));
}

DbResult<Done> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return unexpected(row.error());
    if (!*row) break;
  }
  sqlite3_reset(stmt_.get());
  return Done{};
}

std::int64_t Statement::int_at(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

double Statement::real_at(int column) const {
  return sqlite3_column_double(stmt_.get(), column);
}

std::string Statement::text_at(int column) const {
  const auto* text = sqlite3_column_text(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
              : std::string();
}

std::optional<std::string> Statement::optional_text_at(int column) const {
  if (is_null(column)) return std::nullopt;
  return text_at(column);
}

std::string_view Statement::text_view_at(int column) const {
  const auto* text = sqlite3_column_text(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  return text
             ? std::string_view(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
             : std::string_view();
}

bool Statement::is_number(int column) const {
  const int type = sqlite3_column_type(stmt_.get(), column);
  return type == SQLITE_INTEGER || type == SQLITE_FLOAT;
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

DbResult<Transaction> Transaction::begin(Database& db) {
  if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) return unexpected(begun.error());
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}

DbResult<Done> Transaction::commit() {
  auto committed = db_->exec("COMMIT");
  if (!committed) return committed;
  db_ = nullptr;
  return Done{};
}

}  // namespace voiceops::store
