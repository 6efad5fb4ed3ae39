#include "audit/domain_audit.h"

#include <arpa/inet.h>
#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>

#include "audit/domain_name.h"

namespace regie::audit {
namespace {

constexpr std::size_t kMaxMxHosts = 5;  // Bounds the queries a hostile zone can cause.
constexpr std::size_t kMaxAddressesPerHost = 2;

struct Plan {
  std::vector<DnsQuery> queries;
  std::size_t Add(std::string name, RrType type) {
    queries.push_back({std::move(name), type});
    return queries.size() - 1;
  }
};

std::vector<std::string> Words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

std::string Quoted(const std::string& txt) { return "\"" + txt + "\""; }

AuditError ApexError(const DnsAnswer& a) {
  switch (a.status) {
    case DnsStatus::kNxdomain:
      return {ErrorKind::kNxdomain, "the domain does not exist (NXDOMAIN)"};
    case DnsStatus::kTimeout:
      return {ErrorKind::kTimeout, a.detail};
    case DnsStatus::kOk:
    case DnsStatus::kNoData:
    case DnsStatus::kServfail:
      break;
  }
  return {ErrorKind::kServfail, a.detail.empty() ? "SERVFAIL" : a.detail};
}

// RFC 7208 §5.2 and §6.1: include: and redirect= name the domains whose policy is used.
void SpfObservations(const std::string& domain, const std::string& record,
                     std::vector<Observation>& obs) {
  for (std::string term : Words(record)) {
    if (!term.empty() && std::string_view("+-~?").find(term[0]) != std::string_view::npos) {
      term.erase(0, 1);
    }
    std::string target;
    const std::string lower = Lower(term);
    if (lower.starts_with("include:")) target = lower.substr(8);
    if (lower.starts_with("redirect=")) target = lower.substr(9);
    if (target.empty()) continue;
    obs.push_back({Signal::kSpfInclude, domain, target, 0,
                   fmt::format("{} TXT {} ({})", domain, Quoted(record), term)});
  }
}

// RFC 7489 §6.3: tags separated by ';'; rua and ruf are comma-separated mailto: URIs.
void DmarcPosture(const std::string& domain, const std::string& owner, const std::string& record,
                  DomainReport& r, std::vector<Observation>& obs) {
  r.mail.dmarc = record;
  std::istringstream in(record);
  for (std::string tag; std::getline(in, tag, ';');) {
    const auto eq = tag.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = Lower(Trim(tag.substr(0, eq)));
    const std::string value = Trim(tag.substr(eq + 1));
    if (key == "p") r.mail.dmarc_policy = Lower(value);
    if (key != "rua" && key != "ruf") continue;
    std::istringstream uris(value);
    for (std::string uri; std::getline(uris, uri, ',');) {
      const auto at = uri.find('@');
      if (at == std::string::npos) continue;
      std::string host = Lower(Trim(uri.substr(at + 1)));
      if (auto bang = host.find('!'); bang != std::string::npos) host.resize(bang);
      if (host.empty() || HostIsAtOrBelow(host, domain)) continue;
      obs.push_back({Signal::kDmarc, owner, host, 0,
                     fmt::format("{} TXT {} ({})", owner, Quoted(record), key)});
    }
  }
}

// One audit in progress: the domain, its report and the observations gathered so far.
struct InProgress {
  const RuleSet& rules;
  std::string d;
  DomainReport& r;
  std::vector<Observation> obs;
  std::vector<std::string> mx_hosts;
  struct Located {
    std::string host, type, address;
  };
  std::vector<Located> located;

  void Locate(const std::string& host, const DnsAnswer& answer, const char* type) {
    if (answer.status != DnsStatus::kOk) return;
    for (std::size_t i = 0; i < answer.records.size() && i < kMaxAddressesPerHost; ++i) {
      located.push_back({host, type, answer.records[i]});
    }
  }
  void AddCname(const std::string& owner, const DnsAnswer& answer) {
    if (answer.status != DnsStatus::kOk || answer.records.empty()) return;
    obs.push_back({Signal::kCname, owner, answer.records.front(), 0,
                   fmt::format("{} CNAME {}", owner, answer.records.front())});
  }
};

// The first round: every name the rules and the fixed signals ask for, sent at once.
struct FirstRound {
  Plan plan;
  std::size_t soa, ns, mx, txt, a, aaaa, www_cname, www_a, www_aaaa, dmarc, mta_sts, srv;
  std::size_t dkim_first, labels_first;

