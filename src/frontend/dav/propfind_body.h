// The streamed body of a PROPFIND multistatus (also the initial sync-collection report): the
// target's response, then its members a page of store reads at a time, so that a folder of any
// size is listed in bounded memory. Reads query the store, so the transport runs them on its
// blocking pool.
#pragma once

#include <string>
#include <vector>

#include "frontend/dav/dav_properties.h"
#include "frontend/dav/file_request.h"
#include "proto/dav/dav_headers.h"
#include "proto/dav/dav_requests.h"
#include "proto/http/message.h"

namespace regie::frontend::dav {

struct ListingShape {
  bool include_self = true;  // PROPFIND describes the target; a sync report only its members.
  std::string trailer;       // Appended before </d:multistatus> (a report's DAV:sync-token).
};

class PropfindBody final : public proto::http::BodySource {
 public:
  PropfindBody(FileRequestPtr req, proto::dav::PropfindRequest propfind, proto::dav::Depth depth,
               PropertyContext context, ListingShape shape);

  bool blocking() const override { return true; }
  Result<std::size_t> Read(std::span<char> out) override;

 private:
  struct Frame {
    model::CollectionId folder;
    std::vector<std::string> path;
    std::string after;  // The last member name listed so far.
  };

  Result<void> Describe(const Resource& resource);
  // Appends the next piece of the document to buffer_.
  Result<void> Produce();

  FileRequestPtr req_;
  proto::dav::PropfindRequest propfind_;
  proto::dav::Depth depth_;
  PropertyContext context_;
  ListingShape shape_;
  bool dead_;
  bool started_ = false;
  bool finished_ = false;
  std::vector<Frame> frames_;  // Folders still to list, the deepest last.
  std::string buffer_;         // Produced, not yet sent.
};

}  // namespace regie::frontend::dav
