// Index rows of calendar objects and vCards: UIDs, spans and instances (schema migration 3).
#include <algorithm>
#include <limits>
#include <string>

#include "storage/sqlite/sqlite_rows.h"
#include "storage/sqlite/sqlite_txn.h"

namespace regie::storage::sqlite {
namespace {

// Floating times mean different instants in different zones: no zone is more than 14 hours
// from UTC, so a day either side of the range finds every floating candidate.
constexpr std::int64_t kFloatingSlack = 24 * 3600;

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

}  // namespace

Result<void> SqliteTxn::SetObjectIndex(model::OrgId org, model::ItemId item,
                                       const model::ObjectIndex& index) {
  if (auto exists = GetItem(org, item); !exists) return Fail(exists.error());
  auto stored = Prepare(
                    "INSERT OR REPLACE INTO object_index (item, uid, component, span_start, "
                    "span_end, recurring, floating, indexed_until) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    "index object")
                    .Bind(item, index.uid, index.component, index.span_start, index.span_end,
                          index.recurring ? 1 : 0, index.floating ? 1 : 0, index.indexed_until)
                    .Run();
  if (!stored) return Fail(stored.error());
  auto cleared =
      Prepare("DELETE FROM object_instances WHERE item = ?1", "clear instances").Bind(item).Run();
  if (!cleared) return Fail(cleared.error());
  for (const auto& instance : index.instances) {
    auto added = Prepare(
                     "INSERT OR IGNORE INTO object_instances (item, start, end) "
                     "VALUES (?1, ?2, ?3)",
                     "index instance")
                     .Bind(item, instance.start, instance.end)
                     .Run();
    if (!added) return Fail(added.error());
  }
  return Ok();
}

Result<model::Item> SqliteTxn::FindByUid(model::OrgId org, model::CollectionId collection,
                                         std::string_view uid) {
  auto st = Prepare(
      "SELECT i.id, i.org, i.collection, i.name, i.blob, i.size, i.etag, i.content_type, "
      "i.created, i.modified FROM object_index AS o JOIN items AS i ON i.id = o.item "
      "WHERE o.uid = ?3 AND i.collection = ?2 AND i.org = ?1 LIMIT 1",
      "find by uid");
  st.Bind(org, collection, uid);
  return ReadOne(st, ReadItem, [&] {
    return "uid '" + std::string(uid) + "' in collection " + std::to_string(collection.value);
  });
}

Result<std::vector<model::IndexedItem>> SqliteTxn::QueryObjects(model::OrgId org,
                                                                model::CollectionId collection,
                                                                const model::ObjectQuery& query,
                                                                std::string_view after,
                                                                std::size_t limit) {
  // Overlap follows RFC 4791 §9.9 for events: start < range end, and end > range start, or a
  // zero-length instance at or after the range start. The index decides fixed (not floating)
  // events: a single one by its span, a recurring one by its instances when the range ends
  // before the indexed horizon (verdict 1 or 0). Everything else (verdict NULL) the service
  // checks against the object itself.
  auto st = Prepare(
      "SELECT i.id, i.org, i.collection, i.name, i.blob, i.size, i.etag, i.content_type, "
      "i.created, i.modified, "
      "CASE WHEN o.floating OR o.component <> 'VEVENT' THEN NULL "
      "  WHEN NOT o.recurring THEN 1 "
      "  WHEN ?5 <= o.indexed_until THEN EXISTS (SELECT 1 FROM object_instances AS x "
      "    WHERE x.item = o.item AND x.start < ?5 "
      "    AND (x.end > ?4 OR (x.end = x.start AND x.start >= ?4))) "
      "  ELSE NULL END AS verdict "
      "FROM items AS i JOIN object_index AS o ON o.item = i.id "
      "WHERE i.collection = ?2 AND i.org = ?1 AND i.name > ?6 "
      "AND (?3 IS NULL OR o.component = ?3) "
      "AND (o.span_start IS NULL OR o.span_start < ?5 + o.floating * ?8) "
      "AND (o.span_end IS NULL OR o.span_end > ?4 - o.floating * ?8 "
      "  OR (o.span_end = o.span_start AND o.span_start >= ?4 - o.floating * ?8)) "
      "AND verdict IS NOT 0 "
      "ORDER BY i.name LIMIT ?7",
      "query objects");
  const std::int64_t start = query.start.value_or(kMin + kFloatingSlack);
  const std::int64_t end = query.end.value_or(kMax - kFloatingSlack);
  st.Bind(org, collection, query.component, start, end, after,
          static_cast<std::int64_t>(std::min<std::size_t>(limit, kMax)), kFloatingSlack);
  std::vector<model::IndexedItem> out;
  for (;;) {
    auto row = st.Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto item = ReadItem(st);
    if (!item) return Fail(item.error());
    out.push_back({std::move(*item), st.IsNull(10) ? model::IndexVerdict::kCheckObject
                                                   : model::IndexVerdict::kMatches});
  }
  return out;
}

}  // namespace regie::storage::sqlite
