// Versioned, forward-only schema migrations for the SQLite backend. Internal to the backend.
#pragma once

#include "base/result.h"
#include "storage/sqlite/connection.h"

namespace regie::storage::sqlite {

// The schema version this build writes (PRAGMA user_version after MigrateSchema()).
int LatestSchemaVersion();

// Brings the database up to LatestSchemaVersion() in one write transaction, so that processes
// opening the same file at once apply each migration exactly once. Idempotent. kInternal when the
// file was written by a newer build (its version is above ours): running on would corrupt it.
// `target` below the latest stops there: tests build an older database to migrate.
Result<void> MigrateSchema(Connection& conn, int target = LatestSchemaVersion());

}  // namespace regie::storage::sqlite
