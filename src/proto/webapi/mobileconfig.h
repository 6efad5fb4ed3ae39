// An Apple configuration profile (.mobileconfig) that sets up CalDAV and CardDAV accounts for
// one user on iOS and macOS. It holds no password: the device asks for one (an app password) when
// the profile is installed.
#pragma once

#include <string>
#include <string_view>

namespace regie::proto::webapi {

struct ProfileTarget {
  std::string host{};  // Without the port.
  unsigned port = 443;
  bool tls = true;
  std::string login{};
  std::string principal_path{};  // "/dav/principals/<login>/", percent-encoded.
  std::string display_name{};    // Of the organisation or server, for the profile's title.
};

// The profile as an XML property list; fresh payload UUIDs on every call.
std::string RenderMobileconfig(const ProfileTarget& target);

// Fills host and port from a Host header value ("example.org:8443", "[::1]:8080"), with the
// scheme's default port when none is given.
void SetHostAndPort(ProfileTarget& target, std::string_view host_header);

}  // namespace regie::proto::webapi
