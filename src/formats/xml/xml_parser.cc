// ParseXml on expat. Security rests on two refusals rather than on expat's amplification limits:
// any DOCTYPE stops the parse before its internal subset is read, so no entity is ever declared,
// and no external entity handler is installed, so nothing outside the document is ever loaded.
#include <expat.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "formats/xml/xml_element.h"

namespace regie::formats::xml {
namespace {

// Separates namespace and local name in the names expat reports. U+0001 is not an XML Char, not
// even as a character reference, so it can occur in neither a namespace name nor a local name.
constexpr char kNsSeparator = '\x01';

QName SplitName(const XML_Char* expanded) {
  const std::string_view s(expanded);
  const auto sep = s.find(kNsSeparator);
  if (sep == std::string_view::npos) return QName{"", std::string(s)};
  return QName{std::string(s.substr(0, sep)), std::string(s.substr(sep + 1))};
}

// Builds the tree while expat parses. Once `error` is set every later callback is ignored:
// XML_StopParser lets a few callbacks through (for example the end of an empty element).
struct TreeBuilder {
  XML_Parser parser = nullptr;
  const XmlLimits* limits = nullptr;
  XmlElement root;
  bool have_root = false;
  std::vector<XmlElement*> open;  // Each open element is the last child of the one before it.
  std::size_t elements = 0;
  std::string error;

  void Stop(std::string detail) {
    if (!error.empty()) return;
    error = std::move(detail);
    XML_StopParser(parser, XML_FALSE);
  }

  void Start(const XML_Char* name, const XML_Char** attrs) {
    if (!error.empty()) return;
    if (open.size() >= limits->max_depth) return Stop("XML nested too deeply");
    if (++elements > limits->max_elements) return Stop("too many XML elements");
    XmlElement* element = nullptr;
    if (open.empty()) {
      element = &root;
      have_root = true;
    } else {
      element = &open.back()->children.emplace_back();
    }
    element->name = SplitName(name);
    for (const XML_Char** a = attrs; *a != nullptr; a += 2) {
      element->attributes.push_back(XmlAttribute{SplitName(a[0]), a[1]});
    }
    open.push_back(element);
  }

  void End() {
    if (!error.empty() || open.empty()) return;
    open.pop_back();
  }

  void Text(const XML_Char* s, int len) {
    if (!error.empty() || open.empty()) return;  // Whitespace around the root is not content.
    XmlElement* current = open.back();
    std::string& target = current->children.empty() ? current->text : current->children.back().tail;
    target.append(s, static_cast<std::size_t>(len));
  }
};

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
  static_cast<TreeBuilder*>(data)->Start(name, attrs);
}
void XMLCALL OnEnd(void* data, const XML_Char*) { static_cast<TreeBuilder*>(data)->End(); }
void XMLCALL OnText(void* data, const XML_Char* s, int len) {
  static_cast<TreeBuilder*>(data)->Text(s, len);
}
void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<TreeBuilder*>(data)->Stop("DTD not allowed");
}
// Unreachable while OnDoctype stops first; kept so that a future change to the DOCTYPE rule
// cannot silently let entity declarations through.
void XMLCALL OnEntityDecl(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                          const XML_Char*, const XML_Char*, const XML_Char*) {
  static_cast<TreeBuilder*>(data)->Stop("entity declarations not allowed");
}

struct ParserDeleter {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};

}  // namespace

Result<XmlElement> ParseXml(std::string_view document, const XmlLimits& limits) {
  if (document.size() > limits.max_bytes) {
    return Fail(Errc::kTooLarge, "xml document of " + std::to_string(document.size()) + " bytes",
                "XML body too large");
  }
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(
      XML_ParserCreateNS(nullptr, kNsSeparator));
  if (!parser) return Fail(Errc::kInternal, "expat parser allocation failed");
  TreeBuilder builder;
  builder.parser = parser.get();
  builder.limits = &limits;
  XML_SetUserData(parser.get(), &builder);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
  XML_SetEntityDeclHandler(parser.get(), OnEntityDecl);
  XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);

  // XML_Parse takes an int length; a limit above INT_MAX still parses, in chunks.
  bool ok = true;
  std::string_view rest = document;
  do {
    const std::size_t n = std::min<std::size_t>(rest.size(), INT_MAX);
    const bool last = n == rest.size();
    ok = XML_Parse(parser.get(), rest.data(), static_cast<int>(n), last ? XML_TRUE : XML_FALSE) ==
         XML_STATUS_OK;
    rest.remove_prefix(n);
  } while (ok && !rest.empty());

  if (!builder.error.empty()) {
    return Fail(Errc::kInvalidInput, "xml refused: " + builder.error, builder.error);
  }
  if (!ok || !builder.have_root) {
    const std::string detail = std::string("malformed XML: ") +
                               XML_ErrorString(XML_GetErrorCode(parser.get())) + " at line " +
                               std::to_string(XML_GetCurrentLineNumber(parser.get()));
    return Fail(Errc::kInvalidInput, "xml " + detail, detail);
  }
  return std::move(builder.root);
}

}  // namespace regie::formats::xml
