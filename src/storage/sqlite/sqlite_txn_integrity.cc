// SqliteTxn: the scans and repairs of `regie fsck` (storage/integrity.h). Each scan is one
// statement over this transaction's snapshot; SQLite's sorter spills to temporary files, so
// memory stays bounded however large the store.
#include <algorithm>
#include <limits>
#include <string>

#include "storage/sqlite/sqlite_rows.h"
#include "storage/sqlite/sqlite_txn.h"

namespace regie::storage::sqlite {
namespace {

std::uint64_t Limit(std::size_t limit) {
  return std::min<std::uint64_t>(limit, std::numeric_limits<std::int64_t>::max());
}

// Steps `st` to the end, handing each row to `visit`.
template <typename Read>
Result<void> VisitRows(Statement& st, Read read) {
  for (;;) {
    auto row = st.Step();
    if (!row) return Fail(row.error());
    if (!*row) return Ok();
    if (auto visited = read(st); !visited) return visited;
  }
}

Result<model::BlobHash> HashColumn(const Statement& row, int column, std::string_view table) {
  const auto hash = model::BlobHash::FromHex(row.Text(column));
  if (!hash) {
    return Fail(Errc::kInternal, "sqlite: " + std::string(table) + " row with a malformed hash '" +
                                     row.Text(column) + "'");
  }
  return *hash;
}

}  // namespace

Result<void> SqliteTxn::ScanBlobRecords(const Visitor<BlobRecord>& visit) {
  // One grouping pass over the items counts every blob's references (there is no index on
  // items.blob, and a correlated count per blob would scan the items once per blob). The second
  // half finds references to blobs that have no row.
  auto st = Prepare(
      "WITH refs AS (SELECT org, blob AS hash, COUNT(*) AS n, MAX(size) AS size FROM items "
      "GROUP BY org, blob) "
      "SELECT b.org, b.hash, 1, b.size, b.refcount, COALESCE(r.n, 0), b.data FROM blobs b "
      "LEFT JOIN refs r ON r.org = b.org AND r.hash = b.hash "
      "UNION ALL "
      "SELECT r.org, r.hash, 0, r.size, 0, r.n, NULL FROM refs r "
      "WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.org = r.org AND b.hash = r.hash) "
      "ORDER BY 1, 2",
      "scan blob records");
  return VisitRows(st, [&](const Statement& row) -> Result<void> {
    auto hash = HashColumn(row, 1, "blob");
    if (!hash) return Fail(hash.error());
    BlobRecord record{.org = model::OrgId{row.Int(0)},
                      .hash = *hash,
                      .has_row = row.Int(2) != 0,
                      .size = row.Uint(3),
                      .refcount = row.Uint(4),
                      .references = row.Uint(5)};
    if (!row.IsNull(6)) {
      const auto bytes = row.Blob(6);
      record.inline_content = std::string(bytes.begin(), bytes.end());
    }
    return visit(record);
  });
}

Result<void> SqliteTxn::ScanCollections(const Visitor<CollectionRecord>& visit) {
  auto st = Prepare(
      "SELECT id, org, owner, parent, sync_root, kind, name, created, modified, name_key "
      "FROM collections ORDER BY id",
      "scan collections");
  return VisitRows(st, [&](const Statement& row) -> Result<void> {
    auto collection = ReadCollection(row);
    if (!collection) return Fail(collection.error());
    return visit(CollectionRecord{.collection = std::move(*collection), .name_key = row.Text(9)});
  });
}

Result<std::vector<NameClash>> SqliteTxn::ListNameClashes(std::size_t limit) {
  // Roots have no parent and no name; every other member's key is unique within its parent,
  // sub-collections and items together (RequireFreeName keeps it so on every write).
  auto st = Prepare(
      "SELECT parent, key, COUNT(*) FROM ("
      "SELECT parent, name_key AS key FROM collections WHERE parent IS NOT NULL "
      "UNION ALL SELECT collection, name_key FROM items) "
      "GROUP BY parent, key HAVING COUNT(*) > 1 ORDER BY parent, key LIMIT ?1",
      "list name clashes");
  st.Bind(Limit(limit));
  return ReadAll<NameClash>(st, [](const Statement& row) -> Result<NameClash> {
    return NameClash{
        .parent = model::CollectionId{row.Int(0)}, .name_key = row.Text(1), .members = row.Uint(2)};
  });
}

Result<std::vector<StrayItem>> SqliteTxn::ListStrayItems(std::size_t limit) {
  auto st = Prepare(
      "SELECT i.id, i.org, i.collection, i.name FROM items i "
      "LEFT JOIN collections c ON c.id = i.collection "
      "WHERE c.id IS NULL OR c.org != i.org ORDER BY i.id LIMIT ?1",
      "list stray items");
  st.Bind(Limit(limit));
  return ReadAll<StrayItem>(st, [](const Statement& row) -> Result<StrayItem> {
    return StrayItem{.id = model::ItemId{row.Int(0)},
                     .org = model::OrgId{row.Int(1)},
                     .collection = model::CollectionId{row.Int(2)},
                     .name = row.Text(3)};
  });
}

Result<void> SqliteTxn::ScanChangeLogs(const Visitor<ChangeLogRecord>& visit) {
  auto st = Prepare(
      "SELECT ch.sync_root, c.id IS NOT NULL, COALESCE(c.sync_root = c.id, 0), "
      "COALESCE(c.seq, 0), MAX(ch.seq), COUNT(*) FROM changes ch "
      "LEFT JOIN collections c ON c.id = ch.sync_root GROUP BY ch.sync_root ORDER BY ch.sync_root",
      "scan change logs");
  return VisitRows(st, [&](const Statement& row) -> Result<void> {
    return visit(ChangeLogRecord{.sync_root = model::CollectionId{row.Int(0)},
                                 .root_exists = row.Int(1) != 0,
                                 .is_sync_root = row.Int(2) != 0,
                                 .root_seq = row.Uint(3),
                                 .max_seq = row.Uint(4),
                                 .changes = row.Uint(5)});
  });
}

Result<void> SqliteTxn::RepairBlobRefcount(model::OrgId org, const model::BlobHash& hash,
                                           std::uint64_t size, std::uint64_t refcount) {
  auto done = Prepare(
                  "INSERT INTO blobs (org, hash, size, refcount) VALUES (?1, ?2, ?3, ?4) "
                  "ON CONFLICT (org, hash) DO UPDATE SET refcount = excluded.refcount",
                  "repair blob refcount")
                  .Bind(org, hash.Hex(), size, refcount)
                  .Run();
  if (!done) return Fail(done.error());
  return Ok();
}

Result<void> SqliteTxn::RepairChangeSeq(model::CollectionId sync_root, std::uint64_t seq) {
  auto done = Prepare("UPDATE collections SET seq = MAX(seq, ?2) WHERE id = ?1 AND sync_root = id",
                      "repair change sequence")
                  .Bind(sync_root, seq)
                  .Run();
  if (!done) return Fail(done.error());
  if (*done == 0) {
    return Fail(Errc::kNotFound,
                "sqlite: sync root " + std::to_string(sync_root.value) + " not found");
  }
  return Ok();
}

Result<std::vector<model::Item>> SqliteTxn::ListItemsWithBlob(model::OrgId org,
                                                              const model::BlobHash& hash,
                                                              std::size_t limit) {
  auto st = Prepare(
      "SELECT id, org, collection, name, blob, size, etag, content_type, created, modified "
      "FROM items WHERE org = ?1 AND blob = ?2 ORDER BY id LIMIT ?3",
      "list items with blob");
  st.Bind(org, hash.Hex(), Limit(limit));
  return ReadAll<model::Item>(st, ReadItem);
}

}  // namespace regie::storage::sqlite
