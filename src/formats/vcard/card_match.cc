// addressbook-query filters, RFC 6352 §10.5.
#include <algorithm>

#include "formats/vcard/content_line.h"
#include "formats/vcard/values.h"
#include "formats/vcard/vcard.h"

namespace regie::formats::vcard {
namespace {

// Whether any of `candidates` satisfies the match, with negate-condition applied to the whole:
// "TYPE does not equal work" must fail for TYPE=work,voice, as a user reading it would expect,
// rather than succeed because "voice" is not "work".
bool MatchesAny(const text::TextMatch& match, const std::vector<std::string>& candidates) {
  text::TextMatch positive = match;
  positive.negate = false;
  const bool hit = std::any_of(candidates.begin(), candidates.end(),
                               [&](const std::string& c) { return text::Matches(positive, c); });
  return hit != match.negate;
}

// What a text-match on a property looks at: its text (components joined by spaces, so that
// "contains" finds a word of an ADR or N) and, for structured and list values, each component,
// so that equals, starts-with and ends-with also work on one part ("CATEGORIES equals work").
std::vector<std::string> Candidates(const Property& property) {
  std::vector<std::string> out{property.text()};
  auto components = internal::Components(property);
  if (components.size() < 2) return out;
  for (auto& component : components) {
    if (!component.empty()) out.push_back(std::move(component));
  }
  return out;
}

// RFC 6352 §10.5.2, on the property being examined.
bool ParamMatches(const Property& property, const ParamFilter& filter) {
  const auto param = std::find_if(
      property.params.begin(), property.params.end(),
      [&](const Parameter& p) { return internal::EqualsIgnoreCase(p.name, filter.name); });
  const bool defined = param != property.params.end();
  if (filter.is_not_defined) return !defined;
  if (!defined) return false;
  return !filter.text_match || MatchesAny(*filter.text_match, param->values);
}

// RFC 6352 §10.5.1: the text-matches and param-filters of a prop-filter, combined by its test,
// hold for one property. Instances are examined one by one, so that an allof filter on EMAIL
// needs one address that satisfies every condition, not conditions met by different addresses.
bool PropertyMatches(const Property& property, const PropFilter& filter) {
  if (filter.text_matches.empty() && filter.params.empty()) return true;
  const auto candidates = Candidates(property);
  const auto text_ok = [&](const text::TextMatch& m) { return MatchesAny(m, candidates); };
  const auto param_ok = [&](const ParamFilter& p) { return ParamMatches(property, p); };
  const auto& texts = filter.text_matches;
  const auto& params = filter.params;
  if (filter.test == Test::kAllOf) {
    return std::all_of(texts.begin(), texts.end(), text_ok) &&
           std::all_of(params.begin(), params.end(), param_ok);
  }
  return std::any_of(texts.begin(), texts.end(), text_ok) ||
         std::any_of(params.begin(), params.end(), param_ok);
}

// A property matches the filter's name whatever its group ("item1.EMAIL" is an EMAIL).
bool PropFilterMatches(const std::vector<Property>& properties, const PropFilter& filter) {
  bool defined = false;
  for (const auto& property : properties) {
    if (!internal::EqualsIgnoreCase(property.name, filter.name)) continue;
    defined = true;
    if (!filter.is_not_defined && PropertyMatches(property, filter)) return true;
  }
  return filter.is_not_defined && !defined;
}

}  // namespace

bool Vcard::Matches(const CardFilter& filter) const {
  const auto matches = [this](const PropFilter& p) { return PropFilterMatches(properties_, p); };
  if (filter.test == Test::kAllOf) {
    return std::all_of(filter.props.begin(), filter.props.end(), matches);
  }
  return filter.props.empty() || std::any_of(filter.props.begin(), filter.props.end(), matches);
}

}  // namespace regie::formats::vcard
