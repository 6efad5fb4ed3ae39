#include "service/auth_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "base/counters.h"

#include "service_test_env.h"

namespace regie::service {
namespace {

class AuthServiceTest : public ServiceTestEnv {
 protected:
  Result<Caller> Confirm(const Caller& caller) {
    auto txn = store_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    return auth_->Confirm(**txn, caller);
  }
};

TEST_F(AuthServiceTest, CorrectPasswordVerifiesThenHitsTheCache) {
  auto fast = auth_->TryFast("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(fast);
  EXPECT_FALSE(*fast);  // Nothing cached yet: a hash is needed.
  auto caller = auth_->Verify("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(caller);
  EXPECT_EQ(caller->principal.login, "bob");
  EXPECT_EQ(caller->org.name, "default");
  auto cached = auth_->TryFast("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(cached && *cached);
}

// A client that opens several connections at once sends the same password on each: one hash
// serves them all. Wrong passwords are not shared: each attempt hashes and counts as a failure.
TEST_F(AuthServiceTest, ConcurrentChecksOfOnePasswordShareOneHash) {
  auto& checks = GlobalAuthCounters().password_checks;
  auto verify_in_parallel = [&](const char* password, int threads) {
    std::vector<std::thread> running;
    std::atomic<int> accepted{0};
    for (int i = 0; i < threads; ++i) {
      running.emplace_back([&, password] {
        if (auth_->Verify("bob", password, "192.0.2.1")) ++accepted;
      });
    }
    for (auto& t : running) t.join();
    return accepted.load();
  };
  const auto before = checks.load();
  EXPECT_EQ(verify_in_parallel("bob-password-1", 8), 8);
  EXPECT_EQ(checks.load() - before, 1U);

  const auto before_wrong = checks.load();
  EXPECT_EQ(verify_in_parallel("wrong-password", 3), 0);
  EXPECT_EQ(checks.load() - before_wrong, 3U);
  // Three failures throttle the account (options_.account_failures), as three separate ones do.
  EXPECT_EQ(auth_->Verify("bob", "wrong-password", "192.0.2.1").error().code, Errc::kRateLimited);
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownLoginAreUnauthenticated) {
  EXPECT_EQ(auth_->Verify("bob", "nope-nope", "192.0.2.1").error().code, Errc::kUnauthenticated);
  EXPECT_EQ(auth_->Verify("nobody", "nope-nope", "192.0.2.1").error().code, Errc::kUnauthenticated);
}

TEST_F(AuthServiceTest, PasswordChangeFromAnotherProcessInvalidatesTheCache) {
  ASSERT_TRUE(auth_->Verify("bob", "bob-password-1", "192.0.2.1"));
  // The CLI is another process: another AuthService over the same database.
  auto cli_accounts = std::make_shared<AccountService>(store_, blobs_, MakeAuth());
  ASSERT_TRUE(cli_accounts->SetPassword("bob", std::string("bob-password-2")));
  auto cached = auth_->TryFast("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(cached && *cached);
  EXPECT_EQ(Confirm(**cached).error().code, Errc::kUnauthenticated);
  EXPECT_EQ(auth_->Verify("bob", "bob-password-1", "192.0.2.1").error().code,
            Errc::kUnauthenticated);
  auto fresh = auth_->Verify("bob", "bob-password-2", "192.0.2.1");
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(Confirm(*fresh));
}

TEST_F(AuthServiceTest, PasswordChangedBackWorksAfterOneRefusal) {
  ASSERT_TRUE(auth_->Verify("bob", "bob-password-1", "192.0.2.1"));
  ASSERT_TRUE(accounts_->SetPassword("bob", std::string("bob-password-2")));
  ASSERT_TRUE(accounts_->SetPassword("bob", std::string("bob-password-1")));
  auto stale = auth_->TryFast("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(stale && *stale);
  EXPECT_FALSE(Confirm(**stale));  // The cached verification predates the changes.
  // The stale entry is gone: the next request verifies the (same) password afresh.
  auto next = auth_->TryFast("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(next);
  EXPECT_FALSE(*next);
  auto fresh = auth_->Verify("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(Confirm(*fresh));
}

TEST_F(AuthServiceTest, DisablingEndsCachedLogins) {
  auto caller = auth_->Verify("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(caller);
  ASSERT_TRUE(accounts_->DisableUser("bob"));
  EXPECT_EQ(Confirm(*caller).error().code, Errc::kUnauthenticated);
  EXPECT_EQ(auth_->Verify("bob", "bob-password-1", "192.0.2.1").error().code,
            Errc::kUnauthenticated);
}

TEST_F(AuthServiceTest, DisablingTheOrganisationEndsCachedLogins) {
  auto caller = auth_->Verify("bob", "bob-password-1", "192.0.2.1");
  ASSERT_TRUE(caller);
  ASSERT_TRUE(accounts_->DisableOrg("default"));
  EXPECT_EQ(Confirm(*caller).error().code, Errc::kUnauthenticated);
}

TEST_F(AuthServiceTest, ThrottlesPerAccountAndAddressButNotOtherAddresses) {
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(auth_->Verify("bob", "wrong-pass", "192.0.2.1"));
  auto throttled = auth_->Verify("bob", "bob-password-1", "192.0.2.1");
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().code, Errc::kRateLimited);
  EXPECT_GE(throttled.error().retry_after.count(), 1);
  EXPECT_LE(throttled.error().retry_after,
            std::chrono::ceil<std::chrono::seconds>(options_.failure_window));
  EXPECT_TRUE(auth_->Verify("bob", "bob-password-1", "198.51.100.7"));
}

TEST_F(AuthServiceTest, ThrottlesAnAddressAcrossAccounts) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(auth_->Verify("user" + std::to_string(i), "wrong-pass", "192.0.2.99"));
  }
  EXPECT_EQ(auth_->Verify("bob", "bob-password-1", "192.0.2.99").error().code, Errc::kRateLimited);
  EXPECT_TRUE(auth_->Verify("bob", "bob-password-1", "192.0.2.100"));
}

TEST_F(AuthServiceTest, AppPasswordsWorkWithoutHashingAndRevocationIsImmediate) {
  auto app_password = accounts_->AddAppPassword("bob", "phone");
  ASSERT_TRUE(app_password);
  auto fast = auth_->TryFast("bob", *app_password, "192.0.2.1");
  ASSERT_TRUE(fast && *fast);
  EXPECT_TRUE(Confirm(**fast));
  ASSERT_TRUE(accounts_->RevokeAppPassword("bob", "phone"));
  EXPECT_EQ(Confirm(**fast).error().code, Errc::kUnauthenticated);
  EXPECT_FALSE(auth_->Verify("bob", *app_password, "192.0.2.1"));
  auto other = MakeAuth();  // A process that never saw the app password.
  auto unknown = other->TryFast("bob", *app_password, "192.0.2.1");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(*unknown);
}

TEST(PasswordHasher, HashesAreArgon2idWithTheConfiguredCostAndVerify) {
  PasswordHasher hasher(HashCost{64 * 1024, 3, 1});
  auto hash = hasher.Hash("correct horse");
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=64,t=3,p=1$", 0), 0U) << *hash;
  EXPECT_TRUE(hasher.Verify(*hash, "correct horse"));
  EXPECT_FALSE(hasher.Verify(*hash, "wrong horse"));
  EXPECT_FALSE(hasher.Verify("", "anything"));
  EXPECT_NE(*hasher.Hash("correct horse"), *hash);  // Salted.
}

}  // namespace
}  // namespace regie::service
