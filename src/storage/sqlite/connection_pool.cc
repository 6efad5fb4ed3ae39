#include "storage/sqlite/connection_pool.h"

#include <utility>

namespace regie::storage::sqlite {

Result<std::unique_ptr<Connection>> ConnectionPool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
  }
  // Opened outside the lock: opening touches the disk and must not stall other threads.
  return Connection::Open(file_);
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  if (!conn || !conn->InAutocommit()) return;
  std::unique_lock lock(mu_);
  if (idle_.size() < kMaxIdle) {
    idle_.push_back(std::move(conn));
    return;
  }
  lock.unlock();
  conn.reset();  // Closed outside the lock, like Open().
}

}  // namespace regie::storage::sqlite
