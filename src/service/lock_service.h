// WebDAV write locks (RFC 4918 §6, §7): exclusive and shared, depth 0 or infinity, with
// timeouts. Locks are held in memory, keyed by decoded resource path ("<login>/<seg>/…"): a
// restart releases them, which RFC 4918 §6.6 allows (clients refresh or re-lock). A scale-out
// deployment needs a shared table instead; that is a backend of this same interface.
//
// Threads: thread-safe; every method is short and never blocks on I/O.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/ids.h"

namespace regie::service {

enum class LockScope { kExclusive, kShared };
enum class LockDepth { kZero, kInfinity };

struct LockInfo {
  std::string token;                // "urn:uuid:…", unique.
  std::string root;                 // The locked path.
  bool root_is_collection = false;  // For hrefs: a collection's ends in '/'.
  LockScope scope = LockScope::kExclusive;
  LockDepth depth = LockDepth::kZero;
  std::string owner;  // The client's DAV:owner element, verbatim.
  model::PrincipalId principal;
  std::chrono::seconds timeout{0};
  std::chrono::steady_clock::time_point expires;
};

struct LockLimits {
  std::chrono::seconds default_timeout{600};
  std::chrono::seconds max_timeout{3600};
  std::size_t max_locks = 100'000;              // In all; the table is shared by every tenant.
  std::size_t max_locks_per_principal = 1'000;  // So that one user cannot fill it.
  std::size_t max_owner_bytes = 4'096;          // DAV:owner is kept in memory with the lock.
};

// Every member has an initializer, so callers may name only what they need.
struct NewLock {
  std::string path{};
  bool collection = false;
  LockScope scope = LockScope::kExclusive;
  LockDepth depth = LockDepth::kZero;
  std::string owner{};  // The client's DAV:owner element, verbatim.
  model::PrincipalId principal{};
  std::optional<std::chrono::seconds> timeout{};
};

class LockService {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit LockService(LockLimits limits, Clock clock = nullptr);

  // Locks on `path` itself or on an ancestor with depth infinity.
  std::vector<LockInfo> Covering(std::string_view path);
  // Locks on `path` or anywhere below it, and those covering it.
  std::vector<LockInfo> Affecting(std::string_view path);
  // kLocked when an exclusive lock, or any lock for an exclusive request, already covers the
  // path or (for depth infinity) lies below it. The timeout is clamped to the limits; kTooLarge
  // for an oversized owner, kRateLimited when the principal holds too many locks.
  Result<LockInfo> Acquire(NewLock lock);
  // Renews the lock `token` of `principal` that covers `path`; kPreconditionFailed if there is
  // none.
  Result<LockInfo> Refresh(std::string_view token, std::string_view path,
                           model::PrincipalId principal,
                           std::optional<std::chrono::seconds> timeout);
  // UNLOCK: kConflict when `token` names no lock covering `path` (RFC 4918 §9.11.1).
  Result<void> Release(std::string_view token, std::string_view path);
  // Drops every lock on `path` or below (the resource was deleted or moved away).
  void RemoveWithin(std::string_view path);

  std::size_t CountForTest();

 private:
  void ExpireLocked();  // Caller holds mu_.

  LockLimits limits_;
  Clock clock_;
  std::mutex mu_;
  std::vector<LockInfo> locks_;  // Few at a time in practice; a scan is cheaper than an index.
};

// Whether `path` is `root` or lies below it.
bool PathWithin(std::string_view path, std::string_view root);

}  // namespace regie::service
