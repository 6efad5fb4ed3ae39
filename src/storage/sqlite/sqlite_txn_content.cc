// Collections, items, blob reference counts, usage and the change log.
#include <algorithm>
#include <limits>
#include <map>
#include <span>
#include <string>

#include "base/check.h"
#include "storage/sqlite/sqlite_rows.h"
#include "storage/sqlite/sqlite_txn.h"

namespace regie::storage::sqlite {
namespace {

std::string_view ChangeOpName(model::ChangeOp op) {
  switch (op) {
    case model::ChangeOp::kCreated:
      return "created";
    case model::ChangeOp::kModified:
      return "modified";
    case model::ChangeOp::kDeleted:
      return "deleted";
  }
  return "modified";  // Unreachable; keeps -Wreturn-type quiet.
}

std::optional<model::ChangeOp> ParseChangeOp(std::string_view name) {
  for (auto op :
       {model::ChangeOp::kCreated, model::ChangeOp::kModified, model::ChangeOp::kDeleted}) {
    if (ChangeOpName(op) == name) return op;
  }
  return std::nullopt;
}

Result<model::Change> ReadChange(const Statement& row) {
  const auto op = ParseChangeOp(row.Text(4));
  if (!op) return Fail(Errc::kInternal, "sqlite: change with an unknown op");
  return model::Change{
      .sync_root = model::CollectionId{row.Int(0)},
      .seq = row.Uint(1),
      .collection = model::CollectionId{row.Int(2)},
      .name = row.Text(3),
      .op = *op,
      .member =
          row.Text(5) == "collection" ? model::MemberKind::kCollection : model::MemberKind::kItem,
  };
}

std::string Describe(std::string_view what, std::int64_t id) {
  return std::string(what) + " " + std::to_string(id);
}

std::string Describe(model::CollectionId collection, std::string_view name) {
  return "item '" + std::string(name) + "' in collection " + std::to_string(collection.value);
}

std::uint64_t ClampLimit(std::size_t limit) {
  return std::min<std::uint64_t>(limit, std::numeric_limits<std::int64_t>::max());
}

}  // namespace

// --- Collections

Result<model::Collection> SqliteTxn::CreateCollection(const NewCollection& collection) {
  if (auto owner = RequirePrincipal(collection.owner, collection.org); !owner) {
    return Fail(owner.error());
  }
  std::optional<model::CollectionId> sync_root;
  if (collection.parent) {
    if (collection.name.empty()) {
      return Fail(Errc::kInvalidInput, "sqlite: a child collection needs a name", "empty name");
    }
    auto parent = GetCollection(collection.org, *collection.parent);
    if (!parent) return Fail(parent.error());
    // Usage, quotas and DeletePrincipal attribute a whole tree to its root's owner.
    if (parent->owner != collection.owner) {
      return Fail(Errc::kInvalidInput, "sqlite: a child collection must have its parent's owner");
    }
    sync_root = parent->sync_root;
  } else if (!collection.name.empty()) {
    return Fail(Errc::kInvalidInput, "sqlite: a root collection has no name");
  }
  const std::string_view key = KeyOf(collection.name, collection.name_key);
  if (collection.parent) {
    if (auto free = RequireFreeName(*collection.parent, key, {}); !free) return Fail(free.error());
  }
  const std::int64_t now = UnixNow();
  auto id = Prepare(
                "INSERT INTO collections (org, owner, parent, sync_root, kind, name, name_key, "
                "created, modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id",
                "create collection")
                .Bind(collection.org, collection.owner, collection.parent, sync_root,
                      model::CollectionKindName(collection.kind), collection.name, key, now)
                .QueryInt();
  if (!id) return Fail(id.error());
  REGIE_CHECK(id->has_value(), "INSERT ... RETURNING returned no row");
  const model::CollectionId created_id{**id};
  const std::optional<model::CollectionId> logged_in = sync_root;  // Where its creation is logged.
  if (collection.sync_root == SyncRoot::kOwn) sync_root.reset();
  if (!sync_root) {
    // A root (or a kOwn child) is its own sync root; its id exists only after the insert.
    auto done = Prepare("UPDATE collections SET sync_root = id WHERE id = ?1", "create root")
                    .Bind(created_id)
                    .Run();
    if (!done) return Fail(done.error());
    sync_root = created_id;
  }
  if (logged_in) {
    auto seq = AppendChange(*logged_in, *collection.parent, collection.name,
                            model::ChangeOp::kCreated, model::MemberKind::kCollection);
    if (!seq) return Fail(seq.error());
  }
  return model::Collection{
      .id = created_id,
      .org = collection.org,
      .owner = collection.owner,
      .parent = collection.parent,
      .sync_root = *sync_root,
      .kind = collection.kind,
      .name = collection.name,
      .created = now,
      .modified = now,
  };
}

Result<model::Collection> SqliteTxn::GetCollection(model::OrgId org, model::CollectionId id) {
  auto st = Prepare(
      "SELECT id, org, owner, parent, sync_root, kind, name, created, modified FROM collections "
      "WHERE id = ?1 AND org = ?2",
      "get collection");
  st.Bind(id, org);
  return ReadOne(st, ReadCollection, [&] { return Describe("collection", id.value); });
}

Result<model::Collection> SqliteTxn::FindRoot(model::OrgId org, model::PrincipalId owner,
                                              model::CollectionKind kind) {
  auto st = Prepare(
      "SELECT id, org, owner, parent, sync_root, kind, name, created, modified FROM collections "
      "WHERE owner = ?2 AND kind = ?3 AND parent IS NULL AND org = ?1",
      "find root");
  st.Bind(org, owner, model::CollectionKindName(kind));
  return ReadOne(st, ReadCollection, [&] {
    return std::string(model::CollectionKindName(kind)) + " root of " +
           Describe("principal", owner.value);
  });
}

Result<model::Collection> SqliteTxn::FindChild(model::OrgId org, model::CollectionId parent,
                                               std::string_view name) {
  auto st = Prepare(
      "SELECT id, org, owner, parent, sync_root, kind, name, created, modified FROM collections "
      "WHERE parent = ?2 AND name = ?3 AND org = ?1",
      "find child");
  st.Bind(org, parent, name);
  return ReadOne(st, ReadCollection, [&] {
    return "collection '" + std::string(name) + "' in " + Describe("collection", parent.value);
  });
}

// --- Items

Result<model::Item> SqliteTxn::FindItem(model::OrgId org, model::CollectionId collection,
                                        std::string_view name) {
  auto st = Prepare(
      "SELECT id, org, collection, name, blob, size, etag, content_type, created, modified "
      "FROM items WHERE collection = ?2 AND name = ?3 AND org = ?1",
      "find item");
  st.Bind(org, collection, name);
  return ReadOne(st, ReadItem, [&] { return Describe(collection, name); });
}

Result<std::vector<ItemWithContent>> SqliteTxn::FindItems(model::OrgId org,
                                                          model::CollectionId collection,
                                                          const std::vector<std::string>& names) {
  // One statement per chunk of names; a shorter chunk binds NULL to the rest, which IN never
  // matches, so that one cached statement serves every chunk.
  constexpr int kChunk = 64;
  static const std::string kSql = [] {
    std::string sql =
        "SELECT i.id, i.org, i.collection, i.name, i.blob, i.size, i.etag, i.content_type, "
        "i.created, i.modified, b.data FROM items AS i "
        "LEFT JOIN blobs AS b ON b.org = i.org AND b.hash = i.blob "
        "WHERE i.org = ?1 AND i.collection = ?2 AND i.name IN (";
    for (int k = 0; k < kChunk; ++k) sql += (k > 0 ? ", ?" : "?") + std::to_string(k + 3);
    return sql + ")";
  }();
  std::map<std::string, ItemWithContent, std::less<>> found;
  for (std::size_t at = 0; at < names.size(); at += kChunk) {
    const auto end = std::min(names.size(), at + kChunk);
    const std::span<const std::string> chunk(names.data() + at, end - at);
    auto st = Prepare(kSql, "find items");
    st.Bind(org, collection).BindRange(3, chunk, kChunk - static_cast<int>(chunk.size()));
    auto rows = ReadAll<ItemWithContent>(st, [](const Statement& row) -> Result<ItemWithContent> {
      auto item = ReadItem(row);
      if (!item) return Fail(item.error());
      ItemWithContent entry{.item = std::move(*item), .inline_content = std::nullopt};
      if (!row.IsNull(10)) {
        const auto bytes = row.Blob(10);
        entry.inline_content.emplace(bytes.begin(), bytes.end());
      }
      return entry;
    });
    if (!rows) return Fail(rows.error());
    for (auto& entry : *rows) {
      std::string name = entry.item.name;
      found.emplace(std::move(name), std::move(entry));
    }
  }
  std::vector<ItemWithContent> out;
  out.reserve(found.size());
  for (const auto& name : names) {
    if (auto it = found.find(name); it != found.end()) out.push_back(it->second);
  }
  return out;
}

Result<PutItemOutcome> SqliteTxn::PutItem(const ItemWrite& write) {
  if (write.name.empty()) return Fail(Errc::kInvalidInput, "sqlite: put item: empty name");
  auto collection = GetCollection(write.org, write.collection);
  if (!collection) return Fail(collection.error());
  auto existing = FindItem(write.org, write.collection, write.name);
  if (!existing && existing.error().code != Errc::kNotFound) return Fail(existing.error());

  const std::string_view key = KeyOf(write.name, write.name_key);
  if (!existing) {
    if (auto free = RequireFreeName(write.collection, key, {}); !free) return Fail(free.error());
  }
  PutItemOutcome out;
  out.created = !existing;
  const std::int64_t now = UnixNow();
  out.item = model::Item{
      .id = existing ? existing->id : model::ItemId{},
      .org = write.org,
      .collection = write.collection,
      .name = write.name,
      .blob = write.blob,
      .size = write.size,
      .etag = model::EtagFor(write.blob),
      .content_type = write.content_type,
      .created = existing ? existing->created : now,
      .modified = now,
  };
  if (auto stored = StoreItemRow(out.item, key); !stored) return Fail(stored.error());
  // Replacing an item by the same bytes leaves the blob's refcount as it was.
  if (!existing || existing->blob != write.blob) {
    if (auto taken = TakeBlob(write.org, write.blob, write.size, write.inline_content); !taken)
      return Fail(taken.error());
    if (existing) {
      auto released = ReleaseBlob(write.org, existing->blob);
      if (!released) return Fail(released.error());
      out.released = *released;
    }
  }
  const auto old_size = static_cast<std::int64_t>(existing ? existing->size : 0);
  if (auto added =
          AddUsage(write.org, collection->owner, static_cast<std::int64_t>(write.size) - old_size);
      !added) {
    return Fail(added.error());
  }
  auto seq = AppendChange(collection->sync_root, write.collection, write.name,
                          existing ? model::ChangeOp::kModified : model::ChangeOp::kCreated,
                          model::MemberKind::kItem);
  if (!seq) return Fail(seq.error());
  out.seq = *seq;
  return out;
}

Result<void> SqliteTxn::StoreItemRow(model::Item& item, std::string_view name_key) {
  if (item.id.valid()) {
    auto updated =
        Prepare(
            "UPDATE items SET blob = ?2, size = ?3, etag = ?4, content_type = ?5, "
            "modified = ?6 WHERE id = ?1",
            "replace item")
            .Bind(item.id, item.blob.Hex(), item.size, item.etag, item.content_type, item.modified)
            .Run();
    if (!updated) return Fail(updated.error());
    return Ok();
  }
  auto id = Prepare(
                "INSERT INTO items (org, collection, name, name_key, blob, size, etag, "
                "content_type, created, modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                "RETURNING id",
                "create item")
                .Bind(item.org, item.collection, item.name, name_key, item.blob.Hex(), item.size,
                      item.etag, item.content_type, item.created, item.modified)
                .QueryInt();
  if (!id) return Fail(id.error());
  REGIE_CHECK(id->has_value(), "INSERT ... RETURNING returned no row");
  item.id = model::ItemId{**id};
  return Ok();
}

Result<DeleteItemOutcome> SqliteTxn::DeleteItem(model::OrgId org, model::CollectionId collection,
                                                std::string_view name) {
  auto parent = GetCollection(org, collection);
  if (!parent) return Fail(parent.error());
  auto existing = FindItem(org, collection, name);
  if (!existing) return Fail(existing.error());
  auto deleted = Prepare("DELETE FROM items WHERE id = ?1", "delete item").Bind(existing->id).Run();
  if (!deleted) return Fail(deleted.error());
  auto released = ReleaseBlob(org, existing->blob);
  if (!released) return Fail(released.error());
  if (auto added = AddUsage(org, parent->owner, -static_cast<std::int64_t>(existing->size));
      !added) {
    return Fail(added.error());
  }
  auto seq = AppendChange(parent->sync_root, collection, name, model::ChangeOp::kDeleted,
                          model::MemberKind::kItem);
  if (!seq) return Fail(seq.error());
  return DeleteItemOutcome{.item = std::move(*existing), .released = *released, .seq = *seq};
}

// --- Usage

Result<void> SqliteTxn::AddUsage(model::OrgId org, model::PrincipalId owner, std::int64_t delta) {
  if (delta == 0) return Ok();
  // MAX(..., 0): a usage column is never allowed to wrap below zero, even if it drifted.
  auto principal =
      Prepare("UPDATE principals SET used_bytes = MAX(used_bytes + ?2, 0) WHERE id = ?1",
              "update principal usage")
          .Bind(owner, delta)
          .Run();
  if (!principal) return Fail(principal.error());
  auto whole_org = Prepare("UPDATE orgs SET used_bytes = MAX(used_bytes + ?2, 0) WHERE id = ?1",
                           "update org usage")
                       .Bind(org, delta)
                       .Run();
  if (!whole_org) return Fail(whole_org.error());
  return Ok();
}

Result<std::uint64_t> SqliteTxn::PrincipalUsage(model::PrincipalId owner) {
  auto st = Prepare("SELECT used_bytes FROM principals WHERE id = ?1", "principal usage");
  st.Bind(owner);
  return ReadOne(
      st, [](const Statement& row) -> Result<std::uint64_t> { return row.Uint(0); },
      [&] { return Describe("principal", owner.value); });
}

Result<std::uint64_t> SqliteTxn::OrgUsage(model::OrgId org) {
  auto st = Prepare("SELECT used_bytes FROM orgs WHERE id = ?1", "org usage");
  st.Bind(org);
  return ReadOne(
      st, [](const Statement& row) -> Result<std::uint64_t> { return row.Uint(0); },
      [&] { return Describe("org", org.value); });
}

// --- Blobs

Result<void> SqliteTxn::TakeBlob(model::OrgId org, const model::BlobHash& hash, std::uint64_t size,
                                 const std::optional<std::string>& content) {
  // COALESCE: a blob whose bytes are already stored (inline or as a file) keeps them.
  std::optional<std::span<const std::uint8_t>> bytes;
  if (content) {
    bytes = std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(content->data()),
                                          content->size());
  }
  auto done = Prepare(
                  "INSERT INTO blobs (org, hash, size, refcount, data) VALUES (?1, ?2, ?3, 1, ?4) "
                  "ON CONFLICT (org, hash) DO UPDATE SET refcount = refcount + 1, "
                  "data = COALESCE(data, excluded.data)",
                  "reference blob")
                  .Bind(org, hash.Hex(), size, bytes)
                  .Run();
  if (!done) return Fail(done.error());
  return Ok();
}

