#include "audit/dns_resolver.h"

#include <arpa/inet.h>
#include <fmt/core.h>
#include <poll.h>
#include <unbound.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "audit/rules.h"

namespace regie::audit {
namespace {

constexpr const char* kRootKey = "/usr/share/dns/root.key";  // Debian's dns-root-data

tl::unexpected<Error> Invalid(const std::string& reason) {
  return Fail(Errc::kInvalidInput, reason, reason);
}

// A wire-format name inside rdata (RFC 1035 §3.1). libunbound hands out rdata uncompressed, so a
// compression pointer here means a malformed record; it ends the name.
std::string ReadName(const unsigned char* p, std::size_t len, std::size_t& pos) {
  std::string out;
  while (pos < len) {
    const std::size_t n = p[pos++];
    if (n == 0 || n > 63 || pos + n > len) break;
    if (!out.empty()) out += '.';
    for (std::size_t i = 0; i < n; ++i) {
      const auto ch = static_cast<unsigned char>(std::tolower(p[pos + i]));
      if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '*') {
        out += static_cast<char>(ch);
      } else {
        out += fmt::format("\\{:03}", static_cast<int>(ch));
      }
    }
    pos += n;
  }
  return out;
}

unsigned Short(const unsigned char* p) { return (p[0] << 8) | p[1]; }

std::string Present(RrType type, const unsigned char* p, std::size_t len) {
  std::size_t pos = 0;
  switch (type) {
    case RrType::kA: {
      char buf[INET_ADDRSTRLEN] = {};
      return len == 4 && inet_ntop(AF_INET, p, buf, sizeof buf) ? buf : "";
    }
    case RrType::kAaaa: {
      char buf[INET6_ADDRSTRLEN] = {};
      return len == 16 && inet_ntop(AF_INET6, p, buf, sizeof buf) ? buf : "";
    }
    case RrType::kNs:
    case RrType::kCname:
    case RrType::kSoa:
      return ReadName(p, len, pos);
    case RrType::kMx: {
      if (len < 3) return "";
      pos = 2;
      return fmt::format("{} {}", Short(p), ReadName(p, len, pos));
    }
    case RrType::kSrv: {
      if (len < 7) return "";
      pos = 6;
      return fmt::format("{} {} {} {}", Short(p), Short(p + 2), Short(p + 4),
                         ReadName(p, len, pos));
    }
    case RrType::kTxt: {
      // RFC 7208 §3.3: a record of several character-strings is read as their concatenation.
      std::string out;
      while (pos < len) {
        const std::size_t n = p[pos++];
        out.append(reinterpret_cast<const char*>(p) + pos, std::min(n, len - pos));
        pos += n;
      }
      return out;
    }
  }
  return "";
}

struct Slot {
  DnsAnswer* answer;
  RrType type;
  std::string qname;
  bool done = false;
  int async_id = 0;
};

void OnResult(void* arg, int err, ub_result* result) {
  auto* slot = static_cast<Slot*>(arg);
  slot->done = true;
  DnsAnswer& a = *slot->answer;
  if (err != 0 || result == nullptr) {
    a.status = DnsStatus::kServfail;
    a.detail = ub_strerror(err);
    if (result) ub_resolve_free(result);
    return;
  }
  a.secure = result->secure != 0;
  a.bogus = result->bogus != 0;
  if (result->why_bogus) a.why_bogus = result->why_bogus;
  if (result->canonname && Lower(result->canonname) != Lower(slot->qname) + ".") {
    a.canonical = Lower(result->canonname);
    if (a.canonical.ends_with('.')) a.canonical.pop_back();
  }
  if (a.bogus) {
    // A validating resolver must not use data whose signatures failed (RFC 4035 §5.5).
    a.status = DnsStatus::kServfail;
    a.detail = "DNSSEC validation failed: " + a.why_bogus;
  } else if (result->havedata) {
    a.status = DnsStatus::kOk;
    for (int i = 0; result->data[i] != nullptr; ++i) {
      std::string record = Present(slot->type, reinterpret_cast<unsigned char*>(result->data[i]),
                                   static_cast<std::size_t>(result->len[i]));
      if (!record.empty()) a.records.push_back(std::move(record));  // Malformed rdata: dropped.
    }
  } else if (result->nxdomain) {
    a.status = DnsStatus::kNxdomain;
  } else if (result->rcode == 0) {
    a.status = DnsStatus::kNoData;
  } else {
    a.status = DnsStatus::kServfail;
    a.detail = fmt::format("rcode {}", result->rcode);
  }
  ub_resolve_free(result);
}

Result<void> Check(int err, const std::string& what) {
  if (err == 0) return Ok();
  return Invalid(fmt::format("{}: {}", what, ub_strerror(err)));
}

}  // namespace

const char* RrTypeName(RrType type) {
  switch (type) {
    case RrType::kA:
      return "A";
    case RrType::kNs:
      return "NS";
    case RrType::kCname:
      return "CNAME";
    case RrType::kSoa:
      return "SOA";
    case RrType::kMx:
      return "MX";
    case RrType::kTxt:
      return "TXT";
    case RrType::kAaaa:
      return "AAAA";
    case RrType::kSrv:
      return "SRV";
  }
  return "A";  // Unreachable; keeps -Wreturn-type quiet.
}

