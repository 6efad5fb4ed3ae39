#include "storage/sqlite/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "storage/sqlite/connection.h"

namespace regie::storage::sqlite {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Result<Db> OpenDb(const std::filesystem::path& file, int flags, std::string_view op) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags | SQLITE_OPEN_EXRESCODE, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return Fail(SqliteError(raw, rc, op));
  sqlite3_busy_timeout(raw, static_cast<int>(kBusyTimeout.count()));
  return db;
}

Result<void> Exec(sqlite3* db, const char* sql, std::string_view op) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Fail(SqliteError(db, rc, op));
  return Ok();
}

Result<void> FsyncPath(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const std::string why = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return Fail(Errc::kInternal, "sqlite: fsync " + path.string() + ": " + why);
  }
  ::close(fd);
  return Ok();
}

// Copies every page in one step: sqlite3_backup_step(-1) reads the whole source within one read
// transaction, so the copy is one consistent snapshot. Copying in several steps would let a
// writer in between restart the backup (or, from another process, go unnoticed until the end).
Result<void> CopyPages(sqlite3* source, sqlite3* dest) {
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
  if (backup == nullptr) {
    return Fail(SqliteError(dest, sqlite3_errcode(dest), "start database backup"));
  }
  int rc = SQLITE_OK;
  for (;;) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(10);  // Busy: the busy handler does not apply to backup steps.
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Fail(SqliteError(dest, rc, "copy database pages"));
  if (finished != SQLITE_OK) return Fail(SqliteError(dest, finished, "finish database backup"));
  return Ok();
}

}  // namespace

Result<void> SnapshotDatabase(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) {
    return Fail(Errc::kAlreadyExists, "sqlite: snapshot target " + to.string() + " exists");
  }
  auto source = OpenDb(from, SQLITE_OPEN_READWRITE, "open database to back up");
  if (!source) return Fail(source.error());
  auto dest = OpenDb(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "create snapshot");
  if (!dest) return Fail(dest.error());
  if (auto copied = CopyPages(source->get(), dest->get()); !copied) return copied;
  // The pages carry the source's WAL flag; a backup file is better one file that any sqlite3
  // opens without a -wal beside it. FULL: the journal-mode switch is synced before close.
  if (auto done = Exec(dest->get(), "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;",
                       "make snapshot self-contained");
      !done) {
    return done;
  }
  dest->reset();
  if (auto synced = FsyncPath(to, O_RDONLY); !synced) return synced;
  std::filesystem::path dir = std::filesystem::absolute(to).parent_path();
  return FsyncPath(dir, O_RDONLY | O_DIRECTORY);
}

Result<void> SealSnapshot(const std::filesystem::path& file) {
  {
    auto db = OpenDb(file, SQLITE_OPEN_READWRITE, "open snapshot");
    if (!db) return Fail(db.error());
    if (auto done = Exec(db->get(), "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;",
                         "seal snapshot");
        !done) {
      return done;
    }
  }
  // In rollback mode SQLite reads neither file; a persistent (PERSIST_WAL) one may linger.
  std::error_code ec;
  std::filesystem::remove(file.string() + "-wal", ec);
  std::filesystem::remove(file.string() + "-shm", ec);
  return FsyncPath(file, O_RDONLY);
}

}  // namespace regie::storage::sqlite
