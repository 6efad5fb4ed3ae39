// Copies the blobs a metadata snapshot references from one BlobStore to another (regie backup,
// regie restore), verifying every SHA-256 on the way, so that a backup never carries damage
// silently and a restore never brings it back. Backend-neutral: it streams through the
// interfaces. Blocks; memory per blob is one buffer.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "service/integrity.h"
#include "storage/blob_store.h"
#include "storage/metadata_store.h"

namespace regie::service {

// Copies every blob with a reference in `snapshot` whose bytes are not inline. A damaged or
// missing source blob is a finding ("hash-mismatch", "missing-blob") and is not copied; its
// counts then say what was copied. Blobs already present in `to` are verified, not rewritten.
Result<IntegrityReport> CopyReferencedBlobs(storage::MetadataStore& snapshot,
                                            storage::BlobStore& from, storage::BlobStore& to);

// The snapshot's commit sequence (storage::Txn::CommitSequence): write transactions committed
// before it, never lower for a later snapshot.
Result<std::uint64_t> SnapshotSequence(storage::MetadataStore& snapshot);

}  // namespace regie::service
