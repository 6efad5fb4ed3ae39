#include "proto/webapi/mobileconfig.h"

#include <array>
#include <cctype>
#include <cstdint>

#include <boost/url/authority_view.hpp>

#include "base/crypto.h"
#include "formats/xml/xml_element.h"

namespace regie::proto::webapi {
namespace {

// RFC 9562 §5.4: a version 4 (random) UUID, as profiles want one per payload.
std::string RandomUuid() {
  std::array<std::uint8_t, 16> bytes{};
  RandomBytes(bytes);
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);
  std::string hex = ToHex(bytes);
  for (const std::size_t at : {8, 13, 18, 23}) hex.insert(at, 1, '-');
  for (char& ch : hex) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return hex;
}

void Key(std::string& out, std::string_view key) {
  out.append("<key>");
  formats::xml::AppendEscaped(out, key);
  out.append("</key>");
}

void String(std::string& out, std::string_view key, std::string_view value) {
  Key(out, key);
  out.append("<string>");
  formats::xml::AppendEscaped(out, value);
  out.append("</string>\n");
}

void Integer(std::string& out, std::string_view key, unsigned value) {
  Key(out, key);
  out.append("<integer>" + std::to_string(value) + "</integer>\n");
}

void Bool(std::string& out, std::string_view key, bool value) {
  Key(out, key);
  out.append(value ? "<true/>\n" : "<false/>\n");
}

// One account payload; `kind` is "CalDAV" or "CardDAV", the prefix of its keys.
void AccountPayload(std::string& out, const ProfileTarget& t, std::string_view kind,
                    std::string_view type) {
  const std::string k(kind);
  out.append("<dict>\n");
  String(out, "PayloadType", type);
  Integer(out, "PayloadVersion", 1);
  String(out, "PayloadIdentifier", "org.regie." + t.host + "." + t.login + "." + k);
  String(out, "PayloadUUID", RandomUuid());
  String(out, "PayloadDisplayName", k + " (" + t.login + ")");
  String(out, k + "AccountDescription", t.display_name + " " + k);
  String(out, k + "HostName", t.host);
  Integer(out, k + "Port", t.port);
  Bool(out, k + "UseSSL", t.tls);
  String(out, k + "Username", t.login);
  String(out, k + "PrincipalURL", t.principal_path);
  out.append("</dict>\n");
}

}  // namespace

std::string RenderMobileconfig(const ProfileTarget& target) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
      "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
      "<plist version=\"1.0\">\n<dict>\n";
  Key(out, "PayloadContent");
  out.append("\n<array>\n");
  AccountPayload(out, target, "CalDAV", "com.apple.caldav.account");
  AccountPayload(out, target, "CardDAV", "com.apple.carddav.account");
  out.append("</array>\n");
  String(out, "PayloadType", "Configuration");
  Integer(out, "PayloadVersion", 1);
  String(out, "PayloadIdentifier", "org.regie." + target.host + "." + target.login);
  String(out, "PayloadUUID", RandomUuid());
  String(out, "PayloadDisplayName", target.display_name + " (" + target.login + ")");
  Bool(out, "PayloadRemovalDisallowed", false);
  out.append("</dict>\n</plist>\n");
  return out;
}

void SetHostAndPort(ProfileTarget& target, std::string_view host_header) {
  target.port = target.tls ? 443 : 80;
  target.host = std::string(host_header);
  auto authority = boost::urls::parse_authority(host_header);
  if (!authority) return;
  target.host = authority->host_address();
  if (authority->has_port() && authority->port_number() != 0) {
    target.port = authority->port_number();
  }
}

}  // namespace regie::proto::webapi
