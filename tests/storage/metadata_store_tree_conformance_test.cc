// MetadataStore conformance, part 3: trees of collections (listing in pages, recursive delete,
// move, copy), name keys and dead properties. Instantiated over every backend in
// metadata_store_conformance_test.cc.
#include "metadata_store_conformance.h"

namespace regie::storage::testing {
namespace {

std::vector<std::string> Names(const std::vector<Member>& members) {
  std::vector<std::string> names;
  for (const auto& m : members) {
    names.push_back(std::visit([](const auto& x) { return x.name; }, m));
  }
  return names;
}

TEST_P(MetadataStoreConformance, MembersAreListedInNameOrderAcrossPages) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  AddChild(root, "b-folder");
  Put(root, "a.txt", "a");
  Put(root, "c.txt", "c");
  AddChild(root, "d-folder");
  auto txn = Read();
  EXPECT_EQ(Names(MUST(txn->ListMembers(root.org, root.id, "", 10))),
            (std::vector<std::string>{"a.txt", "b-folder", "c.txt", "d-folder"}));
  EXPECT_EQ(Names(MUST(txn->ListMembers(root.org, root.id, "", 2))),
            (std::vector<std::string>{"a.txt", "b-folder"}));
  EXPECT_EQ(Names(MUST(txn->ListMembers(root.org, root.id, "b-folder", 2))),
            (std::vector<std::string>{"c.txt", "d-folder"}));
  EXPECT_TRUE(MUST(txn->ListMembers(root.org, root.id, "d-folder", 2)).empty());
}

TEST_P(MetadataStoreConformance, EquivalentNameKeysConflictAcrossItemsAndCollections) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  auto txn = Write();
  MUST(txn->CreateCollection({.org = root.org,
                              .owner = alice.id,
                              .parent = root.id,
                              .name = "cafe\xcc\x81",
                              .name_key = "caf\xc3\xa9"}));
  EXPECT_TRUE(FailsWith(txn->PutItem({.org = root.org,
                                      .collection = root.id,
                                      .name = "caf\xc3\xa9",
                                      .blob = HashOf("x"),
                                      .size = 1,
                                      .name_key = "caf\xc3\xa9"}),
                        Errc::kAlreadyExists));
  EXPECT_TRUE(FailsWith(txn->CreateCollection({.org = root.org,
                                               .owner = alice.id,
                                               .parent = root.id,
                                               .name = "caf\xc3\xa9",
                                               .name_key = "caf\xc3\xa9"}),
                        Errc::kAlreadyExists));
}

TEST_P(MetadataStoreConformance, DeletingACollectionReleasesEverythingBelowIt) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  const auto docs = AddChild(root, "docs");
  const auto deep = AddChild(docs, "deep");
  Put(docs, "one.txt", "shared");
  Put(deep, "two.txt", "shared");
  Put(deep, "three.txt", "only-here");
  Put(root, "kept.txt", "shared");
  const auto seq_before = MUST(Read()->CurrentSeq(root.id));
  auto txn = Write();
  auto out = MUST(txn->DeleteCollection(root.org, docs.id));
  MUST(txn->Commit());
  EXPECT_EQ(out.items, 3u);
  EXPECT_EQ(out.bytes, 6u + 6u + 9u);
  ASSERT_EQ(out.released.size(), 1u);  // "shared" is still referenced by kept.txt.
  EXPECT_EQ(out.released[0], HashOf("only-here"));
  EXPECT_EQ(Refcount(root.org, "shared"), 1u);
  EXPECT_EQ(MUST(Read()->PrincipalUsage(alice.id)), 6u);
  EXPECT_TRUE(FailsWith(Read()->GetCollection(root.org, deep.id), Errc::kNotFound));
  // One change for the deleted collection: clients infer its members.
  const auto changes = MUST(Read()->ChangesSince(root.id, seq_before, 10));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].name, "docs");
  EXPECT_EQ(changes[0].op, model::ChangeOp::kDeleted);
  EXPECT_TRUE(FailsWith(Write()->DeleteCollection(root.org, root.id), Errc::kForbidden));
}

TEST_P(MetadataStoreConformance, MovingACollectionKeepsItsTreeAndLogsTwoChanges) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  const auto a = AddChild(root, "a");
  const auto b = AddChild(root, "b");
  const auto inner = AddChild(a, "inner");
  Put(inner, "file.txt", "x");
  const auto seq_before = MUST(Read()->CurrentSeq(root.id));
  auto txn = Write();
  const auto moved = MUST(txn->MoveCollection(root.org, a.id, {.parent = b.id, .name = "renamed"}));
  MUST(txn->Commit());
  EXPECT_EQ(moved.parent, b.id);
  EXPECT_EQ(MUST(Read()->FindChild(root.org, b.id, "renamed")).id, a.id);
  EXPECT_EQ(MUST(Read()->FindItem(root.org, inner.id, "file.txt")).size, 1u);
  EXPECT_EQ(MUST(Read()->ChangesSince(root.id, seq_before, 10)).size(), 2u);
  // Into itself or below itself: refused.
  EXPECT_TRUE(FailsWith(Write()->MoveCollection(root.org, b.id, {.parent = inner.id, .name = "x"}),
                        Errc::kForbidden));
  // Onto a taken name: refused.
  AddChild(root, "taken");
  EXPECT_TRUE(
      FailsWith(Write()->MoveCollection(root.org, b.id, {.parent = root.id, .name = "taken"}),
                Errc::kAlreadyExists));
}

