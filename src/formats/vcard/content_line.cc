// The content-line grammar of RFC 6350 §3.3 with RFC 2426's bare TYPE values and RFC 6868 caret
// escapes: [group "."] name *(";" param) ":" value.
#include "formats/vcard/content_line.h"

#include <algorithm>
#include <utility>

namespace regie::formats::vcard::internal {
namespace {

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

char ToUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToUpper(c);
  return out;
}

// How an error names the character it stopped at.
std::string Describe(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return "the end of the line";
  const char c = s[pos];
  if (c == ' ' || c == '\t') return "white space";
  if (static_cast<unsigned char>(c) >= 0x80) return "a non-ASCII character";
  return std::string("'") + c + "'";
}

std::string_view TakeName(std::string_view s, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < s.size() && IsNameChar(s[pos])) ++pos;
  return s.substr(start, pos - start);
}

// RFC 6868 §3: ^n is a newline, ^' a double quote and ^^ a caret; a caret before anything else
// stays as written.
std::string DecodeCaret(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char next = i + 1 < raw.size() ? raw[i + 1] : '\0';
    if (raw[i] == '^' && (next == 'n' || next == 'N' || next == '\'' || next == '^')) {
      out.push_back(next == '^' ? '^' : next == '\'' ? '"' : '\n');
      ++i;
    } else {
      out.push_back(raw[i]);
    }
  }
  return out;
}

// Merges repeated parameters ("TYPE=work;TYPE=voice", or 3.0's "WORK;VOICE") into one, so that
// matching and lookups see every value of a name in one place.
void AddValues(std::vector<Parameter>& params, std::string name, std::vector<std::string> values) {
  for (auto& param : params) {
    if (param.name == name) {
      for (auto& v : values) param.values.push_back(std::move(v));
      return;
    }
  }
  params.push_back(Parameter{.name = std::move(name), .values = std::move(values)});
}

// One value at `pos`, quoted or not. A quoted TYPE is split at commas too: types never contain
// one, and clients write both TYPE="work,voice" and TYPE=work,voice for the same thing.
Result<void> TakeParamValue(const Line& line, std::size_t& pos, const std::string& name,
                            std::vector<std::string>& values) {
  const std::string_view s = line.text;
  if (pos < s.size() && s[pos] == '"') {
    const std::size_t close = s.find('"', pos + 1);
    if (close == std::string_view::npos) {
      return Invalid(line.number, "unterminated quoted value of parameter " + name);
    }
    const std::string value = DecodeCaret(s.substr(pos + 1, close - pos - 1));
    pos = close + 1;
    if (name != "TYPE") {
      values.push_back(value);
      return Ok();
    }
    for (std::size_t start = 0;;) {
      const std::size_t comma = value.find(',', start);
      values.push_back(value.substr(start, comma - start));
      if (comma == std::string::npos) return Ok();
      start = comma + 1;
    }
  }
  const std::size_t end = std::min(s.find_first_of(";:,\"", pos), s.size());
  if (end < s.size() && s[end] == '"') {
    return Invalid(line.number, "'\"' inside the unquoted value of parameter " + name);
  }
  values.push_back(DecodeCaret(s.substr(pos, end - pos)));
  pos = end;
  return Ok();
}

// One parameter; `pos` is just after its ';'.
Result<void> TakeParam(const Line& line, std::size_t& pos, ContentLine& out) {
  const std::string_view s = line.text;
  const std::string_view raw_name = TakeName(s, pos);
  if (raw_name.empty()) {
    return Invalid(line.number, "unexpected " + Describe(s, pos) + " where a parameter name is");
  }
  std::string name = Upper(raw_name);
  if (pos < s.size() && (s[pos] == ';' || s[pos] == ':')) {
    // RFC 2426 §4 (param = ... / knowntype): "TEL;WORK;VOICE" means TYPE=WORK,VOICE.
    AddValues(out.property.params, "TYPE", {std::string(raw_name)});
    out.bare_type = true;
    return Ok();
  }
  if (pos >= s.size() || s[pos] != '=') {
    return Invalid(line.number, "unexpected " + Describe(s, pos) + " in parameter " + name);
  }
  std::vector<std::string> values;
  do {
    ++pos;  // Past '=' or ','.
    if (auto ok = TakeParamValue(line, pos, name, values); !ok) return Fail(ok.error());
  } while (pos < s.size() && s[pos] == ',');
  if (pos >= s.size() || (s[pos] != ';' && s[pos] != ':')) {
    return Invalid(line.number,
                   "unexpected " + Describe(s, pos) + " after the value of parameter " + name);
  }
  AddValues(out.property.params, std::move(name), std::move(values));
  return Ok();
}

}  // namespace

tl::unexpected<Error> Invalid(std::size_t line, std::string_view what) {
  std::string detail = line == 0 ? std::string(what) : "line " + std::to_string(line) + ": ";
  if (line != 0) detail.append(what);
  return Fail(Errc::kForbidden, "vcard: " + detail, detail,
              QName{std::string(kCardDavNs), "valid-address-data"});
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ToUpper(a[i]) != ToUpper(b[i])) return false;
  }
  return true;
}

Result<ContentLine> ParseContentLine(const Line& line, std::size_t max_params) {
  const std::string_view s = line.text;
  ContentLine out;
  std::size_t pos = 0;
  std::string_view name = TakeName(s, pos);
  if (!name.empty() && pos < s.size() && s[pos] == '.') {
    out.property.group = std::string(name);
    ++pos;
    name = TakeName(s, pos);
  }
  if (name.empty()) {
    return Invalid(line.number, "unexpected " + Describe(s, pos) + " where a property name is");
  }
  out.property.name = Upper(name);
  std::size_t params = 0;
  while (pos < s.size() && s[pos] == ';') {
    if (++params > max_params) {
      return Invalid(line.number, "more than " + std::to_string(max_params) + " parameters");
    }
    ++pos;
    if (auto ok = TakeParam(line, pos, out); !ok) return Fail(ok.error());
  }
  if (pos >= s.size() || s[pos] != ':') {
    return Invalid(line.number, "unexpected " + Describe(s, pos) + " after property name " +
                                    out.property.name + " (expected ':' or ';')");
  }
  out.property.value = std::string(s.substr(pos + 1));
  return out;
}

}  // namespace regie::formats::vcard::internal
