#include "service/file_service.h"

#include <gtest/gtest.h>

#include "base/crypto.h"
#include "service_test_env.h"

namespace regie::service {
namespace {

class FileServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    alice_ = Login("admin", "admin-password");
    bob_ = Login("bob", "bob-password-1");
  }

  Caller Login(const char* login, const char* password) {
    return *auth_->Verify(login, password, "127.0.0.1");
  }

  Result<WriteOutcome> Put(const Caller& caller, const std::string& name, std::string_view body,
                           model::Preconditions conditions = {}) {
    auto target = files_->Resolve(caller, caller.principal.login, {name});
    if (!target) return Fail(target.error());
    auto upload = files_->BeginUpload(*target, conditions, body.size(), "text/plain");
    if (!upload) return Fail(upload.error());
    if (auto w = (*upload)->Write(body); !w) return Fail(w.error());
    return (*upload)->Commit();
  }

  std::string Read(const Caller& caller, const std::string& name) {
    auto target = files_->Resolve(caller, caller.principal.login, {name});
    auto opened = files_->Open(*target);
    if (!opened) return "<" + std::string(ErrcName(opened.error().code)) + ">";
    std::string out(opened->item.size, '\0');
    std::size_t got = 0;
    while (got < out.size()) got += *opened->reader->Read({out.data() + got, out.size() - got});
    return out;
  }

  FileTarget At(const Caller& caller, std::vector<std::string> path) {
    auto target = files_->Resolve(caller, caller.principal.login, path);
    EXPECT_TRUE(target) << (target ? "" : target.error().message);
    return target ? *target : FileTarget{};
  }

  Result<model::Collection> Mkdir(const Caller& caller, std::vector<std::string> path) {
    return files_->MakeFolder(At(caller, std::move(path)));
  }

  std::size_t BlobFiles() {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_ / "blobs")) {
      if (e.is_regular_file()) ++n;
    }
    return n;
  }

  Caller alice_, bob_;
};

TEST_F(FileServiceTest, PutThenReplaceKeepsOneBlobPerContent) {
  auto first = Put(bob_, "a.txt", "one");
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->created);
  auto second = Put(bob_, "a.txt", "two");
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->created);
  EXPECT_NE(first->item.etag, second->item.etag);
  EXPECT_EQ(Read(bob_, "a.txt"), "two");
  EXPECT_EQ(BlobFiles(), 1U);  // "one" was released and removed.
  ASSERT_TRUE(Put(bob_, "b.txt", "two"));
  EXPECT_EQ(BlobFiles(), 1U);  // Same content, stored once.
}

TEST_F(FileServiceTest, OtherUsersTreesAreNotFound) {
  ASSERT_TRUE(Put(alice_, "secret.txt", "x"));
  auto peek = files_->Resolve(bob_, "admin", {"secret.txt"});
  ASSERT_FALSE(peek);
  EXPECT_EQ(peek.error().code, Errc::kNotFound);
}

TEST_F(FileServiceTest, MissingParentIsAConflict) {
  auto target = files_->Resolve(bob_, "bob", {"no-such-folder", "x.txt"});
  ASSERT_TRUE(target);
  auto upload = files_->BeginUpload(*target, {}, 1, "");
  ASSERT_FALSE(upload);
  EXPECT_EQ(upload.error().code, Errc::kConflict);
}

TEST_F(FileServiceTest, PreconditionsAreCheckedBeforeAndAtCommit) {
  auto first = Put(bob_, "p.txt", "v1");
  ASSERT_TRUE(first);
  model::Preconditions create_only;
  create_only.if_none_match_any = true;
  EXPECT_EQ(Put(bob_, "p.txt", "v2", create_only).error().code, Errc::kPreconditionFailed);
  // A writer that started from v1 loses against one that committed in between.
  model::Preconditions from_v1;
  from_v1.if_match = {first->item.etag};
  auto target = files_->Resolve(bob_, "bob", {"p.txt"});
  auto slow = files_->BeginUpload(*target, from_v1, 2, "");
  ASSERT_TRUE(slow);
  ASSERT_TRUE(Put(bob_, "p.txt", "v3"));
  ASSERT_TRUE((*slow)->Write(std::string_view("v4")));
  EXPECT_EQ((*slow)->Commit().error().code, Errc::kPreconditionFailed);
  EXPECT_EQ(Read(bob_, "p.txt"), "v3");
}

