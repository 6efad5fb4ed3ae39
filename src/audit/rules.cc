#include "audit/rules.h"

#include <fmt/core.h>
#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <toml.hpp>
#include <tuple>

namespace regie::audit {
namespace {

// std::map keeps tables sorted, so that the first error reported is stable.
using TomlValue = toml::basic_value<toml::discard_comments, std::map, std::vector>;

constexpr Signal kSignals[] = {Signal::kMx,  Signal::kSpfInclude, Signal::kDkim, Signal::kDmarc,
                               Signal::kTxt, Signal::kCname,      Signal::kSrv,  Signal::kNs,
                               Signal::kAsn, Signal::kWebResource};

tl::unexpected<Error> Invalid(const std::string& reason) {
  return Fail(Errc::kInvalidInput, "audit rules: " + reason, reason);
}

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool IsJurisdiction(std::string_view s) {
  if (s == "EU") return true;
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}

Result<Signal> ParseSignal(std::string_view name) {
  for (Signal s : kSignals) {
    if (name == SignalName(s)) return s;
  }
  return Invalid(fmt::format("unknown signal '{}'", name));
}

Result<void> CheckKeys(const TomlValue& table, std::initializer_list<std::string_view> known,
                       const std::string& where) {
  for (const auto& [key, value] : table.as_table()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return Invalid(fmt::format("{}: unknown key '{}'", where, key));
    }
  }
  return Ok();
}

std::string Str(const TomlValue& table, const char* key) {
  return toml::find_or<std::string>(table, key, std::string());
}

// The parsed content of one file, merged into the RuleSet only when all of it is valid.
struct Parsed {
  RulesFileInfo info;
  std::vector<Provider> providers;
  std::vector<Rule> rules;
  std::vector<std::string> dkim_selectors, cname_labels;
};

Result<void> ParseProviders(const TomlValue& root, const std::string& origin, Parsed& out) {
  if (!root.contains("providers")) return Ok();
  for (const auto& [id, table] : toml::find(root, "providers").as_table()) {
    const std::string where = fmt::format("{}: [providers.{}]", origin, id);
    if (!table.is_table()) return Invalid(where + " must be a table");
    if (auto ok = CheckKeys(table, {"name", "jurisdiction", "why", "replacement"}, where); !ok) {
      return ok;
    }
    Provider p{id, Str(table, "name"), Str(table, "jurisdiction"), Str(table, "why"),
               Str(table, "replacement")};
    if (p.name.empty()) return Invalid(where + ": name is missing");
    if (!IsJurisdiction(p.jurisdiction)) {
      return Invalid(where + ": jurisdiction must be an ISO 3166-1 alpha-2 code or EU");
    }
    out.providers.push_back(std::move(p));
  }
  return Ok();
}

Result<Rule> ParseRule(const TomlValue& table, const std::string& where) {
  if (!table.is_table()) return Invalid(where + " must be a table");
  if (auto ok = CheckKeys(table,
                          {"signal", "provider", "category", "subcategory", "suffix", "prefix",
                           "contains", "name_prefix", "why"},
                          where);
      !ok) {
    return Fail(ok.error());
  }
  auto signal = ParseSignal(Str(table, "signal"));
  if (!signal) return Invalid(where + ": " + signal.error().detail);
  Rule r;
  r.signal = *signal;
  r.provider = Str(table, "provider");
  r.category = Str(table, "category");
  r.subcategory = Str(table, "subcategory");
  r.suffix = Lower(Str(table, "suffix"));
  r.prefix = Lower(Str(table, "prefix"));
  r.contains = Lower(Str(table, "contains"));
  r.name_prefix = Lower(Str(table, "name_prefix"));
  r.why = Str(table, "why");
  if (r.provider.empty() || r.category.empty()) {
    return Invalid(where + ": provider and category are required");
  }
  if (r.suffix.empty() && r.prefix.empty() && r.contains.empty() && r.name_prefix.empty()) {
    return Invalid(where + ": needs at least one of suffix, prefix, contains, name_prefix");
  }
  return r;
}

Result<void> ParseRules(const TomlValue& root, const std::string& origin, Parsed& out) {
  if (root.contains("rules")) {
    const auto& rules = toml::find(root, "rules");
    if (!rules.is_array()) return Invalid(origin + ": 'rules' must be an array of tables");
    for (std::size_t i = 0; i < rules.as_array().size(); ++i) {
      const std::string where = fmt::format("{}: rules[{}]", origin, i);
      auto rule = ParseRule(rules.as_array()[i], where);
      if (!rule) return Fail(rule.error());
      rule->origin = fmt::format("{}:{}", origin, i);
      out.rules.push_back(std::move(*rule));
    }
  }
  if (root.contains("asn")) {
    const auto& asns = toml::find(root, "asn");
    if (!asns.is_array()) return Invalid(origin + ": 'asn' must be an array of tables");
    for (std::size_t i = 0; i < asns.as_array().size(); ++i) {
      const auto& table = asns.as_array()[i];
      const std::string where = fmt::format("{}: asn[{}]", origin, i);
      if (!table.is_table()) return Invalid(where + " must be a table");
      if (auto ok = CheckKeys(table, {"provider", "numbers", "category"}, where); !ok) return ok;
      Rule r;
      r.signal = Signal::kAsn;
      r.provider = Str(table, "provider");
      r.category = toml::find_or<std::string>(table, "category", "hosting");
      r.origin = fmt::format("{}:asn{}", origin, i);
      for (auto n : toml::find_or<std::vector<std::int64_t>>(table, "numbers", {})) {
        if (n <= 0 || n > 4294967295LL) return Invalid(where + ": ASN out of range");
        r.asns.push_back(static_cast<std::uint32_t>(n));
      }
      if (r.provider.empty() || r.asns.empty()) {
        return Invalid(where + ": provider and numbers are required");
      }
      out.rules.push_back(std::move(r));
    }
  }
  return Ok();
}

Result<Parsed> Parse(const TomlValue& root, const std::string& origin) {
  Parsed out;
  if (!root.is_table()) return Invalid(origin + ": not a TOML table");
  if (auto ok =
          CheckKeys(root, {"schema", "version", "probes", "providers", "rules", "asn"}, origin);
      !ok) {
    return Fail(ok.error());
  }
  out.info.path = origin;
  out.info.schema = static_cast<int>(toml::find_or<std::int64_t>(root, "schema", 0));
  out.info.version = Str(root, "version");
  if (out.info.schema != RuleSet::kSchema) {
    return Invalid(fmt::format("{}: schema must be {}", origin, RuleSet::kSchema));
  }
  if (!IsDate(out.info.version)) return Invalid(origin + ": version must be a date YYYY-MM-DD");
  if (root.contains("probes")) {
    const auto& probes = toml::find(root, "probes");
    if (auto ok = CheckKeys(probes, {"dkim_selectors", "cname_labels"}, origin + ": [probes]");
        !ok) {
      return Fail(ok.error());
    }
    out.dkim_selectors = toml::find_or<std::vector<std::string>>(probes, "dkim_selectors",
                                                                 std::vector<std::string>{});
    out.cname_labels =
        toml::find_or<std::vector<std::string>>(probes, "cname_labels", std::vector<std::string>{});
  }
  if (auto ok = ParseProviders(root, origin, out); !ok) return Fail(ok.error());
  if (auto ok = ParseRules(root, origin, out); !ok) return Fail(ok.error());
  return out;
}

bool Matches(const Rule& r, const Observation& o) {
  if (r.signal != o.signal) return false;
  if (r.signal == Signal::kAsn) {
    return std::find(r.asns.begin(), r.asns.end(), o.asn) != r.asns.end();
  }
  const std::string value = Lower(o.value);
  if (!r.suffix.empty() && !HostIsAtOrBelow(value, r.suffix)) return false;
  if (!r.prefix.empty() && !value.starts_with(r.prefix)) return false;
  if (!r.contains.empty() && value.find(r.contains) == std::string::npos) return false;
  if (!r.name_prefix.empty() && !Lower(o.name).starts_with(r.name_prefix)) return false;
  return true;
}

// The last two labels: the best guess of who runs a host no rule knows (no public suffix list).
std::string LastTwoLabels(std::string_view host) {
  auto last = host.rfind('.');
  if (last == std::string_view::npos || last == 0) return std::string(host);
  auto before = host.rfind('.', last - 1);
  return std::string(before == std::string_view::npos ? host : host.substr(before + 1));
}

std::optional<Finding> Unrecognised(std::string_view domain, const Observation& o) {
  if (o.signal != Signal::kMx && o.signal != Signal::kNs) return std::nullopt;
  const bool mail = o.signal == Signal::kMx;
  Finding f;
  f.category = mail ? "mail" : "dns";
  f.evidence = o.evidence;
  f.rule = "built-in";
  if (HostIsAtOrBelow(Lower(o.value), Lower(domain))) {
    f.provider_id = "self-hosted";
    f.provider = "Self-hosted";
    f.why = mail ? "The organisation runs its own mail server."
                 : "The organisation runs its own name servers.";
    f.replacement = "keep: self-hosted";
  } else {
    f.provider_id = "other:" + LastTwoLabels(Lower(o.value));
    f.provider = "Other (" + LastTwoLabels(Lower(o.value)) + ")";
    f.why = "A provider the rules do not know; check where it is established.";
  }
  return f;
}

}  // namespace

