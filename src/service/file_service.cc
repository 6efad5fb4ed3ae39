#include "service/file_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <limits>

#include "base/crypto.h"

#include "service/file_errors.h"
#include "service/quota.h"

namespace regie::service {

using namespace file_detail;  // NOLINT(google-build-using-namespace): the service's own helpers.

namespace {

// Who asks for which path: everything a resolution depends on besides the snapshot. Every text
// goes in with its length, so that no login or segment, whatever bytes it holds, can make two
// different requests share a key (["a/b"] and ["a", "b"] must not).
std::string ResolutionKey(const Caller& caller, std::string_view owner_login,
                          const std::vector<std::string>& segments) {
  std::string key = fmt::format("{}:{}:{}", caller.org.id.value, caller.principal.id.value,
                                caller.principal.credential_version);
  const auto append = [&key](std::string_view text) {
    fmt::format_to(std::back_inserter(key), ":{}:{}", text.size(), text);
  };
  append(owner_login);
  for (const auto& segment : segments) append(segment);
  return key;
}

// How long a remembered GET resolution is trusted without a transaction: what a writer killed
// inside its commit could leave unseen (snapshot_memo.h).
constexpr std::chrono::seconds kRememberedReadAge{1};

// About what a remembered resolution costs: the strings that may be long, and the rest.
std::size_t ResolutionBytes(const std::string& key, const FileTarget& target) {
  constexpr std::size_t kOverhead = 512;  // Hash node, shared_ptr block, short strings.
  return kOverhead + sizeof(FileTarget) + key.size() +
         (target.inline_content ? target.inline_content->size() : 0);
}

}  // namespace

FileService::FileService(std::shared_ptr<storage::MetadataStore> metadata,
                         std::shared_ptr<BlobKeeper> keeper, std::shared_ptr<AuthService> auth,
                         FileLimits limits)
    : metadata_(std::move(metadata)),
      keeper_(std::move(keeper)),
      auth_(std::move(auth)),
      limits_(limits),
      resolved_(limits.remembered_reads_bytes, kRememberedReadAge) {}

Result<FileTarget> FileService::Resolve(const Caller& cached_caller, std::string_view owner_login,
                                        const std::vector<std::string>& segments,
                                        InlineBytes inline_bytes) {
  // A GET, the one hot read, of an unchanged store is answered from memory without a
  // transaction; the stamp is read before the transaction that a miss begins.
  const bool memo = inline_bytes == InlineBytes::kRead;
  const std::uint64_t stamp = memo ? metadata_->ChangeStamp() : 0;
  std::string key;
  if (memo) {
    key = ResolutionKey(cached_caller, owner_login, segments);
    if (auto known = resolved_.Find(stamp, key)) return *known;
  }
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto target = ResolveIn(**txn, cached_caller, owner_login, segments, inline_bytes);
  if (memo && target) {
    const std::size_t bytes = ResolutionBytes(key, *target);
    resolved_.Remember(stamp, std::move(key), std::make_shared<const FileTarget>(*target), bytes);
  }
  return target;
}

Result<FileTarget> FileService::ResolveIn(storage::Txn& txn, const Caller& cached_caller,
                                          std::string_view owner_login,
                                          const std::vector<std::string>& segments,
                                          InlineBytes inline_bytes) {
  // The caller may come from the login cache: confirm it and take its current state (quota).
  auto current = auth_->Confirm(txn, cached_caller);
  if (!current) return Fail(current.error());
  // Only owners see their trees today; anyone else learns nothing, not even that it exists.
  if (owner_login != current->principal.login) {
    return Fail(
        NotFound("file tree of " + std::string(owner_login) + " for " + current->principal.login));
  }
  FileTarget target{std::move(current->principal),
                    std::move(current->org),
                    std::nullopt,
                    {},
                    std::nullopt,
                    std::nullopt,
                    std::nullopt};
  const model::Principal& owner = target.owner;
  const model::Org& org = target.org;
  auto root = txn.FindRoot(org.id, owner.id, model::CollectionKind::kFolder);
  if (!root) return Fail(root.error());
  if (segments.empty()) {
    target.folder = *root;
    return target;
  }
  model::Collection parent = *root;
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    auto child = txn.FindChild(org.id, parent.id, segments[i]);
    if (!child) {
      if (child.error().code != Errc::kNotFound) return Fail(child.error());
      target.name = segments.back();
      return target;  // A folder on the way is missing: no parent.
    }
    parent = std::move(*child);
  }
  target.name = segments.back();
  auto item = txn.FindItem(org.id, parent.id, target.name);
  if (item) {
    if (inline_bytes == InlineBytes::kRead && item->size <= kLargestInlineBlob) {
      auto content = txn.InlineContent(org.id, item->blob);
      if (!content) return Fail(content.error());
      target.inline_content = std::move(*content);
    }
    target.item = std::move(*item);
  } else if (item.error().code != Errc::kNotFound) {
    return Fail(item.error());
  } else {
    auto folder = txn.FindChild(org.id, parent.id, target.name);
    if (folder) target.folder = std::move(*folder);
  }
  target.parent = std::move(parent);
  return target;
}

