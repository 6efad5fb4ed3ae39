// Principal resources (RFC 3744 §2, RFC 5397): /dav/principals/<login>/ describes a user to
// WebDAV clients that follow DAV:current-user-principal. Today a user sees their own principal
// only (anyone else's is 404, per docs/access.md), with its calendar and address book homes.
#pragma once

#include "formats/xml/xml_element.h"
#include "frontend/http/route.h"

namespace regie::frontend::dav {

class PrincipalDavHandler final : public http::RouteHandler {
 public:
  // kDavRoot answers PROPFIND on /dav/ itself, where CalDAV and CardDAV clients start (the
  // target of /.well-known/caldav): current-user-principal and the home sets.
  enum class Mode { kPrincipals, kDavRoot };
  PrincipalDavHandler(formats::xml::XmlLimits limits, Mode mode) : limits_(limits), mode_(mode) {}
  proto::http::Reply Handle(proto::http::Request& request, const service::Caller& caller,
                            http::RouteMatch match) override;

 private:
  formats::xml::XmlLimits limits_;
  Mode mode_;
};

}  // namespace regie::frontend::dav
