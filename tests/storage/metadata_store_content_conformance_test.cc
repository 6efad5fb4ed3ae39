// MetadataStore conformance, part 2: collections, items, blob refcounts, usage, the change log,
// tenant isolation and deletion of principals and orgs. Instantiated over every backend in
// metadata_store_conformance_test.cc.
#include <algorithm>

#include "base/counters.h"

#include "metadata_store_conformance.h"

namespace regie::storage::testing {
namespace {

using model::ChangeOp;
using model::CollectionKind;

// --- Collections

TEST_P(MetadataStoreConformance, RootIsUniquePerOwnerAndKind) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto files = AddRoot(alice);
  EXPECT_FALSE(files.parent.has_value());
  EXPECT_EQ(files.sync_root, files.id);
  const auto calendars = AddRoot(alice, CollectionKind::kCalendar);
  EXPECT_NE(calendars.id, files.id);
  auto txn = Write();
  EXPECT_TRUE(FailsWith(txn->CreateCollection({.org = alice.org, .owner = alice.id}),
                        Errc::kAlreadyExists));
  EXPECT_EQ(MUST(txn->FindRoot(alice.org, alice.id, CollectionKind::kCalendar)).id, calendars.id);
  EXPECT_TRUE(
      FailsWith(txn->FindRoot(alice.org, alice.id, CollectionKind::kMailbox), Errc::kNotFound));
}

TEST_P(MetadataStoreConformance, SiblingNamesAreUniqueAndChildrenShareTheSyncRoot) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  const auto docs = AddChild(root, "docs");
  const auto deep = AddChild(docs, "deep");
  AddChild(docs, "other");
  AddChild(root, "deep");  // The same name under another parent is fine.
  EXPECT_EQ(docs.parent, root.id);
  EXPECT_EQ(docs.sync_root, root.id);
  EXPECT_EQ(deep.sync_root, root.id);
  auto txn = Write();
  EXPECT_TRUE(
      FailsWith(txn->CreateCollection(
                    {.org = root.org, .owner = alice.id, .parent = root.id, .name = "docs"}),
                Errc::kAlreadyExists));
  EXPECT_EQ(MUST(txn->FindChild(root.org, docs.id, "deep")).id, deep.id);
  EXPECT_TRUE(FailsWith(txn->FindChild(root.org, root.id, "missing"), Errc::kNotFound));
  const auto got = MUST(txn->GetCollection(root.org, deep.id));
  EXPECT_EQ(got.name, "deep");
  EXPECT_EQ(got.owner, alice.id);
  EXPECT_EQ(got.kind, CollectionKind::kFolder);
}

// --- Tenant isolation (DESIGN principle 5)

TEST_P(MetadataStoreConformance, IdsOfAnotherOrgAreNotFound) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto mallory = AddUser(AddOrg("evil").id, "mallory");
  const auto root = AddRoot(alice);
  const auto docs = AddChild(root, "docs");
  Put(root, "secret.txt", "secret");
  const model::OrgId evil = mallory.org;
  auto txn = Write();
  EXPECT_TRUE(FailsWith(txn->FindItem(evil, root.id, "secret.txt"), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->GetCollection(evil, root.id), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->FindRoot(evil, alice.id, CollectionKind::kFolder), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->FindChild(evil, root.id, "docs"), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->DeleteItem(evil, root.id, "secret.txt"), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->PutItem({.org = evil,
                                      .collection = docs.id,
                                      .name = "planted.txt",
                                      .blob = HashOf("x"),
                                      .size = 1}),
                        Errc::kNotFound));
  EXPECT_TRUE(FailsWith(
      txn->CreateCollection({.org = evil, .owner = mallory.id, .parent = root.id, .name = "x"}),
      Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->CreateCollection({.org = evil, .owner = alice.id}), Errc::kNotFound));
  EXPECT_EQ(MUST(txn->BlobRefcount(evil, HashOf("secret"))), 0u);
  EXPECT_EQ(MUST(txn->FindItem(root.org, root.id, "secret.txt")).size, 6u);
}

// --- Items and blob refcounts

