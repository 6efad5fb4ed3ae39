// Trees of collections: listing, recursive delete, move and copy.
//
// DESIGN principle 8 (parents, not paths): a move is one UPDATE of the moved row, whatever lies
// below it. Whole-tree work (delete, copy, measure) is set-based per statement, with recursive
// CTEs over the parent index, so its cost grows with rows touched, not with round trips.
#include <algorithm>
#include <string>

#include "base/check.h"
#include "storage/sqlite/sqlite_rows.h"
#include "storage/sqlite/sqlite_txn.h"

namespace regie::storage::sqlite {
namespace {

std::string Describe(model::CollectionId id) { return "collection " + std::to_string(id.value); }

std::string Describe(model::ItemId id) { return "item " + std::to_string(id.value); }

}  // namespace

Result<void> SqliteTxn::RequireFreeName(model::CollectionId parent, std::string_view key,
                                        std::optional<model::ResourceId> except) {
  std::int64_t except_item = 0;
  std::int64_t except_collection = 0;
  if (except) {
    if (const auto* item = std::get_if<model::ItemId>(&*except)) except_item = item->value;
    if (const auto* c = std::get_if<model::CollectionId>(&*except)) except_collection = c->value;
  }
  auto taken = Prepare(
      "SELECT name FROM items WHERE collection = ?1 AND name_key = ?2 AND id != ?3 "
      "UNION ALL SELECT name FROM collections WHERE parent = ?1 AND name_key = ?2 "
      "AND id != ?4 LIMIT 1",
      "check name");
  taken.Bind(parent, key, except_item, except_collection);
  auto row = taken.Step();
  if (!row) return Fail(row.error());
  if (*row) {
    return Fail(Errc::kAlreadyExists,
                "sqlite: '" + taken.Text(0) + "' in " + Describe(parent) + " has the same name",
                "a resource with an equivalent name exists");
  }
  return Ok();
}

Result<std::vector<Member>> SqliteTxn::ListMembers(model::OrgId org, model::CollectionId parent,
                                                   std::string_view after, std::size_t limit) {
  if (auto exists = GetCollection(org, parent); !exists) return Fail(exists.error());
  const auto bounded = static_cast<std::int64_t>(std::min<std::size_t>(limit, 1'000'000));
  auto sub = Prepare(
      "SELECT id, org, owner, parent, sync_root, kind, name, created, modified FROM collections "
      "WHERE parent = ?1 AND name > ?2 ORDER BY name LIMIT ?3",
      "list sub-collections");
  sub.Bind(parent, after, bounded);
  auto collections = ReadAll<model::Collection>(sub, ReadCollection);
  if (!collections) return Fail(collections.error());
  auto it = Prepare(
      "SELECT id, org, collection, name, blob, size, etag, content_type, created, modified "
      "FROM items WHERE collection = ?1 AND name > ?2 ORDER BY name LIMIT ?3",
      "list items");
  it.Bind(parent, after, bounded);
  auto items = ReadAll<model::Item>(it, ReadItem);
  if (!items) return Fail(items.error());

  // Both lists are sorted; merge them and keep the first `limit`.
  std::vector<Member> out;
  out.reserve(std::min<std::size_t>(limit, collections->size() + items->size()));
  auto c = collections->begin();
  auto i = items->begin();
  while (out.size() < limit && (c != collections->end() || i != items->end())) {
    if (i == items->end() || (c != collections->end() && c->name < i->name)) {
      out.emplace_back(std::move(*c++));
    } else {
      out.emplace_back(std::move(*i++));
    }
  }
  return out;
}

Result<TreeSize> SqliteTxn::MeasureTree(model::OrgId org, model::CollectionId id) {
  if (auto exists = GetCollection(org, id); !exists) return Fail(exists.error());
  auto st = Prepare(
      "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL "
      "SELECT c.id FROM collections AS c JOIN sub ON c.parent = sub.id) "
      "SELECT (SELECT COUNT(*) - 1 FROM sub), COUNT(i.id), COALESCE(SUM(i.size), 0) "
      "FROM items AS i WHERE i.collection IN sub",
      "measure tree");
  st.Bind(id);
  auto row = st.Step();
  if (!row) return Fail(row.error());
  REGIE_CHECK(*row, "an aggregate query returned no row");
  return TreeSize{.collections = st.Uint(0), .items = st.Uint(1), .bytes = st.Uint(2)};
}

Result<DeleteTreeOutcome> SqliteTxn::DeleteCollection(model::OrgId org, model::CollectionId id) {
  auto target = GetCollection(org, id);
  if (!target) return Fail(target.error());
  if (!target->parent) {
    return Fail(Errc::kForbidden, "sqlite: " + Describe(id) + " is a root", "cannot delete a root");
  }
  DeleteTreeOutcome out;
  auto blobs = Prepare(
      "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL "
      "SELECT c.id FROM collections AS c JOIN sub ON c.parent = sub.id) "
      "SELECT blob, COUNT(*), SUM(size) FROM items WHERE collection IN sub GROUP BY blob",
      "list tree blobs");
  blobs.Bind(id);
  struct BlobUse {
    std::string hash;
    std::int64_t count;
  };
  std::vector<BlobUse> uses;
  for (;;) {
    auto row = blobs.Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    uses.push_back({blobs.Text(0), blobs.Int(1)});
    out.items += blobs.Uint(1);
    out.bytes += blobs.Uint(2);
  }
  for (const auto& use : uses) {
    auto left = Prepare(
                    "UPDATE blobs SET refcount = MAX(refcount - ?3, 0) "
                    "WHERE org = ?1 AND hash = ?2 RETURNING refcount",
                    "release tree blob")
                    .Bind(org, use.hash, use.count)
                    .QueryInt();
    if (!left) return Fail(left.error());
    if (*left == 0) {
      auto hash = model::BlobHash::FromHex(use.hash);
      if (!hash) return Fail(Errc::kInternal, "sqlite: item with a malformed blob hash");
      out.released.push_back(*hash);
    }
  }
  if (auto usage = AddUsage(org, target->owner, -static_cast<std::int64_t>(out.bytes)); !usage) {
    return Fail(usage.error());
  }
  // Foreign keys cascade to sub-collections, items and their properties.
  auto deleted =
      Prepare("DELETE FROM collections WHERE id = ?1", "delete collection").Bind(id).Run();
  if (!deleted) return Fail(deleted.error());
  // The parent's log: a collection with its own log (a calendar) took that log with it.
  auto parent = GetCollection(org, *target->parent);
  if (!parent) return Fail(parent.error());
  auto seq = AppendChange(parent->sync_root, *target->parent, target->name,
                          model::ChangeOp::kDeleted, model::MemberKind::kCollection);
  if (!seq) return Fail(seq.error());
  out.seq = *seq;
  return out;
}

Result<model::Collection> SqliteTxn::CheckPlacement(model::OrgId org,
                                                    const model::Collection& source,
                                                    const Placement& to) {
  if (to.name.empty()) return Fail(Errc::kInvalidInput, "sqlite: placement without a name");
  auto parent = GetCollection(org, to.parent);
  if (!parent) return Fail(parent.error());
  if (parent->sync_root != source.sync_root) {
    return Fail(Errc::kInvalidInput, "sqlite: move or copy across sync roots");
  }
  // Walk up from the destination: meeting the source means the destination lies inside it.
  std::optional<model::CollectionId> at = parent->id;
  while (at) {
    if (*at == source.id) {
      return Fail(Errc::kForbidden, "sqlite: " + Describe(source.id) + " into itself",
                  "the destination is inside the source");
    }
    auto up = GetCollection(org, *at);
    if (!up) return Fail(up.error());
    at = up->parent;
  }
  return parent;
}

Result<model::Item> SqliteTxn::GetItem(model::OrgId org, model::ItemId id) {
  auto st = Prepare(
      "SELECT id, org, collection, name, blob, size, etag, content_type, created, modified "
      "FROM items WHERE id = ?1 AND org = ?2",
      "get item");
  st.Bind(id, org);
  return ReadOne(st, ReadItem, [&] { return Describe(id); });
}

Result<model::Collection> SqliteTxn::CheckItemPlacement(model::OrgId org, const model::Item& item,
                                                        const Placement& to) {
  if (to.name.empty()) return Fail(Errc::kInvalidInput, "sqlite: placement without a name");
  auto from = GetCollection(org, item.collection);
  if (!from) return Fail(from.error());
  auto parent = GetCollection(org, to.parent);
  if (!parent) return Fail(parent.error());
  if (parent->sync_root != from->sync_root) {
    return Fail(Errc::kInvalidInput, "sqlite: item move or copy across sync roots");
  }
  return parent;
}

Result<model::Collection> SqliteTxn::MoveCollection(model::OrgId org, model::CollectionId id,
                                                    const Placement& to) {
  auto source = GetCollection(org, id);
  if (!source) return Fail(source.error());
  if (!source->parent) return Fail(Errc::kForbidden, "sqlite: moving a root", "cannot move a root");
  auto parent = CheckPlacement(org, *source, to);
  if (!parent) return Fail(parent.error());
  const std::string_view key = KeyOf(to.name, to.name_key);
  if (auto free = RequireFreeName(to.parent, key, model::ResourceId{id}); !free) {
    return Fail(free.error());
  }
  auto moved = Prepare("UPDATE collections SET parent = ?2, name = ?3, name_key = ?4 WHERE id = ?1",
                       "move collection")
                   .Bind(id, to.parent, to.name, key)
                   .Run();
  if (!moved) return Fail(moved.error());
  if (auto logged = AppendRelocation(source->sync_root, *source->parent, source->name, to,
                                     model::MemberKind::kCollection);
      !logged) {
    return Fail(logged.error());
  }
  source->parent = to.parent;
  source->name = to.name;
  return source;
}

Result<void> SqliteTxn::AppendRelocation(model::CollectionId sync_root,
                                         model::CollectionId old_parent, std::string_view old_name,
                                         const Placement& to, model::MemberKind member) {
  // Gone from the old place, new at the new one: a client that knows only one of the two
  // folders still learns what it must.
  if (auto seq = AppendChange(sync_root, old_parent, old_name, model::ChangeOp::kDeleted, member);
      !seq) {
    return Fail(seq.error());
  }
  if (auto seq = AppendChange(sync_root, to.parent, to.name, model::ChangeOp::kCreated, member);
      !seq) {
    return Fail(seq.error());
  }
  return Ok();
}

Result<model::Item> SqliteTxn::MoveItem(model::OrgId org, model::ItemId id, const Placement& to) {
  auto item = GetItem(org, id);
  if (!item) return Fail(item.error());
  auto parent = CheckItemPlacement(org, *item, to);
  if (!parent) return Fail(parent.error());
  const std::string_view key = KeyOf(to.name, to.name_key);
  if (auto free = RequireFreeName(to.parent, key, model::ResourceId{id}); !free) {
    return Fail(free.error());
  }
  auto moved = Prepare("UPDATE items SET collection = ?2, name = ?3, name_key = ?4 WHERE id = ?1",
                       "move item")
                   .Bind(id, to.parent, to.name, key)
                   .Run();
  if (!moved) return Fail(moved.error());
  if (auto logged = AppendRelocation(parent->sync_root, item->collection, item->name, to,
                                     model::MemberKind::kItem);
      !logged) {
    return Fail(logged.error());
  }
  item->collection = to.parent;
  item->name = to.name;
  return item;
}

Result<model::Item> SqliteTxn::CopyItem(model::OrgId org, model::ItemId id, const Placement& to) {
  auto source = GetItem(org, id);
  if (!source) return Fail(source.error());
  auto parent = CheckItemPlacement(org, *source, to);
  if (!parent) return Fail(parent.error());
  const std::string_view key = KeyOf(to.name, to.name_key);
  if (auto free = RequireFreeName(to.parent, key, {}); !free) return Fail(free.error());
  model::Item copy = *source;
  copy.id = {};
  copy.collection = to.parent;
  copy.name = to.name;
  copy.created = copy.modified = UnixNow();
  if (auto stored = StoreItemRow(copy, key); !stored) return Fail(stored.error());
  if (auto taken = TakeBlob(org, copy.blob, copy.size); !taken) return Fail(taken.error());
  if (auto usage = AddUsage(org, parent->owner, static_cast<std::int64_t>(copy.size)); !usage) {
    return Fail(usage.error());
  }
  if (auto props = CopyProperties(model::ResourceId{id}, model::ResourceId{copy.id}); !props) {
    return Fail(props.error());
  }
  auto seq = AppendChange(parent->sync_root, to.parent, to.name, model::ChangeOp::kCreated,
                          model::MemberKind::kItem);
  if (!seq) return Fail(seq.error());
  return copy;
}

Result<model::Collection> SqliteTxn::CopyCollection(model::OrgId org, model::CollectionId id,
                                                    const Placement& to, CopyDepth depth) {
  auto source = GetCollection(org, id);
  if (!source) return Fail(source.error());
  auto parent = CheckPlacement(org, *source, to);
  if (!parent) return Fail(parent.error());
  auto copy = CreateCollection({.org = org,
                                .owner = parent->owner,
                                .parent = to.parent,
                                .kind = source->kind,
                                .name = to.name,
                                .name_key = to.name_key});
  if (!copy) return Fail(copy.error());
  if (auto props = CopyProperties(model::ResourceId{id}, model::ResourceId{copy->id}); !props) {
    return Fail(props.error());
  }
  if (depth == CopyDepth::kTree) {
    auto size = MeasureTree(org, id);
    if (!size) return Fail(size.error());
    if (auto copied = CopyMembers(org, id, copy->id); !copied) return Fail(copied.error());
    if (auto usage = AddUsage(org, parent->owner, static_cast<std::int64_t>(size->bytes)); !usage) {
      return Fail(usage.error());
    }
  }
  return copy;
}

// Copies the members of `from` into the empty collection `to`, one statement per kind of row
// and folder, then recurses into the sub-collections. Blob refcounts rise by the copies.
Result<void> SqliteTxn::CopyMembers(model::OrgId org, model::CollectionId from,
                                    model::CollectionId to) {
  const std::int64_t now = UnixNow();
  auto items = Prepare(
                   "INSERT INTO items (org, collection, name, name_key, blob, size, etag, "
                   "content_type, created, modified) SELECT org, ?2, name, name_key, blob, size, "
                   "etag, content_type, ?3, ?3 FROM items WHERE collection = ?1",
                   "copy items")
                   .Bind(from, to, now)
                   .Run();
  if (!items) return Fail(items.error());
  if (*items > 0) {
    auto props = Prepare(
                     "INSERT INTO item_properties (item, ns, name, value) "
                     "SELECT n.id, p.ns, p.name, p.value FROM items AS o "
                     "JOIN items AS n ON n.collection = ?2 AND n.name = o.name "
                     "JOIN item_properties AS p ON p.item = o.id WHERE o.collection = ?1",
                     "copy item properties")
                     .Bind(from, to)
                     .Run();
    if (!props) return Fail(props.error());
    auto blobs = Prepare(
                     "UPDATE blobs SET refcount = refcount + r.n FROM "
                     "(SELECT blob, COUNT(*) AS n FROM items WHERE collection = ?1 GROUP BY blob) "
                     "AS r WHERE blobs.org = ?2 AND blobs.hash = r.blob",
                     "reference copied blobs")
                     .Bind(from, org)
                     .Run();
    if (!blobs) return Fail(blobs.error());
  }
  auto subs = Prepare(
      "SELECT id, org, owner, parent, sync_root, kind, name, created, modified FROM collections "
      "WHERE parent = ?1",
      "list collections to copy");
  subs.Bind(from);
  auto children = ReadAll<model::Collection>(subs, ReadCollection);
  if (!children) return Fail(children.error());
  for (const auto& child : *children) {
    auto made = Prepare(
                    "INSERT INTO collections (org, owner, parent, sync_root, kind, name, name_key, "
                    "created, modified) SELECT org, owner, ?2, sync_root, kind, name, name_key, "
                    "?3, ?3 FROM collections WHERE id = ?1 RETURNING id",
                    "copy collection")
                    .Bind(child.id, to, now)
                    .QueryInt();
    if (!made) return Fail(made.error());
    REGIE_CHECK(made->has_value(), "INSERT ... RETURNING returned no row");
    const model::CollectionId copy{**made};
    if (auto props = CopyProperties(model::ResourceId{child.id}, model::ResourceId{copy}); !props) {
      return Fail(props.error());
    }
    if (auto deeper = CopyMembers(org, child.id, copy); !deeper) return Fail(deeper.error());
  }
  return Ok();
}

}  // namespace regie::storage::sqlite
