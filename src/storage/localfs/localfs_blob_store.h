// The embedded BlobStore: one raw file per blob under a root directory (DATA/blobs).
//
// Layout: <root>/<org>/<ab>/<cd>/<sha256 hex>, where ab and cd are the first two byte pairs of the
// hex, so that no directory grows past 65,536 entries of fan-out and an archivist can verify any
// file with sha256sum. Writers stream into <root>/<org>/tmp/<random> and rename into place.
// removal.lock beside the root (DATA/removal.lock) is the removal gate (removal_gate.h).
//
// Durability (DESIGN principle 7): Commit() does fsync(temporary) -> rename -> fsync(directory);
// directories it creates are made durable by an fsync of their parent. A Commit() that finds the
// blob already present drops the temporary and fsyncs the existing blob's directory.
//
// Threads: the store is thread-safe; a writer or reader is used by one thread at a time. Every
// method blocks on the file system.
//
// Errors: an org name that fails model::IsValidOrgName is kInvalidInput (it names a directory,
// so "..", "/" and friends must never get through); a missing blob is kNotFound; a full disk is
// kUnavailable; other system errors are kInternal.
#pragma once

#include <filesystem>
#include <memory>

#include "base/result.h"
#include "storage/blob_store.h"

namespace regie::storage::localfs {

struct LocalFsOptions {
  // Recently read blobs kept open (descriptors); 0 opens every read afresh.
  std::size_t open_blob_cache = 256;
  // Where Quarantine() moves damaged blobs (<quarantine>/<org>/<sha256>.<unix time>); empty
  // means "quarantine" beside the root (DATA/quarantine).
  std::filesystem::path quarantine{};
};

// Opens the blob store rooted at `root` (DATA/blobs), creating the directory if needed.
// Readers' native_handle() is the blob's file descriptor, which readers may share: use positional
// I/O on it (pread, sendfile with an explicit offset), never its file position.
Result<std::unique_ptr<BlobStore>> OpenLocalFsBlobStore(const std::filesystem::path& root,
                                                        const LocalFsOptions& options = {});

}  // namespace regie::storage::localfs