TEST_P(MetadataStoreConformance, PutCreatesThenReplacesKeepingIdAndCreated) {
  const auto root = AddRoot(AddUser(AddOrg("acme").id, "alice"));
  const auto first = Put(root, "a.txt", "one");
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(first.released.has_value());
  EXPECT_TRUE(first.item.id.valid());
  EXPECT_EQ(first.item.etag, model::EtagFor(HashOf("one")));
  EXPECT_EQ(first.item.size, 3u);
  const auto second = Put(root, "a.txt", "second");
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.item.id, first.item.id);
  EXPECT_EQ(second.item.created, first.item.created);
  EXPECT_GE(second.item.modified, first.item.modified);
  const auto found = MUST(Read()->FindItem(root.org, root.id, "a.txt"));
  EXPECT_EQ(found.id, first.item.id);
  EXPECT_EQ(found.blob, HashOf("second"));
  EXPECT_EQ(found.size, 6u);
  EXPECT_EQ(found.etag, model::EtagFor(HashOf("second")));
  EXPECT_EQ(found.content_type, "text/plain");
  EXPECT_EQ(found.created, first.item.created);
}

TEST_P(MetadataStoreConformance, FindItemsReturnsTheNamedItemsInOrderWithInlineBytes) {
  const auto root = AddRoot(AddUser(AddOrg("acme").id, "alice"));
  std::vector<std::string> names;
  for (int i = 0; i < 150; ++i) {  // More than one chunk of names.
    const std::string name = "item-" + std::to_string(i);
    auto txn = Write();
    MUST(txn->PutItem({.org = root.org,
                       .collection = root.id,
                       .name = name,
                       .blob = HashOf("bytes " + name),
                       .size = ("bytes " + name).size(),
                       .content_type = "text/plain",
                       .inline_content = "bytes " + name}));
    MUST(txn->Commit());
    names.push_back(name);
  }
  Put(root, "in-blob-store", "file bytes");
  const auto other = AddRoot(AddUser(AddOrg("other").id, "eve"));
  Put(other, "item-3", "other org");

  std::vector<std::string> asked = {"item-149", "missing", "in-blob-store", "item-0"};
  asked.insert(asked.end(), names.begin() + 1, names.begin() + 100);
  const auto found = MUST(Read()->FindItems(root.org, root.id, asked));
  ASSERT_EQ(found.size(), asked.size() - 1);  // All but "missing", in the order asked.
  EXPECT_EQ(found[0].item.name, "item-149");
  EXPECT_EQ(found[0].inline_content, std::optional<std::string>("bytes item-149"));
  EXPECT_EQ(found[1].item.name, "in-blob-store");
  EXPECT_FALSE(found[1].inline_content.has_value());
  EXPECT_EQ(found[2].item.name, "item-0");
  EXPECT_EQ(found.back().item.name, "item-99");
  EXPECT_EQ(found.back().inline_content, std::optional<std::string>("bytes item-99"));
  // Another organisation's ids find nothing.
  EXPECT_TRUE(MUST(Read()->FindItems(other.org, root.id, asked)).empty());
  EXPECT_TRUE(MUST(Read()->FindItems(root.org, root.id, {})).empty());
}

TEST_P(MetadataStoreConformance, RefcountsFollowPutReplaceAndDelete) {
  const auto root = AddRoot(AddUser(AddOrg("acme").id, "alice"));
  const auto org = root.org;
  Put(root, "a", "shared");
  Put(root, "b", "shared");
  EXPECT_EQ(Refcount(org, "shared"), 2u);
  auto replaced = Put(root, "a", "fresh");
  EXPECT_FALSE(replaced.released.has_value());  // "b" still references it.
  EXPECT_EQ(Refcount(org, "shared"), 1u);
  EXPECT_EQ(Refcount(org, "fresh"), 1u);
  replaced = Put(root, "b", "fresh");
  EXPECT_EQ(replaced.released, HashOf("shared"));
  EXPECT_EQ(Refcount(org, "shared"), 0u);
  EXPECT_EQ(Refcount(org, "fresh"), 2u);
  auto deleted = Delete(root, "a");
  EXPECT_EQ(deleted.item.name, "a");
  EXPECT_FALSE(deleted.released.has_value());
  deleted = Delete(root, "b");
  EXPECT_EQ(deleted.released, HashOf("fresh"));
  EXPECT_EQ(Refcount(org, "fresh"), 0u);
  EXPECT_TRUE(FailsWith(Write()->DeleteItem(org, root.id, "b"), Errc::kNotFound));
}

