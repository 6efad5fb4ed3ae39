// Principal resources (RFC 3744 §2, RFC 5397): /dav/principals/<login>/ describes a user to
// WebDAV clients that follow DAV:current-user-principal. Today a user sees their own principal
// only (anyone else's is 404, per docs/access.md). CalDAV and CardDAV add their home sets here.
#pragma once

#include "formats/xml/xml_element.h"
#include "frontend/http/route.h"

namespace regie::frontend::dav {

class PrincipalDavHandler final : public http::RouteHandler {
 public:
  explicit PrincipalDavHandler(formats::xml::XmlLimits limits) : limits_(limits) {}
  proto::http::Reply Handle(proto::http::Request& request, const service::Caller& caller,
                            http::RouteMatch match) override;

 private:
  formats::xml::XmlLimits limits_;
};

}  // namespace regie::frontend::dav