TEST_F(FileServiceTest, QuotaRefusesDeclaredAndStreamedOverruns) {
  ASSERT_TRUE(accounts_->SetUserQuota("bob", 10));
  bob_ = Login("bob", "bob-password-1");
  ASSERT_TRUE(Put(bob_, "q.txt", "12345678"));
  EXPECT_EQ(Put(bob_, "r.txt", "123").error().code, Errc::kQuotaExceeded);
  ASSERT_TRUE(Put(bob_, "q.txt", "1234567890"));  // Replacing frees the old size first.
  auto target = files_->Resolve(bob_, "bob", {"s.txt"});
  auto chunked = files_->BeginUpload(*target, {}, std::nullopt, "");
  ASSERT_TRUE(chunked);
  EXPECT_EQ((*chunked)->Write(std::string_view("x")).error().code, Errc::kQuotaExceeded);
}

TEST_F(FileServiceTest, AbandonedUploadLeavesNothing) {
  auto target = files_->Resolve(bob_, "bob", {"gone.txt"});
  {
    auto upload = files_->BeginUpload(*target, {}, std::nullopt, "");
    ASSERT_TRUE(upload);
    ASSERT_TRUE((*upload)->Write(std::string_view("partial")));
  }
  EXPECT_EQ(Read(bob_, "gone.txt"), "<not found>");
  EXPECT_EQ(BlobFiles(), 0U);
}

TEST_F(FileServiceTest, DeleteRemovesTheUnreferencedBlob) {
  ASSERT_TRUE(Put(bob_, "d.txt", "bye"));
  auto target = files_->Resolve(bob_, "bob", {"d.txt"});
  ASSERT_TRUE(files_->Delete(*target, {}));
  EXPECT_EQ(Read(bob_, "d.txt"), "<not found>");
  EXPECT_EQ(BlobFiles(), 0U);
}

TEST_F(FileServiceTest, GarbageCollectionRemovesBlobsOfDeletedUsers) {
  ASSERT_TRUE(Put(bob_, "e.txt", "orphan-to-be"));
  ASSERT_TRUE(accounts_->DeleteUser("bob"));
  EXPECT_EQ(BlobFiles(), 1U);
  auto removed = keeper_->CollectGarbage();
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 1U);
  EXPECT_EQ(BlobFiles(), 0U);
}

TEST_F(FileServiceTest, SmallFilesAreInlineAndLargeOnesSpillToBlobFiles) {
  files_ =
      std::make_shared<FileService>(store_, keeper_, auth_, FileLimits{.inline_blob_bytes = 16});
  ASSERT_TRUE(Put(bob_, "small.txt", "sixteen bytes!!!"));
  EXPECT_EQ(BlobFiles(), 0U);
  EXPECT_EQ(Read(bob_, "small.txt"), "sixteen bytes!!!");
  // Declared small, then longer than declared: the buffered bytes move into a blob file.
  auto upload = files_->BeginUpload(At(bob_, {"grown.txt"}), {}, 4, "");
  ASSERT_TRUE(upload);
  ASSERT_TRUE((*upload)->Write(std::string_view("0123456789")));
  ASSERT_TRUE((*upload)->Write(std::string_view("abcdefghij")));
  ASSERT_TRUE((*upload)->Commit());
  EXPECT_EQ(BlobFiles(), 1U);
  EXPECT_EQ(Read(bob_, "grown.txt"), "0123456789abcdefghij");
  // Reading from an offset works for inline content too.
  auto opened = files_->Open(At(bob_, {"small.txt"}), 8);
  ASSERT_TRUE(opened);
  std::string tail(8, '\0');
  EXPECT_EQ(*opened->reader->Read(tail), 8U);
  EXPECT_EQ(tail, "bytes!!!");
  // Deleting the last reference forgets the inline bytes with the row.
  ASSERT_TRUE(files_->Delete(At(bob_, {"small.txt"}), {}));
  auto txn = store_->Begin(storage::TxnMode::kRead);
  EXPECT_FALSE(
      *(*txn)->InlineContent(bob_.org.id, model::BlobHash{Sha256::Of("sixteen bytes!!!")}));
}

