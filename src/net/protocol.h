// The fixed facts of Bitcoin's P2P protocol: the message header, message
// names, service bits, inventory types and the protocol version.
#ifndef CAIRN_NET_PROTOCOL_H
#define CAIRN_NET_PROTOCOL_H

#include "consensus/chain_params.h"
#include "util/serialize.h"
#include "util/uint256.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

/** The version Cairn speaks (Core's current): BIP 339 wtxidrelay era. */
inline constexpr int PROTOCOL_VERSION = 70016;
/** Peers older than this are disconnected (Core's MIN_PEER_PROTO_VERSION). */
inline constexpr int MIN_PEER_PROTO_VERSION = 31800;
/** Versions from which a feature is spoken. */
inline constexpr int SENDHEADERS_VERSION = 70012;
inline constexpr int FEEFILTER_VERSION = 70013;
inline constexpr int SHORT_IDS_BLOCKS_VERSION = 70014;
inline constexpr int WTXID_RELAY_VERSION = 70016;

/** Largest message payload accepted, for every command (blocks are at most
 *  4,000,000 bytes serialized). Checked from the header, before buffering. */
inline constexpr uint32_t MAX_PROTOCOL_MESSAGE_LENGTH = 4'000'000;
/** Longest user agent kept from a version message (Core's MAX_SUBVERSION_LENGTH). */
inline constexpr size_t MAX_SUBVERSION_LENGTH = 256;
inline constexpr size_t MAX_INV_SZ = 50'000;
inline constexpr size_t MAX_HEADERS_RESULTS = 2000;
inline constexpr size_t MAX_LOCATOR_SZ = 101;
inline constexpr size_t MAX_ADDR_TO_SEND = 1000;

inline constexpr size_t COMMAND_SIZE = 12;
inline constexpr size_t CHECKSUM_SIZE = 4;
inline constexpr size_t HEADER_SIZE = 4 + COMMAND_SIZE + 4 + CHECKSUM_SIZE;

/** Message names (Core's NetMsgType). */
namespace msgtype {
inline constexpr const char* VERSION = "version";
inline constexpr const char* VERACK = "verack";
inline constexpr const char* ADDR = "addr";
inline constexpr const char* ADDRV2 = "addrv2";
inline constexpr const char* SENDADDRV2 = "sendaddrv2";
inline constexpr const char* INV = "inv";
inline constexpr const char* GETDATA = "getdata";
inline constexpr const char* MERKLEBLOCK = "merkleblock";
inline constexpr const char* GETBLOCKS = "getblocks";
inline constexpr const char* GETHEADERS = "getheaders";
inline constexpr const char* TX = "tx";
inline constexpr const char* HEADERS = "headers";
inline constexpr const char* BLOCK = "block";
inline constexpr const char* GETADDR = "getaddr";
inline constexpr const char* MEMPOOL = "mempool";
inline constexpr const char* PING = "ping";
inline constexpr const char* PONG = "pong";
inline constexpr const char* NOTFOUND = "notfound";
inline constexpr const char* FILTERLOAD = "filterload";
inline constexpr const char* FILTERADD = "filteradd";
inline constexpr const char* FILTERCLEAR = "filterclear";
inline constexpr const char* SENDHEADERS = "sendheaders";
inline constexpr const char* FEEFILTER = "feefilter";
inline constexpr const char* SENDCMPCT = "sendcmpct";
inline constexpr const char* CMPCTBLOCK = "cmpctblock";
inline constexpr const char* GETBLOCKTXN = "getblocktxn";
inline constexpr const char* BLOCKTXN = "blocktxn";
inline constexpr const char* GETCFILTERS = "getcfilters";
inline constexpr const char* CFILTER = "cfilter";
inline constexpr const char* GETCFHEADERS = "getcfheaders";
inline constexpr const char* CFHEADERS = "cfheaders";
inline constexpr const char* GETCFCHECKPT = "getcfcheckpt";
inline constexpr const char* CFCHECKPT = "cfcheckpt";
inline constexpr const char* WTXIDRELAY = "wtxidrelay";
inline constexpr const char* SENDTXRCNCL = "sendtxrcncl";
} // namespace msgtype

