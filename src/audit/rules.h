// Provider signatures as data: a versioned TOML rules file (docs/audit.md) says which DNS records,
// networks (ASNs) and web resources reveal which provider, and what replaces it. The installed
// file comes first; each `--rules FILE` adds providers (a same id replaces the earlier one),
// rules, ASNs and probes. No I/O but reading the files; not thread-safe while loading, read-only
// (and so shareable between threads) afterwards.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "audit/finding.h"
#include "base/result.h"

namespace regie::audit {

// Where an observation comes from; the names are the rules file's `signal` values.
enum class Signal {
  kMx,           // value: the MX host
  kSpfInclude,   // value: the domain of an SPF include: or redirect=
  kDkim,         // name: <selector>._domainkey.<domain>; value: CNAME target or the TXT record
  kDmarc,        // value: the host of a DMARC rua/ruf mailto: address
  kTxt,          // value: a TXT record at the apex (verification records)
  kCname,        // name: <label>.<domain>; value: the CNAME target
  kSrv,          // name: the SRV owner; value: its target host
  kNs,           // value: the NS host
  kAsn,          // name: host; value: its address; asn: the origin network
  kWebResource,  // name: the URL; value: its host
};
const char* SignalName(Signal signal);

// One public fact about a domain, before any rule is applied.
struct Observation {
  Signal signal = Signal::kTxt;
  std::string name;   // The DNS owner name or URL the value was found at.
  std::string value;  // Lowercase for host names; TXT records verbatim.
  std::uint32_t asn = 0;
  std::string evidence;  // The exact record, e.g. "example.org. MX 10 mx.example.org."
};

struct Provider {
  std::string id;
  std::string name;
  std::string jurisdiction;  // ISO 3166-1 alpha-2 or "EU".
  std::string why;
  std::string replacement;
};

// A rule matches an observation of its signal when every condition it sets holds.
struct Rule {
  Signal signal = Signal::kTxt;
  std::string provider;             // Provider id.
  std::string category;             // Finding category.
  std::string subcategory;          // Optional, e.g. "analytics".
  std::string suffix;               // value is this host or below it
  std::string prefix;               // value starts with this (case-insensitive)
  std::string contains;             // value contains this (case-insensitive)
  std::string name_prefix;          // name starts with this label sequence, e.g. "lync."
  std::vector<std::uint32_t> asns;  // For signal asn.
  std::string why;                  // Overrides the provider's, if set.
  std::string origin;               // "file:N" for reports and debugging.
};

struct RulesFileInfo {
  std::string path;
  int schema = 0;
  std::string version;  // YYYY-MM-DD
};

class RuleSet {
 public:
  static constexpr int kSchema = 1;

  // Reads and adds one rules file; on error the set is unchanged.
  Result<void> AddFile(const std::filesystem::path& path);
  // Adds rules from TOML text; `origin` names it in errors.
  Result<void> AddText(std::string_view toml, std::string_view origin);

  // Findings for the observations of `domain`: every matching rule yields one finding (the same
  // provider, category and evidence once). MX and NS hosts no rule knows become "self-hosted"
  // (inside the domain) or "other" findings with an unknown jurisdiction.
  std::vector<Finding> Match(std::string_view domain, const std::vector<Observation>& obs) const;

  const std::vector<std::string>& dkim_selectors() const { return dkim_selectors_; }
  const std::vector<std::string>& cname_labels() const { return cname_labels_; }
  const std::vector<RulesFileInfo>& files() const { return files_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const Provider* FindProvider(std::string_view id) const;
  // "2026-12-04" for one file; "2026-12-04+extra.toml@2026-12-05" when --rules added more.
  std::string version() const;

 private:
  std::map<std::string, Provider, std::less<>> providers_;
  std::vector<Rule> rules_;
  std::vector<std::string> dkim_selectors_;
  std::vector<std::string> cname_labels_;
  std::vector<RulesFileInfo> files_;
};

// True when `host` is `suffix` or a name below it (both lowercase, no final dot).
bool HostIsAtOrBelow(std::string_view host, std::string_view suffix);
std::string Lower(std::string_view s);

}  // namespace regie::audit
