// Index rows of calendar objects and vCards (UIDs, spans, instances) and shares of their
// collections (schema migration 3).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <string>

#include "base/crypto.h"
#include "storage/sqlite/sqlite_rows.h"
#include "storage/sqlite/sqlite_txn.h"

namespace regie::storage::sqlite {
namespace {

// Floating times mean different instants in different zones: no zone is more than 14 hours
// from UTC, so a day either side of the range finds every floating candidate.
constexpr std::int64_t kFloatingSlack = std::int64_t{24} * 3600;

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

std::string_view AccessName(model::ShareAccess access) {
  return access == model::ShareAccess::kReadWrite ? "read-write" : "read";
}

model::ShareAccess ParseAccess(std::string_view name) {
  return name == "read-write" ? model::ShareAccess::kReadWrite : model::ShareAccess::kRead;
}

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

Result<void> SqliteTxn::SetShare(model::OrgId org, const model::Share& share) {
  if (auto exists = GetCollection(org, share.collection); !exists) return Fail(exists.error());
  if (auto sharee = RequirePrincipal(share.sharee, org); !sharee) return Fail(sharee.error());
  auto stored =
      Prepare(
          "INSERT INTO shares (collection, sharee, access, created) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT (collection, sharee) DO UPDATE SET access = excluded.access",
          "set share")
          .Bind(share.collection, share.sharee, AccessName(share.access), UnixNow())
          .Run();
  if (!stored) return Fail(stored.error());
  return Ok();
}

Result<bool> SqliteTxn::RemoveShare(model::OrgId org, model::CollectionId collection,
                                    model::PrincipalId sharee) {
  if (auto exists = GetCollection(org, collection); !exists) return Fail(exists.error());
  auto removed = Prepare("DELETE FROM shares WHERE collection = ?1 AND sharee = ?2 RETURNING 1",
                         "remove share")
                     .Bind(collection, sharee)
                     .QueryInt();
  if (!removed) return Fail(removed.error());
  return removed->has_value();
}

Result<std::vector<model::Share>> SqliteTxn::ListShares(model::OrgId org,
                                                        model::CollectionId collection) {
  if (auto exists = GetCollection(org, collection); !exists) return Fail(exists.error());
  auto st =
      Prepare("SELECT collection, sharee, access FROM shares WHERE collection = ?1 ORDER BY sharee",
              "list shares");
  st.Bind(collection);
  return ReadAll<model::Share>(st, [](const Statement& row) -> Result<model::Share> {
    return model::Share{.collection = model::CollectionId{row.Int(0)},
                        .sharee = model::PrincipalId{row.Int(1)},
                        .access = ParseAccess(row.Text(2))};
  });
}

Result<std::vector<model::SharedCollection>> SqliteTxn::ListSharedWith(model::OrgId org,
                                                                       model::PrincipalId sharee,
                                                                       model::CollectionKind kind) {
  // Shares with the principal and with its groups; "read-write" sorts after "read", so MAX()
  // is the widest access of a collection shared both ways.
  auto st = Prepare(
      "SELECT c.id, c.org, c.owner, c.parent, c.sync_root, c.kind, c.name, c.created, "
      "c.modified, p.login, MAX(s.access) FROM ("
      "SELECT collection, access FROM shares WHERE sharee = ?2 UNION ALL "
      "SELECT sh.collection, sh.access FROM group_members AS g "
      "JOIN shares AS sh ON sh.sharee = g.group_id WHERE g.member = ?2) AS s "
      "JOIN collections AS c ON c.id = s.collection JOIN principals AS p ON p.id = c.owner "
      "WHERE c.org = ?1 AND c.kind = ?3 AND c.owner != ?2 GROUP BY c.id "
      "ORDER BY p.login, c.name",
      "list shared with");
  st.Bind(org, sharee, model::CollectionKindName(kind));
  return ReadAll<model::SharedCollection>(
      st, [](const Statement& row) -> Result<model::SharedCollection> {
        auto collection = ReadCollection(row);
        if (!collection) return Fail(collection.error());
        return model::SharedCollection{.collection = std::move(*collection),
                                       .owner_login = row.Text(9),
                                       .access = ParseAccess(row.Text(10))};
      });
}

Result<void> SqliteTxn::AddPublication(model::OrgId org, model::CollectionId collection,
                                       std::string_view token) {
  if (auto exists = GetCollection(org, collection); !exists) return Fail(exists.error());
  const auto digest = Sha256::Of(token);
  auto taken = Prepare("SELECT 1 FROM publications WHERE digest = ?1", "find token")
                   .Bind(std::span<const std::uint8_t>(digest))
                   .QueryInt();
  if (!taken) return Fail(taken.error());
  if (taken->has_value()) return Fail(Errc::kAlreadyExists, "sqlite: publication token taken");
  auto added = Prepare(
                   "INSERT INTO publications (digest, token, collection, created) "
                   "VALUES (?1, ?2, ?3, ?4)",
                   "add publication")
                   .Bind(std::span<const std::uint8_t>(digest), token, collection, UnixNow())
                   .Run();
  if (!added) return Fail(added.error());
  return Ok();
}

Result<std::size_t> SqliteTxn::RemovePublications(model::OrgId org,
                                                  model::CollectionId collection) {
  if (auto exists = GetCollection(org, collection); !exists) return Fail(exists.error());
  auto removed = Prepare("DELETE FROM publications WHERE collection = ?1", "remove publications")
                     .Bind(collection)
                     .Run();
  if (!removed) return Fail(removed.error());
  return static_cast<std::size_t>(*removed);
}

Result<std::vector<std::string>> SqliteTxn::ListPublications(model::OrgId org,
                                                             model::CollectionId collection) {
  if (auto exists = GetCollection(org, collection); !exists) return Fail(exists.error());
  auto st = Prepare("SELECT token FROM publications WHERE collection = ?1 ORDER BY created, token",
                    "list publications");
  st.Bind(collection);
  return ReadAll<std::string>(
      st, [](const Statement& row) -> Result<std::string> { return row.Text(0); });
}

Result<model::Collection> SqliteTxn::FindPublication(std::string_view token) {
  auto st = Prepare(
      "SELECT c.id, c.org, c.owner, c.parent, c.sync_root, c.kind, c.name, c.created, "
      "c.modified FROM publications AS p JOIN collections AS c ON c.id = p.collection "
      "WHERE p.digest = ?1",
      "find publication");
  const auto digest = Sha256::Of(token);  // Schema migration 6 says why not by the token.
  st.Bind(std::span<const std::uint8_t>(digest));
  return ReadOne(st, ReadCollection, [] { return std::string("publication"); });
}

}  // namespace regie::storage::sqlite
