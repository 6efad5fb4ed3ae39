// SerializeFragment declares every namespace once, on the fragment's root, with generated
// prefixes (ns0, ns1 … in order of first use). It never declares a default namespace: an element
// in no namespace is written unprefixed, and the root carries xmlns="" when the subtree has one,
// so that the fragment keeps its meaning when embedded under an element whose default namespace
// is set (a dead property value inside a multistatus whose default namespace is DAV:).
#include <map>
#include <string>
#include <vector>

#include "formats/xml/xml_element.h"

namespace regie::formats::xml {
namespace {

// Namespaces in XML 1.0 §3: the xml prefix is bound by definition, so it needs no declaration,
// and no other prefix may be bound to this name.
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

enum class EscapeFor { kContent, kAttribute };

void Escape(std::string& out, std::string_view text, EscapeFor where) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      // '>' after "]]" would end a CDATA section that is not there: a parser rejects it.
      case '>':
        out += "&gt;";
        break;
      // A parser turns a literal CR (or CR LF) into LF, so CR survives only as a reference.
      case '\r':
        out += "&#13;";
        break;
      case '"':
        out += where == EscapeFor::kAttribute ? "&quot;" : "\"";
        break;
      // Attribute-value normalisation (XML 1.0 §3.3.3) turns literal TAB and LF into spaces.
      case '\t':
        out += where == EscapeFor::kAttribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += where == EscapeFor::kAttribute ? "&#10;" : "\n";
        break;
      default:
        out += c;
    }
  }
}

class Writer {
 public:
  explicit Writer(const XmlElement& root) : root_(root) { Collect(root); }

  std::string Write() {
    WriteElement(root_, Role::kRoot);
    return std::move(out_);
  }

 private:
  enum class Role { kRoot, kInner };

  void Use(const std::string& ns) {
    if (ns.empty() || ns == kXmlNs || prefixes_.count(ns) != 0) return;
    std::string prefix = "ns" + std::to_string(order_.size());
    prefixes_.emplace(ns, prefix);
    order_.push_back(ns);
  }

  void Collect(const XmlElement& e) {
    if (e.name.ns.empty()) has_unqualified_element_ = true;
    Use(e.name.ns);
    for (const XmlAttribute& a : e.attributes) Use(a.name.ns);
    for (const XmlElement& child : e.children) Collect(child);
  }

  void WriteName(const QName& name) {
    if (name.ns == kXmlNs) {
      out_ += "xml:";
    } else if (!name.ns.empty()) {
      out_ += prefixes_.at(name.ns);
      out_ += ':';
    }
    out_ += name.name;
  }

  void WriteDeclarations() {
    if (has_unqualified_element_) out_ += " xmlns=\"\"";
    for (const std::string& ns : order_) {
      out_ += " xmlns:";
      out_ += prefixes_.at(ns);
      out_ += "=\"";
      Escape(out_, ns, EscapeFor::kAttribute);
      out_ += '"';
    }
  }

  void WriteElement(const XmlElement& e, Role role) {
    out_ += '<';
    WriteName(e.name);
    if (role == Role::kRoot) WriteDeclarations();
    for (const XmlAttribute& a : e.attributes) {
      out_ += ' ';
      WriteName(a.name);
      out_ += "=\"";
      Escape(out_, a.value, EscapeFor::kAttribute);
      out_ += '"';
    }
    if (e.text.empty() && e.children.empty()) {
      out_ += "/>";
      return;
    }
    out_ += '>';
    Escape(out_, e.text, EscapeFor::kContent);
    for (const XmlElement& child : e.children) {
      WriteElement(child, Role::kInner);
      Escape(out_, child.tail, EscapeFor::kContent);
    }
    out_ += "</";
    WriteName(e.name);
    out_ += '>';
  }

  const XmlElement& root_;
  std::map<std::string, std::string> prefixes_;  // Namespace name to generated prefix.
  std::vector<std::string> order_;               // Namespace names in order of first use.
  bool has_unqualified_element_ = false;
  std::string out_;
};

}  // namespace

std::string SerializeFragment(const XmlElement& element) { return Writer(element).Write(); }

void AppendEscaped(std::string& out, std::string_view text) {
  // The attribute rules are a superset of the content rules, so one output suits both places.
  Escape(out, text, EscapeFor::kAttribute);
}

}  // namespace regie::formats::xml
