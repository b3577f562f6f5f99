// Tests for net/messages.h and net/protocol.h: each payload's encoding
// (checked against hand-built bytes) and its round trip.
#include "net/messages.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(messages_tests)

BOOST_AUTO_TEST_CASE(version_roundtrip)
{
    VersionMsg v;
    v.version = PROTOCOL_VERSION;
    v.services = NODE_NETWORK | NODE_WITNESS;
    v.time = 1700000000;
    v.addr_recv.addr = *ParseService("8.8.8.8:8333", 0);
    v.nonce = 0x0102030405060708;
    v.user_agent = "/Cairn:0.1.0/";
    v.start_height = 840000;
    v.relay = false;
    const Bytes b = SerializeVersion(v);
    BOOST_CHECK_EQUAL(b.size(), 4 + 8 + 8 + 26 + 26 + 8 + 1 + v.user_agent.size() + 4 + 1);
    BOOST_CHECK_EQUAL(HexStr(ByteSpan(b).first(4)), "80110100"); // 70016 little-endian
    const VersionMsg d = DeserializeVersion(b);
    BOOST_CHECK_EQUAL(d.version, v.version);
    BOOST_CHECK_EQUAL(d.services, v.services);
    BOOST_CHECK_EQUAL(d.time, v.time);
    BOOST_CHECK(d.addr_recv.addr == v.addr_recv.addr);
    BOOST_CHECK_EQUAL(d.nonce, v.nonce);
    BOOST_CHECK_EQUAL(d.user_agent, v.user_agent);
    BOOST_CHECK_EQUAL(d.start_height, v.start_height);
    BOOST_CHECK_EQUAL(d.relay, false);
    // The relay flag is optional: absent means true.
    const VersionMsg short_v = DeserializeVersion(ByteSpan(b).first(b.size() - 1));
    BOOST_CHECK_EQUAL(short_v.relay, true);
    // A user agent over 256 bytes is refused.
    v.user_agent.assign(257, 'a');
    BOOST_CHECK_THROW(DeserializeVersion(SerializeVersion(v)), DeserializeError);
}

BOOST_AUTO_TEST_CASE(inv_locator_headers)
{
    uint256 h;
    h.data()[0] = 0xab;
    const std::vector<Inv> invs = {{MSG_WITNESS_BLOCK, h}, {MSG_TX, uint256()}};
    const Bytes b = SerializeInvs(invs);
    BOOST_CHECK_EQUAL(b.size(), 1 + 2 * 36);
    BOOST_CHECK_EQUAL(HexStr(ByteSpan(b).subspan(1, 4)), "02000040");
    BOOST_CHECK(DeserializeInvs(b) == invs);
    // A count larger than the payload can hold fails before allocating.
    Bytes lying = {0xfe, 0xff, 0xff, 0xff, 0x00};
    BOOST_CHECK_THROW(DeserializeInvs(lying), DeserializeError);

    LocatorMsg m;
    m.locator = {h, uint256()};
    m.hash_stop = h;
    const LocatorMsg d = DeserializeLocator(SerializeLocator(m));
    BOOST_CHECK_EQUAL(d.version, uint32_t(PROTOCOL_VERSION));
    BOOST_CHECK(d.locator == m.locator);
    BOOST_CHECK(d.hash_stop == h);

    BlockHeader hdr;
    hdr.version = 4;
    hdr.time = 1234;
    hdr.bits = 0x207fffff;
    hdr.prev_block = h;
    const Bytes hb = SerializeHeaders({hdr, hdr});
    BOOST_CHECK_EQUAL(hb.size(), 1 + 2 * 81);
    BOOST_CHECK_EQUAL(hb[81], 0); // the transaction count after each header
    const auto hs = DeserializeHeaders(hb);
    BOOST_REQUIRE_EQUAL(hs.size(), 2u);
    BOOST_CHECK(hs[1] == hdr);
    BOOST_CHECK_EQUAL(SerializeHeaders({}).size(), 1u);
}

