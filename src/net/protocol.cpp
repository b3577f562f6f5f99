#include "net/protocol.h"

#include "crypto/hash.h"

#include <cstring>

namespace cairn {

const std::vector<std::string>& AllMessageTypes()
{
    static const std::vector<std::string> all = {
        msgtype::VERSION, msgtype::VERACK, msgtype::ADDR, msgtype::ADDRV2, msgtype::SENDADDRV2,
        msgtype::INV, msgtype::GETDATA, msgtype::MERKLEBLOCK, msgtype::GETBLOCKS, msgtype::GETHEADERS,
        msgtype::TX, msgtype::HEADERS, msgtype::BLOCK, msgtype::GETADDR, msgtype::MEMPOOL,
        msgtype::PING, msgtype::PONG, msgtype::NOTFOUND, msgtype::FILTERLOAD, msgtype::FILTERADD,
        msgtype::FILTERCLEAR, msgtype::SENDHEADERS, msgtype::FEEFILTER, msgtype::SENDCMPCT, msgtype::CMPCTBLOCK,
        msgtype::GETBLOCKTXN, msgtype::BLOCKTXN, msgtype::GETCFILTERS, msgtype::CFILTER, msgtype::GETCFHEADERS,
        msgtype::CFHEADERS, msgtype::GETCFCHECKPT, msgtype::CFCHECKPT, msgtype::WTXIDRELAY, msgtype::SENDTXRCNCL,
    };
    return all;
}

std::vector<std::string> ServiceFlagsToNames(uint64_t flags)
{
    std::vector<std::string> names;
    for (int bit = 0; bit < 64; ++bit) {
        const uint64_t f = uint64_t(1) << bit;
        if (!(flags & f)) continue;
        switch (f) {
        case NODE_NETWORK: names.emplace_back("NETWORK"); break;
        case NODE_BLOOM: names.emplace_back("BLOOM"); break;
        case NODE_WITNESS: names.emplace_back("WITNESS"); break;
        case NODE_COMPACT_FILTERS: names.emplace_back("COMPACT_FILTERS"); break;
        case NODE_NETWORK_LIMITED: names.emplace_back("NETWORK_LIMITED"); break;
        case NODE_P2P_V2: names.emplace_back("P2P_V2"); break;
        default: names.push_back("UNKNOWN[2^" + std::to_string(bit) + "]");
        }
    }
    return names;
}

std::string MessageHeader::Command() const
{
    size_t n = 0;
    while (n < COMMAND_SIZE && command[n] != '\0') ++n;
    return std::string(command.data(), n);
}

bool MessageHeader::IsCommandValid() const
{
    size_t n = 0;
    while (n < COMMAND_SIZE && command[n] != '\0') {
        if (command[n] < ' ' || command[n] > 0x7e) return false;
        ++n;
    }
    for (size_t i = n; i < COMMAND_SIZE; ++i) {
        if (command[i] != '\0') return false;
    }
    return true;
}

std::string SanitizeMessageType(std::string_view s)
{
    static constexpr std::string_view SAFE = " .,;-_/:?@()";
    std::string out;
    for (char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            SAFE.find(c) != std::string_view::npos) {
            out += c;
        }
    }
    return out;
}

void SerializeMessageHeader(Bytes& out, const MessageHeader& h)
{
    VectorWriter w(out);
    w.Write(h.magic);
    w.Write({reinterpret_cast<const uint8_t*>(h.command.data()), COMMAND_SIZE});
    WriteU32LE(w, h.length);
    w.Write(h.checksum);
}

MessageHeader DeserializeMessageHeader(ByteSpan b24)
{
    Reader r(b24);
    MessageHeader h;
    r.ReadInto(h.magic.data(), 4);
    r.ReadInto(reinterpret_cast<uint8_t*>(h.command.data()), COMMAND_SIZE);
    h.length = r.U32LE();
    r.ReadInto(h.checksum.data(), CHECKSUM_SIZE);
    return h;
}

std::array<uint8_t, CHECKSUM_SIZE> MessageChecksum(ByteSpan payload)
{
    const uint256 h = Hash256(payload);
    std::array<uint8_t, CHECKSUM_SIZE> out;
    std::memcpy(out.data(), h.span().data(), CHECKSUM_SIZE);
    return out;
}

} // namespace cairn