TEST_P(MetadataStoreConformance, WritesAreCountedForMetrics) {
  const auto root = AddRoot(AddUser(AddOrg("acme").id, "alice"));
  const auto before = GlobalStoreCounters().rows_written.load();
  Put(root, "a", "content");
  // At least the item, the blob row and the change; backends may count more (usage, seq).
  EXPECT_GE(GlobalStoreCounters().rows_written.load(), before + 3);
  const auto after_put = GlobalStoreCounters().rows_written.load();
  (void)MUST(Read()->FindItem(root.org, root.id, "a"));             // Only the count matters here.
  EXPECT_EQ(GlobalStoreCounters().rows_written.load(), after_put);  // Reads write nothing.
}

TEST_P(MetadataStoreConformance, ReplacingWithTheSameBlobKeepsItsRefcount) {
  const auto root = AddRoot(AddUser(AddOrg("acme").id, "alice"));
  Put(root, "a", "same");
  const auto again = Put(root, "a", "same");
  EXPECT_FALSE(again.created);
  EXPECT_FALSE(again.released.has_value());
  EXPECT_EQ(Refcount(root.org, "same"), 1u);
}

TEST_P(MetadataStoreConformance, UnreferencedBlobsAreListedAndForgotten) {
  const auto root = AddRoot(AddUser(AddOrg("acme").id, "alice"));
  Put(root, "a", "gone");
  Put(root, "b", "kept");
  Delete(root, "a");
  auto txn = Write();
  const auto unreferenced = MUST(txn->ListUnreferencedBlobs(10));
  ASSERT_EQ(unreferenced.size(), 1u);
  EXPECT_EQ(unreferenced[0].org, root.org);
  EXPECT_EQ(unreferenced[0].hash, HashOf("gone"));
  EXPECT_EQ(unreferenced[0].size, 4u);
  EXPECT_FALSE(MUST(txn->ForgetBlob(root.org, HashOf("kept"))));
  EXPECT_TRUE(MUST(txn->ForgetBlob(root.org, HashOf("gone"))));
  EXPECT_FALSE(MUST(txn->ForgetBlob(root.org, HashOf("gone"))));
  EXPECT_TRUE(MUST(txn->ListUnreferencedBlobs(10)).empty());
  MUST(txn->Commit());
  EXPECT_EQ(Refcount(root.org, "kept"), 1u);
  // A forgotten blob written again starts over at refcount 1.
  Put(root, "c", "gone");
  EXPECT_EQ(Refcount(root.org, "gone"), 1u);
}

TEST_P(MetadataStoreConformance, BlobsAreCountedPerOrg) {
  const auto a = AddRoot(AddUser(AddOrg("acme").id, "alice"));
  const auto b = AddRoot(AddUser(AddOrg("other").id, "bob"));
  Put(a, "x", "same bytes");
  Put(b, "x", "same bytes");
  EXPECT_EQ(Refcount(a.org, "same bytes"), 1u);
  EXPECT_EQ(Refcount(b.org, "same bytes"), 1u);
  EXPECT_EQ(Delete(a, "x").released, HashOf("same bytes"));
  EXPECT_EQ(Refcount(b.org, "same bytes"), 1u);
}

// --- Usage