Result<std::string> UnboundAddress(const std::string& host_port) {
  std::string host = host_port, port;
  if (host_port.starts_with('[')) {
    const auto close = host_port.find(']');
    if (close == std::string::npos) return Invalid("--resolver: missing ] in " + host_port);
    host = host_port.substr(1, close - 1);
    if (close + 1 < host_port.size()) {
      if (host_port[close + 1] != ':') return Invalid("--resolver: expected :PORT after ]");
      port = host_port.substr(close + 2);
    }
  } else if (std::count(host_port.begin(), host_port.end(), ':') == 1) {
    host = host_port.substr(0, host_port.find(':'));
    port = host_port.substr(host_port.find(':') + 1);
  }
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) != 1 && inet_pton(AF_INET6, host.c_str(), buf) != 1) {
    return Invalid("--resolver: not an IP address: " + host);
  }
  if (port.empty()) return host;
  int n = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
  if (ec != std::errc() || end != port.data() + port.size() || n < 1 || n > 65535) {
    return Invalid("--resolver: bad port " + port);
  }
  return host + "@" + port;
}

Result<std::unique_ptr<DnsResolver>> DnsResolver::Create(const DnsOptions& options) {
  ub_ctx* ctx = ub_ctx_create();
  if (!ctx) return Fail(Errc::kInternal, "ub_ctx_create failed");
  std::unique_ptr<DnsResolver> resolver(new DnsResolver(ctx, options.timeout));
  // .test is one of unbound's default local zones (answered NXDOMAIN); "transparent" lets its
  // names be resolved like any other, so that fixture zones under .test can be audited
  // ("nodefault" does not take effect through ub_ctx_set_option in libunbound 1.17).
  if (auto ok = Check(ub_ctx_set_option(ctx, "local-zone:", "test. transparent"), "local-zone");
      !ok) {
    return Fail(ok.error());
  }
  if (!options.resolver.empty()) {
    auto addr = UnboundAddress(options.resolver);
    if (!addr) return Fail(addr.error());
    if (auto ok = Check(ub_ctx_set_option(ctx, "do-not-query-localhost:", "no"), "option"); !ok) {
      return Fail(ok.error());
    }
    if (auto ok = Check(ub_ctx_set_fwd(ctx, addr->c_str()), "--resolver " + options.resolver);
        !ok) {
      return Fail(ok.error());
    }
  } else if (ub_ctx_resolvconf(ctx, nullptr) != 0) {
    // No usable /etc/resolv.conf: libunbound then resolves from the root itself.
  }
  std::vector<std::filesystem::path> anchors = options.trust_anchors;
  std::error_code ec;
  if (anchors.empty() && std::filesystem::exists(kRootKey, ec)) anchors.emplace_back(kRootKey);
  for (const auto& file : anchors) {
    if (!std::filesystem::is_regular_file(file, ec)) {
      return Invalid("--trust-anchor: not a readable file: " + file.string());
    }
    if (auto ok = Check(ub_ctx_add_ta_file(ctx, file.c_str()), "--trust-anchor " + file.string());
        !ok) {
      return Fail(ok.error());
    }
  }
  if (auto ok = Check(ub_ctx_async(ctx, 1), "ub_ctx_async"); !ok) return Fail(ok.error());
  // libunbound reads the trust anchors only when the first query finalises the context; a
  // local name (answered from unbound's own localhost zone, no packet sent) finds a bad file now
  // rather than failing every domain later.
  ub_result* probe = nullptr;
  const int err = ub_resolve(ctx, "localhost.", static_cast<int>(RrType::kA), 1, &probe);
  if (probe) ub_resolve_free(probe);
  if (err != 0) {
    return Invalid(fmt::format("resolver set-up failed ({}); check --resolver and --trust-anchor",
                               ub_strerror(err)));
  }
  return resolver;
}

DnsResolver::~DnsResolver() { ub_ctx_delete(ctx_); }

std::vector<DnsAnswer> DnsResolver::ResolveAll(const std::vector<DnsQuery>& queries) {
  std::vector<DnsAnswer> answers(queries.size());
  std::vector<Slot> slots;
  slots.reserve(queries.size());
  std::size_t pending = 0;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    slots.push_back(Slot{&answers[i], queries[i].type, queries[i].name});
    const int err =
        ub_resolve_async(ctx_, queries[i].name.c_str(), static_cast<int>(queries[i].type),
                         1 /* IN */, &slots[i], OnResult, &slots[i].async_id);
    if (err != 0) {
      slots[i].done = true;
      answers[i].status = DnsStatus::kServfail;
      answers[i].detail = ub_strerror(err);
    } else {
      ++pending;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  auto done_count = [&] {
    std::size_t n = 0;
    for (const auto& s : slots) n += s.done ? 0 : 1;
    return n;
  };
  while (pending > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd pfd{ub_fd(ctx_), POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) > 0) (void)ub_process(ctx_);
    pending = done_count();
  }
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].done) continue;
    // A cancelled query's callback never runs, so its slot may go out of scope afterwards.
    (void)ub_cancel(ctx_, slots[i].async_id);
    answers[i].status = DnsStatus::kTimeout;
    answers[i].detail = fmt::format("no answer within {} ms", timeout_.count());
  }
  return answers;
}

}  // namespace regie::audit
