// Browser sessions of the web workplace: sign-in with the account password, resumption by the
// cookie's secret, sign-out, and the account's own password change.
//
// The cookie carries a random 256-bit secret; the store keeps only a keyed digest of it, so a
// copy of the database signs nobody in. A session ends after `idle_timeout` without a request,
// after `max_lifetime` whatever happens, at sign-out, and when the account's password changes
// (here, by an administrator or on the CLI) or the account or its organisation is disabled.
//
// Threads: thread-safe. Every method reads or writes the store, and SignIn() and
// ChangePassword() hash (Argon2id): call them on the blocking pool.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/account.h"
#include "service/account_service.h"
#include "service/auth_service.h"
#include "storage/metadata_store.h"

namespace regie::service {

struct SessionOptions {
  std::chrono::seconds idle_timeout{std::chrono::hours(8)};
  std::chrono::seconds max_lifetime{std::chrono::hours(24 * 7)};
  // last_seen is written at most this often per session: a request is a read, not a commit.
  std::chrono::seconds touch_interval{std::chrono::seconds(60)};
};

struct SignedIn {
  std::string secret;  // The cookie's value; not kept anywhere on the server.
  Caller caller;       // With its session.
};

class SessionService {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds.

  // `key` keys the digests of secrets and password hashes (16..64 bytes; the same in every
  // process on the same data, like the app-password key).
  SessionService(std::shared_ptr<storage::MetadataStore> store, std::shared_ptr<AuthService> auth,
                 std::shared_ptr<AccountService> accounts, SessionOptions options,
                 std::vector<std::uint8_t> key, Clock clock = {});

  // Checks the account password (not an app password: those are for devices) with the
  // throttling of AuthService. kUnauthenticated, kRateLimited.
  Result<SignedIn> SignIn(std::string_view login, std::string_view password,
                          std::string_view client_address);
  // The signed-in caller with its session, or kUnauthenticated when the secret is unknown or
  // its session ended.
  Result<Caller> Resume(std::string_view secret);
  // Ends the session; idempotent.
  Result<void> SignOut(std::string_view secret);
  // Sets a new password after checking the current one (kForbidden when wrong; kInvalidInput
  // when the new one is shorter than 8 characters), ends the account's other sessions and keeps
  // `who`'s own session (when it has one). Returns `who` as it now is.
  Result<Caller> ChangePassword(const Caller& who, std::string_view current,
                                std::string_view replacement, std::string_view client_address);

  static constexpr std::size_t kMinPasswordLength = 8;

 private:
  std::vector<std::uint8_t> Digest(std::string_view domain, std::string_view data) const;
  std::int64_t Now() const;
  bool Expired(const model::Session& session, std::int64_t now) const;

  std::shared_ptr<storage::MetadataStore> store_;
  std::shared_ptr<AuthService> auth_;
  std::shared_ptr<AccountService> accounts_;
  SessionOptions options_;
  std::vector<std::uint8_t> key_;
  Clock clock_;
};

}  // namespace regie::service
