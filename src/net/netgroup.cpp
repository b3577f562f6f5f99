#include "net/netgroup.h"

#include "net/proxy.h"

#include "crypto/hash.h"

#include <algorithm>
#include <cstring>

namespace cairn {

namespace {

constexpr uint8_t IPV4_IN_IPV6_PREFIX[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
constexpr uint8_t INTERNAL_IN_IPV6_PREFIX[6] = {0xfd, 0x6b, 0x88, 0xc0, 0x87, 0x24};
constexpr size_t ADDR_INTERNAL_SIZE = 10;

/** Lets this file build addresses of any network (the members are protected). */
struct AddrBuilder : NetAddr {
    static NetAddr Make(Network net, Bytes bytes)
    {
        AddrBuilder b;
        b.m_net = net;
        b.m_addr = std::move(bytes);
        return b;
    }
};

const uint8_t* B(const NetAddr& a) { return a.Raw().data(); }

bool V4(const NetAddr& a) { return a.IsIPv4() && a.Raw().size() == 4; }
bool V6(const NetAddr& a) { return a.IsIPv6() && a.Raw().size() == 16; }

bool HasPrefix(const NetAddr& a, std::initializer_list<uint8_t> prefix)
{
    if (a.Raw().size() < prefix.size()) return false;
    return std::equal(prefix.begin(), prefix.end(), a.Raw().begin());
}

uint32_t ReadBE32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }

bool IsRFC1918(const NetAddr& a)
{
    return V4(a) && (B(a)[0] == 10 || (B(a)[0] == 192 && B(a)[1] == 168) ||
                     (B(a)[0] == 172 && B(a)[1] >= 16 && B(a)[1] <= 31));
}
bool IsRFC2544(const NetAddr& a) { return V4(a) && B(a)[0] == 198 && (B(a)[1] == 18 || B(a)[1] == 19); }
bool IsRFC3927(const NetAddr& a) { return V4(a) && B(a)[0] == 169 && B(a)[1] == 254; }
bool IsRFC6598(const NetAddr& a) { return V4(a) && B(a)[0] == 100 && B(a)[1] >= 64 && B(a)[1] <= 127; }
bool IsRFC5737(const NetAddr& a)
{
    return V4(a) && (HasPrefix(a, {192, 0, 2}) || HasPrefix(a, {198, 51, 100}) || HasPrefix(a, {203, 0, 113}));
}
bool IsRFC3849(const NetAddr& a) { return V6(a) && HasPrefix(a, {0x20, 0x01, 0x0d, 0xb8}); }
bool IsRFC3964(const NetAddr& a) { return V6(a) && HasPrefix(a, {0x20, 0x02}); }
bool IsRFC6052(const NetAddr& a)
{
    return V6(a) && HasPrefix(a, {0x00, 0x64, 0xff, 0x9b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
}
bool IsRFC4380(const NetAddr& a) { return V6(a) && HasPrefix(a, {0x20, 0x01, 0x00, 0x00}); }
bool IsRFC4862(const NetAddr& a) { return V6(a) && HasPrefix(a, {0xfe, 0x80, 0, 0, 0, 0, 0, 0}); }
bool IsRFC4193(const NetAddr& a) { return V6(a) && (B(a)[0] & 0xfe) == 0xfc; }
bool IsRFC6145(const NetAddr& a)
{
    return V6(a) && HasPrefix(a, {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x00, 0x00});
}
bool IsRFC4843(const NetAddr& a) { return V6(a) && HasPrefix(a, {0x20, 0x01, 0x00}) && (B(a)[3] & 0xf0) == 0x10; }
bool IsRFC7343(const NetAddr& a) { return V6(a) && HasPrefix(a, {0x20, 0x01, 0x00}) && (B(a)[3] & 0xf0) == 0x20; }
bool IsHeNet(const NetAddr& a) { return V6(a) && HasPrefix(a, {0x20, 0x01, 0x04, 0x70}); }

/** Core's IsLocal: 127/8, 0/8, ::1. */
bool IsLocalAddr(const NetAddr& a)
{
    if (V4(a)) return B(a)[0] == 127 || B(a)[0] == 0;
    if (V6(a)) {
        static constexpr uint8_t LOOPBACK[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        return std::memcmp(B(a), LOOPBACK, 16) == 0;
    }
    return false;
}

uint32_t GetLinkedIPv4(const NetAddr& a)
{
    if (V4(a)) return ReadBE32(B(a));
    if (IsRFC6052(a) || IsRFC6145(a)) return ReadBE32(B(a) + 12);
    if (IsRFC3964(a)) return ReadBE32(B(a) + 2);
    if (IsRFC4380(a)) return ~ReadBE32(B(a) + 12);
    return 0;
}

} // namespace

NetAddr MakeNetAddr(Network net, Bytes bytes)
{
    return AddrBuilder::Make(net, std::move(bytes));
}

bool IsInternalAddr(const NetAddr& a)
{
    return a.GetNetwork() == Network::INTERNAL;
}

bool IsValidAddr(const NetAddr& a)
{
    if (a.Raw().empty() || IsInternalAddr(a) || a.GetNetwork() == Network::UNROUTABLE) return false;
    if (a.IsIPv6()) {
        if (a.Raw().size() != 16) return false;
        if (std::all_of(a.Raw().begin(), a.Raw().end(), [](uint8_t b) { return b == 0; })) return false;
        if (IsRFC3849(a)) return false;
    }
    if (a.GetNetwork() == Network::CJDNS && (a.Raw().size() != 16 || a.Raw()[0] != 0xfc)) return false;
    if (a.IsIPv4()) {
        if (a.Raw().size() != 4) return false;
        const uint32_t v = ReadBE32(B(a));
        if (v == 0 || v == 0xffffffff) return false;
    }
    return true;
}

bool IsRoutableAddr(const NetAddr& a)
{
    return IsValidAddr(a) && !(IsRFC1918(a) || IsRFC2544(a) || IsRFC3927(a) || IsRFC4862(a) || IsRFC6598(a) ||
                               IsRFC5737(a) || IsRFC4193(a) || IsRFC4843(a) || IsRFC7343(a) || IsLocalAddr(a));
}

bool HasLinkedIPv4(const NetAddr& a)
{
    return IsRoutableAddr(a) && (V4(a) || IsRFC6145(a) || IsRFC6052(a) || IsRFC3964(a) || IsRFC4380(a));
}

Network GetNetClass(const NetAddr& a)
{
    if (IsInternalAddr(a)) return Network::INTERNAL;
    if (!IsRoutableAddr(a)) return Network::UNROUTABLE;
    if (HasLinkedIPv4(a)) return Network::IPV4;
    return a.GetNetwork();
}

bool IsAddrV1Compatible(const NetAddr& a)
{
    const Network n = a.GetNetwork();
    return n == Network::IPV4 || n == Network::IPV6 || n == Network::INTERNAL;
}

bool IsRelayable(const NetAddr& a)
{
    const Network n = a.GetNetwork();
    return n == Network::IPV4 || n == Network::IPV6 || n == Network::ONION || n == Network::I2P ||
           n == Network::CJDNS;
}

std::array<uint8_t, 16> ToV1BytesWithInternal(const NetAddr& a)
{
    if (IsInternalAddr(a)) {
        std::array<uint8_t, 16> out{};
        std::memcpy(out.data(), INTERNAL_IN_IPV6_PREFIX, sizeof(INTERNAL_IN_IPV6_PREFIX));
        std::copy_n(a.Raw().begin(), std::min(a.Raw().size(), ADDR_INTERNAL_SIZE), out.begin() + 6);
        return out;
    }
    return a.ToV1Bytes();
}

NetAddr FromV1BytesWithInternal(ByteSpan b16)
{
    if (b16.size() == 16 && std::memcmp(b16.data(), INTERNAL_IN_IPV6_PREFIX, sizeof(INTERNAL_IN_IPV6_PREFIX)) == 0) {
        return MakeNetAddr(Network::INTERNAL, Bytes(b16.begin() + 6, b16.end()));
    }
    return NetAddr::FromV1Bytes(b16);
}

Bytes AddrBytes(const NetAddr& a)
{
    if (IsAddrV1Compatible(a)) {
        const auto v1 = ToV1BytesWithInternal(a);
        return Bytes(v1.begin(), v1.end());
    }
    return a.Raw();
}

Bytes ServiceKey(const Service& s)
{
    Bytes key = AddrBytes(s);
    key.push_back(uint8_t(s.GetPort() >> 8));
    key.push_back(uint8_t(s.GetPort() & 0xff));
    return key;
}

Bytes NetGroup(const NetAddr& a)
{
    Bytes out;
    out.push_back(uint8_t(GetNetClass(a)));
    size_t start = 0;
    int bits = 0;
    if (IsLocalAddr(a)) {
        // every local address is one group
    } else if (IsInternalAddr(a)) {
        // the whole name: skip the prefix GetAddrBytes puts in front of it
        start = sizeof(INTERNAL_IN_IPV6_PREFIX);
        bits = int(ADDR_INTERNAL_SIZE) * 8;
    } else if (!IsRoutableAddr(a)) {
        // every other unroutable address is one group
    } else if (HasLinkedIPv4(a)) {
        const uint32_t v4 = GetLinkedIPv4(a);
        out.push_back(uint8_t(v4 >> 24));
        out.push_back(uint8_t(v4 >> 16));
        return out;
    } else if (a.GetNetwork() == Network::ONION || a.GetNetwork() == Network::I2P) {
        bits = 4;
    } else if (a.GetNetwork() == Network::CJDNS) {
        // the first byte is always 0xfc: the random part starts after it
        bits = 12;
    } else if (IsHeNet(a)) {
        bits = 36;
    } else {
        bits = 32;
    }
    const Bytes bytes = AddrBytes(a);
    const size_t whole = size_t(bits / 8);
    if (start + whole > bytes.size()) return out;
    out.insert(out.end(), bytes.begin() + long(start), bytes.begin() + long(start + whole));
    bits %= 8;
    if (bits > 0 && start + whole < bytes.size()) {
        out.push_back(uint8_t(bytes[start + whole] | ((1 << (8 - bits)) - 1)));
    }
    return out;
}

NetAddr MakeInternalAddr(std::string_view name)
{
    const uint256 h = Sha256Single(AsBytes(name));
    return MakeNetAddr(Network::INTERNAL, Bytes(h.begin(), h.begin() + ADDR_INTERNAL_SIZE));
}

std::string NetworkToName(Network n)
{
    switch (n) {
    case Network::IPV4: return "ipv4";
    case Network::IPV6: return "ipv6";
    case Network::ONION: return "onion";
    case Network::I2P: return "i2p";
    case Network::CJDNS: return "cjdns";
    case Network::INTERNAL: return "internal";
    case Network::UNROUTABLE: return "not_publicly_routable";
    }
    return "not_publicly_routable";
}

Network ParseNetworkName(std::string_view name)
{
    std::string s(name);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (s == "ipv4") return Network::IPV4;
    if (s == "ipv6") return Network::IPV6;
    if (s == "onion" || s == "tor") return Network::ONION;
    if (s == "i2p") return Network::I2P;
    if (s == "cjdns") return Network::CJDNS;
    return Network::UNROUTABLE;
}

bool IsReachableNet(Network n)
{
    return g_reachable_nets.Contains(n);
}

bool IsBadPort(uint16_t port)
{
    // Services that are usually not public and want authentication: a node
    // must not help a gossiped address:port knock on them.
    static constexpr uint16_t BAD[] = {
        1,    7,    9,    11,   13,   15,   17,   19,   20,   21,   22,   23,   25,   37,   42,   43,
        53,   69,   77,   79,   87,   95,   101,  102,  103,  104,  109,  110,  111,  113,  115,  117,
        119,  123,  135,  137,  139,  143,  161,  179,  389,  427,  465,  512,  513,  514,  515,  526,
        530,  531,  532,  540,  548,  554,  556,  563,  587,  601,  636,  989,  990,  993,  995,  1719,
        1720, 1723, 2049, 3306, 3389, 3659, 4045, 5060, 5061, 5432, 5900, 6000, 6566, 6665, 6666, 6667,
        6668, 6669, 6697, 10080, 27017};
    return std::binary_search(std::begin(BAD), std::end(BAD), port);
}

} // namespace cairn
