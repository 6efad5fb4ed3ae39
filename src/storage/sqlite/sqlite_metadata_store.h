// The embedded MetadataStore: one SQLite database file (DATA/regie.db) in WAL mode.
//
// Durability: Commit() of a write transaction returns after the write-ahead log is fdatasynced;
// concurrent commits share one sync (group commit, wal_sync.h).
// Concurrency: any number of read transactions run in parallel with one writer. Writers of this
// process queue on a mutex; those of other processes on the same file (the CLI beside a running
// server) on SQLite's write lock; after 10 s Begin(kWrite) fails with kUnavailable.
// Errors: busy or locked: kUnavailable; a unique key clash: kAlreadyExists; else kInternal.
#pragma once

#include <filesystem>
#include <memory>

#include "base/result.h"
#include "storage/metadata_store.h"

namespace regie::storage::sqlite {

// Opens (creating if needed) the database at `db_file` and applies pending schema migrations.
// Blocks. kInternal if the file cannot be opened, is not a Regie database, lives on a file system
// without WAL support or was written by a newer Regie; kUnavailable if it stays locked.
Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(
    const std::filesystem::path& db_file);

}  // namespace regie::storage::sqlite
