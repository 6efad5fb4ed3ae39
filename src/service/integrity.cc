#include "service/integrity.h"

#include <utility>

#include "service/integrity_internal.h"

namespace regie::service {
namespace integrity {

constexpr std::string_view kStopMessage = "integrity check stopped on request";

Error StopError() { return MakeError(Errc::kUnavailable, std::string(kStopMessage)); }

bool IsStop(const Error& error) {
  return error.code == Errc::kUnavailable && error.message == kStopMessage;
}

Result<OrgNames> LoadOrgNames(storage::MetadataStore& metadata) {
  auto txn = metadata.Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto orgs = (*txn)->ListOrgs();
  if (!orgs) return Fail(orgs.error());
  OrgNames names;
  for (const auto& org : *orgs) {
    names.by_id.emplace(org.id.value, org.name);
    names.by_name.emplace(org.name, org.id.value);
  }
  return names;
}

}  // namespace integrity

Result<IntegrityReport> Fsck(storage::MetadataStore& metadata, storage::BlobStore& blobs,
                             const IntegrityOptions& options) {
  using namespace integrity;  // NOLINT(google-build-using-namespace): this file's own helpers.
  IntegrityReport report;
  Findings findings(report, options.max_findings);
  auto orgs = LoadOrgNames(metadata);
  if (!orgs) return Fail(orgs.error());
  const bool fix = options.repair == Repair::kFix;
  if (fix) {
    auto stale = blobs.RemoveStaleTemporaries();
    if (!stale) return Fail(stale.error());
    if (*stale > 0) {
      findings.Add("temporary", "blob store",
                   std::to_string(*stale) + " temporary file(s) of interrupted uploads; removed",
                   /*repaired=*/true);
    }
  }
  // Counts first, so that the file scan knows what is referenced after the repair; then the
  // collector, so that the file scan does not call what it removes orphans.
  auto known = CheckBlobRecords(metadata, blobs, *orgs, options.repair, report, findings);
  if (!known) return Fail(known.error());
  if (fix) {
    auto collected = CollectUnreferenced(metadata, blobs, *orgs);
    if (!collected) return Fail(collected.error());
    known->awaiting_collection.clear();
  }
  if (auto done = CheckStoredBlobs(metadata, blobs, *orgs, *known, options, report, findings);
      !done) {
    return Fail(done.error());
  }
  if (report.stopped) return report;
  if (auto done = CheckTree(metadata, report, findings); !done) return Fail(done.error());
  if (auto done = CheckChangeLogs(metadata, options.repair, report, findings); !done) {
    return Fail(done.error());
  }
  return report;
}

Result<IntegrityReport> Scrub(storage::MetadataStore& metadata, storage::BlobStore& blobs,
                              const IntegrityOptions& options) {
  using namespace integrity;  // NOLINT(google-build-using-namespace): this file's own helpers.
  IntegrityReport report;
  Findings findings(report, options.max_findings);
  auto orgs = LoadOrgNames(metadata);
  if (!orgs) return Fail(orgs.error());
  auto scanned = blobs.ScanBlobs(
      [&](const storage::StoredBlob& blob) -> Result<void> {
        if (options.stop.stop_requested()) return Fail(StopError());
        // Whether metadata references the blob decides only how the report words it.
        auto intact =
            VerifyStoredBlob(blobs, blob, /*referenced=*/true, options.repair, report, findings);
        if (!intact) return Fail(intact.error());
        return Ok();
      },
      [](const std::string&) -> Result<void> { return Ok(); });  // Strays are fsck's business.
  if (!scanned) {
    if (!IsStop(scanned.error())) return Fail(scanned.error());
    report.stopped = true;
    return report;
  }
  if (auto done = CheckInlineBlobs(metadata, *orgs, report, findings); !done) {
    return Fail(done.error());
  }
  return report;
}

}  // namespace regie::service
