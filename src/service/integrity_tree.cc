// Fsck's checks of the collection tree and the change logs (DESIGN principles 3 and 8).
#include <unordered_map>
#include <utility>
#include <vector>

#include "service/integrity_internal.h"

namespace regie::service::integrity {
namespace {

constexpr std::size_t kListLimit = 1000;

struct Node {
  model::OrgId org;
  std::optional<model::CollectionId> parent;
  model::CollectionId sync_root;
};

using Tree = std::unordered_map<model::CollectionId, Node>;

std::string CollectionObject(model::CollectionId id) {
  return "collection " + std::to_string(id.value);
}

void CheckNode(const Tree& tree, model::CollectionId id, const Node& node, Findings& findings) {
  const auto root = tree.find(node.sync_root);
  if (root == tree.end() || root->second.sync_root != node.sync_root ||
      root->second.org != node.org) {
    findings.Add("tree-sync-root", CollectionObject(id),
                 "its sync root " + std::to_string(node.sync_root.value) +
                     " is not a sync root of its organisation",
                 /*repaired=*/false);
  }
  if (!node.parent) {
    if (node.sync_root != id) {
      findings.Add("tree-sync-root", CollectionObject(id), "a root must be its own sync root",
                   /*repaired=*/false);
    }
    return;
  }
  const auto parent = tree.find(*node.parent);
  if (parent == tree.end()) {
    findings.Add("tree-parent", CollectionObject(id),
                 "its parent " + std::to_string(node.parent->value) + " does not exist",
                 /*repaired=*/false);
    return;
  }
  if (parent->second.org != node.org) {
    findings.Add(
        "tree-org", CollectionObject(id),
        "its parent " + std::to_string(node.parent->value) + " belongs to another organisation",
        /*repaired=*/false);
  }
  // A child logs in its parent's change log unless it keeps its own (SyncRoot::kOwn).
  if (node.sync_root != id && node.sync_root != parent->second.sync_root) {
    findings.Add("tree-sync-root", CollectionObject(id), "its sync root differs from its parent's",
                 /*repaired=*/false);
  }
}

// Reports each cycle of parent links once. Colours: 0 unseen, 1 on the current path, 2 done.
void FindCycles(const Tree& tree, Findings& findings) {
  std::unordered_map<model::CollectionId, int> colour;
  std::vector<model::CollectionId> path;
  for (const auto& [start, unused] : tree) {
    path.clear();
    model::CollectionId at = start;
    while (colour[at] == 0) {
      colour[at] = 1;
      path.push_back(at);
      const auto node = tree.find(at);
      if (node == tree.end() || !node->second.parent || !tree.count(*node->second.parent)) break;
      at = *node->second.parent;
      if (colour[at] == 1) {
        findings.Add("tree-cycle", CollectionObject(at),
                     "its ancestors lead back to it; the collections on the cycle are unreachable",
                     /*repaired=*/false);
        break;
      }
    }
    for (const auto id : path) colour[id] = 2;
  }
}

}  // namespace

Result<void> CheckTree(storage::MetadataStore& metadata, IntegrityReport& report,
                       Findings& findings) {
  auto txn = metadata.Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  Tree tree;
  auto scanned = (*txn)->ScanCollections([&](const storage::CollectionRecord& r) -> Result<void> {
    const auto& c = r.collection;
    tree.emplace(c.id, Node{.org = c.org, .parent = c.parent, .sync_root = c.sync_root});
    return Ok();
  });
  if (!scanned) return scanned;
  report.counts.collections = tree.size();
  for (const auto& [id, node] : tree) CheckNode(tree, id, node, findings);
  FindCycles(tree, findings);
  auto clashes = (*txn)->ListNameClashes(kListLimit);
  if (!clashes) return Fail(clashes.error());
  for (const auto& clash : *clashes) {
    findings.Add("name-clash", CollectionObject(clash.parent),
                 std::to_string(clash.members) + " members share the name '" + clash.name_key + "'",
                 /*repaired=*/false);
  }
  auto strays = (*txn)->ListStrayItems(kListLimit);
  if (!strays) return Fail(strays.error());
  for (const auto& item : *strays) {
    findings.Add("stray-item", "item " + std::to_string(item.id.value) + " '" + item.name + "'",
                 "its collection " + std::to_string(item.collection.value) +
                     " does not exist in its organisation",
                 /*repaired=*/false);
  }
  return Ok();
}

Result<void> CheckChangeLogs(storage::MetadataStore& metadata, Repair repair,
                             IntegrityReport& report, Findings& findings) {
  std::vector<std::pair<model::CollectionId, std::uint64_t>> raise;
  {
    auto txn = metadata.Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto scanned = (*txn)->ScanChangeLogs([&](const storage::ChangeLogRecord& r) -> Result<void> {
      ++report.counts.change_logs;
      const std::string object = "change log of " + CollectionObject(r.sync_root);
      if (!r.root_exists || !r.is_sync_root) {
        findings.Add("changelog-root", object,
                     std::to_string(r.changes) + " change(s) recorded under a collection that " +
                         (r.root_exists ? "is not a sync root" : "does not exist"),
                     /*repaired=*/false);
        return Ok();
      }
      if (r.max_seq > r.root_seq) {
        // The next write would take a sequence that a recorded change already has.
        const bool fix = repair == Repair::kFix;
        if (fix) raise.emplace_back(r.sync_root, r.max_seq);
        findings.Add("changelog-seq", object,
                     "a change has sequence " + std::to_string(r.max_seq) +
                         " past the root's sequence " + std::to_string(r.root_seq) +
                         (fix ? "; sequence raised" : ""),
                     fix);
      }
      return Ok();
    });
    if (!scanned) return scanned;
  }
  if (raise.empty()) return Ok();
  auto txn = metadata.Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  for (const auto& [root, seq] : raise) {
    if (auto done = (*txn)->RepairChangeSeq(root, seq); !done) return done;
  }
  return (*txn)->Commit();
}

}  // namespace regie::service::integrity