Result<std::optional<model::BlobHash>> SqliteTxn::ReleaseBlob(model::OrgId org,
                                                              const model::BlobHash& hash) {
  // "refcount > 0": a blob already at zero is not reported released a second time.
  auto left = Prepare(
                  "UPDATE blobs SET refcount = refcount - 1 "
                  "WHERE org = ?1 AND hash = ?2 AND refcount > 0 RETURNING refcount",
                  "release blob")
                  .Bind(org, hash.Hex())
                  .QueryInt();
  if (!left) return Fail(left.error());
  if (*left == 0) return std::optional<model::BlobHash>(hash);
  return std::optional<model::BlobHash>();
}

Result<std::uint64_t> SqliteTxn::BlobRefcount(model::OrgId org, const model::BlobHash& hash) {
  auto count = Prepare("SELECT refcount FROM blobs WHERE org = ?1 AND hash = ?2", "blob refcount")
                   .Bind(org, hash.Hex())
                   .QueryInt();
  if (!count) return Fail(count.error());
  return static_cast<std::uint64_t>(std::max<std::int64_t>(count->value_or(0), 0));
}

Result<std::optional<std::string>> SqliteTxn::InlineContent(model::OrgId org,
                                                            const model::BlobHash& hash) {
  auto st = Prepare("SELECT data FROM blobs WHERE org = ?1 AND hash = ?2", "read inline blob");
  st.Bind(org, hash.Hex());
  auto row = st.Step();
  if (!row) return Fail(row.error());
  if (!*row || st.IsNull(0)) return std::optional<std::string>();
  const auto bytes = st.Blob(0);
  return std::optional<std::string>(std::string(bytes.begin(), bytes.end()));
}

