// The P2P message parser and payload decoders: any byte stream, cut at any
// points, must parse without crashing, never buffer more than the bytes
// received plus one growth step, and decode or throw DeserializeError.
#include "net/messages.h"
#include "net/transport_v1.h"
#include "test/fuzz/fuzz.h"

#include <cstdlib>

using namespace cairn;

static void Require(bool ok)
{
    if (!ok) std::abort();
}

FUZZ_TARGET(p2p_transport_v1)
{
    const MessageStart magic = {0xfa, 0xbf, 0xb5, 0xda};
    V1Parser parser(magic);
    std::vector<ReceivedMessage> out;
    std::string error;
    // The first byte chooses the slice size, so splits land everywhere.
    const size_t step = buffer.empty() ? 1 : size_t(buffer[0]) + 1;
    size_t fed = 0;
    for (size_t pos = 0; pos < buffer.size(); pos += step) {
        const ByteSpan slice = buffer.subspan(pos, std::min(step, buffer.size() - pos));
        fed += slice.size();
        if (!parser.Feed(slice, out, error)) return;
        Require(parser.BufferedBytes() <= HEADER_SIZE + std::min<size_t>(fed, MAX_PROTOCOL_MESSAGE_LENGTH) + 256 * 1024);
    }
    for (const ReceivedMessage& m : out) {
        Require(m.payload.size() <= MAX_PROTOCOL_MESSAGE_LENGTH);
        try {
            if (m.command == "version") (void)DeserializeVersion(m.payload);
            if (m.command == "inv" || m.command == "getdata") (void)DeserializeInvs(m.payload);
            if (m.command == "headers") (void)DeserializeHeaders(m.payload);
            if (m.command == "getheaders") (void)DeserializeLocator(m.payload);
            if (m.command == "addr") (void)DeserializeAddr(m.payload);
            if (m.command == "addrv2") (void)DeserializeAddrV2(m.payload);
        } catch (const DeserializeError&) {
        }
    }
}

FUZZ_TARGET(p2p_payloads)
{
    // Every decoder on the same bytes; what decodes must re-encode to a prefix-equal form.
    try {
        const auto invs = DeserializeInvs(buffer);
        Require(SerializeInvs(invs).size() <= buffer.size());
    } catch (const DeserializeError&) {
    }
    try {
        (void)DeserializeVersion(buffer);
    } catch (const DeserializeError&) {
    }
    try {
        (void)DeserializeAddrV2(buffer);
    } catch (const DeserializeError&) {
    }
    try {
        const auto headers = DeserializeHeaders(buffer);
        Require(headers.size() * 81 < buffer.size() + 1);
    } catch (const DeserializeError&) {
    }
}
