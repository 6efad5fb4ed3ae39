// Fsck's and Scrub's blob checks: reference counts, missing and orphaned blobs, hashes.
#include <map>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/crypto.h"
#include "service/integrity_internal.h"

namespace regie::service::integrity {
namespace {

constexpr std::size_t kReadChunk = std::size_t{256} * 1024;

}  // namespace

std::string BlobObject(std::string_view org, const model::BlobHash& hash) {
  return "blob " + hash.Hex() + " of org '" + std::string(org) + "'";
}

void Findings::Add(std::string kind, std::string object, std::string detail, bool repaired) {
  ++report_.problems;
  if (repaired) ++report_.repaired;
  if (report_.findings.size() >= max_) return;
  report_.findings.push_back(Finding{.kind = std::move(kind),
                                     .object = std::move(object),
                                     .detail = std::move(detail),
                                     .repaired = repaired});
}

Result<model::BlobHash> HashStoredBlob(storage::BlobStore& blobs, const storage::StoredBlob& blob,
                                       IntegrityCounts& counts) {
  auto reader = blobs.Open(blob.org, blob.hash, 0);
  if (!reader) return Fail(reader.error());
  Sha256 sha;
  std::vector<char> buffer(kReadChunk);
  for (;;) {
    auto n = (*reader)->Read(buffer);
    if (!n) return Fail(n.error());
    if (*n == 0) break;
    sha.Update(std::span<const char>(buffer.data(), *n));
    counts.bytes += *n;
  }
  ++counts.blobs;
  return model::BlobHash{sha.Finish()};
}

// Verifies one stored blob; with Repair::kFix quarantines it when damaged. `referenced`: whether
// metadata holds a reference to it (its content is then lost, not merely surplus).
Result<bool> VerifyStoredBlob(storage::BlobStore& blobs, const storage::StoredBlob& blob,
                              bool referenced, Repair repair, IntegrityReport& report,
                              Findings& findings) {
  auto actual = HashStoredBlob(blobs, blob, report.counts);
  if (!actual) {
    if (actual.error().code == Errc::kNotFound) return true;  // Removed since it was listed.
    return Fail(actual.error());
  }
  if (*actual == blob.hash) return true;
  std::string detail = "content hashes to " + actual->Hex();
  bool repaired = false;
  if (repair == Repair::kFix) {
    auto moved = blobs.Quarantine(blob.org, blob.hash);
    if (!moved) return Fail(moved.error());
    detail += "; moved to " + *moved;
    // An unreferenced copy is simply gone; a referenced one leaves its items without content.
    repaired = !referenced;
  }
  if (referenced) detail += "; the items that reference it need their content restored";
  findings.Add("hash-mismatch", BlobObject(blob.org, blob.hash), std::move(detail), repaired);
  return false;
}

namespace {

struct RefcountFix {
  model::OrgId org;
  model::BlobHash hash;
  std::uint64_t size = 0;
  std::uint64_t refcount = 0;
};

// How many of the items that lose their content a finding names.
constexpr std::size_t kItemsNamed = 5;

std::string NameItems(const std::vector<model::Item>& items, std::uint64_t total) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += "'" + item.name + "' in collection " + std::to_string(item.collection.value);
  }
  if (total > items.size()) out += ", ...";
  return out;
}

void CheckInline(const storage::BlobRecord& record, std::string_view org, IntegrityCounts& counts,
                 Findings& findings) {
  const std::string& content = *record.inline_content;
  ++counts.blobs;
  counts.bytes += content.size();
  const model::BlobHash actual{Sha256::Of(content)};
  if (actual == record.hash) return;
  findings.Add("hash-mismatch", BlobObject(org, record.hash),
               "inline content hashes to " + actual.Hex() +
                   "; the items that reference it need their content restored",
               /*repaired=*/false);
}

}  // namespace

Result<MetadataBlobs> CheckBlobRecords(storage::MetadataStore& metadata, storage::BlobStore& blobs,
                                       const OrgNames& orgs, Repair repair, IntegrityReport& report,
                                       Findings& findings) {
  MetadataBlobs out;
  std::vector<RefcountFix> fixes;
  auto txn = metadata.Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto scanned = (*txn)->ScanBlobRecords([&](const storage::BlobRecord& r) -> Result<void> {
    ++report.counts.blob_records;
    const BlobKey key{r.org.value, r.hash};
    const auto org = orgs.by_id.find(r.org.value);
    if (org == orgs.by_id.end()) {
      // Rows of a deleted org stay at refcount 0 until the collector forgets them.
      if (r.references > 0 || r.refcount > 0) {
        findings.Add("blob-org", "blob " + r.hash.Hex() + " of org " + std::to_string(r.org.value),
                     "referenced, but its organisation does not exist", /*repaired=*/false);
      } else {
        out.awaiting_collection.insert(key);
      }
      return Ok();
    }
    const std::string& name = org->second;
    if (r.inline_content) CheckInline(r, name, report.counts, findings);
    bool stored = r.inline_content.has_value();
    if (!stored && r.references > 0) {
      auto exists = blobs.Exists(name, r.hash);
      if (!exists) return Fail(exists.error());
      stored = *exists;
      if (!stored) {
        auto items = (*txn)->ListItemsWithBlob(r.org, r.hash, kItemsNamed);
        if (!items) return Fail(items.error());
        findings.Add("missing-blob", BlobObject(name, r.hash),
                     "referenced by " + std::to_string(r.references) + " item(s) (" +
                         NameItems(*items, r.references) +
                         ") but not stored; restore it from a backup",
                     /*repaired=*/false);
      }
    }
    if (!r.has_row) {
      // A row can be made for bytes that are in the blob store; inline bytes would be lost.
      const bool fixable = repair == Repair::kFix && stored;
      if (fixable) fixes.push_back({r.org, r.hash, r.size, r.references});
      findings.Add("missing-row", BlobObject(name, r.hash),
                   std::to_string(r.references) + " item(s) reference a blob without a row" +
                       (fixable ? "; row created" : ""),
                   fixable);
      out.referenced_without_count.insert(key);
      return Ok();
    }
    if (r.refcount != r.references) {
      const bool fixable = repair == Repair::kFix;
      if (fixable) fixes.push_back({r.org, r.hash, r.size, r.references});
      findings.Add("refcount", BlobObject(name, r.hash),
                   "refcount is " + std::to_string(r.refcount) + " but " +
                       std::to_string(r.references) + " item(s) reference it" +
                       (fixable ? "; recounted" : ""),
                   fixable);
    }
    if (r.references > 0 && r.refcount == 0) out.referenced_without_count.insert(key);
    if (r.references == 0 && r.refcount == 0) out.awaiting_collection.insert(key);
    return Ok();
  });
  if (!scanned) return Fail(scanned.error());
  txn->reset();
  if (fixes.empty()) return out;
  auto write = metadata.Begin(storage::TxnMode::kWrite);
  if (!write) return Fail(write.error());
  for (const auto& fix : fixes) {
    auto done = (*write)->RepairBlobRefcount(fix.org, fix.hash, fix.size, fix.refcount);
    if (!done) return Fail(done.error());
  }
  if (auto done = (*write)->Commit(); !done) return Fail(done.error());
  return out;
}

