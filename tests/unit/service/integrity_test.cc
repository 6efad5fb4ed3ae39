// Fsck and Scrub (service/integrity.h) on a real embedded store, damaged the way disks, crashes
// and bugs damage it: flipped bytes, lost files, stray files, wrong counts, broken trees (made
// with raw SQL, which the storage interface would refuse).
#include "service/integrity.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <set>

#include "base/crypto.h"
#include "service_test_env.h"

namespace regie::service {
namespace {

namespace fs = std::filesystem;

class IntegrityTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    bob_ = *auth_->Verify("bob", "bob-password-1", "127.0.0.1");
  }

  // `path` is slash-separated below bob's root.
  model::BlobHash Put(const std::string& path, std::string_view body) {
    std::vector<std::string> segments;
    for (std::size_t start = 0;;) {
      const auto slash = path.find('/', start);
      segments.push_back(path.substr(start, slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    auto target = files_->Resolve(bob_, "bob", segments);
    EXPECT_TRUE(target);
    auto upload = files_->BeginUpload(*target, {}, body.size(), "text/plain");
    EXPECT_TRUE(upload);
    EXPECT_TRUE((*upload)->Write(body));
    EXPECT_TRUE((*upload)->Commit());
    return model::BlobHash{Sha256::Of(body)};
  }

  void Mkdir(const std::vector<std::string>& path) {
    auto target = files_->Resolve(bob_, "bob", path);
    ASSERT_TRUE(target);
    ASSERT_TRUE(files_->MakeFolder(*target));
  }

  fs::path BlobFile(const model::BlobHash& hash) const {
    const std::string hex = hash.Hex();
    return dir_ / "blobs" / "default" / hex.substr(0, 2) / hex.substr(2, 2) / hex;
  }

  // Runs SQL on the database behind the store's back, with the foreign keys that would stop it
  // off, as a bug or a hand edit would.
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "regie.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc =
        sqlite3_exec(db, ("PRAGMA foreign_keys=OFF; " + sql).c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "") << " in " << sql;
    sqlite3_free(error);
    sqlite3_close(db);
  }

  IntegrityReport Check(Repair repair = Repair::kReportOnly) {
    auto report = Fsck(*store_, *blobs_, {.repair = repair});
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : IntegrityReport{};
  }

  static std::multiset<std::string> Kinds(const IntegrityReport& report) {
    std::multiset<std::string> kinds;
    for (const auto& f : report.findings) kinds.insert(f.kind + (f.repaired ? "+" : ""));
    return kinds;
  }

  Caller bob_;
};

TEST_F(IntegrityTest, ConsistentStoreIsClean) {
  // What the accounts hold already (the directory's cards), beside what the test adds.
  const auto before = Check().counts;
  auto scrub_before = Scrub(*store_, *blobs_, {});
  ASSERT_TRUE(scrub_before);
  Put("a.txt", "alpha");
  Put("b.txt", "alpha");  // Shared blob: refcount 2.
  Mkdir({"docs"});
  Put("docs/c.txt", "gamma");
  const auto report = Check();
  EXPECT_EQ(report.problems, 0u) << (report.findings.empty() ? "" : report.findings[0].detail);
  EXPECT_EQ(report.counts.blobs, before.blobs + 2u);
  EXPECT_EQ(report.counts.bytes, before.bytes + 10u);
  EXPECT_GE(report.counts.collections, 2u);
  EXPECT_GE(report.counts.change_logs, 1u);
  auto scrub = Scrub(*store_, *blobs_, {});
  ASSERT_TRUE(scrub);
  EXPECT_EQ(scrub->problems, 0u);
  EXPECT_EQ(scrub->counts.blobs, scrub_before->counts.blobs + 2u);
}

TEST_F(IntegrityTest, FlippedByteIsReportedAndQuarantined) {
  const auto hash = Put("a.txt", "precious archive bytes");
  {
    std::fstream f(BlobFile(hash), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(3);
    f.put('X');
  }
  auto report_only = Scrub(*store_, *blobs_, {});
  ASSERT_TRUE(report_only);
  EXPECT_EQ(Kinds(*report_only), (std::multiset<std::string>{"hash-mismatch"}));
  EXPECT_TRUE(fs::exists(BlobFile(hash)));

  auto scrub = Scrub(*store_, *blobs_, {.repair = Repair::kFix});
  ASSERT_TRUE(scrub);
  EXPECT_EQ(scrub->problems, 1u);
  EXPECT_EQ(scrub->unrepaired(), 1u);  // Quarantine keeps the damage out; the content is lost.
  ASSERT_EQ(scrub->findings.size(), 1u);
  EXPECT_NE(scrub->findings[0].object.find(hash.Hex()), std::string::npos);
  EXPECT_FALSE(fs::exists(BlobFile(hash)));
  std::vector<fs::path> quarantined;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "quarantine")) {
    // .epoch tells servers that hold blobs open to let go of them; it is not a blob.
    if (e.is_regular_file() && e.path().filename() != ".epoch") quarantined.push_back(e.path());
  }
  ASSERT_EQ(quarantined.size(), 1u);
  EXPECT_EQ(quarantined[0].filename().string().substr(0, 64), hash.Hex());
  // Now the item's content is missing, and fsck says so (no repair can bring it back).
  EXPECT_EQ(Kinds(Check(Repair::kFix)), (std::multiset<std::string>{"missing-blob"}));
}

TEST_F(IntegrityTest, DeletedBlobIsMissing) {
  const auto hash = Put("a.txt", "will vanish");
  fs::remove(BlobFile(hash));
  const auto report = Check();
  EXPECT_EQ(Kinds(report), (std::multiset<std::string>{"missing-blob"}));
  EXPECT_NE(report.findings[0].detail.find("referenced by 1 item(s) ('a.txt' in collection"),
            std::string::npos)
      << report.findings[0].detail;
  EXPECT_EQ(Check(Repair::kFix).unrepaired(), 1u);
}

TEST_F(IntegrityTest, OrphanIsRemovedOnlyByRepair) {
  Put("a.txt", "kept");
  auto writer = *blobs_->BeginWrite("default");
  ASSERT_TRUE(writer->Write(std::string_view("nobody references me")));
  const auto orphan = *writer->Commit();
  EXPECT_EQ(Kinds(Check()), (std::multiset<std::string>{"orphan-blob"}));
  EXPECT_TRUE(fs::exists(BlobFile(orphan)));
  EXPECT_EQ(Kinds(Check(Repair::kFix)), (std::multiset<std::string>{"orphan-blob+"}));
  EXPECT_FALSE(fs::exists(BlobFile(orphan)));
  EXPECT_EQ(Check().problems, 0u);
}

TEST_F(IntegrityTest, WrongRefcountsAreRecountedWithoutLosingContent) {
  const auto high = Put("a.txt", "counted too often");
  const auto zero = Put("b.txt", "counted as unused");
  Sql("UPDATE blobs SET refcount = 5 WHERE hash = '" + high.Hex() +
      "';"
      "UPDATE blobs SET refcount = 0 WHERE hash = '" +
      zero.Hex() + "';");
  EXPECT_EQ(Kinds(Check()), (std::multiset<std::string>{"refcount", "refcount"}));
  EXPECT_EQ(Kinds(Check(Repair::kFix)), (std::multiset<std::string>{"refcount+", "refcount+"}));
  // The blob at refcount 0 is referenced: the repair must recount it, not collect it.
  EXPECT_TRUE(fs::exists(BlobFile(zero)));
  auto txn = *store_->Begin(storage::TxnMode::kRead);
  const auto org = *txn->FindOrg("default");
  EXPECT_EQ(*txn->BlobRefcount(org.id, high), 1u);
  EXPECT_EQ(*txn->BlobRefcount(org.id, zero), 1u);
  txn.reset();
  EXPECT_EQ(Check().problems, 0u);
}

TEST_F(IntegrityTest, MissingBlobRowIsRecreated) {
  const auto hash = Put("a.txt", "row lost");
  Sql("DELETE FROM blobs WHERE hash = '" + hash.Hex() + "';");
  EXPECT_EQ(Kinds(Check()), (std::multiset<std::string>{"missing-row"}));
  EXPECT_EQ(Kinds(Check(Repair::kFix)), (std::multiset<std::string>{"missing-row+"}));
  EXPECT_TRUE(fs::exists(BlobFile(hash)));
  EXPECT_EQ(Check().problems, 0u);
}

TEST_F(IntegrityTest, BrokenTreeIsReported) {
  Mkdir({"a"});
  Mkdir({"a", "b"});
  Mkdir({"c"});
  Put("c/one", "1");
  Put("c/two", "2");
  Sql("UPDATE collections SET parent = (SELECT id FROM collections WHERE name = 'b') "
      "WHERE name = 'a';"
      "UPDATE collections SET parent = 99999 WHERE name = 'c';"
      "UPDATE items SET name_key = 'same' WHERE name IN ('one', 'two');");
  const auto kinds = Kinds(Check(Repair::kFix));
  EXPECT_EQ(kinds.count("tree-cycle"), 1u);
  EXPECT_EQ(kinds.count("tree-parent"), 1u);
  EXPECT_EQ(kinds.count("name-clash"), 1u);
}

TEST_F(IntegrityTest, StrayItemIsReported) {
  Put("a.txt", "x");
  Sql("UPDATE items SET collection = 99999 WHERE name = 'a.txt';");
  EXPECT_EQ(Kinds(Check()).count("stray-item"), 1u);
}

TEST_F(IntegrityTest, ChangeSequenceBehindItsLogIsRaised) {
  Put("a.txt", "x");
  Put("b.txt", "y");
  Sql("UPDATE collections SET seq = 0 WHERE parent IS NULL AND "
      "owner = (SELECT id FROM principals WHERE login = 'bob');");
  EXPECT_EQ(Kinds(Check()).count("changelog-seq"), 1u);
  EXPECT_EQ(Kinds(Check(Repair::kFix)).count("changelog-seq+"), 1u);
  EXPECT_EQ(Check().problems, 0u);
  Put("c.txt", "z");  // The next change gets a fresh sequence instead of clashing.
  EXPECT_EQ(Check().problems, 0u);
}

TEST_F(IntegrityTest, StopRequestStopsScrub) {
  Put("a.txt", "x");
  std::stop_source stop;
  stop.request_stop();
  auto scrub = Scrub(*store_, *blobs_, {.stop = stop.get_token()});
  ASSERT_TRUE(scrub);
  EXPECT_TRUE(scrub->stopped);
  EXPECT_EQ(scrub->counts.blobs, 0u);
}

}  // namespace
}  // namespace regie::service