// A GET's resolution is remembered while the store is unchanged; any write, also by another
// process on the same data (here a second store, as the CLI would open), ends that.
TEST_F(FileServiceTest, RememberedGetResolutionsEndWithAnyWrite) {
  files_ =
      std::make_shared<FileService>(store_, keeper_, auth_, FileLimits{.inline_blob_bytes = 64});
  auto get = [&](const Caller& caller, const std::string& name) -> std::string {
    auto target = files_->Resolve(caller, caller.principal.login, {name}, InlineBytes::kRead);
    if (!target) return "<" + std::string(ErrcName(target.error().code)) + ">";
    if (!target->item) return "<none>";
    return target->inline_content.value_or("<not inline>");
  };
  EXPECT_EQ(get(bob_, "a.txt"), "<none>");
  ASSERT_TRUE(Put(bob_, "a.txt", "first"));
  EXPECT_EQ(get(bob_, "a.txt"), "first");
  EXPECT_EQ(get(bob_, "a.txt"), "first");
  ASSERT_TRUE(Put(bob_, "a.txt", "second"));
  EXPECT_EQ(get(bob_, "a.txt"), "second");
  EXPECT_EQ(get(alice_, "a.txt"), "<none>") << "the caller is part of what is remembered";
  // One segment holding a slash is another path than the file in the folder: what the first
  // resolved ("nothing there") must not answer for the second.
  ASSERT_TRUE(Mkdir(bob_, {"d"}));
  auto upload = files_->BeginUpload(At(bob_, {"d", "x.txt"}), {}, 6, "text/plain");
  ASSERT_TRUE(upload);
  ASSERT_TRUE((*upload)->Write(std::string_view("nested")));
  ASSERT_TRUE((*upload)->Commit());
  auto get_path = [&](std::vector<std::string> path) -> std::string {
    auto target = files_->Resolve(bob_, "bob", path, InlineBytes::kRead);
    if (!target || !target->item) return "<none>";
    return target->inline_content.value_or("<not inline>");
  };
  EXPECT_EQ(get_path({"d/x.txt"}), "<none>");
  EXPECT_EQ(get_path({"d", "x.txt"}), "nested");

  // Another process renames the file and disables bob.
  auto other = storage::sqlite::OpenSqliteMetadataStore(dir_ / "regie.db").value();
  {
    auto txn = other->Begin(storage::TxnMode::kWrite).value();
    auto root =
        txn->FindRoot(bob_.org.id, bob_.principal.id, model::CollectionKind::kFolder).value();
    auto item = txn->FindItem(bob_.org.id, root.id, "a.txt").value();
    ASSERT_TRUE(txn->MoveItem(bob_.org.id, item.id, {root.id, "b.txt", "b.txt"}));
    ASSERT_TRUE(txn->Commit());
  }
  EXPECT_EQ(get(bob_, "a.txt"), "<none>");
  EXPECT_EQ(get(bob_, "b.txt"), "second");
  {
    auto txn = other->Begin(storage::TxnMode::kWrite).value();
    auto principal = txn->GetPrincipal(bob_.principal.id).value();
    principal.disabled = true;
    ++principal.credential_version;
    ASSERT_TRUE(txn->UpdatePrincipal(principal));
    ASSERT_TRUE(txn->Commit());
  }
  EXPECT_EQ(get(bob_, "b.txt"), "<unauthenticated>");
}