Result<OpenedFile> FileService::Open(const FileTarget& target, std::uint64_t offset) {
  if (!target.item) return Fail(NotFound("no file " + target.name));
  auto reader = keeper_->Open(target.org, *target.item, target.inline_content, offset);
  if (!reader) return Fail(reader.error());
  return OpenedFile{*target.item, std::move(*reader)};
}

Result<std::unique_ptr<Upload>> FileService::BeginUpload(
    const FileTarget& target, const model::Preconditions& preconditions,
    std::optional<std::uint64_t> declared_length, std::string content_type) {
  // RFC 4918 §9.7.1: a PUT whose parent collection does not exist fails with 409.
  if (!target.parent) {
    return Fail(Errc::kConflict, "parent folder missing for " + target.name,
                "the parent folder does not exist");
  }
  if (target.folder) {
    return Fail(Errc::kMethodNotAllowed, "PUT onto folder " + target.name,
                "a folder exists at this URL");
  }
  if (!preconditions.Allow(EtagOf(target.item))) return Fail(PreconditionFailed(target.name));
  auto name_key = NameKey(target.name);
  if (!name_key) return Fail(name_key.error());
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto quota = RemainingQuota(**txn, target.owner, target.org, target.item ? target.item->size : 0);
  if (!quota) return Fail(quota.error());
  std::uint64_t limit = *quota;
  Errc limit_code = Errc::kQuotaExceeded;
  if (limits_.max_upload_bytes != 0 && limits_.max_upload_bytes < limit) {
    limit = limits_.max_upload_bytes;
    limit_code = Errc::kTooLarge;
  }
  if (declared_length && *declared_length > limit) {
    if (limit_code == Errc::kQuotaExceeded) return Fail(QuotaExceeded("storage"));
    return Fail(Errc::kTooLarge, "upload larger than max_upload_bytes", "upload too large");
  }
  // Small bodies stay in memory and are committed inline with the metadata; the blob writer
  // starts only once a body outgrows that (or is declared larger).
  std::unique_ptr<storage::BlobWriter> writer;
  if (!declared_length || *declared_length > limits_.inline_blob_bytes) {
    auto started = keeper_->blobs().BeginWrite(target.org.name);
    if (!started) return Fail(started.error());
    writer = std::move(*started);
  }
  auto upload = std::unique_ptr<Upload>(new Upload(*this, target, preconditions, std::move(writer),
                                                   limit, limit_code, std::move(content_type)));
  upload->name_key_ = std::move(*name_key);
  return upload;
}

