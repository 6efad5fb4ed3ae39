// CardWriter: the inverse of the parser's unescaping and unfolding, for cards Regie writes.
#include "formats/vcard/content_line.h"
#include "formats/vcard/vcard.h"

namespace regie::formats::vcard {
namespace {

// RFC 6350 §3.4: backslash, comma, semicolon and newline are escaped in text values.
void AppendEscaped(std::string_view value, std::string& out) {
  for (char c : value) {
    switch (c) {
      case '\\':
      case ',':
      case ';':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        break;  // A CR of a CRLF in the value; the \n stands for the line break.
      default:
        out.push_back(c);
    }
  }
}

}  // namespace

CardWriter::CardWriter(std::string_view version) {
  out_ = "BEGIN:VCARD\r\n";
  internal::AppendFolded("VERSION:" + std::string(version), out_);
}

CardWriter& CardWriter::Text(std::string_view name, std::string_view value,
                             std::string_view params) {
  std::string line(name);
  line.append(params);
  line.push_back(':');
  AppendEscaped(value, line);
  internal::AppendFolded(line, out_);
  return *this;
}

CardWriter& CardWriter::Structured(std::string_view name,
                                   const std::vector<std::string>& components) {
  std::string line(name);
  line.push_back(':');
  for (std::size_t i = 0; i < components.size(); ++i) {
    if (i > 0) line.push_back(';');
    AppendEscaped(components[i], line);
  }
  internal::AppendFolded(line, out_);
  return *this;
}

std::string CardWriter::Finish() {
  out_.append("END:VCARD\r\n");
  return std::move(out_);
}

}  // namespace regie::formats::vcard
