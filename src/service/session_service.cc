#include "service/session_service.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "base/crypto.h"

namespace regie::service {
namespace {

Error Ended() {
  return MakeError(Errc::kUnauthenticated, "session unknown or ended", "session ended");
}

std::int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

SessionService::SessionService(std::shared_ptr<storage::MetadataStore> store,
                               std::shared_ptr<AuthService> auth,
                               std::shared_ptr<AccountService> accounts, SessionOptions options,
                               std::vector<std::uint8_t> key, Clock clock)
    : store_(std::move(store)),
      auth_(std::move(auth)),
      accounts_(std::move(accounts)),
      options_(options),
      key_(std::move(key)),
      clock_(std::move(clock)) {}

// Domain separation: the same key digests secrets and password hashes, and app passwords
// elsewhere; a prefix per use keeps one kind of digest from standing in for another.
std::vector<std::uint8_t> SessionService::Digest(std::string_view domain,
                                                 std::string_view data) const {
  std::string material(domain);
  material.push_back('\0');
  material.append(data);
  const auto digest = KeyedDigest(key_, material);
  return {digest.begin(), digest.end()};
}

std::int64_t SessionService::Now() const { return clock_ ? clock_() : SystemNow(); }

bool SessionService::Expired(const model::Session& session, std::int64_t now) const {
  return now - session.last_seen >= options_.idle_timeout.count() ||
         now - session.created >= options_.max_lifetime.count();
}

Result<SignedIn> SessionService::SignIn(std::string_view login, std::string_view password,
                                        std::string_view client_address) {
  auto caller = auth_->Verify(login, password, client_address, AuthService::Accept::kPasswordOnly);
  if (!caller) return Fail(caller.error());
  const std::int64_t now = Now();
  std::string secret = RandomToken(32);
  model::Session session{
      .digest = Digest("session", secret),
      .principal = caller->principal.id,
      .csrf = RandomToken(24),
      .created = now,
      .last_seen = now,
      .password_digest = Digest("password", caller->principal.password_hash),
  };
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  // Sign-ins are rare next to requests: a good moment to forget sessions that ended.
  if (auto swept = (*txn)->DeleteExpiredSessions(now - options_.idle_timeout.count(),
                                                 now - options_.max_lifetime.count());
      !swept) {
    return Fail(swept.error());
  }
  if (auto created = (*txn)->CreateSession(session); !created) return Fail(created.error());
  if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
  caller->session = std::move(session);
  return SignedIn{std::move(secret), std::move(*caller)};
}

Result<Caller> SessionService::Resume(std::string_view secret) {
  if (secret.empty()) return Fail(Ended());
  const auto digest = Digest("session", secret);
  const std::int64_t now = Now();
  model::Session session;
  Caller caller;
  {
    auto txn = store_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto found = (*txn)->FindSession(digest);
    if (!found) return Fail(found.error().code == Errc::kNotFound ? Ended() : found.error());
    session = std::move(*found);
    auto principal = (*txn)->GetPrincipal(session.principal);
    if (!principal) return Fail(principal.error());
    auto org = (*txn)->GetOrg(principal->org);
    if (!org) return Fail(org.error());
    caller = Caller{std::move(*principal), std::move(*org)};
  }
  const bool valid = !Expired(session, now) && !caller.principal.disabled && !caller.org.disabled &&
                     ConstantTimeEqual(session.password_digest,
                                       Digest("password", caller.principal.password_hash));
  if (!valid) {
    (void)SignOut(secret);  // Best effort: an ended session is refused whether or not it goes.
    return Fail(Ended());
  }
  // Never coarser than a tenth of the idle timeout, so a session in use does not run out.
  const auto touch = std::min(options_.touch_interval, options_.idle_timeout / 10);
  if (now - session.last_seen >= touch.count()) {
    session.last_seen = now;
    auto txn = store_->Begin(storage::TxnMode::kWrite);
    if (!txn) return Fail(txn.error());
    auto updated = (*txn)->UpdateSession(session);
    if (!updated) return Fail(updated.error().code == Errc::kNotFound ? Ended() : updated.error());
    if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
  }
  caller.session = std::move(session);
  return caller;
}

Result<void> SessionService::SignOut(std::string_view secret) {
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  if (auto deleted = (*txn)->DeleteSession(Digest("session", secret)); !deleted) {
    return Fail(deleted.error());
  }
  return (*txn)->Commit();
}

Result<Caller> SessionService::ChangePassword(const Caller& who, std::string_view current,
                                              std::string_view replacement,
                                              std::string_view client_address) {
  const std::string& login = who.principal.login;
  auto verified = auth_->Verify(login, current, client_address, AuthService::Accept::kPasswordOnly);
  if (!verified) {
    if (verified.error().code != Errc::kUnauthenticated) return Fail(verified.error());
    return Fail(Errc::kForbidden, "wrong current password for " + login,
                "the current password is not correct");
  }
  if (replacement.size() < kMinPasswordLength) {
    return Fail(Errc::kInvalidInput, "new password too short",
                "passwords need at least " + std::to_string(kMinPasswordLength) + " characters");
  }
  if (auto set = accounts_->SetPassword(login, std::string(replacement)); !set) {
    return Fail(set.error());
  }
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto principal = (*txn)->GetPrincipal(who.principal.id);
  if (!principal) return Fail(principal.error());
  auto org = (*txn)->GetOrg(principal->org);
  if (!org) return Fail(org.error());
  Caller now{std::move(*principal), std::move(*org), who.session};
  std::vector<std::uint8_t> keep;
  if (now.session) {
    now.session->password_digest = Digest("password", now.principal.password_hash);
    now.session->last_seen = Now();
    if (auto updated = (*txn)->UpdateSession(*now.session); !updated) {
      return Fail(updated.error());
    }
    keep = now.session->digest;
  }
  if (auto ended = (*txn)->DeleteSessionsOf(now.principal.id, keep); !ended) {
    return Fail(ended.error());
  }
  if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
  return now;
}

}  // namespace regie::service
