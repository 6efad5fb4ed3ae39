// Shared pieces of the integrity checks (integrity.h), split by concept: integrity_blobs.cc
// (blobs), integrity_tree.cc (collections and change logs), integrity.cc (the two entry points).
// Internal to the service layer.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "service/integrity.h"

namespace regie::service::integrity {

// Appends findings to a report, keeping at most `max` while counting all of them.
class Findings {
 public:
  Findings(IntegrityReport& report, std::size_t max) : report_(report), max_(max) {}
  void Add(std::string kind, std::string object, std::string detail, bool repaired);

 private:
  IntegrityReport& report_;
  const std::size_t max_;
};

// Organisation names by id and ids by name: rows name orgs by id, blob stores by name.
struct OrgNames {
  std::map<std::int64_t, std::string> by_id;
  std::map<std::string, std::int64_t, std::less<>> by_name;
};
Result<OrgNames> LoadOrgNames(storage::MetadataStore& metadata);

// The error a visitor returns to stop a scan when a stop was requested.
Error StopError();
bool IsStop(const Error& error);

std::string BlobObject(std::string_view org, const model::BlobHash& hash);

// The SHA-256 of a stored blob's bytes, read in chunks; counts the blob and its bytes.
Result<model::BlobHash> HashStoredBlob(storage::BlobStore& blobs, const storage::StoredBlob& blob,
                                       IntegrityCounts& counts);
// Whether the blob is intact; a damaged one is reported (and quarantined with Repair::kFix).
Result<bool> VerifyStoredBlob(storage::BlobStore& blobs, const storage::StoredBlob& blob,
                              bool referenced, Repair repair, IntegrityReport& report,
                              Findings& findings);

// What the metadata scan learns for the file scan that follows it, keyed by (org id, hash).
using BlobKey = std::pair<std::int64_t, model::BlobHash>;
struct MetadataBlobs {
  std::set<BlobKey> referenced_without_count;  // Refcount 0 (or no row) but items hold them.
  std::set<BlobKey> awaiting_collection;       // Rows at refcount 0 that nothing references.
};
// Checks every blob record (refcounts, rows, presence, inline hashes), repairing counts.
Result<MetadataBlobs> CheckBlobRecords(storage::MetadataStore& metadata, storage::BlobStore& blobs,
                                       const OrgNames& orgs, Repair repair, IntegrityReport& report,
                                       Findings& findings);
// Forgets and removes the blobs at refcount zero; how many files it removed.
Result<std::size_t> CollectUnreferenced(storage::MetadataStore& metadata, storage::BlobStore& blobs,
                                        const OrgNames& orgs);
// Hashes every stored blob and finds orphans (removed with Repair::kFix) and stray files.
Result<void> CheckStoredBlobs(storage::MetadataStore& metadata, storage::BlobStore& blobs,
                              const OrgNames& orgs, const MetadataBlobs& known,
                              const IntegrityOptions& options, IntegrityReport& report,
                              Findings& findings);
// Hashes the blobs stored inline in the metadata.
Result<void> CheckInlineBlobs(storage::MetadataStore& metadata, const OrgNames& orgs,
                              IntegrityReport& report, Findings& findings);

// The collection tree: parents, organisations, sync roots, cycles, names, stray items.
Result<void> CheckTree(storage::MetadataStore& metadata, IntegrityReport& report,
                       Findings& findings);
// The change logs against their roots' sequences (raised with Repair::kFix).
Result<void> CheckChangeLogs(storage::MetadataStore& metadata, Repair repair,
                             IntegrityReport& report, Findings& findings);

}  // namespace regie::service::integrity
