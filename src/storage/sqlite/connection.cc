#include "storage/sqlite/connection.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <limits>
#include <utility>

#include "base/check.h"
#include "base/counters.h"
#include "base/crypto.h"

namespace regie::storage::sqlite {
namespace {

// Long enough for a CLI process writing beside the server (or a burst of writers in the server)
// to finish; a writer waiting longer than this gets kUnavailable.

std::string Prefixed(std::string_view op, std::string_view what) {
  std::string out = "sqlite: ";
  out.append(op).append(": ").append(what);
  return out;
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

Error SqliteError(sqlite3* db, int rc, std::string_view op) {
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return MakeError(Errc::kUnavailable, Prefixed(op, "database busy"));
  }
  // sqlite3_errmsg names the table and columns of a violated constraint, never bound values, so
  // the message cannot leak a password hash or a digest.
  const std::string what = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return MakeError(Errc::kAlreadyExists, Prefixed(op, what));
  }
  return MakeError(Errc::kInternal, Prefixed(op, what));
}

// --- Statement

Statement Statement::Failed(Error error) {
  Statement st(nullptr, nullptr, nullptr, {});
  st.error_ = std::move(error);
  return st;
}

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, std::string_view op)
    : db_(db), stmt_(stmt), in_use_(in_use), op_(op) {}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      op_(other.op_),
      error_(std::move(other.error_)) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  // Resetting ends the statement's read of the database; a cached statement left mid-way would
  // pin its snapshot and hold bound strings alive.
  sqlite3_reset(stmt_);
  if (in_use_ != nullptr) {
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

void Statement::NoteBindResult(int rc) {
  if (rc != SQLITE_OK && !error_) error_ = SqliteError(db_, rc, op_);
}

void Statement::BindOne(int index, std::int64_t value) {
  if (stmt_ != nullptr) NoteBindResult(sqlite3_bind_int64(stmt_, index, value));
}

void Statement::BindOne(int index, std::uint64_t value) {
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    if (!error_) error_ = MakeError(Errc::kInvalidInput, Prefixed(op_, "value out of range"));
    return;
  }
  BindOne(index, static_cast<std::int64_t>(value));
}

void Statement::BindOne(int index, std::string_view value) {
  if (stmt_ == nullptr) return;
  // SQLITE_TRANSIENT copies: callers bind temporaries.
  NoteBindResult(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Statement::BindOne(int index, std::span<const std::uint8_t> value) {
  if (stmt_ == nullptr) return;
  // A zero-length blob must still bind as a blob, not NULL, so pass a valid pointer.
  static constexpr std::uint8_t kEmpty = 0;
  const void* data = value.empty() ? &kEmpty : value.data();
  NoteBindResult(sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT));
}

void Statement::BindOne(int index, std::nullopt_t) {
  if (stmt_ != nullptr) NoteBindResult(sqlite3_bind_null(stmt_, index));
}

Result<bool> Statement::Step() {
  if (error_) return Fail(*error_);
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    // sqlite3_changes() keeps the count of the last write, so only writes may report it.
    if (!sqlite3_stmt_readonly(stmt_)) {
      GlobalStoreCounters().rows_written += static_cast<std::uint64_t>(sqlite3_changes(db_));
    }
    return false;
  }
  error_ = SqliteError(db_, rc, op_);
  return Fail(*error_);
}

Result<int> Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
  }
  return sqlite3_stmt_readonly(stmt_) ? 0 : sqlite3_changes(db_);
}

Result<std::optional<std::int64_t>> Statement::QueryInt() {
  std::optional<std::int64_t> first;
  for (;;) {
    auto row = Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    if (!first) first = Int(0);
  }
  return first;
}

bool Statement::ReadOnly() const { return stmt_ == nullptr || sqlite3_stmt_readonly(stmt_) != 0; }

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::uint64_t Statement::Uint(int column) const {
  const std::int64_t v = Int(column);
  return v < 0 ? 0 : static_cast<std::uint64_t>(v);
}

std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::span<const std::uint8_t> Statement::Blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  if (data == nullptr) return {};
  return {data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// --- Connection

namespace {

void Sha256Function(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  const auto* text = sqlite3_value_text(argv[0]);
  if (text == nullptr) return sqlite3_result_null(context);
  const auto digest = Sha256::Of(std::string_view(
      reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))));
  sqlite3_result_blob(context, digest.data(), static_cast<int>(digest.size()), SQLITE_TRANSIENT);
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  // NOMUTEX: a connection is used by one thread at a time, so SQLite's own mutex is dead weight.
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(db, rc, "open database");
    sqlite3_close_v2(db);
    return Fail(std::move(error));
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, static_cast<int>(kBusyTimeout.count()));
  // Defensive mode stops SQL from corrupting the file through writable_schema and friends.
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  // sha256(text) → blob, for migrations that key rows by a digest (schema.cc, migration 6).
  if (const int made = sqlite3_create_function(
          db, "sha256", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
          &Sha256Function, nullptr, nullptr);
      made != SQLITE_OK) {
    return Fail(SqliteError(db, made, "register sha256()"));
  }
  {
    Statement wal = conn->Prepare("PRAGMA journal_mode=WAL", "enable WAL");
    auto row = wal.Step();
    if (!row) return Fail(row.error());
    // A file system without shared memory support (some network mounts) silently keeps the
    // rollback journal; the pool's concurrent readers depend on WAL, so refuse to run.
    if (!*row || wal.Text(0) != "wal") {
      return Fail(Errc::kInternal, "sqlite: enable WAL: the file system does not support WAL");
    }
  }
  // synchronous=NORMAL: COMMIT does not sync the WAL; SqliteTxn::Commit() does, through the
  // pool's group commit (wal_sync.h), before it reports success. Checkpoints still sync.
  // PERSIST_WAL keeps the WAL file (and the inode WalSync holds) when connections close.
  // cache_size: 1 MiB of pages per connection (the default is 2): the pool holds up to 16, and
  // every write by another connection empties a reader's cache under WAL anyway.
  if (auto done = conn->Exec(
          "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF; "
          "PRAGMA cache_size=-1024;",
          "configure connection");
      !done) {
    return Fail(done.error());
  }
  int persist_wal = 1;
  sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist_wal);
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) {
    REGIE_CHECK(!cached.in_use, "statement outlives its connection");
    sqlite3_finalize(cached.stmt);
  }
  sqlite3_close_v2(db_);
}

Statement Connection::Prepare(std::string_view sql, std::string_view op) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(db_, it->second.stmt, &it->second.in_use, op);
  }
  // A statement already in use (a nested use of the same SQL) gets a private, uncached copy.
  const bool cache = it == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
  if (rc != SQLITE_OK) return Statement::Failed(SqliteError(db_, rc, op));
  REGIE_CHECK(stmt != nullptr, "empty SQL statement");
  // Prepare compiles only the first statement; silently dropping the rest would be a bug.
  REGIE_CHECK(
      tail == nullptr ||
          IsBlank(std::string_view(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail))),
      "Prepare() takes exactly one SQL statement");
  if (!cache) return Statement(db_, stmt, nullptr, op);
  auto pos = cache_.emplace(std::string(sql), CachedStatement{stmt, true}).first;
  return Statement(db_, stmt, &pos->second.in_use, op);
}

Result<void> Connection::Exec(const char* sql, std::string_view op) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, op));
  return Ok();
}

bool Connection::InAutocommit() const { return sqlite3_get_autocommit(db_) != 0; }

}  // namespace regie::storage::sqlite
