// Payloads of the P2P messages as plain structs, each with an encoder and a
// decoder. Decoders throw DeserializeError (via Reader) on malformed data;
// limits that are protocol violations (too many entries) are checked by the
// peer manager, which decides the punishment, not here.
#ifndef CAIRN_NET_MESSAGES_H
#define CAIRN_NET_MESSAGES_H

#include "net/netaddress.h"
#include "net/protocol.h"
#include "primitives/block.h"

#include <optional>
#include <string>
#include <vector>

namespace cairn {

/** A service as the version message carries it (services, v1 address, port). */
struct VersionAddr {
    uint64_t services{0};
    Service addr;
};

struct VersionMsg {
    int32_t version{0};
    uint64_t services{0};
    int64_t time{0};
    VersionAddr addr_recv;
    VersionAddr addr_from;
    uint64_t nonce{0};
    std::string user_agent;
    /** Absent in the message (very old peers): -1, as in Core. */
    int32_t start_height{-1};
    /** BIP 37 relay flag; absent in the message means true. */
    bool relay{true};
};
Bytes SerializeVersion(const VersionMsg& m);
/** Fields after addr_recv are optional, as in Core (very old peers omit them);
 *  a negative time is read as 0, as Core does. */
VersionMsg DeserializeVersion(ByteSpan payload);

/** One entry of addr/addrv2. */
struct AddrEntry {
    uint32_t time{0};
    uint64_t services{0};
    Service addr;
};
Bytes SerializeAddr(const std::vector<AddrEntry>& v);
Bytes SerializeAddrV2(const std::vector<AddrEntry>& v);
std::vector<AddrEntry> DeserializeAddr(ByteSpan payload);
/** As Core: an entry of a network we do not know (BIP 155), or an IPv4
 *  address inside an IPv6 entry, is kept as the invalid address "::" (never
 *  stored or relayed, but counted); a known network with the wrong address
 *  length, or an address over 512 bytes, is an error. */
std::vector<AddrEntry> DeserializeAddrV2(ByteSpan payload);

struct Inv {
    uint32_t type{0};
    uint256 hash;
    friend bool operator==(const Inv&, const Inv&) = default;
};
/** Core's CInv::ToString ("wtx <hash>", "witness-block <hash>", "0x00000007 <hash>" when unknown), for logs. */
std::string InvToString(const Inv& inv);
/** inv, getdata and notfound share this encoding. */
Bytes SerializeInvs(const std::vector<Inv>& v);
std::vector<Inv> DeserializeInvs(ByteSpan payload);

/** getheaders and getblocks. */
struct LocatorMsg {
    uint32_t version{uint32_t(PROTOCOL_VERSION)};
    std::vector<uint256> locator;
    uint256 hash_stop;
};
Bytes SerializeLocator(const LocatorMsg& m);
LocatorMsg DeserializeLocator(ByteSpan payload);

/** headers: each header is followed by a transaction count (always 0). */
Bytes SerializeHeaders(const std::vector<BlockHeader>& v);
std::vector<BlockHeader> DeserializeHeaders(ByteSpan payload);

/** The CompactSize count that starts a vector payload (headers, inv, ...),
 *  without decoding the entries: Core judges a headers message by its count
 *  before reading any header. Throws on a truncated or non-canonical count or
 *  one over MAX_SERIALIZED_SIZE. */
uint64_t PeekCount(ByteSpan payload);

/** ping and pong: a 64-bit nonce. */
Bytes SerializeNonce(uint64_t nonce);
uint64_t DeserializeNonce(ByteSpan payload);

/** feefilter: a fee rate in satoshis per 1000 virtual bytes. */
Bytes SerializeFeeFilter(int64_t fee_per_kvb);
int64_t DeserializeFeeFilter(ByteSpan payload);

struct SendCmpctMsg {
    bool high_bandwidth{false};
    uint64_t version{0};
};
Bytes SerializeSendCmpct(const SendCmpctMsg& m);
SendCmpctMsg DeserializeSendCmpct(ByteSpan payload);

/** BIP 157 requests: getcfilters and getcfheaders (filter type, start
 *  height, stop hash) and getcfcheckpt (no start height). Cairn serves no
 *  filters; the requests are decoded so that they are judged as Core does. */
struct CFilterRequestMsg {
    uint8_t filter_type{0};
    std::optional<uint32_t> start_height;
    uint256 stop_hash;
};
Bytes SerializeCFilterRequest(const CFilterRequestMsg& m);
CFilterRequestMsg DeserializeCFilterRequest(ByteSpan payload, bool with_start_height);

} // namespace cairn

#endif
