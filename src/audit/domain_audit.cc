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
  const std::string d = *normal;
  r.domain = d;

  Plan p;
  const auto soa = p.Add(d, RrType::kSoa), ns = p.Add(d, RrType::kNs), mx = p.Add(d, RrType::kMx),
             txt = p.Add(d, RrType::kTxt), a = p.Add(d, RrType::kA), aaaa = p.Add(d, RrType::kAaaa),
             www_cname = p.Add("www." + d, RrType::kCname), www_a = p.Add("www." + d, RrType::kA),
             www_aaaa = p.Add("www." + d, RrType::kAaaa),
             dmarc = p.Add("_dmarc." + d, RrType::kTxt),
             mta_sts = p.Add("_mta-sts." + d, RrType::kTxt),
             srv = p.Add("_autodiscover._tcp." + d, RrType::kSrv);
  const std::size_t dkim_first = p.queries.size();
  for (const auto& sel : rules_.dkim_selectors()) {
    p.Add(sel + "._domainkey." + d, RrType::kCname);
    p.Add(sel + "._domainkey." + d, RrType::kTxt);
  }
  const std::size_t labels_first = p.queries.size();
  for (const auto& label : rules_.cname_labels()) p.Add(label + "." + d, RrType::kCname);
  const std::vector<DnsAnswer> ans = resolver_.ResolveAll(p.queries);

  const DnsAnswer& apex = ans[soa];
  r.dnssec = apex.bogus    ? DnssecStatus::kBogus
             : apex.secure ? DnssecStatus::kSecure
                           : DnssecStatus::kInsecure;
  if (apex.bogus) r.dnssec_detail = apex.why_bogus;
  if (apex.status != DnsStatus::kOk && apex.status != DnsStatus::kNoData) {
    r.error = ApexError(apex);
    return r;
  }

  std::vector<Observation> obs;
  std::vector<std::string> mx_hosts;
  std::vector<std::string> mx_records = ans[mx].records;
  // Preference order (RFC 5321 §5.1), then by name: the report is the same however the server
  // orders the set.
  std::sort(mx_records.begin(), mx_records.end(), [](const std::string& x, const std::string& y) {
    const auto px = std::stoul(x), py = std::stoul(y);
    return px != py ? px < py : x < y;
  });
  for (const auto& rec : mx_records) {
    r.mail.mx.push_back(rec);
    const auto words = Words(rec);
    if (words.size() != 2 || words[1].empty()) continue;  // RFC 7505 null MX "0 ."
    obs.push_back({Signal::kMx, d, words[1], 0, fmt::format("{} MX {}", d, rec)});
    if (mx_hosts.size() < kMaxMxHosts) mx_hosts.push_back(words[1]);
  }
  for (const auto& rec : ans[txt].records) {
    obs.push_back({Signal::kTxt, d, rec, 0, fmt::format("{} TXT {}", d, Quoted(rec))});
    if (Lower(rec).starts_with("v=spf1")) {
      r.mail.spf = rec;
      SpfObservations(d, rec, obs);
    }
  }
  for (const auto& rec : ans[ns].records) {
    obs.push_back({Signal::kNs, d, rec, 0, fmt::format("{} NS {}", d, rec)});
  }
  for (const auto& rec : ans[dmarc].records) {
    if (Lower(rec).starts_with("v=dmarc1")) DmarcPosture(d, "_dmarc." + d, rec, r, obs);
  }
  for (const auto& rec : ans[mta_sts].records) {
    if (Lower(rec).starts_with("v=stsv1")) r.mail.mta_sts = true;
  }
  for (const auto& rec : ans[srv].records) {
    const auto words = Words(rec);
    if (words.size() == 4) {
      obs.push_back({Signal::kSrv, "_autodiscover._tcp." + d, words[3], 0,
                     fmt::format("_autodiscover._tcp.{} SRV {}", d, rec)});
    }
  }
  for (std::size_t i = 0; i < rules_.dkim_selectors().size(); ++i) {
    const std::string owner = rules_.dkim_selectors()[i] + "._domainkey." + d;
    const DnsAnswer& cname = ans[dkim_first + 2 * i];
    const DnsAnswer& key = ans[dkim_first + 2 * i + 1];
    if (cname.status == DnsStatus::kOk && !cname.records.empty()) {
      obs.push_back({Signal::kDkim, owner, cname.records.front(), 0,
                     fmt::format("{} CNAME {}", owner, cname.records.front())});
    } else if (key.status == DnsStatus::kOk && !key.records.empty()) {
      obs.push_back({Signal::kDkim, owner, key.records.front(), 0,
                     fmt::format("{} TXT {}", owner, Quoted(key.records.front()))});
    }
  }
  auto add_cname = [&](const std::string& owner, const DnsAnswer& answer) {
    if (answer.status != DnsStatus::kOk || answer.records.empty()) return;
    obs.push_back({Signal::kCname, owner, answer.records.front(), 0,
                   fmt::format("{} CNAME {}", owner, answer.records.front())});
  };
  add_cname("www." + d, ans[www_cname]);
  for (std::size_t i = 0; i < rules_.cname_labels().size(); ++i) {
    if (rules_.cname_labels()[i] == "www") continue;
    add_cname(rules_.cname_labels()[i] + "." + d, ans[labels_first + i]);
  }

  // Phase 2: the addresses of the MX hosts, then the networks of every address.
  struct Located {
    std::string host, type, address;
  };
  std::vector<Located> located;
  auto locate = [&](const std::string& host, const DnsAnswer& answer, const char* type) {
    if (answer.status != DnsStatus::kOk) return;
    for (std::size_t i = 0; i < answer.records.size() && i < kMaxAddressesPerHost; ++i) {
      located.push_back({host, type, answer.records[i]});
    }
  };
  locate(d, ans[a], "A");
  locate(d, ans[aaaa], "AAAA");
  locate("www." + d, ans[www_a], "A");
  locate("www." + d, ans[www_aaaa], "AAAA");
  Plan mx_plan;
  for (const auto& host : mx_hosts) {
    mx_plan.Add(host, RrType::kA);
    mx_plan.Add(host, RrType::kAaaa);
  }
  const auto mx_ans = resolver_.ResolveAll(mx_plan.queries);
  for (std::size_t i = 0; i < mx_hosts.size(); ++i) {
    const DnsAnswer& v4 = mx_ans[2 * i];
    const DnsAnswer& v6 = mx_ans[2 * i + 1];
    const auto gone = [](const DnsAnswer& x) {
      return x.status == DnsStatus::kNxdomain || x.status == DnsStatus::kNoData;
    };
    if (gone(v4) && gone(v6)) {
      r.warnings.push_back(
          {"dangling-mx",
           fmt::format("{} MX points to {}, which has no address ({})", d, mx_hosts[i],
                       v4.status == DnsStatus::kNxdomain ? "NXDOMAIN" : "no A or AAAA record")});
    }
    locate(mx_hosts[i], v4, "A");
    locate(mx_hosts[i], v6, "AAAA");
  }
  Plan asn_plan;
  std::vector<std::size_t> asn_index;
  for (const auto& l : located)
    asn_index.push_back(asn_plan.Add(CymruQueryName(l.address), RrType::kTxt));
  const auto asn_ans = resolver_.ResolveAll(asn_plan.queries);
  for (std::size_t i = 0; i < located.size(); ++i) {
    const DnsAnswer& origin = asn_ans[asn_index[i]];
    if (origin.status != DnsStatus::kOk || origin.records.empty()) continue;
    for (const std::uint32_t asn : ParseCymruOrigin(origin.records.front())) {
      const Located& l = located[i];
      obs.push_back({Signal::kAsn, l.host, l.address, asn,
                     fmt::format("{} {} {} (AS{}: {})", l.host, l.type, l.address, asn,
                                 origin.records.front())});
    }
  }

  if (options_.web == WebFetch::kFetch) {
    WebResult web = AuditHomePage(d, resolver_, options_.web_options, pacer_);
    r.web = web.outcome;
    obs.insert(obs.end(), web.observations.begin(), web.observations.end());
  }
  r.findings = rules_.Match(d, obs);
  return r;
}

}  // namespace regie::audit
