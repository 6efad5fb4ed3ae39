// FileService: what changed below a folder since a sync token (RFC 6578), read from the change
// log of the folder's tree (DESIGN principle 3).
//
// A change names (collection, member name). Whether it concerns the synchronised folder is
// decided now, by walking parents from the collection up: a change inside a folder that was
// later moved in or out is judged by where that folder is today, and a folder that appeared
// (created, moved or copied in) is expanded into its whole subtree for kTree, since the client
// knows nothing below it. A folder replaced since the token (removed, then something else at its
// path) makes the token invalid for kTree: its old members were never logged one by one.
#include <map>
#include <string>
#include <unordered_map>

#include "service/file_errors.h"
#include "service/file_service.h"

namespace regie::service {

using namespace file_detail;  // NOLINT(google-build-using-namespace): the service's own helpers.

namespace {

constexpr std::size_t kChangeBatch = 1024;

// Relative paths of collections below the synchronised folder, by id; nullopt when the
// collection is outside it or gone.
class PathCache {
 public:
  PathCache(storage::Txn& txn, model::OrgId org, model::CollectionId folder)
      : txn_(txn), org_(org) {
    known_[folder.value] = std::vector<std::string>{};
  }

  Result<std::optional<std::vector<std::string>>> PathOf(model::CollectionId id) {
    if (auto it = known_.find(id.value); it != known_.end()) return it->second;
    auto collection = txn_.GetCollection(org_, id);
    std::optional<std::vector<std::string>> path;
    if (!collection) {
      if (collection.error().code != Errc::kNotFound) return Fail(collection.error());
    } else if (collection->parent) {
      auto parent = PathOf(*collection->parent);
      if (!parent) return Fail(parent.error());
      if (*parent) {
        path = std::move(**parent);
        path->push_back(collection->name);
      }
    }
    known_[id.value] = path;
    return path;
  }