/** Every message name Core knows; per-message byte counters use these and
 *  "*other*" for the rest (so a peer cannot grow the map). */
const std::vector<std::string>& AllMessageTypes();
inline constexpr const char* MSG_TYPE_OTHER = "*other*";

/** Service bits. */
enum ServiceFlags : uint64_t {
    NODE_NONE = 0,
    NODE_NETWORK = 1 << 0,
    NODE_BLOOM = 1 << 2,
    NODE_WITNESS = 1 << 3,
    NODE_COMPACT_FILTERS = 1 << 6,
    NODE_NETWORK_LIMITED = 1 << 10,
    NODE_P2P_V2 = 1 << 11,
};

/** The blocks below the tip that a NODE_NETWORK_LIMITED peer must serve (BIP 159). */
inline constexpr unsigned NODE_NETWORK_LIMITED_MIN_BLOCKS = 288;

/** Core's NODE_NETWORK_LIMITED_ALLOW_CONN_BLOCKS: a limited peer is only worth an outbound slot while our
 *  tip is younger than this many block intervals less one (it can serve us the blocks we still lack). */
inline constexpr int64_t NODE_NETWORK_LIMITED_ALLOW_CONN_BLOCKS = 144;

/** The services we want of an outbound peer offering `services` (Core's GetDesirableServiceFlags): witness,
 *  and the whole chain unless the peer is limited and our tip is recent (`tip_is_recent`). */
inline uint64_t DesirableServiceFlags(uint64_t services, bool tip_is_recent)
{
    if ((services & NODE_NETWORK_LIMITED) && tip_is_recent) return NODE_NETWORK_LIMITED | NODE_WITNESS;
    return NODE_NETWORK | NODE_WITNESS;
}

inline bool HasAllDesirableServiceFlags(uint64_t services, bool tip_is_recent)
{
    return !(DesirableServiceFlags(services, tip_is_recent) & ~services);
}

/** Core's names of the set bits ("NETWORK", "WITNESS", ... "UNKNOWN[2^n]"). */
std::vector<std::string> ServiceFlagsToNames(uint64_t flags);

/** Inventory types (the witness ones are MSG_WITNESS_FLAG | base). */
inline constexpr uint32_t MSG_WITNESS_FLAG = 1u << 30;
enum InvType : uint32_t {
    MSG_ERROR = 0,
    MSG_TX = 1,
    MSG_BLOCK = 2,
    MSG_FILTERED_BLOCK = 3,
    MSG_CMPCT_BLOCK = 4,
    MSG_WTX = 5,
    MSG_WITNESS_BLOCK = MSG_BLOCK | MSG_WITNESS_FLAG,
    MSG_WITNESS_TX = MSG_TX | MSG_WITNESS_FLAG,
};

struct MessageHeader {
    MessageStart magic{};
    std::array<char, COMMAND_SIZE> command{};
    uint32_t length{0};
    std::array<uint8_t, CHECKSUM_SIZE> checksum{};

    /** The command up to its first NUL. */
    std::string Command() const;
    /** Printable ASCII, then only NUL padding (Core's IsMessageTypeValid: an
     *  all-NUL, empty command is valid, and is then an unknown message). */
    bool IsCommandValid() const;
};

/** A peer-supplied message type made safe for the log: only letters, digits
 *  and " .,;-_/:?@()" are kept (Core's SanitizeString, SAFE_CHARS_DEFAULT). */
std::string SanitizeMessageType(std::string_view s);

void SerializeMessageHeader(Bytes& out, const MessageHeader& h);
MessageHeader DeserializeMessageHeader(ByteSpan b24);

/** The first four bytes of SHA-256d(payload). */
std::array<uint8_t, CHECKSUM_SIZE> MessageChecksum(ByteSpan payload);

} // namespace cairn

#endif
