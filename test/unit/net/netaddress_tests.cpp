// Tests for net/netaddress.h: parsing host:port and [v6]:port, printing,
// the v1 and BIP 155 forms.
#include "net/netaddress.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(netaddress_tests)

BOOST_AUTO_TEST_CASE(parse_services)
{
    auto s = ParseService("1.2.3.4:8333", 18444);
    BOOST_REQUIRE(s);
    BOOST_CHECK(s->IsIPv4());
    BOOST_CHECK_EQUAL(s->GetPort(), 8333);
    BOOST_CHECK_EQUAL(s->ToStringAddrPort(), "1.2.3.4:8333");

    s = ParseService("127.0.0.1", 18444);
    BOOST_REQUIRE(s);
    BOOST_CHECK_EQUAL(s->GetPort(), 18444);
    BOOST_CHECK(s->IsLocal());
    BOOST_CHECK(!s->IsRoutable());

    s = ParseService("[2001:4860::8888]:53", 1);
    BOOST_REQUIRE(s);
    BOOST_CHECK(s->IsIPv6());
    BOOST_CHECK_EQUAL(s->ToStringAddrPort(), "[2001:4860::8888]:53");
    BOOST_CHECK_EQUAL(s->NetworkName(), "ipv6");

    s = ParseService("::1", 8333); // a bare IPv6 address: no port
    BOOST_REQUIRE(s);
    BOOST_CHECK_EQUAL(s->ToStringAddrPort(), "[::1]:8333");

    s = ParseService("[::ffff:10.0.0.1]:1", 1); // IPv4-mapped becomes IPv4
    BOOST_REQUIRE(s);
    BOOST_CHECK(s->IsIPv4());
    BOOST_CHECK(s->IsRFC1918());
    BOOST_CHECK_EQUAL(s->NetworkName(), "not_publicly_routable");

    for (const char* bad : {"1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:x", "[::1", "[::1]x", "300.1.1.1", "", "host"}) {
        BOOST_CHECK_MESSAGE(!ParseService(bad, 1), bad);
    }
    BOOST_CHECK_EQUAL(ParseService("8.8.8.8", 1)->NetworkName(), "ipv4");
}

BOOST_AUTO_TEST_CASE(v1_and_bip155_forms)
{
    const auto v4 = *NetAddr::Parse("1.2.3.4");
    const auto b = v4.ToV1Bytes();
    BOOST_CHECK_EQUAL(b[10], 0xff);
    BOOST_CHECK_EQUAL(b[11], 0xff);
    BOOST_CHECK_EQUAL(b[12], 1);
    BOOST_CHECK(NetAddr::FromV1Bytes(b) == v4);
    BOOST_CHECK(v4.GetBip155Net() == Bip155Net::IPV4);

    const uint8_t four[4] = {1, 2, 3, 4};
    BOOST_CHECK(NetAddr::FromBip155(1, four) == v4);
    BOOST_CHECK(!NetAddr::FromBip155(2, four)); // IPv6 needs 16 bytes
    BOOST_CHECK(!NetAddr::FromBip155(3, four)); // Tor v2 is retired
    BOOST_CHECK(!NetAddr::FromBip155(99, four));
    uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4};
    BOOST_CHECK(!NetAddr::FromBip155(2, mapped)); // BIP 155: no IPv4 inside an IPV6 entry
    uint8_t onion[32] = {};
    auto o = NetAddr::FromBip155(4, onion);
    BOOST_REQUIRE(o);
    BOOST_CHECK(o->GetNetwork() == Network::ONION);
}

BOOST_AUTO_TEST_CASE(split_host_port)
{
    std::string host;
    std::optional<uint16_t> port;
    BOOST_CHECK(SplitHostPort("example.com:80", host, port));
    BOOST_CHECK_EQUAL(host, "example.com");
    BOOST_CHECK_EQUAL(*port, 80);
    BOOST_CHECK(SplitHostPort("example.com", host, port));
    BOOST_CHECK(!port);
    BOOST_CHECK(SplitHostPort("[::1]", host, port));
    BOOST_CHECK_EQUAL(host, "::1");
    BOOST_CHECK(!port);
}

BOOST_AUTO_TEST_CASE(lookup_numeric)
{
    // The C library's numeric forms, as Core's LookupNumeric; never a name.
    const auto a = LookupNumeric("127.1:8333", 18444);
    BOOST_REQUIRE(a);
    BOOST_CHECK_EQUAL(a->ToStringAddrPort(), "127.0.0.1:8333");
    const auto b = LookupNumeric("127.0.0.1", 18444);
    BOOST_REQUIRE(b);
    BOOST_CHECK_EQUAL(b->ToStringAddrPort(), "127.0.0.1:18444");
    const auto c = LookupNumeric("[::1]:1", 18444);
    BOOST_REQUIRE(c);
    BOOST_CHECK_EQUAL(c->ToStringAddrPort(), "[::1]:1");
    BOOST_CHECK(!LookupNumeric("localhost:8333", 1));
    BOOST_CHECK(!LookupNumeric("", 1));
    BOOST_CHECK(!LookupNumeric("1.2.3.4:99999", 1));
}

BOOST_AUTO_TEST_SUITE_END()