TEST_P(MetadataStoreConformance, UsageFollowsPutsReplacesAndDeletes) {
  const auto org = AddOrg("acme");
  const auto alice = AddUser(org.id, "alice");
  const auto bob = AddUser(org.id, "bob");
  const auto a_root = AddRoot(alice);
  const auto a_docs = AddChild(a_root, "docs");
  const auto b_root = AddRoot(bob);
  Put(a_root, "1", std::string(100, 'a'));
  Put(a_docs, "2", std::string(50, 'b'));
  Put(b_root, "3", std::string(30, 'c'));
  const auto other = AddRoot(AddUser(AddOrg("other").id, "carol"));
  Put(other, "4", std::string(7, 'd'));
  auto usage = [&](auto id) {
    auto txn = Read();
    if constexpr (std::is_same_v<decltype(id), model::OrgId>) {
      return MUST(txn->OrgUsage(id));
    } else {
      return MUST(txn->PrincipalUsage(id));
    }
  };
  EXPECT_EQ(usage(alice.id), 150u);
  EXPECT_EQ(usage(bob.id), 30u);
  EXPECT_EQ(usage(org.id), 180u);
  EXPECT_EQ(usage(other.org), 7u);
  Put(a_root, "1", std::string(10, 'e'));
  EXPECT_EQ(usage(alice.id), 60u);
  EXPECT_EQ(usage(org.id), 90u);
  Delete(a_docs, "2");
  EXPECT_EQ(usage(alice.id), 10u);
  EXPECT_EQ(usage(org.id), 40u);
  EXPECT_TRUE(FailsWith(Read()->PrincipalUsage(model::PrincipalId{999}), Errc::kNotFound));
}

// --- Change log (DESIGN principle 3)

TEST_P(MetadataStoreConformance, ChangeLogNumbersWritesPerSyncRoot) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  const auto calendar = AddRoot(alice, CollectionKind::kCalendar);
  EXPECT_EQ(MUST(Read()->CurrentSeq(root.id)), 0u);
  const auto docs = AddChild(root, "docs");  // A new member collection is a change too.
  EXPECT_EQ(MUST(Read()->CurrentSeq(root.id)), 1u);
  EXPECT_EQ(Put(root, "x", "1").seq, 2u);
  EXPECT_EQ(Put(docs, "y", "2").seq, 3u);
  EXPECT_EQ(Put(calendar, "e.ics", "3").seq, 1u);  // Each root counts on its own.
  EXPECT_EQ(Put(root, "x", "4").seq, 4u);
  EXPECT_EQ(Delete(docs, "y").seq, 5u);

  auto txn = Read();
  EXPECT_EQ(MUST(txn->CurrentSeq(root.id)), 5u);
  EXPECT_EQ(MUST(txn->CurrentSeq(calendar.id)), 1u);
  const auto all = MUST(txn->ChangesSince(root.id, 0, 100));
  ASSERT_EQ(all.size(), 5u);
  const std::vector<std::tuple<std::uint64_t, model::CollectionId, std::string, ChangeOp>> want = {
      {1, root.id, "docs", ChangeOp::kCreated}, {2, root.id, "x", ChangeOp::kCreated},
      {3, docs.id, "y", ChangeOp::kCreated},    {4, root.id, "x", ChangeOp::kModified},
      {5, docs.id, "y", ChangeOp::kDeleted},
  };
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(all[i].sync_root, root.id);
    EXPECT_EQ(std::tuple(all[i].seq, all[i].collection, all[i].name, all[i].op), want[i]) << i;
  }
  const auto tail = MUST(txn->ChangesSince(root.id, 2, 100));
  ASSERT_EQ(tail.size(), 3u);
  EXPECT_EQ(tail[0].seq, 3u);
  const auto first = MUST(txn->ChangesSince(root.id, 0, 1));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].seq, 1u);
  EXPECT_TRUE(MUST(txn->ChangesSince(root.id, 5, 100)).empty());
  EXPECT_TRUE(FailsWith(txn->ChangesSince(model::CollectionId{999}, 0, 10), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->CurrentSeq(docs.id), Errc::kNotFound));  // Not a sync root.
}

TEST_P(MetadataStoreConformance, RolledBackWriteLeavesNoChange) {
  const auto root = AddRoot(AddUser(AddOrg("acme").id, "alice"));
  {
    auto txn = Write();
    MUST(txn->PutItem({.org = root.org, .collection = root.id, .name = "x", .blob = HashOf("x")}));
  }
  auto txn = Read();
  EXPECT_EQ(MUST(txn->CurrentSeq(root.id)), 0u);
  EXPECT_EQ(MUST(txn->BlobRefcount(root.org, HashOf("x"))), 0u);
  EXPECT_TRUE(FailsWith(txn->FindItem(root.org, root.id, "x"), Errc::kNotFound));
}

