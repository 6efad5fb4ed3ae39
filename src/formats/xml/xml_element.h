// A small namespace-aware XML tree for request bodies (WebDAV, later CalDAV and CardDAV) and dead
// property values. Parsing refuses every DTD, so no entity (internal or external) is ever
// expanded: the XML bombs of RFC 4918 §20.6 cannot start. Sizes, depth and element counts are
// bounded by XmlLimits. Pure functions; no I/O; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace regie::formats::xml {

struct XmlLimits {
  std::size_t max_bytes = std::size_t{1} << 20;
  std::size_t max_depth = 64;
  std::size_t max_elements = 100'000;
};

struct XmlAttribute {
  QName name;  // ns is empty for an unqualified attribute.
  std::string value;
  bool operator==(const XmlAttribute&) const = default;
};

// An element with lxml's text/tail model, so that mixed content round-trips: `text` is the
// character data before the first child, each child's `tail` the character data after it.
struct XmlElement {
  QName name;  // ns is empty for an element in no namespace.
  std::vector<XmlAttribute> attributes;
  std::string text;
  std::vector<XmlElement> children;
  std::string tail;

  bool Is(std::string_view ns, std::string_view local) const {
    return name.ns == ns && name.name == local;
  }
  // The first child with this name, or nullptr.
  const XmlElement* Find(std::string_view ns, std::string_view local) const;
  // True when text and every tail inside is whitespace only and there are no children.
  bool IsEmpty() const;
};

// Parses a whole document. Errors are kInvalidInput with a short client-safe detail (for
// example "malformed XML: mismatched tag at line 3", "DTD not allowed", "XML nested too deeply"),
// or kTooLarge when the document exceeds max_bytes.
Result<XmlElement> ParseXml(std::string_view document, const XmlLimits& limits);

// Serialises `element` and its subtree as a standalone fragment that declares every namespace it
// uses (prefixes are generated), without an XML declaration and without the element's tail.
// ParseXml(SerializeFragment(e)) yields a tree equal to e (tail aside).
std::string SerializeFragment(const XmlElement& element);

// Equal names, attributes, text and children with their tails; the roots' own tails aside (a
// fragment's tail belongs to its parent). SerializeFragment round trips are judged by it.
bool SameTree(const XmlElement& a, const XmlElement& b);

// Appends `text` escaped for element content and double-quoted attribute values.
void AppendEscaped(std::string& out, std::string_view text);

}  // namespace regie::formats::xml
