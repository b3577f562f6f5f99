#include "net/netaddress.h"

#include "net/onion_name.h"

#include <arpa/inet.h>
#include <cstring>
#include <netdb.h>

namespace cairn {

namespace {

constexpr uint8_t IPV4_IN_IPV6_PREFIX[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

} // namespace

NetAddr NetAddr::FromIPv4(const uint8_t (&b)[4])
{
    NetAddr a;
    a.m_net = Network::IPV4;
    a.m_addr.assign(b, b + 4);
    return a;
}

NetAddr NetAddr::FromIPv6(const uint8_t (&b)[16])
{
    if (std::memcmp(b, IPV4_IN_IPV6_PREFIX, 12) == 0) {
        const uint8_t v4[4] = {b[12], b[13], b[14], b[15]};
        return FromIPv4(v4);
    }
    NetAddr a;
    a.m_net = Network::IPV6;
    a.m_addr.assign(b, b + 16);
    return a;
}

std::optional<NetAddr> NetAddr::Parse(std::string_view text)
{
    const std::string s(text);
    // A Tor v3 name is an address of its own (BIP 155 TORV3), as in Core: never looked up.
    if (s.ends_with(".onion")) {
        const auto key = DecodeOnionName(s);
        if (!key) return std::nullopt;
        return FromBip155(uint8_t(Bip155Net::TORV3), *key);
    }
    // So is an I2P name (BIP 155 I2P), as in Core, whether or not I2P is reachable.
    if (s.size() > 8 && (s.ends_with(".i2p") || s.ends_with(".I2P"))) {
        const auto hash = DecodeI2pName(s);
        if (!hash) return std::nullopt;
        return FromBip155(uint8_t(Bip155Net::I2P), *hash);
    }
    uint8_t buf[16];
    if (s.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, s.c_str(), buf) != 1) return std::nullopt;
        const uint8_t v4[4] = {buf[0], buf[1], buf[2], buf[3]};
        return FromIPv4(v4);
    }
    if (inet_pton(AF_INET6, s.c_str(), buf) != 1) return std::nullopt;
    return FromIPv6(buf);
}

