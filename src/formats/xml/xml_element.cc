#include "formats/xml/xml_element.h"

#include <algorithm>

namespace regie::formats::xml {
namespace {

// XML's S production (XML 1.0 §2.3): the only characters that may separate markup meaninglessly.
bool IsXmlSpace(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

}  // namespace

const XmlElement* XmlElement::Find(std::string_view ns, std::string_view local) const {
  for (const XmlElement& child : children) {
    if (child.Is(ns, local)) return &child;
  }
  return nullptr;
}

bool SameTree(const XmlElement& a, const XmlElement& b) {
  if (a.name != b.name || a.text != b.text || a.attributes != b.attributes ||
      a.children.size() != b.children.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.children.size(); ++i) {
    if (a.children[i].tail != b.children[i].tail || !SameTree(a.children[i], b.children[i])) {
      return false;
    }
  }
  return true;
}

bool XmlElement::IsEmpty() const {
  // Children's tails are covered: with no children there are no tails inside.
  return children.empty() && IsXmlSpace(text);
}

}  // namespace regie::formats::xml
