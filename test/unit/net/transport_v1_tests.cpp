// Tests for net/transport_v1.h: framing, parsing split at every byte
// boundary, and the checks made on the header before any payload.
#include "net/transport_v1.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

const MessageStart MAGIC = {0xfa, 0xbf, 0xb5, 0xda};

} // namespace

BOOST_AUTO_TEST_SUITE(transport_v1_tests)

BOOST_AUTO_TEST_CASE(frame_layout)
{
    const Bytes m = FrameMessage(MAGIC, "verack", {});
    // Core's well-known empty verack: magic, "verack" padded to 12, length 0, checksum 5df6e0e2.
    BOOST_REQUIRE_EQUAL(m.size(), 24u);
    const Bytes want = {0xfa, 0xbf, 0xb5, 0xda, 'v', 'e', 'r', 'a', 'c', 'k', 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 0, 0x5d, 0xf6, 0xe0, 0xe2};
    BOOST_CHECK(m == want);
}

BOOST_AUTO_TEST_CASE(split_at_every_byte)
{
    Bytes payload(1000);
    for (size_t i = 0; i < payload.size(); ++i) payload[i] = uint8_t(i * 7);
    Bytes stream = FrameMessage(MAGIC, "ping", Bytes{1, 2, 3, 4, 5, 6, 7, 8});
    const Bytes second = FrameMessage(MAGIC, "block", payload);
    stream.insert(stream.end(), second.begin(), second.end());
    for (size_t cut = 0; cut <= stream.size(); ++cut) {
        V1Parser p(MAGIC);
        std::vector<ReceivedMessage> out;
        std::string err;
        BOOST_REQUIRE(p.Feed(ByteSpan(stream).first(cut), out, err));
        BOOST_REQUIRE(p.Feed(ByteSpan(stream).subspan(cut), out, err));
        BOOST_REQUIRE_EQUAL(out.size(), 2u);
        BOOST_CHECK_EQUAL(out[0].command, "ping");
        BOOST_CHECK(!out[0].rejected);
        BOOST_CHECK_EQUAL(out[1].command, "block");
        BOOST_CHECK(out[1].payload == payload);
        BOOST_CHECK_EQUAL(out[1].raw_size, 24 + payload.size());
        BOOST_CHECK_EQUAL(p.BufferedBytes(), 0u);
    }
    // One byte at a time.
    V1Parser p(MAGIC);
    std::vector<ReceivedMessage> out;
    std::string err;
    for (uint8_t b : stream) BOOST_REQUIRE(p.Feed({&b, 1}, out, err));
    BOOST_CHECK_EQUAL(out.size(), 2u);
}

BOOST_AUTO_TEST_CASE(bad_checksum_and_command_are_dropped_not_fatal)
{
    Bytes m = FrameMessage(MAGIC, "ping", Bytes(8, 1));
    m[20] ^= 1;
    V1Parser p(MAGIC);
    std::vector<ReceivedMessage> out;
    std::string err;
    BOOST_REQUIRE(p.Feed(m, out, err));
    BOOST_REQUIRE_EQUAL(out.size(), 1u);
    BOOST_CHECK(out[0].rejected);
    // A command with a byte after its NUL padding is malformed.
    Bytes c = FrameMessage(MAGIC, "ping", {});
    c[4 + 11] = 'x';
    BOOST_REQUIRE(p.Feed(c, out, err));
    BOOST_CHECK(out[1].rejected);
    // The stream goes on.
    BOOST_REQUIRE(p.Feed(FrameMessage(MAGIC, "pong", {}), out, err));
    BOOST_CHECK(!out[2].rejected);
}

BOOST_AUTO_TEST_CASE(header_checked_before_payload)
{
    // Wrong magic: fatal at the 24th byte.
    Bytes bad = FrameMessage({0xf9, 0xbe, 0xb4, 0xd9}, "ping", {});
    V1Parser p(MAGIC);
    std::vector<ReceivedMessage> out;
    std::string err;
    BOOST_CHECK(p.Feed(ByteSpan(bad).first(23), out, err));
    BOOST_CHECK(!p.Feed(ByteSpan(bad).subspan(23), out, err));
    BOOST_CHECK(err.find("Wrong MessageStart") != std::string::npos);

    // A claimed length one over the limit: fatal from the header alone, nothing buffered.
    MessageHeader h;
    h.magic = MAGIC;
    std::memcpy(h.command.data(), "block", 5);
    h.length = MAX_PROTOCOL_MESSAGE_LENGTH + 1;
    Bytes hdr;
    SerializeMessageHeader(hdr, h);
    V1Parser q(MAGIC);
    BOOST_CHECK(!q.Feed(hdr, out, err));
    BOOST_CHECK(err.find("Size too large") != std::string::npos);

    // At the limit: accepted, and the buffer grows with the data, not the claim.
    h.length = MAX_PROTOCOL_MESSAGE_LENGTH;
    hdr.clear();
    SerializeMessageHeader(hdr, h);
    V1Parser r(MAGIC);
    BOOST_CHECK(r.Feed(hdr, out, err));
    BOOST_CHECK_EQUAL(r.BufferedBytes(), 24u);
    const Bytes chunk(10, 0);
    BOOST_CHECK(r.Feed(chunk, out, err));
    BOOST_CHECK_EQUAL(r.BufferedBytes(), 24u + 10 + 256 * 1024);
}

BOOST_AUTO_TEST_SUITE_END()