bool NetAddr::IsLocal() const
{
    if (IsIPv4()) return m_addr[0] == 127 || m_addr[0] == 0;
    if (IsIPv6()) {
        static constexpr uint8_t LOOPBACK[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        return std::memcmp(m_addr.data(), LOOPBACK, 16) == 0;
    }
    return false;
}

bool NetAddr::IsRFC1918() const
{
    if (!IsIPv4()) return false;
    return m_addr[0] == 10 || (m_addr[0] == 192 && m_addr[1] == 168) ||
           (m_addr[0] == 172 && m_addr[1] >= 16 && m_addr[1] <= 31);
}

bool NetAddr::IsRoutable() const
{
    if (!IsValid() || IsLocal() || IsRFC1918()) return false;
    if (IsIPv4()) {
        if (m_addr[0] == 169 && m_addr[1] == 254) return false; // link-local
        if (m_addr[0] == 100 && (m_addr[1] & 0xc0) == 64) return false; // RFC 6598
        if (m_addr[0] >= 224) return false; // multicast, reserved
        return true;
    }
    if (IsIPv6()) {
        if (m_addr[0] == 0xfe && (m_addr[1] & 0xc0) == 0x80) return false; // link-local
        if ((m_addr[0] & 0xfe) == 0xfc) return false;                      // unique local
        if (m_addr[0] == 0x20 && m_addr[1] == 0x01 && m_addr[2] == 0x0d && m_addr[3] == 0xb8) return false;
        bool all_zero = true;
        for (uint8_t b : m_addr) all_zero &= b == 0;
        return !all_zero;
    }
    return true;
}

std::string NetAddr::NetworkName() const
{
    if (!IsRoutable() && (IsIPv4() || IsIPv6())) return "not_publicly_routable";
    switch (m_net) {
    case Network::IPV4: return "ipv4";
    case Network::IPV6: return "ipv6";
    case Network::ONION: return "onion";
    case Network::I2P: return "i2p";
    case Network::CJDNS: return "cjdns";
    default: return "not_publicly_routable";
    }
}

std::string NetAddr::ToString() const
{
    char buf[INET6_ADDRSTRLEN];
    if (IsIPv4()) {
        inet_ntop(AF_INET, m_addr.data(), buf, sizeof(buf));
        return buf;
    }
    if (IsIPv6() || m_net == Network::CJDNS) {
        inet_ntop(AF_INET6, m_addr.data(), buf, sizeof(buf));
        return buf;
    }
    if (m_net == Network::ONION) return EncodeOnionName(m_addr);
    if (m_net == Network::I2P) return EncodeI2pName(m_addr);
    // Anything else (an internal source address) as raw bytes.
    static constexpr char HEX[] = "0123456789abcdef";
    std::string out;
    for (uint8_t b : m_addr) {
        out += HEX[b >> 4];
        out += HEX[b & 15];
    }
    return out;
}

std::array<uint8_t, 16> NetAddr::ToV1Bytes() const
{
    std::array<uint8_t, 16> out{};
    if (IsIPv4()) {
        std::memcpy(out.data(), IPV4_IN_IPV6_PREFIX, 12);
        std::memcpy(out.data() + 12, m_addr.data(), 4);
    } else if ((IsIPv6() || m_net == Network::CJDNS) && m_addr.size() == 16) {
        std::memcpy(out.data(), m_addr.data(), 16);
    }
    return out;
}

NetAddr NetAddr::FromV1Bytes(ByteSpan b16)
{
    uint8_t b[16];
    std::memcpy(b, b16.data(), 16);
    return FromIPv6(b);
}

std::optional<Bip155Net> NetAddr::GetBip155Net() const
{
    switch (m_net) {
    case Network::IPV4: return Bip155Net::IPV4;
    case Network::IPV6: return Bip155Net::IPV6;
    case Network::ONION: return Bip155Net::TORV3;
    case Network::I2P: return Bip155Net::I2P;
    case Network::CJDNS: return Bip155Net::CJDNS;
    default: return std::nullopt;
    }
}

std::optional<NetAddr> NetAddr::FromBip155(uint8_t id, ByteSpan bytes)
{
    NetAddr a;
    size_t want;
    switch (Bip155Net(id)) {
    case Bip155Net::IPV4: a.m_net = Network::IPV4; want = 4; break;
    case Bip155Net::IPV6: a.m_net = Network::IPV6; want = 16; break;
    case Bip155Net::TORV3: a.m_net = Network::ONION; want = 32; break;
    case Bip155Net::I2P: a.m_net = Network::I2P; want = 32; break;
    case Bip155Net::CJDNS: a.m_net = Network::CJDNS; want = 16; break;
    default: return std::nullopt; // TORV2 (retired) and unknown ids are skipped
    }
    if (bytes.size() != want) return std::nullopt;
    a.m_addr.assign(bytes.begin(), bytes.end());
    if (a.m_net == Network::IPV6) {
        // BIP 155: an IPv4-mapped or embedded address in an IPV6 entry is not valid.
        if (std::memcmp(bytes.data(), IPV4_IN_IPV6_PREFIX, 12) == 0) return std::nullopt;
    }
    if (a.m_net == Network::CJDNS && bytes[0] != 0xfc) return std::nullopt;
    return a;
}

std::string Service::ToStringAddrPort() const
{
    const std::string host = ToString();
    if (IsIPv6() || GetNetwork() == Network::CJDNS) return "[" + host + "]:" + std::to_string(m_port);
    return host + ":" + std::to_string(m_port);
}

socklen_t Service::ToSockAddr(sockaddr_storage& out) const
{
    std::memset(&out, 0, sizeof(out));
    if (IsIPv4()) {
        auto* sin = reinterpret_cast<sockaddr_in*>(&out);
        sin->sin_family = AF_INET;
        sin->sin_port = htons(m_port);
        std::memcpy(&sin->sin_addr, m_addr.data(), 4);
        return sizeof(sockaddr_in);
    }
    if (IsIPv6()) {
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(m_port);
        std::memcpy(&sin6->sin6_addr, m_addr.data(), 16);
        return sizeof(sockaddr_in6);
    }
    return 0;
}

std::optional<Service> Service::FromSockAddr(const sockaddr* sa, socklen_t len)
{
    if (sa->sa_family == AF_INET && len >= socklen_t(sizeof(sockaddr_in))) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(sa);
        uint8_t b[4];
        std::memcpy(b, &sin->sin_addr, 4);
        return Service(NetAddr::FromIPv4(b), ntohs(sin->sin_port));
    }
    if (sa->sa_family == AF_INET6 && len >= socklen_t(sizeof(sockaddr_in6))) {
        const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(sa);
        uint8_t b[16];
        std::memcpy(b, &sin6->sin6_addr, 16);
        return Service(NetAddr::FromIPv6(b), ntohs(sin6->sin6_port));
    }
    return std::nullopt;
}