  FirstRound(const RuleSet& rules, const std::string& d)
      : soa(plan.Add(d, RrType::kSoa)),
        ns(plan.Add(d, RrType::kNs)),
        mx(plan.Add(d, RrType::kMx)),
        txt(plan.Add(d, RrType::kTxt)),
        a(plan.Add(d, RrType::kA)),
        aaaa(plan.Add(d, RrType::kAaaa)),
        www_cname(plan.Add("www." + d, RrType::kCname)),
        www_a(plan.Add("www." + d, RrType::kA)),
        www_aaaa(plan.Add("www." + d, RrType::kAaaa)),
        dmarc(plan.Add("_dmarc." + d, RrType::kTxt)),
        mta_sts(plan.Add("_mta-sts." + d, RrType::kTxt)),
        srv(plan.Add("_autodiscover._tcp." + d, RrType::kSrv)),
        dkim_first(plan.queries.size()) {
    for (const auto& sel : rules.dkim_selectors()) {
      plan.Add(fmt::format("{}._domainkey.{}", sel, d), RrType::kCname);
      plan.Add(fmt::format("{}._domainkey.{}", sel, d), RrType::kTxt);
    }
    labels_first = plan.queries.size();
    for (const auto& label : rules.cname_labels())
      plan.Add(fmt::format("{}.{}", label, d), RrType::kCname);
  }
};

void MxAndTxtSignals(InProgress& au, const FirstRound& q, const std::vector<DnsAnswer>& ans) {
  const std::string& d = au.d;
  std::vector<std::string> mx_records = ans[q.mx].records;
  // Preference order (RFC 5321 §5.1), then by name: the report is the same however the server
  // orders the set.
  std::sort(mx_records.begin(), mx_records.end(), [](const std::string& x, const std::string& y) {
    const auto px = std::stoul(x), py = std::stoul(y);
    return px != py ? px < py : x < y;
  });
  for (const auto& rec : mx_records) {
    au.r.mail.mx.push_back(rec);
    const auto words = Words(rec);
    if (words.size() != 2 || words[1].empty()) continue;  // RFC 7505 null MX "0 ."
    au.obs.push_back({Signal::kMx, d, words[1], 0, fmt::format("{} MX {}", d, rec)});
    if (au.mx_hosts.size() < kMaxMxHosts) au.mx_hosts.push_back(words[1]);
  }
  for (const auto& rec : ans[q.txt].records) {
    au.obs.push_back({Signal::kTxt, d, rec, 0, fmt::format("{} TXT {}", d, Quoted(rec))});
    if (Lower(rec).starts_with("v=spf1")) {
      au.r.mail.spf = rec;
      SpfObservations(d, rec, au.obs);
    }
  }
  for (const auto& rec : ans[q.dmarc].records) {
    if (Lower(rec).starts_with("v=dmarc1")) DmarcPosture(d, "_dmarc." + d, rec, au.r, au.obs);
  }
  for (const auto& rec : ans[q.mta_sts].records) {
    if (Lower(rec).starts_with("v=stsv1")) au.r.mail.mta_sts = true;
  }
}

void NameSignals(InProgress& au, const FirstRound& q, const std::vector<DnsAnswer>& ans) {
  const std::string& d = au.d;
  for (const auto& rec : ans[q.ns].records) {
    au.obs.push_back({Signal::kNs, d, rec, 0, fmt::format("{} NS {}", d, rec)});
  }
  for (const auto& rec : ans[q.srv].records) {
    const auto words = Words(rec);
    if (words.size() == 4) {
      au.obs.push_back({Signal::kSrv, "_autodiscover._tcp." + d, words[3], 0,
                        fmt::format("_autodiscover._tcp.{} SRV {}", d, rec)});
    }
  }
  const auto& selectors = au.rules.dkim_selectors();
  for (std::size_t i = 0; i < selectors.size(); ++i) {
    const std::string owner = fmt::format("{}._domainkey.{}", selectors[i], d);
    const DnsAnswer& cname = ans[q.dkim_first + 2 * i];
    const DnsAnswer& key = ans[q.dkim_first + 2 * i + 1];
    if (cname.status == DnsStatus::kOk && !cname.records.empty()) {
      au.obs.push_back({Signal::kDkim, owner, cname.records.front(), 0,
                        fmt::format("{} CNAME {}", owner, cname.records.front())});
    } else if (key.status == DnsStatus::kOk && !key.records.empty()) {
      au.obs.push_back({Signal::kDkim, owner, key.records.front(), 0,
                        fmt::format("{} TXT {}", owner, Quoted(key.records.front()))});
    }
  }
  au.AddCname("www." + d, ans[q.www_cname]);
  const auto& labels = au.rules.cname_labels();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != "www")
      au.AddCname(fmt::format("{}.{}", labels[i], d), ans[q.labels_first + i]);
  }
  au.Locate(d, ans[q.a], "A");
  au.Locate(d, ans[q.aaaa], "AAAA");
  au.Locate("www." + d, ans[q.www_a], "A");
  au.Locate("www." + d, ans[q.www_aaaa], "AAAA");
}