Result<std::size_t> CollectUnreferenced(storage::MetadataStore& metadata, storage::BlobStore& blobs,
                                        const OrgNames& orgs) {
  auto permit = blobs.PermitRemovals();
  if (!permit) return Fail(permit.error());
  std::size_t removed = 0;
  for (;;) {
    auto txn = metadata.Begin(storage::TxnMode::kWrite);
    if (!txn) return Fail(txn.error());
    auto batch = (*txn)->ListUnreferencedBlobs(256);
    if (!batch) return Fail(batch.error());
    if (batch->empty()) return removed;
    std::vector<storage::StoredBlob> doomed;
    for (const auto& blob : *batch) {
      auto forgot = (*txn)->ForgetBlob(blob.org, blob.hash);
      if (!forgot) return Fail(forgot.error());
      const auto org = orgs.by_id.find(blob.org.value);
      if (*forgot && org != orgs.by_id.end()) doomed.push_back({org->second, blob.hash, 0});
    }
    if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
    for (const auto& blob : doomed) {
      if (auto gone = blobs.Remove(blob.org, blob.hash); !gone) return Fail(gone.error());
      ++removed;
    }
  }
}

Result<void> CheckStoredBlobs(storage::MetadataStore& metadata, storage::BlobStore& blobs,
                              const OrgNames& orgs, const MetadataBlobs& known,
                              const IntegrityOptions& options, IntegrityReport& report,
                              Findings& findings) {
  auto txn = metadata.Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  std::vector<storage::StoredBlob> orphans;
  auto visit = [&](const storage::StoredBlob& blob) -> Result<void> {
    if (options.stop.stop_requested()) return Fail(StopError());
    const auto org = orgs.by_name.find(blob.org);
    bool referenced = false;
    bool awaiting = false;
    if (org != orgs.by_name.end()) {
      const BlobKey key{org->second, blob.hash};
      auto refs = (*txn)->BlobRefcount(model::OrgId{org->second}, blob.hash);
      if (!refs) return Fail(refs.error());
      referenced = *refs > 0 || known.referenced_without_count.count(key) > 0;
      awaiting = known.awaiting_collection.count(key) > 0;
    }
    auto intact = VerifyStoredBlob(blobs, blob, referenced, options.repair, report, findings);
    if (!intact) return Fail(intact.error());
    if (*intact && !referenced && !awaiting) orphans.push_back(blob);
    return Ok();
  };
  auto stray = [&](const std::string& path) -> Result<void> {
    findings.Add("stray-file", path, "not a blob; left in place", /*repaired=*/false);
    return Ok();
  };
  auto scanned = blobs.ScanBlobs(visit, stray);
  if (!scanned && !IsStop(scanned.error())) return scanned;
  if (!scanned) report.stopped = true;
  txn->reset();
  const bool fix = options.repair == Repair::kFix;
  std::unique_ptr<storage::RemovalHold> permit;
  if (fix && !orphans.empty()) {
    auto held = blobs.PermitRemovals();
    if (!held) return Fail(held.error());
    permit = std::move(*held);
  }
  for (const auto& blob : orphans) {
    if (fix) {
      if (auto gone = blobs.Remove(blob.org, blob.hash); !gone) return gone;
    }
    findings.Add("orphan-blob", BlobObject(blob.org, blob.hash),
                 fix ? "stored but not referenced; removed" : "stored but not referenced", fix);
  }
  return Ok();
}

Result<void> CheckInlineBlobs(storage::MetadataStore& metadata, const OrgNames& orgs,
                              IntegrityReport& report, Findings& findings) {
  auto txn = metadata.Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->ScanBlobRecords([&](const storage::BlobRecord& r) -> Result<void> {
    if (!r.inline_content) return Ok();
    const auto org = orgs.by_id.find(r.org.value);
    CheckInline(r, org == orgs.by_id.end() ? std::to_string(r.org.value) : org->second,
                report.counts, findings);
    return Ok();
  });
}

}  // namespace regie::service::integrity
