#include "frontend/dav/propfind_body.h"

#include <algorithm>

#include "frontend/dav/dav_response.h"

namespace regie::frontend::dav {
namespace {

service::FileTarget FolderTarget(const service::FileTarget& base, const model::Collection& folder) {
  return service::FileTarget{base.owner,   base.org, std::nullopt, folder.name,
                             std::nullopt, folder,   std::nullopt};
}

service::FileTarget ItemTarget(const service::FileTarget& base, const model::Item& item) {
  return service::FileTarget{base.owner, base.org,     std::nullopt, item.name,
                             item,       std::nullopt, std::nullopt};
}

}  // namespace

PropfindBody::PropfindBody(FileRequestPtr req, proto::dav::PropfindRequest propfind,
                           proto::dav::Depth depth, PropertyContext context, ListingShape shape)
    : req_(std::move(req)),
      propfind_(std::move(propfind)),
      depth_(depth),
      context_(context),
      shape_(std::move(shape)),
      dead_(NeedsDeadProperties(propfind_)) {}

Result<std::size_t> PropfindBody::Read(std::span<char> out) {
  // Drop what was sent before producing more, so the buffer holds about one page, not the
  // whole document.
  buffer_.erase(0, pos_);
  pos_ = 0;
  while (buffer_.size() < out.size() && !finished_) {
    if (auto more = Produce(); !more) return Fail(more.error());
  }
  const std::size_t n = std::min(out.size(), buffer_.size() - pos_);
  std::copy_n(buffer_.data() + pos_, n, out.data());
  pos_ += n;
  return n;
}

Result<void> PropfindBody::Describe(const Resource& resource, const service::FileTarget& target) {
  std::vector<model::DeadProperty> dead;
  if (dead_) {
    auto listed = req_->files.Properties(target);
    if (!listed) return Fail(listed.error());
    dead = std::move(*listed);
  }
  AppendPropResponse(buffer_, context_, resource, propfind_, dead);
  return Ok();
}

Result<void> PropfindBody::Produce() {
  if (!started_) {
    started_ = true;
    buffer_.append(kMultistatusOpen);
    const auto& target = req_->target;
    const Resource self{req_->path(), target.folder ? &*target.folder : nullptr,
                        target.item ? &*target.item : nullptr};
    if (shape_.include_self) {
      if (auto done = Describe(self, target); !done) return done;
    }
    if (target.folder && depth_ != proto::dav::Depth::kZero) {
      frames_.push_back({*target.folder, req_->path(), {}});
    }
    return Ok();
  }
  if (frames_.empty()) {
    buffer_.append(shape_.trailer);
    buffer_.append(kMultistatusClose);
    finished_ = true;
    return Ok();
  }
  Frame frame = frames_.back();
  auto page = req_->files.ListFolder(FolderTarget(req_->target, frame.folder), frame.after,
                                     req_->options.propfind_page);
  if (!page) return Fail(page.error());
  if (page->empty()) {
    frames_.pop_back();
    return Ok();
  }
  std::vector<Frame> deeper;
  for (const auto& member : *page) {
    std::vector<std::string> path = frame.path;
    if (const auto* folder = std::get_if<model::Collection>(&member)) {
      path.push_back(folder->name);
      if (auto done = Describe({path, folder, nullptr}, FolderTarget(req_->target, *folder));
          !done) {
        return done;
      }
      if (depth_ == proto::dav::Depth::kInfinity) deeper.push_back({*folder, path, {}});
      frame.after = folder->name;
    } else {
      const auto& item = std::get<model::Item>(member);
      path.push_back(item.name);
      if (auto done = Describe({path, nullptr, &item}, ItemTarget(req_->target, item)); !done) {
        return done;
      }
      frame.after = item.name;
    }
  }
  frames_.back().after = frame.after;
  for (auto& d : deeper) frames_.push_back(std::move(d));
  return Ok();
}

}  // namespace regie::frontend::dav