const char* SignalName(Signal signal) {
  switch (signal) {
    case Signal::kMx:
      return "mx";
    case Signal::kSpfInclude:
      return "spf-include";
    case Signal::kDkim:
      return "dkim";
    case Signal::kDmarc:
      return "dmarc";
    case Signal::kTxt:
      return "txt";
    case Signal::kCname:
      return "cname";
    case Signal::kSrv:
      return "srv";
    case Signal::kNs:
      return "ns";
    case Signal::kAsn:
      return "asn";
    case Signal::kWebResource:
      return "web-resource";
  }
  return "txt";  // Unreachable; keeps -Wreturn-type quiet.
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool HostIsAtOrBelow(std::string_view host, std::string_view suffix) {
  if (suffix.starts_with('.')) suffix.remove_prefix(1);
  if (suffix.empty()) return false;
  if (host == suffix) return true;
  return host.size() > suffix.size() && host.ends_with(suffix) &&
         host[host.size() - suffix.size() - 1] == '.';
}

Result<void> RuleSet::AddText(std::string_view toml_text, std::string_view origin) {
  const std::string name(origin);
  TomlValue root;
  try {
    std::istringstream in{std::string(toml_text)};
    root = toml::parse<toml::discard_comments, std::map, std::vector>(in, name);
  } catch (const std::exception& e) {
    return Invalid(name + ": " + e.what());
  }
  Result<Parsed> parsed = Invalid(name + ": unreadable");
  try {
    parsed = Parse(root, name);
  } catch (const std::exception& e) {  // toml::type_error: a key of the wrong type
    return Invalid(name + ": " + e.what());
  }
  if (!parsed) return Fail(parsed.error());
  for (auto& p : parsed->providers) providers_[p.id] = std::move(p);
  for (const auto& r : parsed->rules) {
    if (!providers_.count(r.provider)) {
      return Invalid(
          fmt::format("{}: rule {} names unknown provider '{}'", name, r.origin, r.provider));
    }
  }
  rules_.insert(rules_.end(), parsed->rules.begin(), parsed->rules.end());
  for (auto* list : {&dkim_selectors_, &cname_labels_}) {
    const auto& add = list == &dkim_selectors_ ? parsed->dkim_selectors : parsed->cname_labels;
    for (const auto& s : add) {
      if (std::find(list->begin(), list->end(), Lower(s)) == list->end()) list->push_back(Lower(s));
    }
  }
  files_.push_back(parsed->info);
  return Ok();
}

Result<void> RuleSet::AddFile(const std::filesystem::path& path) {
  std::error_code ec;
  // toml11 asserts on an unreadable length (a directory); refuse anything but a file first.
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Invalid(path.string() + ": not a readable file");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Invalid(path.string() + ": cannot read");
  return AddText(text.str(), path.string());
}

const Provider* RuleSet::FindProvider(std::string_view id) const {
  auto it = providers_.find(id);
  return it == providers_.end() ? nullptr : &it->second;
}

std::string RuleSet::version() const {
  std::string out;
  for (std::size_t i = 0; i < files_.size(); ++i) {
    if (i == 0) {
      out = files_[i].version;
    } else {
      out +=
          "+" + std::filesystem::path(files_[i].path).filename().string() + "@" + files_[i].version;
    }
  }
  return out;
}

std::vector<Finding> RuleSet::Match(std::string_view domain,
                                    const std::vector<Observation>& obs) const {
  std::vector<Finding> out;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  auto add = [&](Finding f) {
    if (seen.emplace(f.provider_id, f.category, f.evidence).second) out.push_back(std::move(f));
  };
  for (const Observation& o : obs) {
    bool matched = false;
    for (const Rule& r : rules_) {
      if (!Matches(r, o)) continue;
      matched = true;
      const Provider* p = FindProvider(r.provider);
      add(Finding{r.category, r.subcategory, p->id, p->name, p->jurisdiction, o.evidence,
                  r.why.empty() ? p->why : r.why, p->replacement, r.origin});
    }
    if (!matched) {
      if (auto f = Unrecognised(domain, o)) add(std::move(*f));
    }
  }
  return out;
}

}  // namespace regie::audit