Result<WriteOutcome> FileService::CommitUpload(Upload& upload) {
  const FileTarget& target = upload.target_;
  // Shared: uploads commit in parallel (their fsyncs overlap and the metadata commits share
  // WAL syncs); only releasing blobs excludes them.
  auto visible = keeper_->Pin();
  std::optional<std::string> inline_content;
  Result<model::BlobHash> hash = model::BlobHash{};
  if (upload.writer_) {
    hash = upload.writer_->Commit();
  } else {
    hash = model::BlobHash{Sha256::Of(upload.small_)};
    inline_content = std::move(upload.small_);
  }
  if (!hash) return Fail(hash.error());
  const std::uint64_t size = upload.writer_ ? upload.writer_->size() : inline_content->size();
  auto write = [&]() -> Result<storage::PutItemOutcome> {
    auto txn = metadata_->Begin(storage::TxnMode::kWrite);
    if (!txn) return Fail(txn.error());
    // The state may have changed while the body streamed: check again under the write lock.
    auto current = (*txn)->FindItem(target.org.id, target.parent->id, target.name);
    if (!current && current.error().code != Errc::kNotFound) return Fail(current.error());
    const std::optional<model::Item> existing =
        current ? std::optional<model::Item>(*current) : std::nullopt;
    if (!upload.preconditions_.Allow(EtagOf(existing))) {
      return Fail(PreconditionFailed(target.name));
    }
    auto quota = RemainingQuota(**txn, target.owner, target.org, existing ? existing->size : 0);
    if (!quota) return Fail(quota.error());
    if (size > *quota) return Fail(QuotaExceeded("storage"));
    auto put = (*txn)->PutItem(storage::ItemWrite{.org = target.org.id,
                                                  .collection = target.parent->id,
                                                  .name = target.name,
                                                  .blob = *hash,
                                                  .size = size,
                                                  .content_type = upload.content_type_,
                                                  .name_key = upload.name_key_,
                                                  .inline_content = inline_content});
    if (!put) return Fail(put.error());
    if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
    return put;
  };
  auto outcome = write();
  visible.unlock();
  if (!outcome) {
    ReleaseBlob(target.org, *hash);  // The bytes may now be referenced by nothing.
    return Fail(outcome.error());
  }
  if (outcome->released) ReleaseBlob(target.org, *outcome->released);
  return WriteOutcome{outcome->item, outcome->created};
}

void FileService::ReleaseBlob(const model::Org& org, const model::BlobHash& hash) {
  keeper_->Release(org, {hash});
}

Upload::Upload(FileService& service, FileTarget target, model::Preconditions preconditions,
               std::unique_ptr<storage::BlobWriter> writer, std::uint64_t limit, Errc limit_code,
               std::string content_type)
    : service_(service),
      target_(std::move(target)),
      preconditions_(std::move(preconditions)),
      writer_(std::move(writer)),
      limit_(limit),
      limit_code_(limit_code),
      content_type_(std::move(content_type)) {}

Result<void> Upload::Write(std::span<const char> data) {
  const std::uint64_t written = writer_ ? writer_->size() : small_.size();
  if (written + data.size() > limit_) {
    if (limit_code_ == Errc::kQuotaExceeded) return Fail(QuotaExceeded("storage"));
    return Fail(Errc::kTooLarge, "upload larger than max_upload_bytes", "upload too large");
  }
  if (!writer_ && small_.size() + data.size() <= service_.limits_.inline_blob_bytes) {
    small_.append(data.data(), data.size());
    return Ok();
  }
  if (!writer_) {
    // Outgrew the inline size: what was buffered goes first into a real blob.
    auto started = service_.keeper_->blobs().BeginWrite(target_.org.name);
    if (!started) return Fail(started.error());
    writer_ = std::move(*started);
    if (auto moved = writer_->Write(small_); !moved) return moved;
    small_.clear();
    small_.shrink_to_fit();
  }
  return writer_->Write(data);
}

Result<WriteOutcome> Upload::Commit() { return service_.CommitUpload(*this); }

}  // namespace regie::service
