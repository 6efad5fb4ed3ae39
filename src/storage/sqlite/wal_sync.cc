#include "storage/sqlite/wal_sync.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace regie::storage::sqlite {

WalSync::~WalSync() {
  if (fd_ >= 0) ::close(fd_);
}

Result<void> WalSync::SyncFile() {
  struct stat by_path {};
  const bool exists = ::stat(wal_file_.c_str(), &by_path) == 0;
  struct stat by_fd {};
  if (fd_ >= 0 && (!exists || ::fstat(fd_, &by_fd) != 0 || by_fd.st_ino != by_path.st_ino ||
                   by_fd.st_dev != by_path.st_dev)) {
    ::close(fd_);
    fd_ = -1;
  }
  if (fd_ < 0) {
    fd_ = ::open(wal_file_.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0) {
      return Fail(Errc::kInternal,
                  "sqlite: open " + wal_file_.string() + " to sync it: " + std::strerror(errno));
    }
  }
  if (::fdatasync(fd_) != 0) {
    return Fail(Errc::kInternal,
                "sqlite: fdatasync " + wal_file_.string() + ": " + std::strerror(errno));
  }
  return Ok();
}

Result<void> WalSync::Sync() {
  std::unique_lock lock(mu_);
  const std::uint64_t mine = ++committed_;
  while (synced_ < mine) {
    if (syncing_) {
      done_.wait(lock);  // Another thread's sync may or may not cover this commit; look again.
      continue;
    }
    // Every commit announced so far is in the WAL file: one sync covers them all.
    syncing_ = true;
    const std::uint64_t covered = committed_;
    lock.unlock();
    auto synced = SyncFile();
    lock.lock();
    syncing_ = false;
    if (synced) synced_ = std::max(synced_, covered);
    done_.notify_all();
    if (!synced) return synced;
  }
  return Ok();
}

}  // namespace regie::storage::sqlite
