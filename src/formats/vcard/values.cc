// Values as text: escapes (RFC 6350 §3.4, RFC 2426 §4) and the shapes of structured values.
#include "formats/vcard/values.h"

namespace regie::formats::vcard::internal {
namespace {

struct Shape {
  bool fields = false;  // ';' separates components.
  bool lists = false;   // ',' separates values (within a component, when there are fields).
};

Shape ShapeOf(std::string_view name) {
  // RFC 6350 §6.2.2 N and §6.3.1 ADR: fields whose values are comma lists.
  if (name == "N" || name == "ADR") return {.fields = true, .lists = true};
  // §6.6.4 ORG, §6.2.7 GENDER, §6.7.7 CLIENTPIDMAP and 3.0's GEO (RFC 2426 §3.4.2): fields only,
  // so an unescaped comma in "Acme, Inc." stays part of the name.
  if (name == "ORG" || name == "GENDER" || name == "CLIENTPIDMAP" || name == "GEO") {
    return {.fields = true, .lists = false};
  }
  if (name == "CATEGORIES" || name == "NICKNAME") return {.fields = false, .lists = true};
  return {};
}

// Appends what "\<next>" stands for. RFC 2426 also escapes ':' in some producers' output.
void AppendEscaped(char next, std::string& out) {
  switch (next) {
    case 'n':
    case 'N':
      out.push_back('\n');
      return;
    case ',':
    case ';':
    case ':':
    case '\\':
      out.push_back(next);
      return;
    default:
      out.push_back('\\');
      out.push_back(next);
  }
}

std::vector<std::string> Split(std::string_view value, Shape shape) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '\\' && i + 1 < value.size()) {
      AppendEscaped(value[++i], out.back());
    } else if ((c == ';' && shape.fields) || (c == ',' && shape.lists)) {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

bool IsBase64Letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

std::string Unescape(std::string_view value) { return Split(value, Shape{}).front(); }

std::vector<std::string> Components(const Property& property) {
  return Split(property.value, ShapeOf(property.name));
}

bool IsBase64(std::string_view data) {
  std::size_t letters = 0;
  std::size_t padding = 0;
  for (const char c : data) {
    if (c == ' ' || c == '\t') continue;
    if (c == '=') {
      if (++padding > 2) return false;
      continue;
    }
    if (padding > 0 || !IsBase64Letter(c)) return false;
    ++letters;
  }
  if (padding > 0) return (letters + padding) % 4 == 0;
  return letters % 4 != 1;  // One letter left over carries fewer than 8 bits: never valid.
}

}  // namespace regie::formats::vcard::internal

namespace regie::formats::vcard {

std::string Property::text() const {
  std::string out;
  for (const auto& component : internal::Components(*this)) {
    if (component.empty()) continue;  // "Doe;John;;;" reads "Doe John", not "Doe John   ".
    if (!out.empty()) out.push_back(' ');
    out.append(component);
  }
  return out;
}

}  // namespace regie::formats::vcard
