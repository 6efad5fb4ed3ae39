#include "storage/localfs/removal_gate.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <thread>
#include <utility>

namespace regie::storage::localfs {
namespace {

constexpr std::chrono::milliseconds kPausePoll{10};

Result<UniqueFd> OpenLockFile(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd.valid()) return Fail(SystemError(errno, "open removal lock"));
  return fd;
}

Error Paused() {
  return MakeError(Errc::kUnavailable, "localfs: blob removals are paused by a backup",
                   "blob removals are paused by a backup");
}

// An exclusive lock: released when its descriptor closes.
class PauseHold final : public RemovalHold {
 public:
  explicit PauseHold(UniqueFd fd) : fd_(std::move(fd)) {}

 private:
  UniqueFd fd_;
};

}  // namespace

class RemovalGate::PermitHold final : public RemovalHold {
 public:
  explicit PermitHold(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  ~PermitHold() override {
    std::lock_guard lock(shared_->mu);
    if (--shared_->permits == 0) ::flock(shared_->fd.get(), LOCK_UN);
  }

 private:
  std::shared_ptr<Shared> shared_;
};

RemovalGate::RemovalGate(std::filesystem::path lock_file) : shared_(std::make_shared<Shared>()) {
  shared_->lock_file = std::move(lock_file);
}

Result<std::unique_ptr<RemovalHold>> RemovalGate::Permit() {
  std::lock_guard lock(shared_->mu);
  if (shared_->permits == 0) {
    if (!shared_->fd.valid()) {
      auto fd = OpenLockFile(shared_->lock_file);
      if (!fd) return Fail(fd.error());
      shared_->fd = std::move(*fd);
    }
    while (::flock(shared_->fd.get(), LOCK_SH | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return Fail(Paused());
      if (errno != EINTR) return Fail(SystemError(errno, "lock removal gate"));
    }
  }
  ++shared_->permits;
  return std::unique_ptr<RemovalHold>(new PermitHold(shared_));
}

Result<std::unique_ptr<RemovalHold>> RemovalGate::Pause(std::chrono::milliseconds timeout) {
  // A descriptor of its own: on the permits' descriptor, LOCK_EX would convert their lock.
  auto fd = OpenLockFile(shared_->lock_file);
  if (!fd) return Fail(fd.error());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Polling rather than a blocking flock(): a blocking one could not honour the timeout.
  while (::flock(fd->get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return Fail(SystemError(errno, "pause blob removals"));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Fail(Errc::kUnavailable, "localfs: blob removals still in progress after the timeout",
                  "blob removals still in progress");
    }
    std::this_thread::sleep_for(kPausePoll);
  }
  return std::unique_ptr<RemovalHold>(new PauseHold(std::move(*fd)));
}

}  // namespace regie::storage::localfs
