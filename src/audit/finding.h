// What an audit of one domain finds: findings (a dependency on a provider, with its evidence),
// warnings (problems such as a dangling MX), DNSSEC status and, when the domain could not be
// audited at all, the reason. Plain values; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace regie::audit {

// Why a domain (or its website) could not be audited; the names are the JSON `error.kind`s.
// kConnect (nothing answered on the port) only occurs for the website.
enum class ErrorKind { kNxdomain, kServfail, kTimeout, kTls, kInvalid, kConnect };
const char* ErrorKindName(ErrorKind kind);

struct AuditError {
  ErrorKind kind = ErrorKind::kInvalid;
  std::string detail;  // One line, e.g. "MX query: SERVFAIL".
};

enum class DnssecStatus { kUnknown, kSecure, kInsecure, kBogus };
const char* DnssecStatusName(DnssecStatus status);

struct Finding {
  std::string category;      // mail, dns, hosting, web-third-party, identity, collaboration, ...
  std::string subcategory;   // For web resources: analytics, fonts, video, ...; may be empty.
  std::string provider_id;   // The rules file's key, e.g. "microsoft-365".
  std::string provider;      // Display name, e.g. "Microsoft 365".
  std::string jurisdiction;  // ISO 3166-1 alpha-2 or "EU"; empty when unknown.
  std::string evidence;      // The exact record or URL.
  std::string why;           // Why it matters.
  std::string replacement;   // The Regie feature that replaces it, or "keep: EU provider".
  std::string rule;          // Which rule matched ("file:index"), for debugging rules.
  bool operator==(const Finding&) const = default;
};

struct Warning {
  std::string kind;  // dangling-mx, no-dmarc, ...
  std::string evidence;
};

// What the home page fetch saw.
struct WebOutcome {
  std::string url;  // The final URL after redirects.
  int status = 0;   // HTTP status; 0 if no response.
  std::optional<AuditError> error;
};

struct MailPosture {
  std::vector<std::string> mx;  // "10 mx.example.org"
  std::string spf;              // The v=spf1 record, if any.
  std::string dmarc;            // The v=DMARC1 record, if any.
  std::string dmarc_policy;     // p= of the DMARC record: none, quarantine, reject.
  bool mta_sts = false;         // An _mta-sts TXT record with v=STSv1.
};

struct DomainReport {
  std::string domain;               // Lowercase, without the final dot.
  std::string name;                 // From the batch file, may be empty.
  std::string sector;               // The batch file's category column, may be empty.
  std::optional<AuditError> error;  // Set when the domain could not be audited.
  DnssecStatus dnssec = DnssecStatus::kUnknown;
  std::string dnssec_detail;  // Why validation failed, when bogus.
  MailPosture mail;
  std::vector<Finding> findings;
  std::vector<Warning> warnings;
  std::optional<WebOutcome> web;
};

}  // namespace regie::audit
