// Who is calling: verifies a login and password (account password or app password), with a
// cache of recent successful verifications and throttling of failed ones.
//
// The cache never outlives a credential change: an entry remembers the principal's
// credential_version, which every password change, disable and app-password revocation raises
// (also from the CLI in another process). A caller served from the cache is confirmed with
// Confirm() inside the request's own read snapshot, so that the check costs no extra
// transaction on the hot path.
//
// Thread-safe. TryFast() needs no hashing and may run on an I/O thread; Verify() hashes
// (Argon2id) and belongs on the blocking pool.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "model/account.h"
#include "service/password_hasher.h"
#include "storage/metadata_store.h"

namespace regie::service {

struct AuthOptions {
  HashCost hash_cost;
  std::chrono::milliseconds cache_ttl{300'000};
  std::size_t cache_entries = 10'000;
  std::size_t account_failures = 5;   // Per (login, client address) within failure_window.
  std::size_t address_failures = 50;  // Per client address within failure_window.
  std::chrono::milliseconds failure_window{900'000};
};

struct Caller {
  model::Principal principal;  // As verified; credential_version is the version then.
  model::Org org;
  // Set when a browser session (SessionService) proved the caller, rather than a password.
  std::optional<model::Session> session{};
};

class AuthService {
 public:
  // `app_password_key` keys the BLAKE2b digests of app passwords; it is shared by every process
  // on the same data (the CLI adds app passwords, the server checks them).
  AuthService(std::shared_ptr<storage::MetadataStore> store, AuthOptions options,
              std::vector<std::uint8_t> app_password_key);

  // Without hashing: the caller if a cached verification (still to be confirmed with
  // Confirm()) or an app password proves the credentials; nullopt if Verify() must decide.
  // Errors: kRateLimited (with retry_after), kUnauthenticated, kUnavailable.
  Result<std::optional<Caller>> TryFast(std::string_view login, std::string_view password,
                                        std::string_view client_address);
  // Which secrets prove a login: devices use app passwords, while signing in to the web
  // workplace or changing the password takes the account password itself.
  enum class Accept { kPasswordOrAppPassword, kPasswordOnly };
  // The full check, hashing if needed. kUnauthenticated on a wrong login or password (counted
  // as a failure), kRateLimited once throttled. Concurrent checks of the same login and password
  // (a client opening several connections at once) share one hash: the others wait for it and,
  // if it succeeded, take its result; if it failed, each checks on its own and counts.
  Result<Caller> Verify(std::string_view login, std::string_view password,
                        std::string_view client_address,
                        Accept accept = Accept::kPasswordOrAppPassword);

  // The caller as it is now in `txn` (quota, role), or kUnauthenticated unless its credentials
  // are still what was verified: same credential version, account and organisation enabled.
  // Every service that serves a request calls it in the transaction that serves it, since
  // TryFast() may answer from the cache. A stale caller's cache entries are dropped, so the next
  // request verifies its password afresh (a password changed back to a cached one costs a
  // single 401, not cache_ttl of them).
  Result<Caller> Confirm(storage::Txn& txn, const Caller& caller);
  // The same in a snapshot of its own, for callers that need no other reads. Keeps the session.
  Result<Caller> Confirm(const Caller& caller);

  // The digest stored for an app password (for AccountService).
  std::vector<std::uint8_t> AppPasswordDigest(std::string_view password) const;
  PasswordHasher& hasher() { return hasher_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct CacheEntry {
    Caller caller;
    Clock::time_point expires;
  };

  Result<void> CheckThrottle(std::string_view login, std::string_view address);
  void RecordFailure(std::string_view login, std::string_view address);
  Result<std::optional<Caller>> LoadCaller(std::string_view login);
  std::string CacheKey(std::string_view login, std::string_view password) const;
  // The cached caller for `key` unless expired (then dropped). mu_ must be held.
  std::optional<Caller> CachedLocked(const std::string& key);
  void Remember(const std::string& key, const Caller& caller);
  bool MatchesAppPassword(model::PrincipalId principal, std::string_view password,
                          Result<void>& error);
  // Verify() without sharing or caching: hashes, and records a failure.
  Result<Caller> VerifyAlone(std::string_view login, std::string_view password,
                             std::string_view client_address, Accept accept);

  std::shared_ptr<storage::MetadataStore> store_;
  AuthOptions options_;
  std::vector<std::uint8_t> app_password_key_;
  std::vector<std::uint8_t> cache_key_;  // Per process: cached entries are useless elsewhere.
  PasswordHasher hasher_;

  std::mutex mu_;
  std::unordered_map<std::string, CacheEntry> cache_;                        // Guarded by mu_.
  std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;  // Guarded by mu_.
  // Checks in progress by cache key; a success carries the caller. Guarded by mu_.
  std::unordered_map<std::string, std::shared_future<std::optional<Caller>>> checking_;
};

}  // namespace regie::service
