// MetadataStore conformance, part 5: the scans and repairs behind `regie fsck`
// (storage/integrity.h). Instantiated over every backend in metadata_store_conformance_test.cc.
// Damage that the interface cannot produce (cycles, stray rows) is made with the backend's own
// tools in tests/unit/service/integrity_test.cc.
#include <map>

#include "metadata_store_conformance.h"

namespace regie::storage::testing {
namespace {

std::map<std::string, BlobRecord> BlobRecords(Txn& txn) {
  std::map<std::string, BlobRecord> out;
  MUST(txn.ScanBlobRecords([&](const BlobRecord& r) -> Result<void> {
    out.emplace(r.hash.Hex(), r);
    return Ok();
  }));
  return out;
}

TEST_P(MetadataStoreConformance, BlobRecordsCountTheItemsThatReferenceThem) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  Put(root, "a", "shared");
  Put(root, "b", "shared");
  Put(root, "c", "alone");
  Put(root, "d", "gone");
  Delete(root, "d");
  const auto records = BlobRecords(*Read());
  ASSERT_EQ(records.size(), 3u);
  const auto& shared = records.at(HashOf("shared").Hex());
  EXPECT_TRUE(shared.has_row);
  EXPECT_EQ(shared.org, alice.org);
  EXPECT_EQ(shared.refcount, 2u);
  EXPECT_EQ(shared.references, 2u);
  EXPECT_EQ(shared.size, 6u);
  EXPECT_FALSE(shared.inline_content.has_value());
  EXPECT_EQ(records.at(HashOf("alone").Hex()).references, 1u);
  const auto& gone = records.at(HashOf("gone").Hex());  // Awaiting the collector.
  EXPECT_EQ(gone.refcount, 0u);
  EXPECT_EQ(gone.references, 0u);
}

TEST_P(MetadataStoreConformance, ItemsWithABlobAreListedInTheirOrgOnly) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto mallory = AddUser(AddOrg("evil").id, "mallory");
  const auto root = AddRoot(alice);
  Put(root, "a", "shared");
  Put(root, "b", "shared");
  Put(root, "c", "other");
  Put(AddRoot(mallory), "m", "shared");
  auto txn = Read();
  const auto items = MUST(txn->ListItemsWithBlob(alice.org, HashOf("shared"), 10));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].name, "a");
  EXPECT_EQ(items[1].name, "b");
  EXPECT_EQ(MUST(txn->ListItemsWithBlob(alice.org, HashOf("shared"), 1)).size(), 1u);
  EXPECT_TRUE(MUST(txn->ListItemsWithBlob(alice.org, HashOf("none"), 10)).empty());
}

TEST_P(MetadataStoreConformance, InlineBlobRecordsCarryTheirBytes) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  auto txn = Write();
  MUST(txn->PutItem(ItemWrite{.org = root.org,
                              .collection = root.id,
                              .name = "small",
                              .blob = HashOf("tiny"),
                              .size = 4,
                              .inline_content = "tiny"}));
  MUST(txn->Commit());
  const auto records = BlobRecords(*Read());
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records.begin()->second.inline_content, std::optional<std::string>("tiny"));
}

TEST_P(MetadataStoreConformance, RepairedRefcountIsWhatTheScanSees) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  Put(root, "a", "content");
  auto txn = Write();
  MUST(txn->RepairBlobRefcount(alice.org, HashOf("content"), 7, 5));
  // A row for a blob that no item references yet (fsck makes rows that items lack).
  MUST(txn->RepairBlobRefcount(alice.org, HashOf("other"), 5, 0));
  MUST(txn->Commit());
  EXPECT_EQ(Refcount(alice.org, "content"), 5u);
  const auto records = BlobRecords(*Read());
  EXPECT_EQ(records.at(HashOf("content").Hex()).refcount, 5u);
  EXPECT_EQ(records.at(HashOf("content").Hex()).references, 1u);
  const auto& other = records.at(HashOf("other").Hex());
  EXPECT_TRUE(other.has_row);
  EXPECT_EQ(other.size, 5u);
  EXPECT_EQ(other.refcount, 0u);
  EXPECT_EQ(MUST(Read()->ListUnreferencedBlobs(10)).size(), 1u);
}

TEST_P(MetadataStoreConformance, ConsistentStoreHasNoClashesNorStrayItems) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  const auto docs = AddChild(root, "docs");
  Put(root, "a", "x");
  Put(docs, "a", "y");  // The same name in another collection is no clash.
  auto txn = Read();
  EXPECT_TRUE(MUST(txn->ListNameClashes(10)).empty());
  EXPECT_TRUE(MUST(txn->ListStrayItems(10)).empty());
  std::vector<CollectionRecord> collections;
  MUST(txn->ScanCollections([&](const CollectionRecord& r) -> Result<void> {
    collections.push_back(r);
    return Ok();
  }));
  ASSERT_EQ(collections.size(), 2u);
  EXPECT_EQ(collections[0].collection.id, root.id);
  EXPECT_EQ(collections[1].collection.parent, std::optional(root.id));
  EXPECT_EQ(collections[1].name_key, "docs");
}

TEST_P(MetadataStoreConformance, ChangeLogRecordsMatchTheRootSequence) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  Put(root, "a", "x");
  Put(root, "b", "y");
  std::vector<ChangeLogRecord> logs;
  MUST(Read()->ScanChangeLogs([&](const ChangeLogRecord& r) -> Result<void> {
    logs.push_back(r);
    return Ok();
  }));
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].sync_root, root.id);
  EXPECT_TRUE(logs[0].root_exists);
  EXPECT_TRUE(logs[0].is_sync_root);
  EXPECT_EQ(logs[0].changes, 2u);
  EXPECT_EQ(logs[0].max_seq, 2u);
  EXPECT_EQ(logs[0].root_seq, 2u);
  auto txn = Write();
  MUST(txn->RepairChangeSeq(root.id, 10));
  MUST(txn->RepairChangeSeq(root.id, 3));  // Never lowers.
  MUST(txn->Commit());
  EXPECT_EQ(MUST(Read()->CurrentSeq(root.id)), 10u);
  EXPECT_EQ(Put(root, "c", "z").seq, 11u);
}

TEST_P(MetadataStoreConformance, CommitSequenceCountsWritesAndNeverGoesBack) {
  const auto start = MUST(Read()->CommitSequence());
  const auto org = AddOrg("acme");
  const auto root = AddRoot(AddUser(org.id, "alice"));
  Put(root, "a", "content");
  const auto after_writes = MUST(Read()->CommitSequence());
  EXPECT_GE(after_writes, start + 4);  // Org, user, root and item: one transaction each at least.
  {
    auto txn = Write();
    MUST(txn->DeleteOrg(org.id));  // Takes every change log of the organisation with it.
    MUST(txn->Commit());
  }
  EXPECT_EQ(MUST(Read()->CommitSequence()), after_writes + 1);
  auto uncommitted = Write();  // Rolled back: not counted.
  uncommitted.reset();
  auto snapshot = Read();
  const auto seen = MUST(snapshot->CommitSequence());
  EXPECT_EQ(seen, after_writes + 1);
  {
    auto txn = Write();
    MUST(txn->Commit());
  }
  EXPECT_EQ(MUST(snapshot->CommitSequence()), seen);  // A snapshot keeps its own.
  EXPECT_EQ(MUST(Read()->CommitSequence()), seen + 1);
}

}  // namespace
}  // namespace regie::storage::testing
