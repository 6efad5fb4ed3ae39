#include "service/auth_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "service/account_service.h"
#include "storage/localfs/localfs_blob_store.h"
#include "storage/sqlite/sqlite_metadata_store.h"

namespace regie::service {
namespace {

// A real embedded store in a temporary directory, with a cheap hash cost so tests stay fast.
class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("regie-auth-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::shared_ptr<storage::MetadataStore>(
        std::move(*storage::sqlite::OpenSqliteMetadataStore(dir_ / "regie.db")));
    blobs_ = std::shared_ptr<storage::BlobStore>(
        std::move(*storage::localfs::OpenLocalFsBlobStore(dir_ / "blobs")));
    options_.hash_cost = HashCost{8 * 1024, 1, 2};
    options_.account_failures = 3;
    options_.address_failures = 5;
    auth_ = MakeAuth();
    accounts_ = std::make_shared<AccountService>(store_, blobs_, auth_);
    ASSERT_TRUE(accounts_->Bootstrap(std::string("admin-password")));
    ASSERT_TRUE(accounts_->AddUser(
        NewUser{"bob", "default", model::Role::kMember, "", 0, std::string("bob-password-1")}));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Result<Caller> Confirm(const Caller& caller) {
    auto txn = store_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    return ConfirmCaller(**txn, caller);
  }

  std::shared_ptr<AuthService> MakeAuth() {
    return std::make_shared<AuthService>(store_, options_, std::vector<std::uint8_t>(32, 7));
  }

  std::filesystem::path dir_;
  std::shared_ptr<storage::MetadataStore> store_;
  std::shared_ptr<storage::BlobStore> blobs_;
  AuthOptions options_;
  std::shared_ptr<AuthService> auth_;
  std::shared_ptr<AccountService> accounts_;
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
