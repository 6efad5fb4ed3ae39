// Stores content (file bodies, iCalendar, vCard, messages) by its SHA-256, per organisation.
// Content streams in and out: no method holds a whole body in memory. Methods block and are
// thread-safe; I/O threads reach them through net::RunBlocking().
//
// The embedded backend (localfs) keeps every blob raw at DATA/blobs/<org>/ab/cd/<sha256>, so an
// archivist can check it with sha256sum.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "model/content.h"
#include "storage/integrity.h"

namespace regie::storage {

// Receives the bytes of one new blob. Nothing is visible until Commit() returns.
// Destroying a writer without Commit() removes every trace of it (its temporary file).
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  virtual Result<void> Write(std::span<const char> data) = 0;
  virtual std::uint64_t size() const = 0;
  // Makes the content durable and visible under its hash (for localfs: fsync the temporary file,
  // rename it into place, fsync the directory) and returns that hash. If a blob with that hash
  // already exists, the new bytes are dropped and the existing blob stands.
  virtual Result<model::BlobHash> Commit() = 0;
};

class BlobReader {
 public:
  virtual ~BlobReader() = default;
  // Reads up to out.size() bytes; 0 at the end.
  virtual Result<std::size_t> Read(std::span<char> out) = 0;
  virtual std::uint64_t size() const = 0;  // Total size of the blob.
  // The OS file descriptor when the backend has one (enables sendfile), else -1.
  virtual int native_handle() const { return -1; }
};

// Held while blob removals may go ahead, or while they are paused (BlobStore's removal gate).
// Destroying it ends the hold. Must not outlive the BlobStore that made it.
class RemovalHold {
 public:
  virtual ~RemovalHold() = default;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual Result<std::unique_ptr<BlobWriter>> BeginWrite(std::string_view org) = 0;
  // Opens a stored blob for reading from `offset`, or kNotFound; kInvalidInput if `offset` is
  // past the end (offset == size is allowed and reads nothing).
  virtual Result<std::unique_ptr<BlobReader>> Open(std::string_view org,
                                                   const model::BlobHash& hash,
                                                   std::uint64_t offset) = 0;
  virtual Result<bool> Exists(std::string_view org, const model::BlobHash& hash) = 0;
  // Removing a missing blob is not an error. kUnavailable while removals are paused.
  virtual Result<void> Remove(std::string_view org, const model::BlobHash& hash) = 0;
  // Removes every blob of the organisation (org deletion). kUnavailable while removals are
  // paused.
  virtual Result<void> RemoveOrg(std::string_view org) = 0;
  // Removes temporary files left behind by a crash; call at start-up, before serving.
  virtual Result<std::size_t> RemoveStaleTemporaries() = 0;

  // --- Integrity (regie fsck, regie scrub) and backups.
  // Visits every committed blob, in no particular order; `stray` gets the path (relative to the
  // store) of every entry that is neither a blob nor the store's own. Temporaries are skipped.
  virtual Result<void> ScanBlobs(const Visitor<StoredBlob>& visit,
                                 const Visitor<std::string>& stray) = 0;
  // Moves a damaged blob out of the store and keeps its bytes for inspection; the hash then reads
  // as kNotFound, and writing the right bytes again stores the blob afresh. Returns where the
  // bytes went, for the operator. kNotFound when the blob is not stored.
  virtual Result<std::string> Quarantine(std::string_view org, const model::BlobHash& hash) = 0;

  // The removal gate, across processes on the same store: a backup pauses removals so that
  // every blob its metadata snapshot references is still there when it copies it.
  // A permit lets removals go ahead until it is destroyed; Remove() and RemoveOrg() take one
  // themselves, and a caller that forgets metadata rows takes one first, so that it never
  // forgets rows whose files it then may not remove. Never waits: kUnavailable while paused.
  virtual Result<std::unique_ptr<RemovalHold>> PermitRemovals() = 0;
  // Waits until no permit is held (in any process) and refuses new ones until the hold is
  // destroyed; kUnavailable after `timeout`. Do not call while this process holds a permit.
  virtual Result<std::unique_ptr<RemovalHold>> PauseRemovals(std::chrono::milliseconds timeout) = 0;
};

}  // namespace regie::storage
