// Schema migrations of the SQLite backend (storage/sqlite/schema.h) carry what an older database
// holds into the new shape: a database is built at an older version, filled the way that version
// stored things, and migrated.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/sqlite/connection.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/sqlite_metadata_store.h"
#include "storage_test_util.h"

namespace regie::storage::testing {
namespace {

TEST(SqliteMigration, Version6FindsPublicationsByDigestAndStartsTheCommitSequence) {
  ScratchDir scratch;
  const auto file = scratch.path() / "regie.db";
  {
    auto conn = MUST(sqlite::Connection::Open(file));
    MUST(sqlite::MigrateSchema(*conn, 5));
    // A root collection with change sequence 41 and a publication, as version 5 stored them.
    MUST(conn->Exec(
        "INSERT INTO orgs (id, name, created) VALUES (1, 'acme', 0);"
        "INSERT INTO principals (id, org, kind, login, display_name, email, role, "
        "  password_hash, created) VALUES (1, 1, 'user', 'alice', '', '', 'member', '', 0);"
        "INSERT INTO collections (id, org, owner, sync_root, kind, name, seq, created, modified) "
        "  VALUES (1, 1, 1, 1, 'calendar', '', 41, 0, 0);"
        "INSERT INTO publications (token, collection, created) VALUES ('secret-token', 1, 0);",
        "fill version 5"));
  }
  auto store = MUST(sqlite::OpenSqliteMetadataStore(file));
  auto txn = MUST(store->Begin(TxnMode::kRead));
  EXPECT_EQ(MUST(txn->FindPublication("secret-token")).id, model::CollectionId{1});
  EXPECT_EQ(MUST(txn->ListPublications(model::OrgId{1}, model::CollectionId{1})),
            std::vector<std::string>{"secret-token"});
  // The sequence before version 6 was the sum of the change logs' sequences: it goes on from it.
  EXPECT_EQ(MUST(txn->CommitSequence()), 41u);
}

}  // namespace
}  // namespace regie::storage::testing
