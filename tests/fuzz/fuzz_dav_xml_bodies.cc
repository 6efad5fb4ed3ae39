// Fuzz target for the WebDAV, CalDAV and CardDAV request bodies: the same bytes go to the PROPFIND,
// PROPPATCH, LOCK and REPORT parsers, the CalDAV and CardDAV REPORT parsers, MKCALENDAR, extended
// MKCOL and the sharing POST. Besides crashes, hangs and sanitizer reports it checks the XML tree's
// promise: every tree ParseXml returns, and every property value or lock owner the parsers keep,
// survives SerializeFragment and a second parse unchanged.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"
#include "formats/xml/xml_element.h"
#include "proto/caldav/caldav_requests.h"
#include "proto/carddav/carddav_requests.h"
#include "proto/dav/dav_requests.h"

namespace {

using regie::formats::xml::ParseXml;
using regie::formats::xml::SameTree;
using regie::formats::xml::SerializeFragment;
using regie::formats::xml::XmlElement;
using regie::formats::xml::XmlLimits;

// Escaping can make a fragment longer than the document it came from.
XmlLimits ReparseLimits(const XmlLimits& limits) {
  XmlLimits wider = limits;
  wider.max_bytes = limits.max_bytes * 8;
  return wider;
}

void CheckRoundTrip(const XmlElement& tree, const XmlLimits& limits) {
  const std::string fragment = SerializeFragment(tree);
  auto again = ParseXml(fragment, ReparseLimits(limits));
  REGIE_CHECK(again.has_value(), "a serialised fragment must parse");
  REGIE_CHECK(SameTree(tree, *again), "a serialised fragment must parse to the same tree");
}

// A stored fragment (property value, lock owner) must parse and serialise back to itself.
void CheckStoredFragment(const std::string& fragment, const XmlLimits& limits) {
  auto tree = ParseXml(fragment, ReparseLimits(limits));
  REGIE_CHECK(tree.has_value(), "a stored fragment must parse");
  REGIE_CHECK(SerializeFragment(*tree) == fragment, "a stored fragment must be a fixed point");
}

// MKCALENDAR and extended MKCOL keep property values as PROPPATCH does.
void CheckMkcol(const regie::Result<regie::proto::caldav::MkcolRequest>& mkcol,
                const XmlLimits& limits) {
  if (!mkcol) return;
  for (const auto& update : mkcol->set) CheckStoredFragment(update.value, limits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const XmlLimits limits;
  if (auto tree = ParseXml(body, limits)) CheckRoundTrip(*tree, limits);
  (void)regie::proto::dav::ParsePropfind(body, limits);
  if (auto patch = regie::proto::dav::ParseProppatch(body, limits)) {
    for (const auto& update : patch->updates) {
      if (update.op == regie::proto::dav::PatchOp::kSet) CheckStoredFragment(update.value, limits);
    }
  }
  if (auto lock = regie::proto::dav::ParseLockInfo(body, limits); lock && *lock) {
    if (!(*lock)->owner.empty()) CheckStoredFragment((*lock)->owner, limits);
  }
  (void)regie::proto::dav::ParseReport(body, limits);
  (void)regie::proto::caldav::ParseCalendarReport(body, limits);
  (void)regie::proto::carddav::ParseAddressbookReport(body, limits);
  CheckMkcol(regie::proto::caldav::ParseMkcalendar(body, limits), limits);
  CheckMkcol(regie::proto::caldav::ParseExtendedMkcol(body, limits), limits);
  (void)regie::proto::caldav::ParseShareRequest(body, limits);
  return 0;
}
