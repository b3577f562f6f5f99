#include "net/messages.h"

#include <algorithm>

#include <fmt/format.h>

namespace cairn {

namespace {

template <typename W> void WriteV1Service(W& w, const Service& s)
{
    const auto b = s.ToV1Bytes();
    w.Write(b);
    const uint16_t port = s.GetPort();
    const uint8_t be[2] = {uint8_t(port >> 8), uint8_t(port)}; // ports are big-endian on the wire
    w.Write(be);
}

Service ReadV1Service(Reader& r)
{
    const ByteSpan b = r.ReadBytes(16);
    const NetAddr addr = NetAddr::FromV1Bytes(b);
    const ByteSpan p = r.ReadBytes(2);
    return Service(addr, uint16_t(p[0] << 8 | p[1]));
}

/** The 16 bytes of "::", Core's stand-in for an addrv2 entry it cannot use. */
constexpr uint8_t ZERO_V1_ADDR_BYTES[16] = {};
const ByteSpan ZERO_V1_ADDR{ZERO_V1_ADDR_BYTES, 16};

/** BIP 155: a known network with the wrong address length makes the whole
 *  message undecodable (Core's SetNetFromBIP155Network); unknown ids pass. */
void CheckBip155Length(uint8_t id, uint64_t len)
{
    const char* name = nullptr;
    uint64_t want = 0;
    switch (Bip155Net(id)) {
    case Bip155Net::IPV4: name = "IPv4"; want = 4; break;
    case Bip155Net::IPV6: name = "IPv6"; want = 16; break;
    case Bip155Net::TORV3: name = "TORv3"; want = 32; break;
    case Bip155Net::I2P: name = "I2P"; want = 32; break;
    case Bip155Net::CJDNS: name = "CJDNS"; want = 16; break;
    case Bip155Net::TORV2: return; // retired: an unknown network now
    }
    if (name && len != want) {
        throw DeserializeError(std::string("BIP155 ") + name + " address with length " + std::to_string(len) +
                               " (should be " + std::to_string(want) + ")");
    }
}

/** A count for a vector whose entries take at least `min_entry` bytes:
 *  never reserve more than the payload can hold. */
size_t ReadCount(Reader& r, size_t min_entry)
{
    const uint64_t n = r.CompactSize();
    if (n > r.remaining() / min_entry) throw DeserializeError("end of data");
    return size_t(n);
}

} // namespace

Bytes SerializeVersion(const VersionMsg& m)
{
    Bytes out;
    VectorWriter w(out);
    WriteU32LE(w, uint32_t(m.version));
    WriteU64LE(w, m.services);
    WriteU64LE(w, uint64_t(m.time));
    WriteU64LE(w, m.addr_recv.services);
    WriteV1Service(w, m.addr_recv.addr);
    WriteU64LE(w, m.addr_from.services);
    WriteV1Service(w, m.addr_from.addr);
    WriteU64LE(w, m.nonce);
    WriteVarBytes(w, AsBytes(m.user_agent));
    WriteU32LE(w, uint32_t(m.start_height));
    WriteU8(w, m.relay ? 1 : 0);
    return out;
}

VersionMsg DeserializeVersion(ByteSpan payload)
{
    Reader r(payload);
    VersionMsg m;
    m.version = int32_t(r.U32LE());
    m.services = r.U64LE();
    m.time = int64_t(r.U64LE());
    if (m.time < 0) m.time = 0; // as Core: a negative clock would overflow the offset computed from it
    m.addr_recv.services = r.U64LE();
    m.addr_recv.addr = ReadV1Service(r);
    if (r.empty()) return m;
    m.addr_from.services = r.U64LE();
    m.addr_from.addr = ReadV1Service(r);
    m.nonce = r.U64LE();
    if (r.empty()) return m;
    const uint64_t len = r.CompactSize();
    if (len > MAX_SUBVERSION_LENGTH) throw DeserializeError("String length limit exceeded");
    const ByteSpan ua = r.ReadBytes(size_t(len));
    m.user_agent.assign(ua.begin(), ua.end());
    if (r.empty()) return m;
    m.start_height = int32_t(r.U32LE());
    if (r.empty()) return m;
    m.relay = r.U8() != 0;
    return m;
}

Bytes SerializeAddr(const std::vector<AddrEntry>& v)
{
    Bytes out;
    VectorWriter w(out);
    WriteCompactSize(w, v.size());
    for (const AddrEntry& e : v) {
        WriteU32LE(w, e.time);
        WriteU64LE(w, e.services);
        WriteV1Service(w, e.addr);
    }
    return out;
}

Bytes SerializeAddrV2(const std::vector<AddrEntry>& v)
{
    Bytes out;
    VectorWriter w(out);
    size_t count = 0;
    for (const AddrEntry& e : v) count += e.addr.GetBip155Net().has_value();
    WriteCompactSize(w, count);
    for (const AddrEntry& e : v) {
        const auto net = e.addr.GetBip155Net();
        if (!net) continue;
        WriteU32LE(w, e.time);
        WriteCompactSize(w, e.services);
        WriteU8(w, uint8_t(*net));
        WriteVarBytes(w, e.addr.Raw());
        const uint16_t port = e.addr.GetPort();
        const uint8_t be[2] = {uint8_t(port >> 8), uint8_t(port)};
        w.Write(be);
    }
    return out;
}

std::vector<AddrEntry> DeserializeAddr(ByteSpan payload)
{
    Reader r(payload);
    const size_t n = ReadCount(r, 30);
    std::vector<AddrEntry> v;
    v.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        AddrEntry e;
        e.time = r.U32LE();
        e.services = r.U64LE();
        e.addr = ReadV1Service(r);
        v.push_back(std::move(e));
    }
    return v;
}

