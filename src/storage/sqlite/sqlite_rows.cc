#include "storage/sqlite/sqlite_rows.h"

#include <string>

namespace regie::storage::sqlite {

// Column order: id, org, owner, parent, sync_root, kind, name, created, modified.
Result<model::Collection> ReadCollection(const Statement& row) {
  const auto kind = model::ParseCollectionKind(row.Text(5));
  if (!kind) {
    return Fail(Errc::kInternal,
                "sqlite: collection " + std::to_string(row.Int(0)) + " has an unknown kind");
  }
  return model::Collection{
      .id = model::CollectionId{row.Int(0)},
      .org = model::OrgId{row.Int(1)},
      .owner = model::PrincipalId{row.Int(2)},
      .parent = row.IsNull(3) ? std::nullopt : std::optional(model::CollectionId{row.Int(3)}),
      .sync_root = model::CollectionId{row.Int(4)},
      .kind = *kind,
      .name = row.Text(6),
      .created = row.Int(7),
      .modified = row.Int(8),
  };
}

// Column order: id, org, collection, name, blob, size, etag, content_type, created, modified.
Result<model::Item> ReadItem(const Statement& row) {
  const auto blob = model::BlobHash::FromHex(row.Text(4));
  if (!blob) {
    return Fail(Errc::kInternal,
                "sqlite: item " + std::to_string(row.Int(0)) + " has a malformed blob hash");
  }
  return model::Item{
      .id = model::ItemId{row.Int(0)},
      .org = model::OrgId{row.Int(1)},
      .collection = model::CollectionId{row.Int(2)},
      .name = row.Text(3),
      .blob = *blob,
      .size = row.Uint(5),
      .etag = row.Text(6),
      .content_type = row.Text(7),
      .created = row.Int(8),
      .modified = row.Int(9),
  };
}

}  // namespace regie::storage::sqlite
