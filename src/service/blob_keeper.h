// Reference keeping for content blobs, shared by every service that stores content (files,
// calendar objects, vCards): blobs are content-addressed per organisation, so a file and an
// event with equal bytes share one blob, and only one lock may decide when a blob is gone.
//
// The rule: "a blob becomes visible and metadata takes a reference" (Pin(), shared: writes run
// in parallel) excludes "its refcount is zero, so remove it" (Release(), exclusive). Without it a
// blob being added again could be deleted under its new reference. Nothing else revives a blob
// at refcount zero.
//
// Threads: thread-safe. Every method but Pin() blocks (disk, fsync).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/account.h"
#include "model/content.h"
#include "storage/blob_store.h"
#include "storage/metadata_store.h"

namespace regie::service {

// Blobs up to this size may be inline in the metadata store, whatever the current setting.
inline constexpr std::uint64_t kLargestInlineBlob = 64 * 1024ULL;

// A whole body made ready for an ItemWrite.
struct StoredContent {
  model::BlobHash hash;
  std::uint64_t size = 0;
  std::optional<std::string> inline_content;  // Set when the bytes go into the metadata store.
};

class BlobKeeper {
 public:
  BlobKeeper(std::shared_ptr<storage::MetadataStore> metadata,
             std::shared_ptr<storage::BlobStore> blobs);

  // Hold this from the moment a new blob is durable until the transaction that references it
  // committed (or failed and the blob was handed to Release() after unlocking).
  std::shared_lock<std::shared_mutex> Pin();

  // Stores a whole small body (a calendar object, a vCard): inline when it has at most
  // `inline_limit` bytes, else durably in the BlobStore. Call with a Pin() held.
  Result<StoredContent> Store(const model::Org& org, std::string bytes, std::size_t inline_limit);

  // Opens an item's content from `offset`: `inline_content` when the caller already has it,
  // else the metadata store's inline bytes, else the BlobStore.
  Result<std::unique_ptr<storage::BlobReader>> Open(const model::Org& org, const model::Item& item,
                                                    std::optional<std::string> inline_content,
                                                    std::uint64_t offset);
  // The whole content of a small item (a calendar object) in memory.
  Result<std::string> ReadAll(const model::Org& org, const model::Item& item);

  // Forgets and removes each of `hashes` whose refcount is zero, in one transaction. Takes the
  // lock exclusively: the caller must not hold a Pin(). Failures, and removals paused by a
  // backup (BlobStore::PermitRemovals), leave unreferenced blobs for CollectGarbage().
  void Release(const model::Org& org, const std::vector<model::BlobHash>& hashes);
  // Removes blobs that nothing references any more (after deletions from the CLI, crashes,
  // backups). kUnavailable while a backup pauses removals.
  Result<std::size_t> CollectGarbage();

  storage::BlobStore& blobs() { return *blobs_; }

 private:
  std::shared_ptr<storage::MetadataStore> metadata_;
  std::shared_ptr<storage::BlobStore> blobs_;
  std::shared_mutex mu_;
};

}  // namespace regie::service
