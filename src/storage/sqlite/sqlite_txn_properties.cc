// Dead properties of collections and items (RFC 4918 §4.2), stored as the client sent them.
#include <string>

#include "storage/sqlite/sqlite_txn.h"

namespace regie::storage::sqlite {

Result<void> SqliteTxn::RequireResource(model::OrgId org, const model::ResourceId& resource) {
  if (const auto* item = std::get_if<model::ItemId>(&resource)) {
    if (auto exists = GetItem(org, *item); !exists) return Fail(exists.error());
    return Ok();
  }
  if (auto exists = GetCollection(org, std::get<model::CollectionId>(resource)); !exists) {
    return Fail(exists.error());
  }
  return Ok();
}

Result<void> SqliteTxn::CopyProperties(const model::ResourceId& from, const model::ResourceId& to) {
  Result<int> copied = 0;
  if (const auto* item = std::get_if<model::ItemId>(&from)) {
    copied = Prepare(
                 "INSERT INTO item_properties (item, ns, name, value) "
                 "SELECT ?2, ns, name, value FROM item_properties WHERE item = ?1",
                 "copy properties")
                 .Bind(*item, std::get<model::ItemId>(to))
                 .Run();
  } else {
    copied = Prepare(
                 "INSERT INTO collection_properties (collection, ns, name, value) "
                 "SELECT ?2, ns, name, value FROM collection_properties WHERE collection = ?1",
                 "copy collection properties")
                 .Bind(std::get<model::CollectionId>(from), std::get<model::CollectionId>(to))
                 .Run();
  }
  if (!copied) return Fail(copied.error());
  return Ok();
}

Result<void> SqliteTxn::RecordPropertyChange(model::OrgId org, const model::ResourceId& resource) {
  model::CollectionId parent;
  std::string name;
  model::MemberKind member = model::MemberKind::kItem;
  if (const auto* id = std::get_if<model::ItemId>(&resource)) {
    auto item = GetItem(org, *id);
    if (!item) return Fail(item.error());
    parent = item->collection;
    name = std::move(item->name);
  } else {
    auto collection = GetCollection(org, std::get<model::CollectionId>(resource));
    if (!collection) return Fail(collection.error());
    if (!collection->parent) return Ok();  // A root is no member of anything.
    parent = *collection->parent;
    name = collection->name;
    member = model::MemberKind::kCollection;
  }
  auto at = GetCollection(org, parent);
  if (!at) return Fail(at.error());
  auto seq = AppendChange(at->sync_root, parent, name, model::ChangeOp::kModified, member);
  if (!seq) return Fail(seq.error());
  return Ok();
}

Result<std::vector<DeadProperty>> SqliteTxn::ListProperties(model::OrgId org,
                                                            const model::ResourceId& resource) {
  if (auto exists = RequireResource(org, resource); !exists) return Fail(exists.error());
  auto read = [](const Statement& row) -> Result<DeadProperty> {
    return DeadProperty{.name = {row.Text(0), row.Text(1)}, .value = row.Text(2)};
  };
  if (const auto* item = std::get_if<model::ItemId>(&resource)) {
    auto st =
        Prepare("SELECT ns, name, value FROM item_properties WHERE item = ?1 ORDER BY ns, name",
                "list properties");
    st.Bind(*item);
    return ReadAll<DeadProperty>(st, read);
  }
  auto st = Prepare(
      "SELECT ns, name, value FROM collection_properties WHERE collection = ?1 ORDER BY ns, name",
      "list collection properties");
  st.Bind(std::get<model::CollectionId>(resource));
  return ReadAll<DeadProperty>(st, read);
}

Result<void> SqliteTxn::SetProperty(model::OrgId org, const model::ResourceId& resource,
                                    const DeadProperty& property) {
  // Finds the resource in `org` (kNotFound otherwise) before anything is written.
  if (auto logged = RecordPropertyChange(org, resource); !logged) return logged;
  Result<int> done = 0;
  if (const auto* item = std::get_if<model::ItemId>(&resource)) {
    done = Prepare(
               "INSERT INTO item_properties (item, ns, name, value) VALUES (?1, ?2, ?3, ?4) "
               "ON CONFLICT (item, ns, name) DO UPDATE SET value = excluded.value",
               "set property")
               .Bind(*item, property.name.ns, property.name.name, property.value)
               .Run();
  } else {
    done = Prepare(
               "INSERT INTO collection_properties (collection, ns, name, value) "
               "VALUES (?1, ?2, ?3, ?4) "
               "ON CONFLICT (collection, ns, name) DO UPDATE SET value = excluded.value",
               "set collection property")
               .Bind(std::get<model::CollectionId>(resource), property.name.ns, property.name.name,
                     property.value)
               .Run();
  }
  if (!done) return Fail(done.error());
  return Ok();
}

Result<void> SqliteTxn::RemoveProperty(model::OrgId org, const model::ResourceId& resource,
                                       const QName& name) {
  if (auto logged = RecordPropertyChange(org, resource); !logged) return logged;
  Result<int> done = 0;
  if (const auto* item = std::get_if<model::ItemId>(&resource)) {
    done = Prepare("DELETE FROM item_properties WHERE item = ?1 AND ns = ?2 AND name = ?3",
                   "remove property")
               .Bind(*item, name.ns, name.name)
               .Run();
  } else {
    done =
        Prepare("DELETE FROM collection_properties WHERE collection = ?1 AND ns = ?2 AND name = ?3",
                "remove collection property")
            .Bind(std::get<model::CollectionId>(resource), name.ns, name.name)
            .Run();
  }
  if (!done) return Fail(done.error());
  return Ok();
}

}  // namespace regie::storage::sqlite
