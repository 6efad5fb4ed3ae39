// The properties of files and folders (RFC 4918 §15, RFC 4331, RFC 5397): which are live, how
// each renders, and one <d:response> per resource for PROPFIND and REPORT.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/dav/file_request.h"
#include "model/content.h"
#include "proto/dav/dav_requests.h"
#include "service/lock_service.h"

namespace regie::frontend::dav {

// A resource as a multistatus describes it: exactly one of folder and item is set.
struct Resource {
  std::vector<std::string> path;  // Below the owner's root.
  const model::Collection* folder = nullptr;
  const model::Item* item = nullptr;
};

// The resource's id, for its dead properties.
inline model::ResourceId IdOf(const Resource& resource) {
  if (resource.folder) return model::ResourceId{resource.folder->id};
  return model::ResourceId{resource.item->id};
}

// What every resource of one response shares.
struct PropertyContext {
  const FileRequest* req = nullptr;
  std::optional<service::QuotaUsage> usage;  // Read once per response, if asked for.
};

// The stored type, or one guessed from the name when the uploader gave none.
std::string_view ContentTypeOf(const model::Item& item);

// Live properties are computed by the server; all of them are protected (PROPPATCH refuses them
// with DAV:cannot-modify-protected-property).
bool IsLiveProperty(const QName& name);
// Whether answering `propfind` needs the resources' dead properties.
bool NeedsDeadProperties(const proto::dav::PropfindRequest& propfind);
// The context for answering `propfind` on `req`'s tree: reads the owner's quota usage once when
// a quota property (or propname, which lists them) is asked for.
Result<PropertyContext> ContextFor(const FileRequest& req,
                                   const proto::dav::PropfindRequest& propfind);

// Appends one <d:response> answering `propfind` for `resource`; `dead` holds its dead
// properties (empty unless NeedsDeadProperties()).
void AppendPropResponse(std::string& out, const PropertyContext& ctx, const Resource& resource,
                        const proto::dav::PropfindRequest& propfind,
                        const std::vector<model::DeadProperty>& dead);

// The href of the resource a lock was taken on.
std::string LockRootHref(const FileRequest& req, const service::LockInfo& lock);

// <d:activelock>…</d:activelock> for LOCK responses and DAV:lockdiscovery.
void AppendActiveLock(std::string& out, const FileRequest& req, const service::LockInfo& lock);

}  // namespace regie::frontend::dav
