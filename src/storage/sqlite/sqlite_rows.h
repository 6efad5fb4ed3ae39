// Row readers shared by the content methods of SqliteTxn. Internal to the backend.
#pragma once

#include "base/result.h"
#include "model/content.h"
#include "storage/sqlite/connection.h"

namespace regie::storage::sqlite {

// Columns: id, org, owner, parent, sync_root, kind, name, created, modified.
Result<model::Collection> ReadCollection(const Statement& row);

// Columns: id, org, collection, name, blob, size, etag, content_type, created, modified.
Result<model::Item> ReadItem(const Statement& row);

}  // namespace regie::storage::sqlite
