#include "frontend/web/mobileconfig.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "base/crypto.h"
#include "formats/xml/xml_element.h"

namespace regie::frontend::web {
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
  std::string_view host = host_header;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    port = close == std::string_view::npos ? std::string_view() : host.substr(close + 1);
    host = host.substr(0, close == std::string_view::npos ? host.size() : close + 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon);
    host = host.substr(0, colon);
  }
  target.host = std::string(host);
  if (port.size() > 1 && port.front() == ':') {
    unsigned value = 0;
    const auto digits = port.substr(1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec == std::errc() && end == digits.data() + digits.size() && value > 0 && value <= 65535) {
      target.port = value;
    }
  }
}

}  // namespace regie::frontend::web
