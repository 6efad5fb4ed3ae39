#include "service/lock_service.h"

#include <algorithm>
#include <array>

#include "base/crypto.h"

namespace regie::service {
namespace {

// A UUID-shaped random token (RFC 4918 §6.5 recommends urn:uuid, RFC 4122 version 4 layout).
std::string NewToken() {
  std::array<std::uint8_t, 16> bytes{};
  RandomBytes(bytes);
  const std::string hex = ToHex(bytes);
  return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-a" +
         hex.substr(17, 3) + "-" + hex.substr(20, 12);
}

bool Covers(const LockInfo& lock, std::string_view path) {
  if (lock.root == path) return true;
  return lock.depth == LockDepth::kInfinity && PathWithin(path, lock.root);
}

}  // namespace

bool PathWithin(std::string_view path, std::string_view root) {
  if (path.size() < root.size() || path.substr(0, root.size()) != root) return false;
  return path.size() == root.size() || path[root.size()] == '/';
}

LockService::LockService(LockLimits limits, Clock clock)
    : limits_(limits),
      clock_(clock ? std::move(clock) : [] { return std::chrono::steady_clock::now(); }) {}

void LockService::ExpireLocked() {
  const auto now = clock_();
  std::erase_if(locks_, [&](const LockInfo& lock) { return lock.expires <= now; });
}

std::vector<LockInfo> LockService::Covering(std::string_view path) {
  std::lock_guard guard(mu_);
  ExpireLocked();
  std::vector<LockInfo> out;
  for (const auto& lock : locks_) {
    if (Covers(lock, path)) out.push_back(lock);
  }
  return out;
}

std::vector<LockInfo> LockService::Affecting(std::string_view path) {
  std::lock_guard guard(mu_);
  ExpireLocked();
  std::vector<LockInfo> out;
  for (const auto& lock : locks_) {
    if (Covers(lock, path) || PathWithin(lock.root, path)) out.push_back(lock);
  }
  return out;
}

Result<LockInfo> LockService::Acquire(NewLock request) {
  const std::string_view path = request.path;
  const LockDepth depth = request.depth;
  const LockScope scope = request.scope;
  if (request.owner.size() > limits_.max_owner_bytes) {
    return Fail(Errc::kTooLarge, "lock owner of " + std::to_string(request.owner.size()) + " bytes",
                "the lock owner is too large");
  }
  std::lock_guard guard(mu_);
  ExpireLocked();
  std::size_t held = 0;
  for (const auto& lock : locks_) {
    if (lock.principal == request.principal) ++held;
    const bool overlaps =
        Covers(lock, path) || (depth == LockDepth::kInfinity && PathWithin(lock.root, path));
    if (overlaps && (scope == LockScope::kExclusive || lock.scope == LockScope::kExclusive)) {
      return Fail(Errc::kLocked, "lock conflict on " + std::string(path), "the resource is locked",
                  QName{"DAV:", "no-conflicting-lock"});
    }
  }
  if (held >= limits_.max_locks_per_principal) {
    return Fail(Errc::kRateLimited, "too many locks held by one principal",
                "you hold too many locks; unlock some first");
  }
  if (locks_.size() >= limits_.max_locks) {
    return Fail(Errc::kUnavailable, "lock table full", "too many locks");
  }
  LockInfo lock{.token = NewToken(),
                .root = std::move(request.path),
                .root_is_collection = request.collection,
                .scope = scope,
                .depth = depth,
                .owner = std::move(request.owner),
                .principal = request.principal,
                .timeout = std::clamp(request.timeout.value_or(limits_.default_timeout),
                                      std::chrono::seconds(1), limits_.max_timeout),
                .expires = {}};
  lock.expires = clock_() + lock.timeout;
  locks_.push_back(lock);
  return lock;
}

Result<LockInfo> LockService::Refresh(std::string_view token, std::string_view path,
                                      model::PrincipalId principal,
                                      std::optional<std::chrono::seconds> timeout) {
  std::lock_guard guard(mu_);
  ExpireLocked();
  for (auto& lock : locks_) {
    if (lock.token != token || !Covers(lock, path) || lock.principal != principal) continue;
    if (timeout) lock.timeout = std::clamp(*timeout, std::chrono::seconds(1), limits_.max_timeout);
    lock.expires = clock_() + lock.timeout;
    return lock;
  }
  return Fail(Errc::kPreconditionFailed, "refresh of unknown lock on " + std::string(path),
              "no such lock", QName{"DAV:", "lock-token-matches-request-uri"});
}

Result<void> LockService::Release(std::string_view token, std::string_view path) {
  std::lock_guard guard(mu_);
  ExpireLocked();
  const auto it = std::find_if(locks_.begin(), locks_.end(), [&](const LockInfo& lock) {
    return lock.token == token && Covers(lock, path);
  });
  if (it == locks_.end()) {
    return Fail(Errc::kConflict, "unlock of unknown lock on " + std::string(path),
                "no such lock on this resource", QName{"DAV:", "lock-token-matches-request-uri"});
  }
  locks_.erase(it);
  return Ok();
}

void LockService::RemoveWithin(std::string_view path) {
  std::lock_guard guard(mu_);
  std::erase_if(locks_, [&](const LockInfo& lock) { return PathWithin(lock.root, path); });
}

std::size_t LockService::CountForTest() {
  std::lock_guard guard(mu_);
  ExpireLocked();
  return locks_.size();
}

}  // namespace regie::service
