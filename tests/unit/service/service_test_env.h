// A real embedded store (SQLite + local blobs) in a fresh temporary directory, with the services
// wired as `regie serve` wires them, a cheap password hash cost, the bootstrap accounts (admin)
// and a member "bob". Base fixture of the service tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "service/account_service.h"
#include "service/auth_service.h"
#include "service/file_service.h"
#include "storage/localfs/localfs_blob_store.h"
#include "storage/sqlite/sqlite_metadata_store.h"

namespace regie::service {

class ServiceTestEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("regie-service-test-" + std::to_string(::getpid()) + "-" +
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
    // Every file a blob file, so that tests can count them; InlineBlobs tests the other way.
    keeper_ = std::make_shared<BlobKeeper>(store_, blobs_);
    files_ =
        std::make_shared<FileService>(store_, keeper_, auth_, FileLimits{.inline_blob_bytes = 0});
    ASSERT_TRUE(accounts_->Bootstrap(std::string("admin-password")));
    ASSERT_TRUE(accounts_->AddUser(
        NewUser{"bob", "default", model::Role::kMember, "", 0, std::string("bob-password-1")}));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Another AuthService over the same data, as another process (the CLI) would have.
  std::shared_ptr<AuthService> MakeAuth() {
    return std::make_shared<AuthService>(store_, options_, std::vector<std::uint8_t>(32, 7));
  }

  std::filesystem::path dir_;
  std::shared_ptr<storage::MetadataStore> store_;
  std::shared_ptr<storage::BlobStore> blobs_;
  AuthOptions options_;
  std::shared_ptr<AuthService> auth_;
  std::shared_ptr<AccountService> accounts_;
  std::shared_ptr<BlobKeeper> keeper_;
  std::shared_ptr<FileService> files_;
};

}  // namespace regie::service