 private:
  storage::Txn& txn_;
  model::OrgId org_;
  std::unordered_map<std::int64_t, std::optional<std::vector<std::string>>> known_;
};

// Appends every member below `folder` (whose path is `path`), depth first; kTooManyResults once
// `out` would hold more than `cap` entries, so that a huge folder is never loaded whole.
Result<void> AppendSubtree(storage::Txn& txn, model::OrgId org, const model::Collection& folder,
                           const std::vector<std::string>& path, std::size_t cap,
                           std::vector<TreeChange>& out) {
  std::string after;
  for (;;) {
    auto page = txn.ListMembers(org, folder.id, after, kChangeBatch);
    if (!page) return Fail(page.error());
    if (page->empty()) return Ok();
    if (out.size() + page->size() > cap) {
      return Fail(Errc::kTooManyResults, "folder expansion over the limit");
    }
    for (auto& member : *page) {
      TreeChange change;
      change.path = path;
      if (auto* sub = std::get_if<model::Collection>(&member)) {
        change.path.push_back(sub->name);
        after = sub->name;
        change.folder = *sub;
        change.collection = true;
        out.push_back(change);
        if (auto deeper = AppendSubtree(txn, org, *sub, change.path, cap, out); !deeper) {
          return deeper;
        }
      } else {
        auto& item = std::get<model::Item>(member);
        change.path.push_back(item.name);
        after = item.name;
        change.item = std::move(item);
        out.push_back(std::move(change));
      }
    }
  }
}

}  // namespace

Result<std::uint64_t> FileService::CurrentSeq(const FileTarget& folder) {
  if (!folder.folder) return Fail(NotFound("no folder " + folder.name));
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->CurrentSeq(folder.folder->sync_root);
}

Result<ChangeSet> FileService::ChangesSince(const FileTarget& target, std::uint64_t since,
                                            SyncScope scope, std::size_t max_results,
                                            LimitKind limit_kind) {
  if (!target.folder) return Fail(NotFound("no folder " + target.name));
  const model::Collection& folder = *target.folder;
  const model::OrgId org = target.org.id;
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto current = (*txn)->CurrentSeq(folder.sync_root);
  if (!current) return Fail(current.error());
  if (since > *current) {
    return Fail(Errc::kForbidden, "sync token ahead of the log", "invalid sync token",
                QName{"DAV:", "valid-sync-token"});
  }
  ChangeSet out;
  out.seq = since;
  PathCache paths(**txn, org, folder.id);
  // Each member's latest position in `out.changes`, so that a member changed twice is reported
  // once, with its current state.
  std::map<std::vector<std::string>, std::size_t> reported;
  for (;;) {
    auto batch = (*txn)->ChangesSince(folder.sync_root, out.seq, kChangeBatch);
    if (!batch) return Fail(batch.error());
    if (batch->empty()) return out;
    for (const auto& change : *batch) {
      auto parent =
          scope == SyncScope::kMembers
              ? Result<std::optional<std::vector<std::string>>>(
                    change.collection == folder.id
                        ? std::optional<std::vector<std::string>>(std::vector<std::string>{})
                        : std::nullopt)
              : paths.PathOf(change.collection);
      if (!parent) return Fail(parent.error());
      std::vector<TreeChange> found;
      if (*parent) {
        TreeChange member{.path = std::move(**parent),
                          .item = std::nullopt,
                          .folder = std::nullopt,
                          .collection = change.member == model::MemberKind::kCollection};
        member.path.push_back(change.name);
        auto item = (*txn)->FindItem(org, change.collection, change.name);
        if (item) {
          member.item = std::move(*item);
        } else if (auto sub = (*txn)->FindChild(org, change.collection, change.name)) {
          member.folder = std::move(*sub);
        }
        if (scope == SyncScope::kTree && change.op == model::ChangeOp::kDeleted &&
            change.member == model::MemberKind::kCollection && (member.folder || member.item)) {
          // A folder went and something else took its place since the token: the log holds one
          // change for the old folder, not its members, and this answer can name the path only
          // once, as it is now, so the client would keep the old members. RFC 6578 §3.2 lets
          // the server refuse the token; the client then syncs from scratch.
          return Fail(Errc::kForbidden, "folder replaced since the sync token",
                      "a folder was replaced since this token; sync again from an empty token",
                      QName{"DAV:", "valid-sync-token"});
        }
        found.push_back(member);
        if (scope == SyncScope::kTree && member.folder && change.op == model::ChangeOp::kCreated) {
          auto all = AppendSubtree(**txn, org, *member.folder, member.path, max_results, found);
          if (!all && all.error().code != Errc::kTooManyResults) return Fail(all.error());
          if (!all && !out.changes.empty()) {
            out.truncated = true;  // Report what fits; the next request starts at this change.
            return out;
          }
          if (!all && limit_kind == LimitKind::kServer) {
            // RFC 6578 §3.8: the server may refuse a token it cannot serve; the client then
            // syncs from scratch, which streams the listing instead of building it here.
            return Fail(Errc::kForbidden, "folder too large to report as changes",
                        "sync again from an empty token", QName{"DAV:", "valid-sync-token"});
          }
          if (!all) {
            return Fail(Errc::kTooManyResults, "one change exceeds the client's limit",
                        "more results than the limit allows",
                        QName{"DAV:", "number-of-matches-within-limits"});
          }
        }
      }
      if (!out.changes.empty() && out.changes.size() + found.size() > max_results) {
        out.truncated = true;
        return out;
      }
      if (found.size() > max_results && limit_kind == LimitKind::kClient) {
        return Fail(Errc::kTooManyResults, "one change exceeds the client's limit",
                    "more results than the limit allows",
                    QName{"DAV:", "number-of-matches-within-limits"});
      }
      for (auto& f : found) {
        if (auto it = reported.find(f.path); it != reported.end()) {
          out.changes[it->second] = std::move(f);
        } else {
          reported.emplace(f.path, out.changes.size());
          out.changes.push_back(std::move(f));
        }
      }
      out.seq = change.seq;
    }
  }
}

}  // namespace regie::service