std::vector<AddrEntry> DeserializeAddrV2(ByteSpan payload)
{
    Reader r(payload);
    const size_t n = ReadCount(r, 9);
    std::vector<AddrEntry> v;
    v.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        AddrEntry e;
        e.time = r.U32LE();
        e.services = r.CompactSize(false);
        const uint8_t id = r.U8();
        const uint64_t len = r.CompactSize();
        if (len > MAX_ADDRV2_SIZE) throw DeserializeError("Address too long: " + std::to_string(len) + " > 512");
        CheckBip155Length(id, len);
        const ByteSpan bytes = r.ReadBytes(size_t(len));
        const ByteSpan p = r.ReadBytes(2);
        // An unknown network (or an IPv4 address dressed as IPv6) stays in
        // the list as the invalid "::", as in Core: it still counts towards
        // the 1000-entry limit and the rate limit, and is never stored or relayed.
        const NetAddr addr = NetAddr::FromBip155(id, bytes).value_or(NetAddr::FromV1Bytes(ZERO_V1_ADDR));
        e.addr = Service(addr, uint16_t(p[0] << 8 | p[1]));
        v.push_back(std::move(e));
    }
    return v;
}

std::string InvToString(const Inv& inv)
{
    std::string name = (inv.type & MSG_WITNESS_FLAG) ? "witness-" : "";
    switch (inv.type & ~MSG_WITNESS_FLAG) {
    case MSG_TX: name += "tx"; break;
    case MSG_WTX: name += "wtx"; break;
    case MSG_BLOCK: name += "block"; break;
    case MSG_FILTERED_BLOCK: name += "merkleblock"; break;
    case MSG_CMPCT_BLOCK: name += "cmpctblock"; break;
    default: return fmt::format("0x{:08x} {}", inv.type, inv.hash.GetHex());
    }
    return name + " " + inv.hash.GetHex();
}

Bytes SerializeInvs(const std::vector<Inv>& v)
{
    Bytes out;
    out.reserve(9 + v.size() * 36);
    VectorWriter w(out);
    WriteCompactSize(w, v.size());
    for (const Inv& inv : v) {
        WriteU32LE(w, inv.type);
        w.Write(inv.hash.span());
    }
    return out;
}