// The second round: the MX hosts' addresses; an MX whose host has none is dangling.
void MxHosts(InProgress& au, DnsResolver& resolver) {
  Plan plan;
  for (const auto& host : au.mx_hosts) {
    plan.Add(host, RrType::kA);
    plan.Add(host, RrType::kAaaa);
  }
  const auto ans = resolver.ResolveAll(plan.queries);
  const auto gone = [](const DnsAnswer& x) {
    return x.status == DnsStatus::kNxdomain || x.status == DnsStatus::kNoData;
  };
  for (std::size_t i = 0; i < au.mx_hosts.size(); ++i) {
    const DnsAnswer& v4 = ans[2 * i];
    const DnsAnswer& v6 = ans[2 * i + 1];
    if (gone(v4) && gone(v6)) {
      au.r.warnings.push_back(
          {"dangling-mx",
           fmt::format("{} MX points to {}, which has no address ({})", au.d, au.mx_hosts[i],
                       v4.status == DnsStatus::kNxdomain ? "NXDOMAIN" : "no A or AAAA record")});
    }
    au.Locate(au.mx_hosts[i], v4, "A");
    au.Locate(au.mx_hosts[i], v6, "AAAA");
  }
}

// The third round: the origin network of every address found, from Team Cymru's DNS service.
void Networks(InProgress& au, DnsResolver& resolver) {
  Plan plan;
  for (const auto& l : au.located) plan.Add(CymruQueryName(l.address), RrType::kTxt);
  const auto ans = resolver.ResolveAll(plan.queries);
  for (std::size_t i = 0; i < au.located.size(); ++i) {
    if (ans[i].status != DnsStatus::kOk || ans[i].records.empty()) continue;
    const std::string& origin = ans[i].records.front();
    for (const std::uint32_t asn : ParseCymruOrigin(origin)) {
      const auto& l = au.located[i];
      au.obs.push_back(
          {Signal::kAsn, l.host, l.address, asn,
           fmt::format("{} {} {} (AS{}: {})", l.host, l.type, l.address, asn, origin)});
    }
  }
}
}  // namespace

std::vector<std::uint32_t> ParseCymruOrigin(const std::string& txt) {
  std::vector<std::uint32_t> out;
  for (const auto& word : Words(txt.substr(0, txt.find('|')))) {
    std::uint32_t n = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), n);
    if (ec == std::errc() && end == word.data() + word.size() && n != 0) out.push_back(n);
  }
  return out;
}

std::string CymruQueryName(const std::string& address) {
  unsigned char b[16];
  if (inet_pton(AF_INET, address.c_str(), b) == 1) {
    return fmt::format("{}.{}.{}.{}.origin.asn.cymru.com", b[3], b[2], b[1], b[0]);
  }
  if (inet_pton(AF_INET6, address.c_str(), b) != 1) return {};
  std::string out;
  for (int i = 15; i >= 0; --i) out += fmt::format("{:x}.{:x}.", b[i] & 0xf, b[i] >> 4);
  return out + "origin6.asn.cymru.com";
}

DomainReport DomainAuditor::Audit(const BatchEntry& entry) {
  DomainReport r;
  r.name = entry.name;
  r.sector = entry.category;
  auto normal = NormaliseDomain(entry.domain);
  if (!normal) {
    r.domain = entry.domain;
    r.error = AuditError{ErrorKind::kInvalid, "not a valid domain name: \"" + entry.domain + "\""};
    return r;
  }
  r.domain = *normal;
  const FirstRound first(rules_, r.domain);
  const std::vector<DnsAnswer> ans = resolver_.ResolveAll(first.plan.queries);
  const DnsAnswer& apex = ans[first.soa];
  r.dnssec = apex.bogus    ? DnssecStatus::kBogus
             : apex.secure ? DnssecStatus::kSecure
                           : DnssecStatus::kInsecure;
  if (apex.bogus) r.dnssec_detail = apex.why_bogus;
  if (apex.status != DnsStatus::kOk && apex.status != DnsStatus::kNoData) {
    r.error = ApexError(apex);
    return r;
  }
  InProgress au{rules_, r.domain, r, {}, {}, {}};
  MxAndTxtSignals(au, first, ans);
  NameSignals(au, first, ans);
  MxHosts(au, resolver_);
  Networks(au, resolver_);
  if (options_.web == WebFetch::kFetch) {
    WebResult web = AuditHomePage(r.domain, resolver_, options_.web_options, pacer_);
    r.web = web.outcome;
    au.obs.insert(au.obs.end(), web.observations.begin(), web.observations.end());
  }
  r.findings = rules_.Match(r.domain, au.obs);
  return r;
}

}  // namespace regie::audit
