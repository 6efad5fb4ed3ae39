// Walks the subtree of a folder depth-first, for exports such as a ZIP download: each folder comes
// before its members, the members of a folder in bytewise name order, a page of store reads at a
// time. Memory is one page of members plus one small frame per level of depth, whatever the
// subtree holds. Each page is read in its own snapshot, so a tree that changes during a walk shows
// some of the changes, as a streamed PROPFIND does.
//
// Blocks (store reads): run it on the blocking pool. Not thread-safe. Errors are the store's.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/content.h"
#include "service/file_service.h"
#include "storage/blob_store.h"

namespace regie::service {

struct WalkEntry {
  std::string path;  // Below the walked folder, names joined by '/'.
  model::Member member;
};

class FolderWalk {
 public:
  // Walks below `start.folder` (which must be set), with the access FileService::Resolve granted
  // when it made `start`. `files` must outlive the walk.
  FolderWalk(FileService& files, FileTarget start, std::size_t page_size);

  // The next member of the subtree, or nullopt after the last.
  Result<std::optional<WalkEntry>> Next();
  // Opens the content of a file the walk returned.
  Result<std::unique_ptr<storage::BlobReader>> Open(const model::Item& item);

  const FileTarget& start() const { return start_; }

 private:
  struct Frame {
    model::CollectionId folder;
    std::string path;
    std::string after;  // The last member name returned from this folder.
  };
  Result<void> ReadPage();

  FileService& files_;
  FileTarget start_;
  std::size_t page_size_;
  std::vector<Frame> frames_;        // The folders being walked, the deepest last.
  std::vector<model::Member> page_;  // The rest of the deepest folder's page, in reverse order.
  bool page_is_last_ = false;        // The deepest folder has nothing after `page_`.
};

}  // namespace regie::service
