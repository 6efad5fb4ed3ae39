// The SQLite backend's snapshots for backups (storage/sqlite/sqlite_backup.h): one consistent
// commit of a database that another connection keeps writing, left as one self-contained file.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include "storage/sqlite/sqlite_backup.h"
#include "storage/sqlite/sqlite_metadata_store.h"
#include "storage_test_util.h"

namespace regie::storage::testing {
namespace {

namespace fs = std::filesystem;

std::string JournalMode(const fs::path& file) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  std::string mode = sqlite3_step(st) == SQLITE_ROW
                         ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0))
                         : "";
  sqlite3_finalize(st);
  sqlite3_close(db);
  return mode;
}

std::size_t OrgCount(MetadataStore& store) {
  return MUST(MUST(store.Begin(TxnMode::kRead))->ListOrgs()).size();
}

TEST(SqliteSnapshot, CopiesOneCommitWhileAnotherConnectionWrites) {
  ScratchDir scratch;
  auto live = MUST(sqlite::OpenSqliteMetadataStore(scratch.path() / "regie.db"));
  auto add_org = [&](int i) {
    auto txn = MUST(live->Begin(TxnMode::kWrite));
    MUST(txn->CreateOrg({.name = "org" + std::to_string(i)}));
    MUST(txn->Commit());
  };
  for (int i = 0; i < 20; ++i) add_org(i);
  std::atomic<bool> stop{false};
  std::atomic<int> written{20};
  std::thread writer([&] {
    while (!stop) add_org(written++);
  });
  const int before = written.load();
  const fs::path copy = scratch.path() / "snapshot.db";
  MUST(sqlite::SnapshotDatabase(scratch.path() / "regie.db", copy));
  const int after = written.load();
  stop = true;
  writer.join();

  EXPECT_FALSE(fs::exists(copy.string() + "-wal"));
  EXPECT_EQ(JournalMode(copy), "delete");
  auto snapshot = MUST(sqlite::OpenSqliteMetadataStore(copy));
  const std::size_t orgs = OrgCount(*snapshot);
  // `written` counts started commits: one of them may still have been in flight.
  EXPECT_GE(orgs, static_cast<std::size_t>(before - 1));
  EXPECT_LE(orgs, static_cast<std::size_t>(after));
  snapshot.reset();
  MUST(sqlite::SealSnapshot(copy));
  EXPECT_FALSE(fs::exists(copy.string() + "-wal"));
  EXPECT_FALSE(fs::exists(copy.string() + "-shm"));
  EXPECT_EQ(JournalMode(copy), "delete");
  EXPECT_GT(OrgCount(*live), orgs);  // The source went on, untouched by the copy.
}

TEST(SqliteSnapshot, RefusesToOverwrite) {
  ScratchDir scratch;
  auto live = MUST(sqlite::OpenSqliteMetadataStore(scratch.path() / "regie.db"));
  const fs::path copy = scratch.path() / "snapshot.db";
  MUST(sqlite::SnapshotDatabase(scratch.path() / "regie.db", copy));
  EXPECT_TRUE(
      FailsWith(sqlite::SnapshotDatabase(scratch.path() / "regie.db", copy), Errc::kAlreadyExists));
}

}  // namespace
}  // namespace regie::storage::testing