TEST_P(MetadataStoreConformance, CopyingATreeSharesBlobsAndCopiesProperties) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  const auto src = AddChild(root, "src");
  const auto sub = AddChild(src, "sub");
  const auto item = Put(sub, "f.txt", "content").item;
  {
    auto txn = Write();
    MUST(txn->SetProperty(root.org, model::ResourceId{item.id},
                          {.name = {"urn:x", "color"}, .value = "<x:color xmlns:x=\"urn:x\"/>"}));
    MUST(txn->SetProperty(root.org, model::ResourceId{sub.id},
                          {.name = {"urn:x", "tag"}, .value = "<x:tag xmlns:x=\"urn:x\"/>"}));
    MUST(txn->Commit());
  }
  auto txn = Write();
  const auto copy = MUST(
      txn->CopyCollection(root.org, src.id, {.parent = root.id, .name = "dst"}, CopyDepth::kTree));
  MUST(txn->Commit());
  const auto copied_sub = MUST(Read()->FindChild(root.org, copy.id, "sub"));
  const auto copied = MUST(Read()->FindItem(root.org, copied_sub.id, "f.txt"));
  EXPECT_NE(copied.id, item.id);
  EXPECT_EQ(copied.blob, item.blob);
  EXPECT_EQ(Refcount(root.org, "content"), 2u);
  EXPECT_EQ(MUST(Read()->PrincipalUsage(alice.id)), 14u);
  EXPECT_EQ(MUST(Read()->ListProperties(root.org, model::ResourceId{copied.id})).size(), 1u);
  EXPECT_EQ(MUST(Read()->ListProperties(root.org, model::ResourceId{copied_sub.id})).size(), 1u);
  // Depth 0 copies the collection alone.
  auto shallow = Write();
  const auto empty = MUST(shallow->CopyCollection(
      root.org, src.id, {.parent = root.id, .name = "d0"}, CopyDepth::kCollectionOnly));
  MUST(shallow->Commit());
  EXPECT_TRUE(MUST(Read()->ListMembers(root.org, empty.id, "", 10)).empty());
}

TEST_P(MetadataStoreConformance, ItemsMoveAndCopyWithTheirProperties) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(alice);
  const auto dir = AddChild(root, "dir");
  const auto item = Put(root, "a.txt", "abc").item;
  {
    auto txn = Write();
    MUST(txn->SetProperty(root.org, model::ResourceId{item.id},
                          {.name = {"urn:x", "p"}, .value = "<x:p xmlns:x=\"urn:x\">1</x:p>"}));
    MUST(txn->Commit());
  }
  auto txn = Write();
  const auto moved = MUST(txn->MoveItem(root.org, item.id, {.parent = dir.id, .name = "b.txt"}));
  const auto copy = MUST(txn->CopyItem(root.org, item.id, {.parent = root.id, .name = "c.txt"}));
  MUST(txn->Commit());
  EXPECT_EQ(moved.id, item.id);
  EXPECT_EQ(MUST(Read()->FindItem(root.org, dir.id, "b.txt")).etag, item.etag);
  EXPECT_TRUE(FailsWith(Read()->FindItem(root.org, root.id, "a.txt"), Errc::kNotFound));
  const auto props = MUST(Read()->ListProperties(root.org, model::ResourceId{copy.id}));
  ASSERT_EQ(props.size(), 1u);
  EXPECT_EQ(props[0].value, "<x:p xmlns:x=\"urn:x\">1</x:p>");
  EXPECT_EQ(Refcount(root.org, "abc"), 2u);
  auto remove = Write();
  MUST(remove->RemoveProperty(root.org, model::ResourceId{copy.id}, {"urn:x", "p"}));
  MUST(remove->RemoveProperty(root.org, model::ResourceId{copy.id}, {"urn:x", "never-set"}));
  MUST(remove->Commit());
  EXPECT_TRUE(MUST(Read()->ListProperties(root.org, model::ResourceId{copy.id})).empty());
}

TEST_P(MetadataStoreConformance, PropertiesOfAnotherOrgAreNotFound) {
  const auto alice = AddUser(AddOrg("acme").id, "alice");
  const auto mallory = AddUser(AddOrg("evil").id, "mallory");
  const auto root = AddRoot(alice);
  const auto item = Put(root, "a.txt", "abc").item;
  auto txn = Write();
  EXPECT_TRUE(
      FailsWith(txn->ListProperties(mallory.org, model::ResourceId{item.id}), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->SetProperty(mallory.org, model::ResourceId{root.id},
                                         {.name = {"urn:x", "p"}, .value = "<p/>"}),
                        Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->ListMembers(mallory.org, root.id, "", 10), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->DeleteCollection(mallory.org, root.id), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->MoveItem(mallory.org, item.id, {.parent = root.id, .name = "x"}),
                        Errc::kNotFound));
}

}  // namespace
}  // namespace regie::storage::testing
