#include "service/auth_service.h"

#include <algorithm>

#include "base/crypto.h"

namespace regie::service {
namespace {

// Bounds the throttling table, so that a flood of distinct logins cannot exhaust memory.
constexpr std::size_t kMaxFailureKeys = 100'000;

Error BadCredentials(std::string_view login) {
  return MakeError(Errc::kUnauthenticated, "authentication failed for " + std::string(login),
                   "invalid credentials");
}

std::string AccountKey(std::string_view login, std::string_view address) {
  return std::string(login) + '\n' + std::string(address);
}

std::string AddressKey(std::string_view address) {
  std::string key(1, '\n');  // No login contains a line break, so keys cannot collide.
  key.append(address);
  return key;
}

}  // namespace

AuthService::AuthService(std::shared_ptr<storage::MetadataStore> store, AuthOptions options,
                         std::vector<std::uint8_t> app_password_key)
    : store_(std::move(store)),
      options_(options),
      app_password_key_(std::move(app_password_key)),
      cache_key_(32),
      hasher_(options.hash_cost) {
  RandomBytes(cache_key_);
}

std::vector<std::uint8_t> AuthService::AppPasswordDigest(std::string_view password) const {
  const auto digest = KeyedDigest(app_password_key_, password);
  return {digest.begin(), digest.end()};
}

std::string AuthService::CacheKey(std::string_view login, std::string_view password) const {
  std::string material(login);
  material.push_back('\0');
  material.append(password);
  const auto digest = KeyedDigest(cache_key_, material);
  return {digest.begin(), digest.end()};
}

Result<void> AuthService::CheckThrottle(std::string_view login, std::string_view address) {
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  if (failures_.empty()) return Ok();  // The usual case: no key to build, nothing to look up.
  const auto over = [&](const std::string& key,
                        std::size_t limit) -> std::optional<Clock::duration> {
    auto it = failures_.find(key);
    if (it == failures_.end()) return std::nullopt;
    auto& times = it->second;
    while (!times.empty() && now - times.front() >= options_.failure_window) times.pop_front();
    if (times.empty()) {
      failures_.erase(it);
      return std::nullopt;
    }
    if (times.size() < limit) return std::nullopt;
    // Throttled until enough failures age out of the window to fall below the limit.
    return times[times.size() - limit] + options_.failure_window - now;
  };
  auto wait = over(AccountKey(login, address), options_.account_failures);
  if (!wait) wait = over(AddressKey(address), options_.address_failures);
  if (!wait) return Ok();
  Error e = MakeError(Errc::kRateLimited, "login throttled for " + std::string(login),
                      "too many failed logins; try again later");
  e.retry_after = std::max<std::chrono::seconds>(std::chrono::seconds(1),
                                                 std::chrono::ceil<std::chrono::seconds>(*wait));
  return Fail(std::move(e));
}

void AuthService::RecordFailure(std::string_view login, std::string_view address) {
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  if (failures_.size() >= kMaxFailureKeys) {
    std::erase_if(failures_, [&](const auto& kv) {
      return kv.second.empty() || now - kv.second.back() >= options_.failure_window;
    });
  }
  for (const auto& key : {AccountKey(login, address), AddressKey(address)}) {
    auto& times = failures_[key];
    times.push_back(now);
    // Only the newest `limit` failures ever matter.
    while (times.size() > std::max(options_.account_failures, options_.address_failures)) {
      times.pop_front();
    }
  }
}

Result<std::optional<Caller>> AuthService::LoadCaller(std::string_view login) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto principal = (*txn)->FindPrincipal(login);
  if (!principal) {
    if (principal.error().code == Errc::kNotFound) return std::optional<Caller>();
    return Fail(principal.error());
  }
  // Only users log in: a group or a system principal is as unknown as a login that is not there.
  if (principal->kind != model::PrincipalKind::kUser) return std::optional<Caller>();
  auto org = (*txn)->GetOrg(principal->org);
  if (!org) return Fail(org.error());
  return std::optional<Caller>(Caller{std::move(*principal), std::move(*org)});
}

Result<Caller> AuthService::Confirm(storage::Txn& txn, const Caller& caller) {
  auto principal = txn.GetPrincipal(caller.principal.id);
  if (!principal && principal.error().code != Errc::kNotFound) return Fail(principal.error());
  auto org = txn.GetOrg(caller.org.id);
  if (!org && org.error().code != Errc::kNotFound) return Fail(org.error());
  const bool current = principal && org && !principal->disabled && !org->disabled &&
                       principal->credential_version == caller.principal.credential_version;
  if (!current) {
    std::lock_guard lock(mu_);
    std::erase_if(cache_, [&](const auto& kv) {
      return kv.second.caller.principal.id == caller.principal.id;
    });
    return Fail(BadCredentials(caller.principal.login));
  }
  return Caller{std::move(*principal), std::move(*org)};
}

