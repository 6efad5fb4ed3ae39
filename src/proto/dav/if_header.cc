// The If header (RFC 4918 §10.4) and the Lock-Token header (§10.5), which share its Coded-URL.
//   If = ( 1*No-tag-list | 1*Tagged-list )       Tagged-list = Resource-Tag 1*List
//   List = "(" 1*Condition ")"                    Condition = ["Not"] (State-token | "[" entity-tag
//   "]") State-token = Coded-URL = "<" absolute-URI ">"   Resource-Tag = "<" Simple-ref ">"
// RFC 4918 uses RFC 2616's implied linear white space: any amount may separate these tokens.
#include <boost/url/parse.hpp>

#include "proto/dav/dav_headers.h"
#include "proto/dav/header_text.h"

namespace regie::proto::dav {
namespace {

using detail::EqualsIgnoreCase;
using detail::IsLws;

bool IsAbsoluteUri(std::string_view s) {
  auto uri = boost::urls::parse_absolute_uri(s);
  return uri && detail::AuthorityIsWellFormed(*uri);
}

// RFC 4918 §8.3: Simple-ref = absolute-URI | ( path-absolute [ "?" query ] ).
bool IsSimpleRef(std::string_view s) {
  auto uri = boost::urls::parse_uri_reference(s);
  if (!uri || uri->has_fragment() || !detail::AuthorityIsWellFormed(*uri)) return false;
  return uri->has_scheme() || (!uri->has_authority() && uri->encoded_path().starts_with('/'));
}

tl::unexpected<Error> Malformed(const std::string& why) {
  return Fail(Errc::kInvalidInput, "if header: " + why, "invalid If header: " + why);
}

class IfParser {
 public:
  explicit IfParser(std::string_view text) : s_(text) {}

  Result<std::vector<IfList>> Parse() {
    enum class Form { kNone, kTagged, kUntagged } form = Form::kNone;
    std::vector<IfList> lists;
    SkipLws();
    if (AtEnd()) return Malformed("no list");
    while (!AtEnd()) {
      std::optional<std::string> resource;
      if (Peek() == '<') {
        if (form == Form::kUntagged) return Malformed("tagged and untagged lists mixed");
        form = Form::kTagged;
        auto tag = ReadAngled();
        if (!tag) return Fail(tag.error());
        if (!IsSimpleRef(*tag)) return Malformed("resource tag is not a URL");
        resource = std::move(*tag);
        SkipLws();
        if (AtEnd() || Peek() != '(') return Malformed("resource tag without a list");
      } else if (Peek() == '(') {
        if (form == Form::kTagged) return Malformed("tagged and untagged lists mixed");
        form = Form::kUntagged;
      } else {
        return Malformed("expected '<' or '('");
      }
      // A Tagged-list's resource applies to every List that follows it (1*List).
      while (!AtEnd() && Peek() == '(') {
        auto list = ReadList(resource);
        if (!list) return Fail(list.error());
        lists.push_back(std::move(*list));
        SkipLws();
      }
    }
    return lists;
  }

 private:
  bool AtEnd() const { return i_ >= s_.size(); }
  char Peek() const { return s_[i_]; }
  void SkipLws() {
    while (!AtEnd() && IsLws(Peek())) ++i_;
  }

  // "<" text ">" without white space inside; returns the text.
  Result<std::string> ReadAngled() {
    ++i_;
    const std::size_t start = i_;
    while (!AtEnd() && Peek() != '>') {
      if (IsLws(Peek()) || Peek() == '<') return Malformed("bad character in <...>");
      ++i_;
    }
    if (AtEnd()) return Malformed("unterminated <...>");
    if (i_ == start) return Malformed("empty <>");
    std::string text(s_.substr(start, i_ - start));
    ++i_;
    return text;
  }

  Result<IfList> ReadList(std::optional<std::string> resource) {
    IfList list{std::move(resource), {}};
    ++i_;
    for (;;) {
      SkipLws();
      if (AtEnd()) return Malformed("unterminated list");
      if (Peek() == ')') break;
      auto condition = ReadCondition();
      if (!condition) return Fail(condition.error());
      list.conditions.push_back(std::move(*condition));
    }
    ++i_;
    if (list.conditions.empty()) return Malformed("empty list");
    return list;
  }

  Result<IfCondition> ReadCondition() {
    IfCondition c;
    if (s_.size() - i_ >= 3 && EqualsIgnoreCase(s_.substr(i_, 3), "Not")) {
      c.negated = true;
      i_ += 3;
      SkipLws();
      if (AtEnd()) return Malformed("Not without a condition");
    }
    if (Peek() == '<') {
      auto token = ReadAngled();
      if (!token) return Fail(token.error());
      if (!IsAbsoluteUri(*token)) return Malformed("state token is not an absolute URI");
      c.kind = IfConditionKind::kStateToken;
      c.value = std::move(*token);
      return c;
    }
    if (Peek() == '[') {
      auto tag = ReadEntityTag();
      if (!tag) return Fail(tag.error());
      c.kind = IfConditionKind::kEntityTag;
      c.value = std::move(*tag);
      return c;
    }
    return Malformed("expected a state token or an entity tag");
  }

  // "[" [ "W/" ] quoted-string "]"; the entity tag is returned as sent, quotes included.
  // RFC 4918's examples put spaces inside the quotes (["I am an ETag"]), so this accepts RFC
  // 2616's quoted-string rather than RFC 7232's stricter etagc.
  Result<std::string> ReadEntityTag() {
    ++i_;
    SkipLws();
    const std::size_t start = i_;
    if (s_.substr(i_).starts_with("W/")) i_ += 2;
    if (AtEnd() || Peek() != '"') return Malformed("entity tag must be quoted");
    for (++i_;; ++i_) {
      if (AtEnd()) return Malformed("unterminated entity tag");
      const auto c = static_cast<unsigned char>(Peek());
      if (c == '"') break;
      if ((c < 0x20 && c != '\t') || c == 0x7F) return Malformed("control character in entity tag");
      if (c == '\\') {
        ++i_;
        if (AtEnd()) return Malformed("unterminated entity tag");
      }
    }
    ++i_;
    std::string tag(s_.substr(start, i_ - start));
    SkipLws();
    if (AtEnd() || Peek() != ']') return Malformed("unterminated [...]");
    ++i_;
    return tag;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

Result<std::vector<IfList>> ParseIfHeader(std::string_view value) {
  return IfParser(value).Parse();
}

Result<std::string> ParseLockTokenHeader(std::string_view value) {
  const std::string_view v = detail::TrimLws(value);
  auto bad = [](const char* why) {
    return Fail(Errc::kInvalidInput, std::string("lock-token header: ") + why,
                std::string("invalid Lock-Token header: ") + why);
  };
  if (v.size() < 2 || v.front() != '<' || v.back() != '>') return bad("expected <token>");
  const std::string_view token = v.substr(1, v.size() - 2);
  if (!IsAbsoluteUri(token)) return bad("token is not an absolute URI");
  return std::string(token);
}

}  // namespace regie::proto::dav
