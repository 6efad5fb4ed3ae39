// Consistent copies of a live SQLite database (regie backup, regie restore), through SQLite's
// online backup API. Blocks for as long as copying the file takes.
#pragma once

#include <filesystem>

#include "base/result.h"

namespace regie::storage::sqlite {

// Copies the database `from` into the new file `to` as one snapshot: every page is copied in one
// backup step, under one read transaction, so the copy is the database as one commit left it,
// while writers (also in other processes, WAL) go on. The copy is a single self-contained file
// (rollback journal mode, no -wal), synced to disk with its directory entry. kAlreadyExists when
// `to` exists; kUnavailable when `from` stays locked; kInternal for other SQLite errors.
Result<void> SnapshotDatabase(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace regie::storage::sqlite

namespace regie::storage::sqlite {

// Returns a snapshot that a MetadataStore has opened since (which put it in WAL mode) to one
// self-contained file: checkpoints, switches to the rollback journal and removes the -wal and
// -shm files. No other connection may be open on it.
Result<void> SealSnapshot(const std::filesystem::path& file);

}  // namespace regie::storage::sqlite