Result<Caller> AuthService::Confirm(const Caller& caller) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto current = Confirm(**txn, caller);
  if (!current) return Fail(current.error());
  current->session = caller.session;
  return current;
}

std::optional<Caller> AuthService::CachedLocked(const std::string& key) {
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  if (it->second.expires > Clock::now()) return it->second.caller;
  cache_.erase(it);
  return std::nullopt;
}

void AuthService::Remember(const std::string& key, const Caller& caller) {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  if (cache_.size() >= options_.cache_entries) {
    std::erase_if(cache_, [&](const auto& kv) { return kv.second.expires <= now; });
    if (cache_.size() >= options_.cache_entries) cache_.clear();
  }
  cache_[key] = CacheEntry{caller, now + options_.cache_ttl};
}

bool AuthService::MatchesAppPassword(model::PrincipalId principal, std::string_view password,
                                     Result<void>& error) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) {
    error = Fail(txn.error());
    return false;
  }
  auto passwords = (*txn)->ListAppPasswords(principal);
  if (!passwords) {
    error = Fail(passwords.error());
    return false;
  }
  const auto digest = AppPasswordDigest(password);
  return std::any_of(passwords->begin(), passwords->end(), [&](const model::AppPassword& p) {
    return ConstantTimeEqual(p.digest, digest);
  });
}

Result<std::optional<Caller>> AuthService::TryFast(std::string_view login,
                                                   std::string_view password,
                                                   std::string_view client_address) {
  if (auto throttled = CheckThrottle(login, client_address); !throttled) {
    return Fail(throttled.error());
  }
  const std::string key = CacheKey(login, password);
  {
    std::lock_guard lock(mu_);
    if (auto cached = CachedLocked(key)) return cached;
  }
  auto caller = LoadCaller(login);
  if (!caller) return Fail(caller.error());
  if (!*caller) return std::optional<Caller>();  // Unknown login: Verify() spends the same time.
  Result<void> error = Ok();
  if (MatchesAppPassword((*caller)->principal.id, password, error)) {
    if ((*caller)->principal.disabled || (*caller)->org.disabled) {
      return Fail(BadCredentials(login));
    }
    Remember(key, **caller);
    return caller;
  }
  if (!error) return Fail(error.error());
  return std::optional<Caller>();
}

Result<Caller> AuthService::Verify(std::string_view login, std::string_view password,
                                   std::string_view client_address, Accept accept) {
  if (auto throttled = CheckThrottle(login, client_address); !throttled) {
    return Fail(throttled.error());
  }
  // Only what the cache could hold is shared: a web sign-in (kPasswordOnly) always hashes.
  if (accept != Accept::kPasswordOrAppPassword) {
    return VerifyAlone(login, password, client_address, accept);
  }
  const std::string key = CacheKey(login, password);
  std::promise<std::optional<Caller>> mine;
  std::shared_future<std::optional<Caller>> theirs;
  {
    std::lock_guard lock(mu_);
    // A check that ended since TryFast() looked.
    if (auto cached = CachedLocked(key)) return std::move(*cached);
    if (auto running = checking_.find(key); running != checking_.end()) {
      theirs = running->second;
    } else {
      checking_.emplace(key, mine.get_future().share());
    }
  }
  if (theirs.valid()) {
    theirs.wait();
    try {
      if (auto caller = theirs.get()) return std::move(*caller);
    } catch (const std::future_error&) {  // The check ended without an answer.
    }
    auto result = VerifyAlone(login, password, client_address, accept);
    if (result) Remember(key, *result);
    return result;
  }
  // However this check ends, even by an exception, the next one starts afresh and the waiters
  // get an answer (a broken promise reads as a failure: they check on their own).
  struct Done {
    AuthService& auth;
    const std::string& key;
    ~Done() {
      std::lock_guard lock(auth.mu_);
      auth.checking_.erase(key);
    }
  } done{*this, key};
  auto result = VerifyAlone(login, password, client_address, accept);
  if (result) Remember(key, *result);
  mine.set_value(result ? std::optional<Caller>(*result) : std::nullopt);
  return result;
}

Result<Caller> AuthService::VerifyAlone(std::string_view login, std::string_view password,
                                        std::string_view client_address, Accept accept) {
  auto caller = LoadCaller(login);
  if (!caller) return Fail(caller.error());
  const std::string_view encoded =
      *caller ? std::string_view((*caller)->principal.password_hash) : std::string_view();
  bool match = hasher_.Verify(encoded, password);
  if (!match && *caller && accept == Accept::kPasswordOrAppPassword) {
    Result<void> error = Ok();
    match = MatchesAppPassword((*caller)->principal.id, password, error);
    if (!error) return Fail(error.error());
  }
  if (!match || !*caller || (*caller)->principal.disabled || (*caller)->org.disabled) {
    RecordFailure(login, client_address);
    return Fail(BadCredentials(login));
  }
  return std::move(**caller);
}

}  // namespace regie::service
