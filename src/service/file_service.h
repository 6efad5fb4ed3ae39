// Files in a principal's tree (/dav/files/<login>/...): resolve, read, write and delete, with
// the access rule, quotas, preconditions and blob reference counting applied once, here.
//
// Access rule (docs/access.md): a resource the caller may not read is kNotFound; readable but not
// writable is kForbidden. Today a tree is readable and writable by its owner only.
//
// Threads: thread-safe. Resolve() and Open() do short indexed reads; Upload::Commit() and
// Delete() fsync and belong on the blocking pool.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/content.h"
#include "model/preconditions.h"
#include "service/auth_service.h"
#include "storage/blob_store.h"
#include "storage/metadata_store.h"

namespace regie::service {

struct FileLimits {
  std::uint64_t max_upload_bytes = 0;  // 0: bounded by quota only.
};

// Where a path points. `parent` is empty when a folder on the way does not exist.
struct FileTarget {
  model::Principal owner;
  model::Org org;
  std::optional<model::Collection> parent;
  std::string name;                         // Empty when the path names the root.
  std::optional<model::Item> item;          // The file, if one exists there.
  std::optional<model::Collection> folder;  // The folder, if the path names one.
};

struct OpenedFile {
  model::Item item;
  std::unique_ptr<storage::BlobReader> reader;
};

struct WriteOutcome {
  model::Item item;
  bool created = false;
};

class Upload;

class FileService {
 public:
  FileService(std::shared_ptr<storage::MetadataStore> metadata,
              std::shared_ptr<storage::BlobStore> blobs, std::shared_ptr<AuthService> auth,
              FileLimits limits);

  // Confirms the caller (AuthService::Confirm) in the same snapshot: kUnauthenticated if stale.
  Result<FileTarget> Resolve(const Caller& caller, std::string_view owner_login,
                             const std::vector<std::string>& segments);
  Result<OpenedFile> Open(const FileTarget& target);
  // Checks everything that can be checked before the body arrives (parent exists, not a folder,
  // preconditions, declared length against limits and quota), then starts the blob write.
  Result<std::unique_ptr<Upload>> BeginUpload(const FileTarget& target,
                                              const model::Preconditions& preconditions,
                                              std::optional<std::uint64_t> declared_length,
                                              std::string content_type);
  Result<model::Item> Delete(const FileTarget& target, const model::Preconditions& preconditions);
  // Removes blobs that nothing references any more (after deletions from the CLI, crashes).
  Result<std::size_t> CollectGarbage();

 private:
  friend class Upload;
  Result<WriteOutcome> CommitUpload(Upload& upload);
  // Under commit_mu_: forgets and removes `hash` if its refcount is zero.
  void ReleaseBlob(const model::Org& org, const model::BlobHash& hash);
  Result<std::uint64_t> RemainingQuota(storage::Txn& txn, const FileTarget& target,
                                       std::uint64_t replaced_size);

  std::shared_ptr<storage::MetadataStore> metadata_;
  std::shared_ptr<storage::BlobStore> blobs_;
  std::shared_ptr<AuthService> auth_;
  FileLimits limits_;
  // Serialises "blob becomes visible + metadata takes a reference" against "blob unreferenced,
  // so remove it": without it a blob being re-added could be deleted under the new reference.
  std::mutex commit_mu_;
};

// One file upload in progress. Destroying it without Commit() leaves nothing behind.
class Upload {
 public:
  // Appends bytes (a local file write). kQuotaExceeded or kTooLarge once over the limit.
  Result<void> Write(std::span<const char> data);
  // Makes the file durable and visible; returns its new state. Blocks (fsync).
  Result<WriteOutcome> Commit();

 private:
  friend class FileService;
  Upload(FileService& service, FileTarget target, model::Preconditions preconditions,
         std::unique_ptr<storage::BlobWriter> writer, std::uint64_t limit, Errc limit_code,
         std::string content_type);

  FileService& service_;
  FileTarget target_;
  model::Preconditions preconditions_;
  std::unique_ptr<storage::BlobWriter> writer_;
  std::uint64_t limit_;  // Bytes this upload may have; UINT64_MAX when unbounded.
  Errc limit_code_;
  std::string content_type_;
};

}  // namespace regie::service