std::vector<Inv> DeserializeInvs(ByteSpan payload)
{
    Reader r(payload);
    const size_t n = ReadCount(r, 36);
    std::vector<Inv> v(n);
    for (Inv& inv : v) {
        inv.type = r.U32LE();
        inv.hash = uint256(r.ReadBytes(32));
    }
    return v;
}

Bytes SerializeLocator(const LocatorMsg& m)
{
    Bytes out;
    VectorWriter w(out);
    WriteU32LE(w, m.version);
    WriteCompactSize(w, m.locator.size());
    for (const uint256& h : m.locator) w.Write(h.span());
    w.Write(m.hash_stop.span());
    return out;
}

LocatorMsg DeserializeLocator(ByteSpan payload)
{
    Reader r(payload);
    LocatorMsg m;
    m.version = r.U32LE();
    const size_t n = ReadCount(r, 32);
    m.locator.reserve(n);
    for (size_t i = 0; i < n; ++i) m.locator.emplace_back(r.ReadBytes(32));
    m.hash_stop = uint256(r.ReadBytes(32));
    return m;
}

Bytes SerializeHeaders(const std::vector<BlockHeader>& v)
{
    Bytes out;
    out.reserve(3 + v.size() * 81);
    VectorWriter w(out);
    WriteCompactSize(w, v.size());
    for (const BlockHeader& h : v) {
        SerializeBlockHeader(w, h);
        WriteU8(w, 0);
    }
    return out;
}

std::vector<BlockHeader> DeserializeHeaders(ByteSpan payload)
{
    Reader r(payload);
    const size_t n = ReadCount(r, 81);
    std::vector<BlockHeader> v;
    v.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        v.push_back(DeserializeBlockHeader(r));
        (void)r.CompactSize(); // the transaction count: ignored, as Core does
    }
    return v;
}

uint64_t PeekCount(ByteSpan payload)
{
    Reader r(payload);
    return r.CompactSize();
}

Bytes SerializeNonce(uint64_t nonce)
{
    Bytes out;
    VectorWriter w(out);
    WriteU64LE(w, nonce);
    return out;
}

uint64_t DeserializeNonce(ByteSpan payload)
{
    Reader r(payload);
    return r.U64LE();
}

Bytes SerializeFeeFilter(int64_t fee_per_kvb)
{
    Bytes out;
    VectorWriter w(out);
    WriteU64LE(w, uint64_t(fee_per_kvb));
    return out;
}

int64_t DeserializeFeeFilter(ByteSpan payload)
{
    Reader r(payload);
    return int64_t(r.U64LE());
}

Bytes SerializeSendCmpct(const SendCmpctMsg& m)
{
    Bytes out;
    VectorWriter w(out);
    WriteU8(w, m.high_bandwidth ? 1 : 0);
    WriteU64LE(w, m.version);
    return out;
}

SendCmpctMsg DeserializeSendCmpct(ByteSpan payload)
{
    Reader r(payload);
    SendCmpctMsg m;
    m.high_bandwidth = r.U8() != 0;
    m.version = r.U64LE();
    return m;
}

Bytes SerializeCFilterRequest(const CFilterRequestMsg& m)
{
    Bytes out;
    VectorWriter w(out);
    WriteU8(w, m.filter_type);
    if (m.start_height) WriteU32LE(w, *m.start_height);
    w.Write(m.stop_hash.span());
    return out;
}

CFilterRequestMsg DeserializeCFilterRequest(ByteSpan payload, bool with_start_height)
{
    Reader r(payload);
    CFilterRequestMsg m;
    m.filter_type = r.U8();
    if (with_start_height) m.start_height = r.U32LE();
    m.stop_hash = uint256(r.ReadBytes(32));
    return m;
}

} // namespace cairn
