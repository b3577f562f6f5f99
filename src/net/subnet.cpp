#include "net/subnet.h"

#include "net/netgroup.h"

#include <algorithm>

namespace cairn {

namespace {

/** Leading ones of a netmask byte; -1 if the byte is not of the form 1..10..0. */
int NetmaskBits(uint8_t b)
{
    switch (b) {
    case 0x00: return 0;
    case 0x80: return 1;
    case 0xc0: return 2;
    case 0xe0: return 3;
    case 0xf0: return 4;
    case 0xf8: return 5;
    case 0xfc: return 6;
    case 0xfe: return 7;
    case 0xff: return 8;
    default: return -1;
    }
}

bool IsIP(const NetAddr& a) { return a.IsIPv4() || a.IsIPv6(); }

/** Numeric host, brackets allowed around IPv6 (Core's LookupHost without DNS). */
std::optional<NetAddr> ParseHost(std::string_view s)
{
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    if (s.find('\0') != std::string_view::npos) return std::nullopt;
    return NetAddr::Parse(s);
}

} // namespace

SubNet::SubNet(const NetAddr& addr)
{
    if (IsIP(addr)) {
        m_valid = true;
        std::fill_n(m_netmask.begin(), addr.Raw().size(), 0xff);
    } else {
        const Network n = addr.GetNetwork();
        m_valid = n == Network::ONION || n == Network::I2P || n == Network::CJDNS;
    }
    if (m_valid) m_network = addr;
}

SubNet::SubNet(const NetAddr& addr, uint8_t bits)
{
    m_valid = (addr.IsIPv4() && bits <= 32) || (addr.IsIPv6() && bits <= 128);
    if (!m_valid) return;
    Bytes net = addr.Raw();
    unsigned left = bits;
    for (size_t i = 0; i < net.size(); ++i) {
        const unsigned take = std::min(left, 8u);
        m_netmask[i] = uint8_t(0xff << (8 - take));
        net[i] &= m_netmask[i];
        left -= take;
    }
    m_network = MakeNetAddr(addr.GetNetwork(), std::move(net));
}

SubNet::SubNet(const NetAddr& addr, const NetAddr& mask)
{
    m_valid = IsIP(addr) && addr.GetNetwork() == mask.GetNetwork() && addr.Raw().size() == mask.Raw().size();
    if (!m_valid) return;
    bool zeros = false;
    for (uint8_t b : mask.Raw()) {
        const int n = NetmaskBits(b);
        if (n == -1 || (zeros && n != 0)) {
            m_valid = false;
            return;
        }
        if (n < 8) zeros = true;
    }
    std::copy(mask.Raw().begin(), mask.Raw().end(), m_netmask.begin());
    Bytes net = addr.Raw();
    for (size_t i = 0; i < net.size(); ++i) net[i] &= m_netmask[i];
    m_network = MakeNetAddr(addr.GetNetwork(), std::move(net));
}

SubNet SubNet::Parse(std::string_view text)
{
    const size_t slash = text.rfind('/');
    const auto addr = ParseHost(text.substr(0, slash));
    if (!addr) return {};
    if (slash == std::string_view::npos) return SubNet(*addr);
    const std::string_view mask = text.substr(slash + 1);
    // A decimal number 0..255 is a prefix length; anything else must be a full netmask.
    if (!mask.empty() && mask.size() <= 3 && std::all_of(mask.begin(), mask.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const int bits = std::stoi(std::string(mask));
        if (bits <= 255) return SubNet(*addr, uint8_t(bits));
    }
    const auto full = ParseHost(mask);
    if (!full) return {};
    return SubNet(*addr, *full);
}

bool SubNet::Match(const NetAddr& addr) const
{
    if (!m_valid || !IsValidAddr(addr) || addr.GetNetwork() != m_network.GetNetwork()) return false;
    if (!IsIP(addr)) return addr == m_network;
    const Bytes& a = addr.Raw();
    const Bytes& n = m_network.Raw();
    if (a.size() != n.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if ((a[i] & m_netmask[i]) != n[i]) return false;
    }
    return true;
}

std::string SubNet::ToString() const
{
    if (!IsIP(m_network)) return m_network.ToString();
    int cidr = 0;
    for (size_t i = 0; i < m_network.Raw().size(); ++i) {
        if (m_netmask[i] == 0) break;
        cidr += NetmaskBits(m_netmask[i]);
    }
    return m_network.ToString() + "/" + std::to_string(cidr);
}

} // namespace cairn
