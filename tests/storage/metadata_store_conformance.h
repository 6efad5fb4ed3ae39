// The MetadataStore conformance fixture: every test runs against every backend in
// MetadataBackends() (metadata_store_conformance_test.cc), each on fresh, empty data.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "storage/metadata_store.h"
#include "storage_test_util.h"

namespace regie::storage::testing {

struct MetadataBackend {
  std::string name;
  // Opens the backend's store for `scratch`. The same scratch directory gives the same data, so
  // a second call opens a second store (as a second process would) on one database. Returns
  // nullptr when the backend is not configured on this machine.
  std::function<std::unique_ptr<MetadataStore>(const std::filesystem::path& scratch)> open;
};

// Test names and failure messages show the backend's name, not its bytes.
inline void PrintTo(const MetadataBackend& backend, std::ostream* os) { *os << backend.name; }

std::vector<MetadataBackend> MetadataBackends();

class MetadataStoreConformance : public ::testing::TestWithParam<MetadataBackend> {
 protected:
  void SetUp() override {
    store_ = Reopen();
    if (!store_ && !SkippingAllowed()) FAIL() << GetParam().name << " is not configured under CI";
    if (!store_) GTEST_SKIP() << GetParam().name << " is not configured on this machine";
  }

  std::unique_ptr<MetadataStore> Reopen() { return GetParam().open(scratch_.path()); }

  std::unique_ptr<Txn> Write() { return MUST(store_->Begin(TxnMode::kWrite)); }
  std::unique_ptr<Txn> Read() { return MUST(store_->Begin(TxnMode::kRead)); }

  // Each helper commits its own transaction.
  model::Org AddOrg(const std::string& name, std::vector<std::string> domains = {}) {
    auto txn = Write();
    auto org = MUST(txn->CreateOrg({.name = name, .domains = std::move(domains), .quota = 0}));
    MUST(txn->Commit());
    return org;
  }

  model::Principal AddUser(model::OrgId org, const std::string& login,
                           model::PrincipalKind kind = model::PrincipalKind::kUser) {
    auto txn = Write();
    auto user = MUST(
        txn->CreatePrincipal({.org = org, .kind = kind, .login = login, .display_name = login}));
    MUST(txn->Commit());
    return user;
  }

  model::Collection AddRoot(const model::Principal& owner,
                            model::CollectionKind kind = model::CollectionKind::kFolder) {
    auto txn = Write();
    auto root = MUST(txn->CreateCollection({.org = owner.org, .owner = owner.id, .kind = kind}));
    MUST(txn->Commit());
    return root;
  }

  model::Collection AddChild(const model::Collection& parent, const std::string& name) {
    auto txn = Write();
    auto child = MUST(txn->CreateCollection({.org = parent.org,
                                             .owner = parent.owner,
                                             .parent = parent.id,
                                             .kind = parent.kind,
                                             .name = name}));
    MUST(txn->Commit());
    return child;
  }

  // Puts an item whose content is `content` (its blob hash and size follow from it).
  PutItemOutcome Put(const model::Collection& collection, const std::string& name,
                     const std::string& content) {
    auto txn = Write();
    auto out = MUST(txn->PutItem(ItemWrite{.org = collection.org,
                                           .collection = collection.id,
                                           .name = name,
                                           .blob = HashOf(content),
                                           .size = content.size(),
                                           .content_type = "text/plain"}));
    MUST(txn->Commit());
    return out;
  }

  DeleteItemOutcome Delete(const model::Collection& collection, const std::string& name) {
    auto txn = Write();
    auto out = MUST(txn->DeleteItem(collection.org, collection.id, name));
    MUST(txn->Commit());
    return out;
  }

  std::uint64_t Refcount(model::OrgId org, const std::string& content) {
    return MUST(Read()->BlobRefcount(org, HashOf(content)));
  }

  ScratchDir scratch_;
  std::unique_ptr<MetadataStore> store_;
};

}  // namespace regie::storage::testing
