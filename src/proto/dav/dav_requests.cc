// PROPFIND, PROPPATCH and LOCK bodies (RFC 4918 §14). Elements these parsers do not know are
// skipped, as RFC 4918 §17 asks of extensions; REPORT bodies are in dav_report.cc.
#include "proto/dav/dav_requests.h"

#include "proto/dav/request_xml.h"

namespace regie::proto::dav {

using detail::BadBody;
using detail::ChildNames;
using detail::IsBlankBody;
using detail::ParseDavRoot;
using formats::xml::XmlElement;
using formats::xml::XmlLimits;

Result<PropfindRequest> ParsePropfind(std::string_view body, const XmlLimits& limits) {
  if (IsBlankBody(body)) return PropfindRequest{};
  auto root = ParseDavRoot(body, limits, "propfind");
  if (!root) return Fail(root.error());
  // RFC 4918 §14.20: propfind (propname | (allprop, include?) | prop): unlike a REPORT's
  // optional choice, one of the three must be there.
  if (root->Find(kDavNs, "prop") == nullptr && root->Find(kDavNs, "propname") == nullptr &&
      root->Find(kDavNs, "allprop") == nullptr) {
    return BadBody("DAV:propfind needs one of DAV:prop, DAV:propname, DAV:allprop");
  }
  auto request = detail::ParsePropChoice(*root);
  if (!request) return Fail(request.error());
  return request;
}

namespace {

constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

const std::string* LangOf(const XmlElement& e) {
  for (const auto& a : e.attributes) {
    if (a.name.ns == kXmlNs && a.name.name == "lang") return &a.value;
  }
  return nullptr;
}

// RFC 4918 §4.3: a dead property keeps the xml:lang in scope where it was set, which may come
// from an ancestor (DAV:prop, DAV:set, DAV:propertyupdate) rather than the property element.
std::string SerializeProperty(const XmlElement& property, const std::string* inherited_lang) {
  if (inherited_lang == nullptr || inherited_lang->empty() || LangOf(property) != nullptr) {
    return formats::xml::SerializeFragment(property);
  }
  XmlElement copy = property;
  copy.attributes.push_back({QName{std::string(kXmlNs), "lang"}, *inherited_lang});
  return formats::xml::SerializeFragment(copy);
}

// Appends the updates of one DAV:set or DAV:remove, in document order.
Result<void> AppendUpdates(const XmlElement& op, PatchOp kind, const std::string* lang,
                           std::vector<PropertyUpdate>& updates) {
  if (const std::string* own = LangOf(op)) lang = own;
  bool any = false;
  for (const XmlElement& prop : op.children) {
    if (!prop.Is(kDavNs, "prop")) continue;
    const std::string* prop_lang = LangOf(prop);
    if (prop_lang == nullptr) prop_lang = lang;
    for (const XmlElement& property : prop.children) {
      PropertyUpdate update{kind, property.name, {}};
      if (kind == PatchOp::kSet) update.value = SerializeProperty(property, prop_lang);
      updates.push_back(std::move(update));
      any = true;
    }
  }
  if (!any) return BadBody("DAV:set and DAV:remove need a DAV:prop with a property in it");
  return Ok();
}

}  // namespace

Result<ProppatchRequest> ParseProppatch(std::string_view body, const XmlLimits& limits) {
  if (IsBlankBody(body)) return BadBody("PROPPATCH needs a DAV:propertyupdate body");
  auto root = ParseDavRoot(body, limits, "propertyupdate");
  if (!root) return Fail(root.error());
  ProppatchRequest request;
  for (const XmlElement& op : root->children) {
    PatchOp kind = PatchOp::kSet;
    if (op.Is(kDavNs, "set")) {
      kind = PatchOp::kSet;
    } else if (op.Is(kDavNs, "remove")) {
      kind = PatchOp::kRemove;
    } else {
      continue;
    }
    if (auto added = AppendUpdates(op, kind, LangOf(*root), request.updates); !added) {
      return Fail(added.error());
    }
  }
  if (request.updates.empty()) return BadBody("DAV:propertyupdate needs DAV:set or DAV:remove");
  return request;
}

Result<std::optional<LockRequest>> ParseLockInfo(std::string_view body, const XmlLimits& limits) {
  // RFC 4918 §9.10.2: a LOCK without a body refreshes the lock named in the If header.
  if (IsBlankBody(body)) return std::optional<LockRequest>();
  auto root = ParseDavRoot(body, limits, "lockinfo");
  if (!root) return Fail(root.error());
  LockRequest request;
  // RFC 4918 §14.11: lockinfo (lockscope, locktype, owner?).
  const XmlElement* scope = root->Find(kDavNs, "lockscope");
  if (scope == nullptr) return BadBody("DAV:lockinfo needs DAV:lockscope");
  const bool exclusive = scope->Find(kDavNs, "exclusive") != nullptr;
  const bool shared = scope->Find(kDavNs, "shared") != nullptr;
  if (exclusive == shared) return BadBody("DAV:lockscope needs DAV:exclusive or DAV:shared");
  request.scope = exclusive ? LockScope::kExclusive : LockScope::kShared;
  const XmlElement* type = root->Find(kDavNs, "locktype");
  if (type == nullptr) return BadBody("DAV:lockinfo needs DAV:locktype");
  if (type->Find(kDavNs, "write") == nullptr) return BadBody("only DAV:write locks are supported");
  if (const XmlElement* owner = root->Find(kDavNs, "owner")) {
    request.owner = formats::xml::SerializeFragment(*owner);
  }
  return std::optional<LockRequest>(std::move(request));
}

}  // namespace regie::proto::dav