TEST_F(FileServiceTest, FolderDeleteIsRecursiveAndFreesBlobsAndUsage) {
  ASSERT_TRUE(Mkdir(bob_, {"dir"}));
  ASSERT_TRUE(Mkdir(bob_, {"dir", "sub"}));
  ASSERT_TRUE(files_->MakeFolder(At(bob_, {"dir", "sub", "x"})));
  ASSERT_TRUE(Put(bob_, "top.txt", "kept"));
  auto upload = files_->BeginUpload(At(bob_, {"dir", "sub", "f.txt"}), {}, 4, "");
  ASSERT_TRUE(upload);
  ASSERT_TRUE((*upload)->Write(std::string_view("gone")));
  ASSERT_TRUE((*upload)->Commit());
  EXPECT_EQ(BlobFiles(), 2U);
  ASSERT_TRUE(files_->Delete(At(bob_, {"dir"}), {}));
  EXPECT_FALSE(At(bob_, {"dir", "sub"}).folder);
  EXPECT_EQ(BlobFiles(), 1U);
  EXPECT_EQ(files_->Usage(At(bob_, {}))->used, 4U);
  EXPECT_EQ(files_->Delete(At(bob_, {}), {}).error().code, Errc::kForbidden);
}

TEST_F(FileServiceTest, MakeFolderStatuses) {
  ASSERT_TRUE(Mkdir(bob_, {"a"}));
  EXPECT_EQ(Mkdir(bob_, {"a"}).error().code, Errc::kMethodNotAllowed);
  EXPECT_EQ(Mkdir(bob_, {"missing", "b"}).error().code, Errc::kConflict);
  EXPECT_EQ(Mkdir(bob_, {std::string(256, 'n')}).error().code, Errc::kInvalidInput);
  EXPECT_EQ(Mkdir(bob_, {"bad\xff"}).error().code, Errc::kInvalidInput);
}

TEST_F(FileServiceTest, NamesEqualUnderNfcConflict) {
  ASSERT_TRUE(Put(bob_, "caf\xc3\xa9.txt", "composed"));
  auto clash = Put(bob_, "cafe\xcc\x81.txt", "decomposed");
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, Errc::kAlreadyExists);
  EXPECT_EQ(Mkdir(bob_, {"cafe\xcc\x81.txt"}).error().code, Errc::kMethodNotAllowed);
}

TEST_F(FileServiceTest, MoveAndCopyHonourOverwriteAndQuota) {
  ASSERT_TRUE(Put(bob_, "a.txt", "aaaa"));
  ASSERT_TRUE(Put(bob_, "b.txt", "bb"));
  EXPECT_EQ(files_->Move(At(bob_, {"a.txt"}), At(bob_, {"b.txt"}), Overwrite::kNo, {}).error().code,
            Errc::kPreconditionFailed);
  auto moved = files_->Move(At(bob_, {"a.txt"}), At(bob_, {"b.txt"}), Overwrite::kYes, {});
  ASSERT_TRUE(moved);
  EXPECT_TRUE(moved->replaced);
  EXPECT_EQ(Read(bob_, "b.txt"), "aaaa");
  EXPECT_EQ(BlobFiles(), 1U);  // "bb" had no other reference.
  EXPECT_EQ(files_
                ->Copy(At(bob_, {"b.txt"}), At(bob_, {"nowhere", "c.txt"}), Overwrite::kYes, {},
                       model::CopyDepth::kTree)
                .error()
                .code,
            Errc::kConflict);
  ASSERT_TRUE(accounts_->SetUserQuota("bob", 6));
  bob_ = Login("bob", "bob-password-1");
  EXPECT_EQ(files_
                ->Copy(At(bob_, {"b.txt"}), At(bob_, {"c.txt"}), Overwrite::kYes, {},
                       model::CopyDepth::kTree)
                .error()
                .code,
            Errc::kQuotaExceeded);
  EXPECT_EQ(Read(bob_, "c.txt"), "<not found>");  // The refused copy left nothing behind.
  // If-Match applies to the source as it is when the move runs.
  model::Preconditions stale;
  stale.if_match = {"not-the-etag"};
  EXPECT_EQ(
      files_->Move(At(bob_, {"b.txt"}), At(bob_, {"d.txt"}), Overwrite::kNo, stale).error().code,
      Errc::kPreconditionFailed);
  EXPECT_EQ(Read(bob_, "b.txt"), "aaaa");
}

