// The localfs removal gate (BlobStore::PermitRemovals, PauseRemovals): an flock(2) on
// removal.lock beside the blob root, so that it holds across processes (a backup beside `regie
// serve`). Permits take the lock shared, a pause takes it exclusive. flock locks belong to an open
// file description, so the permits of one process share one descriptor, counted here: the first
// permit locks, the last one unlocks. Internal to the backend. Threads: thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>

#include "base/result.h"
#include "storage/blob_store.h"
#include "storage/localfs/posix_file.h"

namespace regie::storage::localfs {

class RemovalGate {
 public:
  explicit RemovalGate(std::filesystem::path lock_file);

  // Never waits: kUnavailable while some process has paused removals.
  Result<std::unique_ptr<RemovalHold>> Permit();
  // Waits (polling) until no process holds a permit; kUnavailable after `timeout`.
  Result<std::unique_ptr<RemovalHold>> Pause(std::chrono::milliseconds timeout);

 private:
  struct Shared {
    std::filesystem::path lock_file;
    std::mutex mu;
    std::size_t permits = 0;  // Guarded by mu.
    UniqueFd fd;              // Shared-locked while permits > 0. Guarded by mu.
  };
  class PermitHold;
  std::shared_ptr<Shared> shared_;
};

}  // namespace regie::storage::localfs
