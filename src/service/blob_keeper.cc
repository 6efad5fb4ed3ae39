#include "service/blob_keeper.h"

#include <algorithm>
#include <mutex>
#include <span>
#include <utility>

#include "base/crypto.h"

namespace regie::service {
namespace {

// Reads a blob whose bytes live in the metadata store.
class InlineReader final : public storage::BlobReader {
 public:
  InlineReader(std::string content, std::uint64_t offset)
      : content_(std::move(content)), pos_(std::min<std::uint64_t>(offset, content_.size())) {}
  Result<std::size_t> Read(std::span<char> out) override {
    const std::size_t n = std::min(out.size(), content_.size() - pos_);
    std::copy_n(content_.data() + pos_, n, out.data());
    pos_ += n;
    return n;
  }
  std::uint64_t size() const override { return content_.size(); }

 private:
  std::string content_;
  std::size_t pos_;
};

}  // namespace

BlobKeeper::BlobKeeper(std::shared_ptr<storage::MetadataStore> metadata,
                       std::shared_ptr<storage::BlobStore> blobs)
    : metadata_(std::move(metadata)), blobs_(std::move(blobs)) {}

std::shared_lock<std::shared_mutex> BlobKeeper::Pin() { return std::shared_lock(mu_); }

Result<StoredContent> BlobKeeper::Store(const model::Org& org, std::string bytes,
                                        std::size_t inline_limit) {
  StoredContent out{.hash = model::BlobHash{Sha256::Of(bytes)},
                    .size = bytes.size(),
                    .inline_content = std::nullopt};
  if (bytes.size() <= std::min<std::uint64_t>(inline_limit, kLargestInlineBlob)) {
    out.inline_content = std::move(bytes);
    return out;
  }
  auto writer = blobs_->BeginWrite(org.name);
  if (!writer) return Fail(writer.error());
  if (auto written = (*writer)->Write(bytes); !written) return Fail(written.error());
  auto hash = (*writer)->Commit();
  if (!hash) return Fail(hash.error());
  out.hash = *hash;
  return out;
}

Result<std::unique_ptr<storage::BlobReader>> BlobKeeper::Open(
    const model::Org& org, const model::Item& item, std::optional<std::string> inline_content,
    std::uint64_t offset) {
  if (inline_content) {
    return std::unique_ptr<storage::BlobReader>(
        std::make_unique<InlineReader>(std::move(*inline_content), offset));
  }
  if (item.size <= kLargestInlineBlob) {
    auto txn = metadata_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto content = (*txn)->InlineContent(org.id, item.blob);
    if (!content) return Fail(content.error());
    if (*content) {
      return std::unique_ptr<storage::BlobReader>(
          std::make_unique<InlineReader>(std::move(**content), offset));
    }
  }
  return blobs_->Open(org.name, item.blob, offset);
}

Result<std::string> BlobKeeper::ReadAll(const model::Org& org, const model::Item& item) {
  auto reader = Open(org, item, std::nullopt, 0);
  if (!reader) return Fail(reader.error());
  std::string out;
  out.resize(item.size);
  std::size_t filled = 0;
  while (filled < out.size()) {
    auto n = (*reader)->Read(std::span<char>(out.data() + filled, out.size() - filled));
    if (!n) return Fail(n.error());
    if (*n == 0) break;
    filled += *n;
  }
  if (filled != out.size()) {
    return Fail(Errc::kInternal, "blob of item " + item.name + " is shorter than its size");
  }
  return out;
}

void BlobKeeper::Release(const model::Org& org, const std::vector<model::BlobHash>& hashes) {
  // One transaction (one fsync) for all of them: a folder of 100,000 files must not cost 100,000
  // commits.
  if (hashes.empty()) return;
  std::unique_lock exclusive(mu_);
  // While a backup pauses removals the rows stay at refcount zero, for CollectGarbage() later:
  // forgetting them now would leave files that nothing would ever remove.
  auto permit = blobs_->PermitRemovals();
  if (!permit) return;
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return;
  std::vector<const model::BlobHash*> forgotten;
  for (const auto& hash : hashes) {
    auto refs = (*txn)->BlobRefcount(org.id, hash);
    if (!refs || *refs != 0) continue;
    auto forgot = (*txn)->ForgetBlob(org.id, hash);
    if (forgot && *forgot) forgotten.push_back(&hash);
  }
  if (!(*txn)->Commit()) return;
  for (const auto* hash : forgotten) {
    (void)blobs_->Remove(org.name, *hash);  // A failure leaves an orphan for CollectGarbage().
  }
}

Result<std::size_t> BlobKeeper::CollectGarbage() {
  std::unique_lock exclusive(mu_);
  auto permit = blobs_->PermitRemovals();  // kUnavailable while a backup runs: try again later.
  if (!permit) return Fail(permit.error());
  std::size_t removed = 0;
  for (;;) {
    auto txn = metadata_->Begin(storage::TxnMode::kWrite);
    if (!txn) return Fail(txn.error());
    auto unreferenced = (*txn)->ListUnreferencedBlobs(256);
    if (!unreferenced) return Fail(unreferenced.error());
    if (unreferenced->empty()) return removed;
    std::vector<std::pair<std::string, model::BlobHash>> doomed;
    for (const auto& blob : *unreferenced) {
      auto org = (*txn)->GetOrg(blob.org);
      auto forgot = (*txn)->ForgetBlob(blob.org, blob.hash);
      if (!forgot) return Fail(forgot.error());
      if (*forgot && org) doomed.emplace_back(org->name, blob.hash);
    }
    if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
    for (const auto& [org, hash] : doomed) {
      if (blobs_->Remove(org, hash)) ++removed;
    }
  }
}

}  // namespace regie::service
