#include "proto/http/forwarded.h"

#include <gtest/gtest.h>

namespace regie::proto::http {
namespace {

std::vector<AddressRange> Trusted(std::initializer_list<const char*> ranges) {
  std::vector<AddressRange> out;
  for (const char* r : ranges) out.push_back(*AddressRange::Parse(r));
  return out;
}

Request FromPeer(const char* peer) {
  Request r;
  r.peer_address = peer;
  return r;
}

TEST(AddressRange, MatchesPrefixes) {
  auto r = *AddressRange::Parse("10.1.0.0/16");
  EXPECT_TRUE(r.Contains("10.1.200.3"));
  EXPECT_FALSE(r.Contains("10.2.0.1"));
  EXPECT_TRUE(AddressRange::Parse("::1")->Contains("::1"));
  EXPECT_FALSE(AddressRange::Parse("10.0.0.0/33"));
  EXPECT_FALSE(AddressRange::Parse("banana"));
}

TEST(ApplyForwarding, IgnoresHeadersFromUntrustedPeers) {
  Request r = FromPeer("192.0.2.9");
  r.headers.Add("X-Forwarded-For", "203.0.113.5");
  r.headers.Add("X-Forwarded-Proto", "https");
  ApplyForwarding(r, Trusted({"127.0.0.1"}), false);
  EXPECT_EQ(r.client_address, "192.0.2.9");
  EXPECT_FALSE(r.secure);
}

TEST(ApplyForwarding, TakesTheRightmostUntrustedHop) {
  Request r = FromPeer("127.0.0.1");
  // The client forged the first entry; the proxy appended the real address.
  r.headers.Add("X-Forwarded-For", "198.51.100.1, 203.0.113.5");
  r.headers.Add("X-Forwarded-Proto", "https");
  ApplyForwarding(r, Trusted({"127.0.0.1"}), false);
  EXPECT_EQ(r.client_address, "203.0.113.5");
  EXPECT_TRUE(r.secure);
}

TEST(ApplyForwarding, ReadsRfc7239Forwarded) {
  Request r = FromPeer("127.0.0.1");
  r.headers.Add("Forwarded", "for=\"[2001:db8::7]:4711\";proto=https, for=10.0.0.2");
  ApplyForwarding(r, Trusted({"127.0.0.1", "10.0.0.0/8"}), false);
  EXPECT_EQ(r.client_address, "2001:db8::7");
}

}  // namespace
}  // namespace regie::proto::http