bool SplitHostPort(std::string_view in, std::string& host, std::optional<uint16_t>& port)
{
    port.reset();
    std::string_view port_text;
    if (!in.empty() && in.front() == '[') {
        const size_t close = in.find(']');
        if (close == std::string_view::npos) return false;
        host = std::string(in.substr(1, close - 1));
        std::string_view rest = in.substr(close + 1);
        if (rest.empty()) return true;
        if (rest.front() != ':') return false;
        port_text = rest.substr(1);
    } else {
        const size_t colon = in.rfind(':');
        // Several colons without brackets: a bare IPv6 address, no port.
        if (colon == std::string_view::npos || in.find(':') != colon) {
            host = std::string(in);
            return true;
        }
        host = std::string(in.substr(0, colon));
        port_text = in.substr(colon + 1);
    }
    if (port_text.empty() || port_text.size() > 5) return false;
    uint32_t p = 0;
    for (char c : port_text) {
        if (c < '0' || c > '9') return false;
        p = p * 10 + uint32_t(c - '0');
    }
    if (p == 0 || p > 65535) return false;
    port = uint16_t(p);
    return true;
}

std::optional<Service> ParseService(std::string_view text, uint16_t default_port)
{
    std::string host;
    std::optional<uint16_t> port;
    if (!SplitHostPort(text, host, port)) return std::nullopt;
    auto addr = NetAddr::Parse(host);
    if (!addr) return std::nullopt;
    return Service(*addr, port.value_or(default_port));
}

namespace {

/** The first address getaddrinfo gives for text's host (with `flags`), with text's port or the default. */
std::optional<Service> GetAddrInfoService(std::string_view text, uint16_t default_port, int flags)
{
    std::string host;
    std::optional<uint16_t> port;
    if (!SplitHostPort(text, host, port) || host.empty()) return std::nullopt;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = flags;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || !res) return std::nullopt;
    std::optional<Service> out;
    for (addrinfo* p = res; p && !out; p = p->ai_next) {
        if (auto s = Service::FromSockAddr(p->ai_addr, p->ai_addrlen)) out = Service(*s, port.value_or(default_port));
    }
    freeaddrinfo(res);
    return out;
}

} // namespace

std::optional<Service> LookupService(std::string_view text, uint16_t default_port, bool allow_dns)
{
    if (auto numeric = ParseService(text, default_port)) return numeric;
    if (!allow_dns) return std::nullopt;
    return GetAddrInfoService(text, default_port, 0);
}

std::optional<Service> LookupNumeric(std::string_view text, uint16_t default_port)
{
    return GetAddrInfoService(text, default_port, AI_NUMERICHOST);
}

} // namespace cairn