// --- Deleting principals and orgs

TEST_P(MetadataStoreConformance, DeletePrincipalReleasesItsBlobsAndUsage) {
  const auto org = AddOrg("acme");
  const auto alice = AddUser(org.id, "alice");
  const auto bob = AddUser(org.id, "bob");
  const auto a_root = AddRoot(alice);
  const auto a_docs = AddChild(a_root, "docs");
  Put(a_root, "1", "shared");
  Put(a_docs, "2", "alice only");
  Put(AddRoot(bob), "3", "shared");
  {
    auto txn = Write();
    MUST(txn->AddAppPassword(alice.id, "phone", {1}));
    MUST(txn->DeletePrincipal(alice.id));
    EXPECT_TRUE(FailsWith(txn->DeletePrincipal(alice.id), Errc::kNotFound));
    MUST(txn->Commit());
  }
  auto txn = Write();
  EXPECT_TRUE(FailsWith(txn->FindPrincipal("alice"), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->GetCollection(org.id, a_docs.id), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->FindRoot(org.id, alice.id, CollectionKind::kFolder), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->CurrentSeq(a_root.id), Errc::kNotFound));
  EXPECT_TRUE(MUST(txn->ListAppPasswords(alice.id)).empty());
  EXPECT_EQ(MUST(txn->BlobRefcount(org.id, HashOf("shared"))), 1u);
  EXPECT_EQ(MUST(txn->BlobRefcount(org.id, HashOf("alice only"))), 0u);
  EXPECT_EQ(MUST(txn->OrgUsage(org.id)), 6u);
  EXPECT_EQ(MUST(txn->CountPrincipals()), 1u);
  // The login is free again, and its new owner starts from nothing.
  const auto again = MUST(txn->CreatePrincipal({.org = org.id, .login = "alice"}));
  EXPECT_NE(again.id, alice.id);
  EXPECT_EQ(MUST(txn->PrincipalUsage(again.id)), 0u);
}

TEST_P(MetadataStoreConformance, DeleteOrgReleasesItsBlobsOnly) {
  const auto acme = AddOrg("acme", {"acme.example"});
  const auto alice = AddUser(acme.id, "alice");
  const auto a_root = AddRoot(alice);
  Put(a_root, "1", "shared");
  Put(AddChild(a_root, "docs"), "2", "shared");
  Put(AddRoot(AddUser(acme.id, "bob")), "3", "bob's");
  const auto other = AddRoot(AddUser(AddOrg("other").id, "carol"));
  Put(other, "1", "shared");
  {
    auto txn = Write();
    MUST(txn->DeleteOrg(acme.id));
    EXPECT_TRUE(FailsWith(txn->DeleteOrg(acme.id), Errc::kNotFound));
    MUST(txn->Commit());
  }
  auto txn = Write();
  EXPECT_TRUE(FailsWith(txn->GetOrg(acme.id), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->FindPrincipal("alice"), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->FindPrincipal("bob"), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->FindItem(acme.id, a_root.id, "1"), Errc::kNotFound));
  EXPECT_EQ(MUST(txn->BlobRefcount(acme.id, HashOf("shared"))), 0u);
  EXPECT_EQ(MUST(txn->BlobRefcount(other.org, HashOf("shared"))), 1u);
  auto unreferenced = MUST(txn->ListUnreferencedBlobs(10));
  EXPECT_EQ(unreferenced.size(), 2u);
  EXPECT_TRUE(std::all_of(unreferenced.begin(), unreferenced.end(),
                          [&](const BlobRef& ref) { return ref.org == acme.id; }));
  // The org's name and domains are free again; the new org gets a new id.
  const auto reborn = MUST(txn->CreateOrg({.name = "acme", .domains = {"acme.example"}}));
  EXPECT_NE(reborn.id, acme.id);
  EXPECT_EQ(MUST(txn->OrgUsage(reborn.id)), 0u);
}

}  // namespace
}  // namespace regie::storage::testing
