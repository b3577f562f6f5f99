// Tests for net/fixed_seeds.h: every chain's generated list decodes completely
// into as many addresses as its contrib/seeds/nodes_*.txt has lines, without
// duplicates, with routable IPs, real ports (I2P's 0 aside), Core's services
// and a time one to two weeks back; regtest and custom signets have none;
// bad bytes throw.
#include "net/fixed_seeds.h"
#include "net/netgroup.h"
#include "net/protocol.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

using namespace cairn;

namespace {

struct Expected {
    ChainType chain;
    size_t total, ipv4, ipv6, onion, i2p, cjdns;
    uint16_t port;
};

// The line counts of contrib/seeds/nodes_{main,test,testnet4,signet}.txt, by network.
const Expected EXPECTED[] = {
    {ChainType::MAIN, 2056, 512, 512, 512, 512, 8, 8333},
    {ChainType::TESTNET, 0, 0, 0, 0, 0, 0, 18333},
    {ChainType::TESTNET4, 230, 63, 70, 78, 18, 1, 48333},
    {ChainType::SIGNET, 170, 46, 47, 67, 9, 1, 38333},
};

} // namespace

BOOST_AUTO_TEST_SUITE(fixed_seeds_tests)

BOOST_AUTO_TEST_CASE(lists_decode_completely)
{
    constexpr int64_t NOW = 1'700'000'000;
    constexpr int64_t WEEK = 7 * 24 * 60 * 60;
    for (const Expected& exp : EXPECTED) {
        BOOST_TEST_CONTEXT(ChainTypeToString(exp.chain))
        {
            const std::vector<AddrEntry> seeds = DecodeFixedSeeds(FixedSeedBytes(exp.chain), NOW);
            BOOST_CHECK_EQUAL(seeds.size(), exp.total);
            std::map<Network, size_t> by_net;
            std::set<Service> unique;
            for (const AddrEntry& e : seeds) {
                const Network net = e.addr.GetNetwork();
                ++by_net[net];
                unique.insert(e.addr);
                BOOST_CHECK(IsValidAddr(e.addr));
                if (net == Network::IPV4 || net == Network::IPV6) BOOST_CHECK_MESSAGE(IsRoutableAddr(e.addr), e.addr.ToString());
                if (net == Network::I2P) {
                    BOOST_CHECK_EQUAL(e.addr.GetPort(), 0);
                } else {
                    BOOST_CHECK_EQUAL(e.addr.GetPort(), exp.port);
                }
                BOOST_CHECK_EQUAL(e.services, uint64_t(NODE_NETWORK | NODE_WITNESS));
                BOOST_CHECK(int64_t(e.time) <= NOW - WEEK && int64_t(e.time) > NOW - 2 * WEEK);
            }
            BOOST_CHECK_EQUAL(unique.size(), seeds.size());
            BOOST_CHECK_EQUAL(by_net[Network::IPV4], exp.ipv4);
            BOOST_CHECK_EQUAL(by_net[Network::IPV6], exp.ipv6);
            BOOST_CHECK_EQUAL(by_net[Network::ONION], exp.onion);
            BOOST_CHECK_EQUAL(by_net[Network::I2P], exp.i2p);
            BOOST_CHECK_EQUAL(by_net[Network::CJDNS], exp.cjdns);
            // Nothing of another network (the five counts add up to the total).
            BOOST_CHECK_EQUAL(exp.ipv4 + exp.ipv6 + exp.onion + exp.i2p + exp.cjdns, exp.total);
            // FixedSeeds() is the same list, timed from the clock.
            BOOST_CHECK_EQUAL(FixedSeeds(exp.chain).size(), exp.total);
        }
    }
}

BOOST_AUTO_TEST_CASE(regtest_has_none)
{
    BOOST_CHECK(FixedSeedBytes(ChainType::REGTEST).empty());
    BOOST_CHECK(FixedSeeds(ChainType::REGTEST).empty());
}

BOOST_AUTO_TEST_CASE(chain_from_magic)
{
    // What the connection manager uses: each standard network's magic gives its list.
    for (const Expected& exp : EXPECTED) {
        const auto params = CreateChainParams(exp.chain);
        BOOST_CHECK_EQUAL(FixedSeedsForMagic(params->message_start).size(), exp.total);
    }
    BOOST_CHECK(FixedSeedsForMagic(CreateChainParams(ChainType::REGTEST)->message_start).empty());
    // A custom signet (-signetchallenge: here OP_TRUE) has a magic of its own, and no seeds.
    ChainParamsOptions opts;
    opts.signet_challenge = Bytes{0x51};
    const auto custom = CreateChainParams(ChainType::SIGNET, opts);
    BOOST_CHECK(custom->message_start != CreateChainParams(ChainType::SIGNET)->message_start);
    BOOST_CHECK(FixedSeedsForMagic(custom->message_start).empty());
}

BOOST_AUTO_TEST_CASE(first_main_seed_bytes)
{
    // The list's first line, [fc1f:22c3:95dc:a3af:4a93:8251:beb9:1858]:8333, as CJDNS (BIP 155 id 6).
    const std::vector<AddrEntry> seeds = DecodeFixedSeeds(FixedSeedBytes(ChainType::MAIN), 1'700'000'000);
    BOOST_REQUIRE(!seeds.empty());
    BOOST_CHECK(seeds[0].addr.GetNetwork() == Network::CJDNS);
    BOOST_CHECK_EQUAL(seeds[0].addr.ToStringAddrPort(), "[fc1f:22c3:95dc:a3af:4a93:8251:beb9:1858]:8333");
    const ByteSpan raw = FixedSeedBytes(ChainType::MAIN);
    BOOST_CHECK_EQUAL(raw[0], 6);
    BOOST_CHECK_EQUAL(raw[1], 16);
}

BOOST_AUTO_TEST_CASE(malformed_bytes_throw)
{
    // A truncated port, a truncated address, a wrong length for IPv4, an unknown network id.
    const std::vector<Bytes> bad = {
        {0x01, 0x04, 1, 2, 3, 4, 0x20},
        {0x02, 0x10, 1, 2, 3},
        {0x01, 0x05, 1, 2, 3, 4, 5, 0x20, 0x8d},
        {0x09, 0x01, 0x00, 0x20, 0x8d},
    };
    for (const Bytes& b : bad) BOOST_CHECK_THROW(DecodeFixedSeeds(b, 1'700'000'000), std::runtime_error);
    BOOST_CHECK(DecodeFixedSeeds(ByteSpan{}, 1'700'000'000).empty());
    const auto one = DecodeFixedSeeds(Bytes{0x01, 0x04, 1, 2, 3, 4, 0x20, 0x8d}, 1'700'000'000);
    BOOST_REQUIRE_EQUAL(one.size(), 1U);
    BOOST_CHECK_EQUAL(one[0].addr.ToStringAddrPort(), "1.2.3.4:8333");
}

BOOST_AUTO_TEST_SUITE_END()
