// A pool of SQLite connections to one database file. Internal to the SQLite backend.
//
// Threads: thread-safe. Acquire() never waits for another thread: when no idle connection is left
// it opens a new one, so the number of connections follows the number of concurrent transactions
// (bounded by the blocking thread pool that runs them) and nested transactions cannot deadlock.
// At most kMaxIdle connections (with their prepared statements) are kept between transactions.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "base/result.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/shared_stamp.h"
#include "storage/sqlite/wal_sync.h"

namespace regie::storage::sqlite {

class ConnectionPool {
 public:
  static constexpr std::size_t kMaxIdle = 16;

  ConnectionPool(std::filesystem::path file, std::unique_ptr<SharedStamp> stamp)
      : file_(std::move(file)), wal_(file_.string() + "-wal"), stamp_(std::move(stamp)) {}

  // An idle connection, or a newly opened one. kUnavailable or kInternal if opening fails.
  Result<std::unique_ptr<Connection>> Acquire();
  // Takes back a connection. One still inside a transaction (its rollback failed) is closed
  // rather than handed to the next caller.
  void Release(std::unique_ptr<Connection> conn);

  // Makes every transaction committed so far durable (group commit; wal_sync.h).
  Result<void> SyncCommitted() { return wal_.Sync(); }
  // Write transactions of this process take turns here rather than in SQLite's busy handler,
  // which sleeps in steps of milliseconds: under contention that sleeping, not the disk, would
  // bound throughput. Not owned when `timeout` passed first.
  std::unique_lock<std::timed_mutex> LockWriter(std::chrono::milliseconds timeout) {
    return std::unique_lock<std::timed_mutex>(writer_mu_, timeout);
  }
  // Moved around every write transaction's COMMIT (MetadataStore::ChangeStamp).
  SharedStamp& stamp() { return *stamp_; }

 private:
  const std::filesystem::path file_;
  WalSync wal_;
  const std::unique_ptr<SharedStamp> stamp_;
  std::timed_mutex writer_mu_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;  // Guarded by mu_.
};

}  // namespace regie::storage::sqlite
