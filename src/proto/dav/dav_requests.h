// Parsers of WebDAV request bodies (RFC 4918 §14, RFC 6578 §6). Each parses with
// formats::xml::ParseXml (DTDs refused, limits applied) and then checks the structure the RFC
// requires. Errors are kInvalidInput (400) with a short client-safe detail, or kTooLarge.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "formats/xml/xml_element.h"

namespace regie::proto::dav {

inline constexpr std::string_view kDavNs = "DAV:";

enum class PropfindKind { kProp, kPropname, kAllprop };

struct PropfindRequest {
  PropfindKind kind = PropfindKind::kAllprop;
  std::vector<QName> props;    // kProp: the names asked for, in document order.
  std::vector<QName> include;  // kAllprop: the DAV:include names.
};

// An empty body (only whitespace) is allprop (RFC 4918 §9.1).
Result<PropfindRequest> ParsePropfind(std::string_view body, const formats::xml::XmlLimits& limits);

enum class PatchOp { kSet, kRemove };

struct PropertyUpdate {
  PatchOp op = PatchOp::kSet;
  QName name;
  // kSet: SerializeFragment of the property element (its name, attributes, namespace
  // declarations and content), which PROPFIND later returns verbatim. Empty for kRemove.
  std::string value;
};

// The updates in document order (RFC 4918 §9.2: they are applied in order).
struct ProppatchRequest {
  std::vector<PropertyUpdate> updates;
};

// A body without DAV:propertyupdate, without any set/remove, or with an empty DAV:prop is 400.
Result<ProppatchRequest> ParseProppatch(std::string_view body,
                                        const formats::xml::XmlLimits& limits);

enum class LockScope { kExclusive, kShared };

struct LockRequest {
  LockScope scope = LockScope::kExclusive;
  std::string owner;  // SerializeFragment of DAV:owner, or empty when absent.
};

// nullopt for an empty body: a lock refresh (RFC 4918 §9.10.2). DAV:lockinfo needs lockscope and
// a write locktype; anything else is 400.
Result<std::optional<LockRequest>> ParseLockInfo(std::string_view body,
                                                 const formats::xml::XmlLimits& limits);

enum class SyncLevel { kOne, kInfinite };

struct SyncCollectionRequest {
  std::string sync_token;  // Empty on the initial sync.
  SyncLevel level = SyncLevel::kOne;
  std::optional<std::size_t> limit;  // DAV:limit/DAV:nresults.
  PropfindRequest props;             // From DAV:prop (kind kProp), or allprop when absent.
};

// A REPORT whose root element this build does not know (answered 403 with
// DAV:supported-report, RFC 3253 §3.6).
struct UnknownReport {
  QName name;
};

using ReportRequest = std::variant<SyncCollectionRequest, UnknownReport>;

Result<ReportRequest> ParseReport(std::string_view body, const formats::xml::XmlLimits& limits);

}  // namespace regie::proto::dav