BOOST_AUTO_TEST_CASE(addr_and_small_messages)
{
    AddrEntry e;
    e.time = 1600000000;
    e.services = NODE_NETWORK;
    e.addr = *ParseService("[2001:db8::1]:8333", 0);
    const Bytes v1 = SerializeAddr({e});
    BOOST_CHECK_EQUAL(v1.size(), 1 + 30u);
    BOOST_CHECK_EQUAL(HexStr(ByteSpan(v1).last(2)), "208d"); // port 8333, big-endian
    auto d1 = DeserializeAddr(v1);
    BOOST_REQUIRE_EQUAL(d1.size(), 1u);
    BOOST_CHECK(d1[0].addr == e.addr);
    BOOST_CHECK_EQUAL(d1[0].time, e.time);

    const Bytes v2 = SerializeAddrV2({e});
    // count, time, services (CompactSize), network id 2, length 16, address, port.
    BOOST_CHECK_EQUAL(v2.size(), 1 + 4 + 1 + 1 + 1 + 16 + 2u);
    auto d2 = DeserializeAddrV2(v2);
    BOOST_REQUIRE_EQUAL(d2.size(), 1u);
    BOOST_CHECK(d2[0].addr == e.addr);
    BOOST_CHECK_EQUAL(d2[0].services, e.services);
    // An unknown network id is not an error (BIP 155): the entry stays as the invalid "::", as in Core.
    Bytes unknown = {0x01, 0, 0, 0, 0, 0x01, 0x63, 0x02, 0xaa, 0xbb, 0x20, 0x8d};
    const auto du = DeserializeAddrV2(unknown);
    BOOST_REQUIRE_EQUAL(du.size(), 1u);
    BOOST_CHECK_EQUAL(du[0].addr.ToStringAddrPort(), "[::]:8333");
    // A known network with the wrong length is an error (Core's SetNetFromBIP155Network).
    Bytes short_v4 = {0x01, 0, 0, 0, 0, 0x01, 0x01, 0x03, 9, 9, 9, 0x20, 0x8d};
    BOOST_CHECK_THROW(DeserializeAddrV2(short_v4), DeserializeError);
    // An address longer than 512 bytes is refused.
    Bytes huge = {0x01, 0, 0, 0, 0, 0x01, 0x01, 0xfd, 0x01, 0x02};
    BOOST_CHECK_THROW(DeserializeAddrV2(huge), DeserializeError);

    BOOST_CHECK_EQUAL(DeserializeNonce(SerializeNonce(0x1122334455667788)), 0x1122334455667788u);
    BOOST_CHECK_EQUAL(DeserializeFeeFilter(SerializeFeeFilter(1000)), 1000);
    const Bytes sc = SerializeSendCmpct({true, 2});
    BOOST_CHECK_EQUAL(HexStr(sc), "010200000000000000");
    BOOST_CHECK(DeserializeSendCmpct(sc).high_bandwidth);
    BOOST_CHECK_THROW(DeserializeNonce(Bytes(7)), DeserializeError);
}

BOOST_AUTO_TEST_CASE(service_names)
{
    BOOST_CHECK(ServiceFlagsToNames(NODE_NETWORK | NODE_WITNESS) == (std::vector<std::string>{"NETWORK", "WITNESS"}));
    BOOST_CHECK(ServiceFlagsToNames(NODE_NETWORK_LIMITED | (1ULL << 5)) ==
                (std::vector<std::string>{"UNKNOWN[2^5]", "NETWORK_LIMITED"}));
}

BOOST_AUTO_TEST_CASE(counts_and_filter_requests)
{
    // The leading count alone (Core judges headers by it before reading them).
    BOOST_CHECK_EQUAL(PeekCount(Bytes{0xfd, 0xd1, 0x07}), 2001u);
    BOOST_CHECK_THROW(PeekCount(Bytes{}), DeserializeError);
    BOOST_CHECK_THROW(PeekCount(Bytes{0xfd, 0x01, 0x00}), DeserializeError); // non-canonical
    BOOST_CHECK_THROW(PeekCount(Bytes{0xff, 0, 0, 0, 0, 0, 1, 0, 0}), DeserializeError); // over the size limit

    // A version without its later fields: Core's defaults (start height -1, relay on).
    VersionMsg v;
    v.version = 70016;
    const Bytes full = SerializeVersion(v);
    const VersionMsg old = DeserializeVersion(ByteSpan(full).first(46));
    BOOST_CHECK_EQUAL(old.start_height, -1);
    BOOST_CHECK(old.relay);

    CFilterRequestMsg m;
    m.filter_type = 0;
    m.start_height = 7;
    const Bytes b = SerializeCFilterRequest(m);
    BOOST_CHECK_EQUAL(b.size(), 1 + 4 + 32u);
    BOOST_CHECK_EQUAL(*DeserializeCFilterRequest(b, true).start_height, 7u);
    m.start_height.reset();
    BOOST_CHECK_EQUAL(SerializeCFilterRequest(m).size(), 1 + 32u);
    BOOST_CHECK(!DeserializeCFilterRequest(SerializeCFilterRequest(m), false).start_height);
    BOOST_CHECK_THROW(DeserializeCFilterRequest(Bytes{0}, false), DeserializeError);
}

BOOST_AUTO_TEST_SUITE_END()
