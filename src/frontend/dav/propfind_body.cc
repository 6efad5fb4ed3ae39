#include "frontend/dav/propfind_body.h"

#include <algorithm>

#include "frontend/dav/dav_response.h"

namespace regie::frontend::dav {

PropfindBody::PropfindBody(FileRequestPtr req, proto::dav::PropfindRequest propfind,
                           proto::dav::Depth depth, PropertyContext context, ListingShape shape)
    : req_(std::move(req)),
      propfind_(std::move(propfind)),
      depth_(depth),
      context_(context),
      shape_(std::move(shape)),
      dead_(NeedsDeadProperties(propfind_)) {}

Result<std::size_t> PropfindBody::Read(std::span<char> out) {
  while (buffer_.size() < out.size() && !finished_) {
    if (auto more = Produce(); !more) return Fail(more.error());
  }
  const std::size_t n = std::min(out.size(), buffer_.size());
  std::copy_n(buffer_.data(), n, out.data());
  // What was sent goes, so the buffer holds about one page, never the whole document.
  buffer_.erase(0, n);
  return n;
}

Result<void> PropfindBody::Describe(const Resource& resource) {
  std::vector<model::DeadProperty> dead;
  if (dead_) {
    auto listed = req_->files.Properties(req_->target, IdOf(resource));
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
      if (auto done = Describe(self); !done) return done;
    }
    if (target.folder && depth_ != proto::dav::Depth::kZero) {
      frames_.push_back({target.folder->id, req_->path(), {}});
    }
    return Ok();
  }
  if (frames_.empty()) {
    buffer_.append(shape_.trailer);
    buffer_.append(kMultistatusClose);
    finished_ = true;
    return Ok();
  }
  const Frame frame = frames_.back();  // A copy: pushing deeper frames may move the vector.
  auto page =
      req_->files.ListFolder(req_->target, frame.folder, frame.after, req_->options.propfind_page);
  if (!page) return Fail(page.error());
  if (page->empty()) {
    frames_.pop_back();
    return Ok();
  }
  std::vector<Frame> deeper;
  for (const auto& member : *page) {
    const auto* folder = std::get_if<model::Collection>(&member);
    const auto* item = std::get_if<model::Item>(&member);
    std::vector<std::string> path = frame.path;
    path.push_back(folder ? folder->name : item->name);
    if (auto done = Describe({path, folder, item}); !done) return done;
    if (folder && depth_ == proto::dav::Depth::kInfinity) deeper.push_back({folder->id, path, {}});
  }
  frames_.back().after = std::visit([](const auto& m) { return m.name; }, page->back());
  for (auto& d : deeper) frames_.push_back(std::move(d));
  return Ok();
}

}  // namespace regie::frontend::dav