Result<std::vector<BlobRef>> SqliteTxn::ListUnreferencedBlobs(std::size_t limit) {
  auto st =
      Prepare("SELECT org, hash, size FROM blobs WHERE refcount = 0 ORDER BY org, hash LIMIT ?1",
              "list unreferenced blobs");
  st.Bind(ClampLimit(limit));
  return ReadAll<BlobRef>(st, [](const Statement& row) -> Result<BlobRef> {
    const auto hash = model::BlobHash::FromHex(row.Text(1));
    if (!hash) return Fail(Errc::kInternal, "sqlite: blob row with a malformed hash");
    return BlobRef{.org = model::OrgId{row.Int(0)}, .hash = *hash, .size = row.Uint(2)};
  });
}

Result<bool> SqliteTxn::ForgetBlob(model::OrgId org, const model::BlobHash& hash) {
  auto deleted =
      Prepare("DELETE FROM blobs WHERE org = ?1 AND hash = ?2 AND refcount = 0", "forget blob")
          .Bind(org, hash.Hex())
          .Run();
  if (!deleted) return Fail(deleted.error());
  return *deleted > 0;
}

// --- Change log

Result<std::uint64_t> SqliteTxn::AppendChange(model::CollectionId sync_root,
                                              model::CollectionId collection, std::string_view name,
                                              model::ChangeOp op, model::MemberKind member) {
  // The root row's write lock (held by this write transaction) serialises seq allocation.
  auto seq = Prepare("UPDATE collections SET seq = seq + 1 WHERE id = ?1 RETURNING seq",
                     "allocate change seq")
                 .Bind(sync_root)
                 .QueryInt();
  if (!seq) return Fail(seq.error());
  if (!seq->has_value())
    return Fail(Errc::kInternal, Describe("sqlite: missing sync root", sync_root.value));
  auto done = Prepare(
                  "INSERT INTO changes (sync_root, seq, collection, name, op, member) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                  "append change")
                  .Bind(sync_root, **seq, collection, name, ChangeOpName(op),
                        member == model::MemberKind::kCollection ? "collection" : "item")
                  .Run();
  if (!done) return Fail(done.error());
  return static_cast<std::uint64_t>(**seq);
}

Result<std::uint64_t> SqliteTxn::CurrentSeq(model::CollectionId sync_root) {
  auto st = Prepare("SELECT seq FROM collections WHERE id = ?1 AND sync_root = id", "current seq");
  st.Bind(sync_root);
  return ReadOne(
      st, [](const Statement& row) -> Result<std::uint64_t> { return row.Uint(0); },
      [&] { return Describe("sync root", sync_root.value); });
}

Result<std::vector<model::Change>> SqliteTxn::ChangesSince(model::CollectionId sync_root,
                                                           std::uint64_t after, std::size_t limit) {
  auto st = Prepare(
      "SELECT sync_root, seq, collection, name, op, member FROM changes "
      "WHERE sync_root = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
      "changes since");
  st.Bind(sync_root, after, ClampLimit(limit));
  auto changes = ReadAll<model::Change>(st, ReadChange);
  if (!changes || !changes->empty()) return changes;
  // Only an empty answer needs telling apart from a sync root that does not exist.
  if (auto seq = CurrentSeq(sync_root); !seq) return Fail(seq.error());
  return changes;
}

}  // namespace regie::storage::sqlite
