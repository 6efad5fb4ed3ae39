// FileService: folders, recursive delete, move, copy, listings, dead properties and usage.
//
// Every operation that changes the tree runs in one write transaction, so a MOVE with Overwrite
// replaces the destination and moves the source atomically, and blobs that the transaction left
// unreferenced are removed only after it committed (BlobKeeper::Release).
#include <string>

#include "service/file_errors.h"
#include "service/file_service.h"
#include "service/names.h"
#include "service/quota.h"

namespace regie::service {

using namespace file_detail;  // NOLINT(google-build-using-namespace): the service's own helpers.

Result<std::string> FileService::NameKey(std::string_view name) const {
  return NameKeyOf(name, limits_.max_name_bytes);
}

Result<FileTarget> FileService::Current(storage::Txn& txn, const FileTarget& target) {
  FileTarget now = target;
  now.item.reset();
  if (!target.parent) return now;  // The root: its folder does not change.
  now.folder.reset();
  auto item = txn.FindItem(target.org.id, target.parent->id, target.name);
  if (item) {
    now.item = std::move(*item);
    return now;
  }
  if (item.error().code != Errc::kNotFound) return Fail(item.error());
  auto folder = txn.FindChild(target.org.id, target.parent->id, target.name);
  if (folder) {
    now.folder = std::move(*folder);
  } else if (folder.error().code != Errc::kNotFound) {
    return Fail(folder.error());
  }
  return now;
}

Result<std::vector<model::BlobHash>> FileService::DeleteIn(storage::Txn& txn,
                                                           const FileTarget& target) {
  std::vector<model::BlobHash> released;
  if (target.item) {
    auto deleted = txn.DeleteItem(target.org.id, target.parent->id, target.name);
    if (!deleted) return Fail(deleted.error());
    if (deleted->released) released.push_back(*deleted->released);
  } else if (target.folder) {
    auto deleted = txn.DeleteCollection(target.org.id, target.folder->id);
    if (!deleted) return Fail(deleted.error());
    released = std::move(deleted->released);
  } else {
    return Fail(NotFound("nothing at " + target.name));
  }
  return released;
}

Result<void> FileService::Delete(const FileTarget& target,
                                 const model::Preconditions& preconditions) {
  if (!target.item && !target.folder) return Fail(NotFound("nothing at " + target.name));
  if (!target.parent) {
    return Fail(Errc::kForbidden, "DELETE of the root of " + target.owner.login,
                "the home folder cannot be deleted");
  }
  if (!preconditions.Allow(EtagOf(target))) return Fail(PreconditionFailed(target.name));
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  // Look again under the write lock: the path may name something else since Resolve().
  auto current = Current(**txn, target);
  if (!current) return Fail(current.error());
  if (!preconditions.Allow(EtagOf(*current))) return Fail(PreconditionFailed(target.name));
  auto released = DeleteIn(**txn, *current);
  if (!released) return Fail(released.error());
  if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
  txn->reset();
  keeper_->Release(target.org, *released);
  return Ok();
}

Result<model::Collection> FileService::MakeFolder(const FileTarget& target) {
  // RFC 4918 §9.3.1: 405 when the URL is mapped, 409 when an intermediate collection is missing.
  if (target.item || target.folder) {
    return Fail(Errc::kMethodNotAllowed, "MKCOL onto existing " + target.name,
                "a resource exists at this URL");
  }
  if (!target.parent) {
    return Fail(Errc::kConflict, "MKCOL without parent for " + target.name,
                "the parent folder does not exist");
  }
  auto key = NameKey(target.name);
  if (!key) return Fail(key.error());
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto made = (*txn)->CreateCollection({.org = target.org.id,
                                        .owner = target.parent->owner,
                                        .parent = target.parent->id,
                                        .kind = model::CollectionKind::kFolder,
                                        .name = target.name,
                                        .name_key = std::move(*key)});
  if (!made) {
    if (made.error().code == Errc::kAlreadyExists) {
      return Fail(Errc::kMethodNotAllowed, "MKCOL onto existing " + target.name,
                  "a resource with an equivalent name exists");
    }
    return Fail(made.error());
  }
  if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
  return made;
}

Result<RelocateOutcome> FileService::PrepareDestination(storage::Txn& txn, const FileTarget& from,
                                                        const FileTarget& to, Overwrite overwrite,
                                                        std::vector<model::BlobHash>& released) {
  if (!from.item && !from.folder) return Fail(NotFound("nothing at " + from.name));
  if (!from.parent) {
    return Fail(Errc::kForbidden, "MOVE or COPY of a root", "the home folder cannot be moved");
  }
  // RFC 4918 §9.8.5 and §9.9.4: a destination equal to the source is 403.
  const bool same_item = from.item && to.item && from.item->id == to.item->id;
  const bool same_folder = from.folder && to.folder && from.folder->id == to.folder->id;
  if (same_item || same_folder) {
    return Fail(Errc::kForbidden, "MOVE or COPY onto itself", "source and destination are equal");
  }
  if (!to.parent) {
    return Fail(Errc::kConflict, "destination parent missing for " + to.name,
                "the destination's parent folder does not exist");
  }
  RelocateOutcome outcome;
  if (to.item || to.folder) {
    // RFC 4918 §10.6: Overwrite: F with an existing destination is 412.
    if (overwrite == Overwrite::kNo) {
      return Fail(Errc::kPreconditionFailed, "destination exists: " + to.name,
                  "the destination exists and Overwrite is F");
    }
    auto gone = DeleteIn(txn, to);
    if (!gone) return Fail(gone.error());
    released.insert(released.end(), gone->begin(), gone->end());
    outcome.replaced = true;
  }
  return outcome;
}

Result<RelocateOutcome> FileService::Relocate(const FileTarget& source,
                                              const FileTarget& destination, Overwrite overwrite,
                                              const model::Preconditions& preconditions,
                                              const RelocateStep& apply) {
  auto key = NameKey(destination.name);
  if (!key) return Fail(key.error());
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  // Look again under the write lock: the paths may name something else since Resolve().
  auto from = Current(**txn, source);
  if (!from) return Fail(from.error());
  if (!preconditions.Allow(EtagOf(*from))) return Fail(PreconditionFailed(source.name));
  auto to = Current(**txn, destination);
  if (!to) return Fail(to.error());
  std::vector<model::BlobHash> released;
  auto outcome = PrepareDestination(**txn, *from, *to, overwrite, released);
  if (!outcome) return Fail(outcome.error());
  const storage::Placement place{
      .parent = to->parent->id, .name = to->name, .name_key = std::move(*key)};
  if (auto applied = apply(**txn, *from, *to, place); !applied) return Fail(applied.error());
  if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
  txn->reset();
  keeper_->Release(source.org, released);
  return outcome;
}

Result<RelocateOutcome> FileService::Move(const FileTarget& source, const FileTarget& destination,
                                          Overwrite overwrite,
                                          const model::Preconditions& preconditions) {
  return Relocate(source, destination, overwrite, preconditions,
                  [](storage::Txn& txn, const FileTarget& from, const FileTarget&,
                     const storage::Placement& place) -> Result<void> {
                    if (from.item) {
                      auto moved = txn.MoveItem(from.org.id, from.item->id, place);
                      if (!moved) return Fail(moved.error());
                      return Ok();
                    }
                    auto moved = txn.MoveCollection(from.org.id, from.folder->id, place);
                    if (!moved) return Fail(moved.error());
                    return Ok();
                  });
}

Result<RelocateOutcome> FileService::Copy(const FileTarget& source, const FileTarget& destination,
                                          Overwrite overwrite,
                                          const model::Preconditions& preconditions,
                                          model::CopyDepth depth) {
  return Relocate(source, destination, overwrite, preconditions,
                  [this, depth](storage::Txn& txn, const FileTarget& from, const FileTarget& to,
                                const storage::Placement& place) -> Result<void> {
                    if (from.item) {
                      auto copied = txn.CopyItem(from.org.id, from.item->id, place);
                      if (!copied) return Fail(copied.error());
                    } else {
                      auto copied = txn.CopyCollection(from.org.id, from.folder->id, place, depth);
                      if (!copied) return Fail(copied.error());
                    }
                    // A copy adds logical bytes like an upload of the same size. The store
                    // counts them as it copies; over quota, the transaction rolls back whole.
                    auto over = OverQuota(txn, to);
                    if (!over) return Fail(over.error());
                    if (*over) return Fail(QuotaExceeded("storage"));
                    return Ok();
                  });
}

Result<bool> FileService::OverQuota(storage::Txn& txn, const FileTarget& target) {
  if (target.owner.quota != 0) {
    auto used = txn.PrincipalUsage(target.owner.id);
    if (!used) return Fail(used.error());
    if (*used > target.owner.quota) return true;
  }
  if (target.org.quota != 0) {
    auto used = txn.OrgUsage(target.org.id);
    if (!used) return Fail(used.error());
    if (*used > target.org.quota) return true;
  }
  return false;
}

Result<std::vector<model::Member>> FileService::ListFolder(const FileTarget& within,
                                                           model::CollectionId folder,
                                                           std::string_view after,
                                                           std::size_t limit) {
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->ListMembers(within.org.id, folder, after, limit);
}

Result<std::unique_ptr<storage::BlobReader>> FileService::OpenMember(const FileTarget& within,
                                                                     const model::Item& item) {
  // The tenant is part of every key: an item of another organisation is not there for `within`.
  if (item.org != within.org.id) return Fail(NotFound("item " + item.name + " of another org"));
  return keeper_->Open(within.org, item, std::nullopt, 0);
}

namespace {

Result<model::ResourceId> ResourceOf(const FileTarget& target) {
  if (target.item) return model::ResourceId{target.item->id};
  if (target.folder) return model::ResourceId{target.folder->id};
  return Fail(NotFound("nothing at " + target.name));
}

}  // namespace

Result<std::vector<model::DeadProperty>> FileService::Properties(
    const FileTarget& within, const model::ResourceId& resource) {
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->ListProperties(within.org.id, resource);
}

Result<void> FileService::PatchProperties(const FileTarget& target,
                                          const std::vector<PropertyChange>& changes) {
  auto resource = ResourceOf(target);
  if (!resource) return Fail(resource.error());
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  for (const auto& change : changes) {
    auto done = change.op == PropertyOp::kSet
                    ? (*txn)->SetProperty(target.org.id, *resource, change.property)
                    : (*txn)->RemoveProperty(target.org.id, *resource, change.property.name);
    if (!done) return Fail(done.error());
  }
  return (*txn)->Commit();
}

Result<QuotaUsage> FileService::Usage(const FileTarget& target) {
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto used = (*txn)->PrincipalUsage(target.owner.id);
  if (!used) return Fail(used.error());
  auto remaining = RemainingQuota(**txn, target.owner, target.org, 0);
  if (!remaining) return Fail(remaining.error());
  QuotaUsage usage{.used = *used, .available = std::nullopt};
  if (*remaining != kUnbounded) usage.available = *remaining;
  return usage;
}

}  // namespace regie::service
