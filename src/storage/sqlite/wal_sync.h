// Group commit for the SQLite backend. Connections run with synchronous=NORMAL, so COMMIT
// returns once the transaction is in the WAL file but before that file is synced; WalSync then
// makes it durable with one fdatasync that covers every transaction committed before the sync
// began. Concurrent committers share syncs, so N parallel writes cost about one fsync, not N
// (DESIGN principle 7 still holds: Txn::Commit() returns only after the sync).
//
// The WAL file keeps its inode: connections set SQLITE_FCNTL_PERSIST_WAL (it is never deleted
// while Regie runs), a checkpoint restarts it in place, and Sync() reopens it should the path
// ever name another file. Threads: thread-safe; Sync() blocks on the disk.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>

#include "base/result.h"

namespace regie::storage::sqlite {

class WalSync {
 public:
  explicit WalSync(std::filesystem::path wal_file) : wal_file_(std::move(wal_file)) {}
  ~WalSync();
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  // Call after a write transaction's COMMIT returned: returns once that transaction is durable.
  Result<void> Sync();

 private:
  // Syncs the WAL file, reopening it first if the path names another file now.
  Result<void> SyncFile();

  const std::filesystem::path wal_file_;
  std::mutex mu_;
  std::condition_variable done_;
  std::uint64_t committed_ = 0;  // Commits announced so far.
  std::uint64_t synced_ = 0;     // Commits known durable.
  bool syncing_ = false;
  int fd_ = -1;  // Used only by the thread that set syncing_.
};

}  // namespace regie::storage::sqlite