TEST_F(FileServiceTest, ChangesSinceFollowsMovesAndDeletions) {
  ASSERT_TRUE(Mkdir(bob_, {"x"}));
  auto root = At(bob_, {});
  auto start = files_->CurrentSeq(root);
  ASSERT_TRUE(start);
  ASSERT_TRUE(Put(bob_, "f.txt", "1"));
  ASSERT_TRUE(files_->Move(At(bob_, {"f.txt"}), At(bob_, {"x", "g.txt"}), Overwrite::kNo, {}));
  auto tree =
      files_->ChangesSince(root, *start, SyncScope::kTree, 100, FileService::LimitKind::kServer);
  ASSERT_TRUE(tree);
  ASSERT_EQ(tree->changes.size(), 2U);
  EXPECT_EQ(tree->changes[0].path, (std::vector<std::string>{"f.txt"}));
  EXPECT_FALSE(tree->changes[0].item);  // Gone from there.
  EXPECT_EQ(tree->changes[1].path, (std::vector<std::string>{"x", "g.txt"}));
  EXPECT_TRUE(tree->changes[1].item);
  auto members =
      files_->ChangesSince(root, *start, SyncScope::kMembers, 100, FileService::LimitKind::kServer);
  ASSERT_TRUE(members);
  ASSERT_EQ(members->changes.size(), 1U);  // x/g.txt is below the root's members.
  EXPECT_EQ(files_
                ->ChangesSince(root, tree->seq + 5, SyncScope::kTree, 100,
                               FileService::LimitKind::kServer)
                .error()
                .condition.name,
            "valid-sync-token");
}

TEST_F(FileServiceTest, AFolderReplacedSinceTheTokenInvalidatesItForTheTree) {
  ASSERT_TRUE(Mkdir(bob_, {"x"}));
  ASSERT_TRUE(Put(bob_, "old.txt", "old"));
  ASSERT_TRUE(files_->Move(At(bob_, {"old.txt"}), At(bob_, {"x", "old.txt"}), Overwrite::kNo, {}));
  auto root = At(bob_, {});
  auto start = files_->CurrentSeq(root);
  ASSERT_TRUE(start);
  ASSERT_TRUE(files_->Delete(At(bob_, {"x"}), {}));
  ASSERT_TRUE(Mkdir(bob_, {"x"}));
  ASSERT_TRUE(Put(bob_, "new.txt", "new"));
  ASSERT_TRUE(files_->Move(At(bob_, {"new.txt"}), At(bob_, {"x", "new.txt"}), Overwrite::kNo, {}));
  // The answer could name x/ only as it is now; the client would keep x/old.txt.
  auto tree =
      files_->ChangesSince(root, *start, SyncScope::kTree, 100, FileService::LimitKind::kServer);
  ASSERT_FALSE(tree);
  EXPECT_EQ(tree.error().condition.name, "valid-sync-token");
  // Depth 1 reports x/ as changed, which is all a members-only client keeps.
  auto members =
      files_->ChangesSince(root, *start, SyncScope::kMembers, 100, FileService::LimitKind::kServer);
  ASSERT_TRUE(members);
  ASSERT_EQ(members->changes.size(), 2U);
  EXPECT_EQ(members->changes[0].path, (std::vector<std::string>{"x"}));
  EXPECT_TRUE(members->changes[0].folder);
  EXPECT_EQ(members->changes[1].path, (std::vector<std::string>{"new.txt"}));  // Moved away.
  EXPECT_FALSE(members->changes[1].item);
  // A folder removed and not replaced is reported gone, its members with it.
  auto later = files_->CurrentSeq(root);
  ASSERT_TRUE(files_->Delete(At(bob_, {"x"}), {}));
  tree = files_->ChangesSince(root, *later, SyncScope::kTree, 100, FileService::LimitKind::kServer);
  ASSERT_TRUE(tree);
  ASSERT_EQ(tree->changes.size(), 1U);
  EXPECT_FALSE(tree->changes[0].folder);
}

}  // namespace
}  // namespace regie::service
