// What the integrity checks (`regie fsck`, `regie scrub`, backups) read from the two storage
// interfaces: rows of the metadata store as they are, with the references counted from the items
// that hold them, and the blobs a BlobStore actually has. Plain values; the checks themselves
// live in service/integrity.h, above the interfaces, so that every backend gets them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/result.h"
#include "model/content.h"
#include "model/ids.h"

namespace regie::storage {

// Called once per record of a scan; an error stops the scan and becomes its result.
template <typename Record>
using Visitor = std::function<Result<void>(const Record&)>;

// A blob as the metadata store knows it: its row (if any) and the items that point at it.
struct BlobRecord {
  model::OrgId org{};
  model::BlobHash hash{};
  bool has_row = true;           // False: items reference a blob that has no row.
  std::uint64_t size = 0;        // The row's size; for a blob without a row, the items' size.
  std::uint64_t refcount = 0;    // As stored in the row; 0 without a row.
  std::uint64_t references = 0;  // Items whose content this blob is, counted now.
  // The bytes of a blob stored inline in the metadata store; empty for one in the BlobStore.
  std::optional<std::string> inline_content{};
};

// A collection row with the uniqueness key of its name.
struct CollectionRecord {
  model::Collection collection{};
  std::string name_key{};
};

// Two or more members (collections and items alike) of one collection sharing a name key.
struct NameClash {
  model::CollectionId parent{};
  std::string name_key{};
  std::uint64_t members = 0;
};

// An item whose collection does not exist or belongs to another organisation.
struct StrayItem {
  model::ItemId id{};
  model::OrgId org{};
  model::CollectionId collection{};
  std::string name{};
};

// The changes recorded under one sync root, against the root's own sequence.
struct ChangeLogRecord {
  model::CollectionId sync_root{};
  bool root_exists = false;    // A collection with this id exists...
  bool is_sync_root = false;   // ...and is its own sync root.
  std::uint64_t root_seq = 0;  // The root's current sequence (0 when it does not exist).
  std::uint64_t max_seq = 0;   // The highest sequence among its changes.
  std::uint64_t changes = 0;   // How many changes it has.
};

// A blob as a BlobStore has it.
struct StoredBlob {
  std::string org{};  // The organisation's name (blobs are stored by name, rows by id).
  model::BlobHash hash{};
  std::uint64_t size = 0;
};

}  // namespace regie::storage
