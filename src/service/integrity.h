// The integrity checks behind `regie fsck` and `regie scrub`, written once against the storage
// interfaces (MetadataStore, BlobStore) so that every backend gets them.
//
// Fsck compares the metadata with itself and with the blob store: reference counts against the
// items that hold them, blobs referenced but not stored (missing) and stored but not referenced
// (orphans), every stored blob's SHA-256, the collection tree (parents exist in the same
// organisation, no cycles, sync roots, unique names) and the change logs (no change past its
// root's sequence). Scrub is the bit-level part alone: it re-reads every blob and checks its hash.
//
// Threads and blocking: both block for as long as reading every blob takes (disk-bound); run
// them off I/O threads. Fsck with Repair::kFix expects no server on the same data (the CLI holds
// the data directory lock); Scrub may run beside one. Memory: bounded by the number of
// collections, never by the number of blobs or items.
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "base/result.h"
#include "storage/blob_store.h"
#include "storage/metadata_store.h"

namespace regie::service {

enum class Repair { kReportOnly, kFix };

// One problem (or, with `repaired`, one problem that was fixed).
struct Finding {
  std::string kind;    // Stable, for scripts: "missing-blob", "orphan-blob", "hash-mismatch", ...
  std::string object;  // What it is about: "blob <sha256> of org 'acme'", "collection 12".
  std::string detail;  // What is wrong, and what a repair did.
  bool repaired = false;
};

struct IntegrityCounts {
  std::uint64_t blobs = 0;  // Stored blobs re-read and hashed (blob store and inline).
  std::uint64_t bytes = 0;  // Their bytes.
  std::uint64_t blob_records = 0;
  std::uint64_t collections = 0;
  std::uint64_t change_logs = 0;
};

struct IntegrityReport {
  std::vector<Finding> findings;  // At most IntegrityOptions::max_findings are kept.
  std::uint64_t problems = 0;     // Every problem found, also those beyond max_findings.
  std::uint64_t repaired = 0;
  IntegrityCounts counts;
  bool stopped = false;  // Stopped early (stop requested); the counts say how far it got.

  std::uint64_t unrepaired() const { return problems - repaired; }
};

struct IntegrityOptions {
  Repair repair = Repair::kReportOnly;  // Scrub: kFix quarantines damaged blobs.
  std::size_t max_findings = 10'000;
  std::stop_token stop{};
};

// Checks everything listed above; with Repair::kFix also recounts references (creating rows
// that items need), removes orphans and unreferenced blobs, quarantines damaged blobs, removes
// temporaries and raises change sequences. What cannot be fixed (missing content, a broken tree)
// is reported, unrepaired. Errors: a storage failure that stops the check.
Result<IntegrityReport> Fsck(storage::MetadataStore& metadata, storage::BlobStore& blobs,
                             const IntegrityOptions& options);

// Re-reads every blob (in the blob store and inline in the metadata) and verifies its SHA-256;
// with Repair::kFix moves a damaged one to quarantine (BlobStore::Quarantine).
Result<IntegrityReport> Scrub(storage::MetadataStore& metadata, storage::BlobStore& blobs,
                              const IntegrityOptions& options);

}  // namespace regie::service
