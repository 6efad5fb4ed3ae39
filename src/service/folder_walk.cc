#include "service/folder_walk.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "base/check.h"

namespace regie::service {

FolderWalk::FolderWalk(FileService& files, FileTarget start, std::size_t page_size)
    : files_(files), start_(std::move(start)), page_size_(std::max<std::size_t>(page_size, 1)) {
  REGIE_CHECK(start_.folder.has_value(), "a folder walk starts at a folder");
  frames_.push_back({start_.folder->id, {}, {}});
}

Result<void> FolderWalk::ReadPage() {
  const Frame& frame = frames_.back();
  auto listed = files_.ListFolder(start_, frame.folder, frame.after, page_size_);
  if (!listed) return Fail(listed.error());
  page_is_last_ = listed->size() < page_size_;
  page_ = std::move(*listed);
  // Reversed, so that taking the next member is a pop_back.
  std::reverse(page_.begin(), page_.end());
  return Ok();
}

Result<std::optional<WalkEntry>> FolderWalk::Next() {
  while (!frames_.empty()) {
    if (page_.empty() && page_is_last_) {
      frames_.pop_back();
      page_is_last_ = false;
      continue;
    }
    if (page_.empty()) {
      if (auto read = ReadPage(); !read) return Fail(read.error());
      continue;
    }
    model::Member member = std::move(page_.back());
    page_.pop_back();
    Frame& frame = frames_.back();
    frame.after = std::visit([](const auto& m) { return m.name; }, member);
    std::string path = frame.path.empty() ? frame.after : frame.path + "/" + frame.after;
    if (const auto* folder = std::get_if<model::Collection>(&member)) {
      // The rest of this page is dropped and read again after `after` on the way back up: one
      // page in memory, not one per level of depth.
      page_.clear();
      page_is_last_ = false;
      frames_.push_back({folder->id, path, {}});
    }
    return WalkEntry{std::move(path), std::move(member)};
  }
  return std::nullopt;
}

Result<std::unique_ptr<storage::BlobReader>> FolderWalk::Open(const model::Item& item) {
  return files_.OpenMember(start_, item);
}

}  // namespace regie::service
