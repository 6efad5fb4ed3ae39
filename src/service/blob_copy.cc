#include "service/blob_copy.h"

#include <span>
#include <vector>

#include "base/crypto.h"
#include "service/integrity_internal.h"

namespace regie::service {
namespace {

constexpr std::size_t kCopyChunk = std::size_t{256} * 1024;

// Streams one blob across, hashing as it goes; false (and nothing committed) when the bytes do
// not hash to the name: abandoning the writer leaves nothing behind (BlobWriter contract).
Result<bool> CopyOne(storage::BlobStore& from, storage::BlobStore& to, std::string_view org,
                     const model::BlobHash& hash, IntegrityCounts& counts) {
  auto reader = from.Open(org, hash, 0);
  if (!reader) return Fail(reader.error());
  auto writer = to.BeginWrite(org);
  if (!writer) return Fail(writer.error());
  Sha256 sha;
  std::vector<char> buffer(kCopyChunk);
  std::uint64_t bytes = 0;
  for (;;) {
    auto n = (*reader)->Read(buffer);
    if (!n) return Fail(n.error());
    if (*n == 0) break;
    const std::span<const char> chunk(buffer.data(), *n);
    sha.Update(chunk);
    if (auto written = (*writer)->Write(chunk); !written) return Fail(written.error());
    bytes += *n;
  }
  if (model::BlobHash{sha.Finish()} != hash) return false;
  auto committed = (*writer)->Commit();
  if (!committed) return Fail(committed.error());
  ++counts.blobs;
  counts.bytes += bytes;
  return true;
}

}  // namespace

Result<IntegrityReport> CopyReferencedBlobs(storage::MetadataStore& snapshot,
                                            storage::BlobStore& from, storage::BlobStore& to) {
  IntegrityReport report;
  integrity::Findings findings(report, 10'000);
  auto orgs = integrity::LoadOrgNames(snapshot);
  if (!orgs) return Fail(orgs.error());
  auto txn = snapshot.Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto scanned = (*txn)->ScanBlobRecords([&](const storage::BlobRecord& r) -> Result<void> {
    ++report.counts.blob_records;
    if (r.inline_content || (r.refcount == 0 && r.references == 0)) return Ok();
    const auto org = orgs->by_id.find(r.org.value);
    if (org == orgs->by_id.end()) return Ok();  // Fsck reports such rows ("blob-org").
    const std::string& name = org->second;
    auto present = to.Exists(name, r.hash);
    if (!present) return Fail(present.error());
    if (*present) {
      auto intact = integrity::VerifyStoredBlob(to, {name, r.hash, r.size}, true,
                                                Repair::kReportOnly, report, findings);
      if (!intact) return Fail(intact.error());
      return Ok();
    }
    auto copied = CopyOne(from, to, name, r.hash, report.counts);
    if (!copied) {
      if (copied.error().code != Errc::kNotFound) return Fail(copied.error());
      findings.Add("missing-blob", integrity::BlobObject(name, r.hash),
                   "referenced but not stored; not copied", /*repaired=*/false);
      return Ok();
    }
    if (!*copied) {
      findings.Add("hash-mismatch", integrity::BlobObject(name, r.hash),
                   "damaged (its bytes do not hash to its name); not copied; run regie scrub",
                   /*repaired=*/false);
    }
    return Ok();
  });
  if (!scanned) return Fail(scanned.error());
  return report;
}

Result<std::uint64_t> SnapshotSequence(storage::MetadataStore& snapshot) {
  auto txn = snapshot.Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->CommitSequence();
}

}  // namespace regie::service
