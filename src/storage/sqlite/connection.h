// One SQLite connection with its cache of prepared statements, and Statement, a borrowed handle on
// one of them. Internal to the SQLite backend.
//
// Threads: a Connection (and every Statement from it) is used by one thread at a time; the
// connection pool in sqlite_metadata_store.cc hands it to one transaction at a time.
//
// Errors: Statement defers errors. A failed prepare or bind is reported by the next Step(), Run()
// or QueryInt(), so that call sites check one Result per statement instead of three.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/result.h"
#include "model/ids.h"

namespace regie::storage::sqlite {

// How long a writer waits for another (in this process or another one) before kUnavailable.
inline constexpr std::chrono::milliseconds kBusyTimeout{10'000};

// Converts an SQLite result code into an Error naming the operation `op`: busy and locked become
// kUnavailable, a unique or primary-key violation kAlreadyExists, anything else kInternal.
Error SqliteError(sqlite3* db, int rc, std::string_view op);

class Statement {
 public:
  // A statement whose every Step(), Run() and QueryInt() reports `error`.
  static Statement Failed(Error error);

  // Borrows `stmt`. When `in_use` is set the statement belongs to a cache and is handed back by
  // clearing *in_use; otherwise this handle owns it and finalizes it.
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, std::string_view op);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  // Binds the arguments to parameters ?1, ?2, ... in order.
  template <typename... Args>
  Statement& Bind(const Args&... args) {
    int index = 1;
    (BindOne(index++, args), ...);
    return *this;
  }

  // Binds each of `values` to ?first, ?first+1, ... and NULL to the next `pad` parameters (a
  // cached statement keeps its bindings between uses, so unused ones must be cleared).
  template <typename Range>
  Statement& BindRange(int first, const Range& values, int pad) {
    int index = first;
    for (const auto& value : values) BindOne(index++, value);
    for (int i = 0; i < pad; ++i) BindOne(index++, std::nullopt);
    return *this;
  }

  // Advances to the next row: true if there is one, false when the statement is done.
  Result<bool> Step();
  // Steps to the end, ignoring rows; returns the number of rows changed.
  Result<int> Run();
  // Steps to the end; returns column 0 of the first row (RETURNING id, COUNT(*) ...) if any.
  Result<std::optional<std::int64_t>> QueryInt();

  // True if executing the statement cannot change the database.
  bool ReadOnly() const;

  std::int64_t Int(int column) const;
  std::uint64_t Uint(int column) const;  // Negative stored values read as 0.
  std::string Text(int column) const;
  std::span<const std::uint8_t> Blob(int column) const;  // Valid until the next Step().
  bool IsNull(int column) const;

 private:
  void BindOne(int index, std::int64_t value);
  void BindOne(int index, std::uint64_t value);
  void BindOne(int index, int value) { BindOne(index, static_cast<std::int64_t>(value)); }
  void BindOne(int index, std::string_view value);
  void BindOne(int index, const std::string& value) { BindOne(index, std::string_view(value)); }
  void BindOne(int index, const char* value) { BindOne(index, std::string_view(value)); }
  void BindOne(int index, std::span<const std::uint8_t> value);
  void BindOne(int index, std::nullopt_t);
  template <typename Tag>
  void BindOne(int index, model::Id<Tag> id) {
    BindOne(index, id.value);
  }
  template <typename T>
  void BindOne(int index, const std::optional<T>& value) {
    if (value) {
      BindOne(index, *value);
    } else {
      BindOne(index, std::nullopt);
    }
  }
  void NoteBindResult(int rc);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  bool* in_use_ = nullptr;
  std::string_view op_;
  std::optional<Error> error_;
};

class Connection {
 public:
  // Opens (creating if needed) the database file in WAL mode with synchronous=NORMAL (SqliteTxn
  // syncs the WAL itself before a commit returns), foreign keys on and a busy timeout, so that
  // writers in other processes are waited for, not failed.
  static Result<std::unique_ptr<Connection>> Open(const std::filesystem::path& file);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Returns the cached statement for `sql` (one SQL statement), preparing it on first use.
  // `op` names the operation in errors and must outlive the Statement (use a literal).
  Statement Prepare(std::string_view sql, std::string_view op);

  // Runs one or more statements without caching them (schema changes, pragmas).
  Result<void> Exec(const char* sql, std::string_view op);

  // True when no transaction is open on this connection.
  bool InAutocommit() const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  sqlite3* db_;
  std::unordered_map<std::string, CachedStatement, StringHash, std::equal_to<>> cache_;
};

// Steps `st` once: `read(st)` on the row, or kNotFound "<describe()> not found" if there is none.
template <typename Read, typename Describe>
auto ReadOne(Statement& st, Read read, Describe describe) -> decltype(read(st)) {
  auto row = st.Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(Errc::kNotFound, describe() + " not found");
  return read(st);
}

// Steps `st` to the end, collecting `read(st)` (a Result<T>) for every row.
template <typename T, typename Read>
Result<std::vector<T>> ReadAll(Statement& st, Read read) {
  std::vector<T> out;
  for (;;) {
    auto row = st.Step();
    if (!row) return Fail(row.error());
    if (!*row) return out;
    auto value = read(st);
    if (!value) return Fail(value.error());
    out.push_back(std::move(*value));
  }
}

}  // namespace regie::storage::sqlite
