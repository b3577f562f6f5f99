// An IP subnet (Bitcoin Core's CSubNet): a network address and a netmask,
// as manual bans name them ("1.2.3.4" is 1.2.3.4/32, "2001:db8::/32",
// "10.0.0.0/255.0.0.0"). Other networks (Tor, I2P, CJDNS) are single
// addresses without a mask. Plain value type.
#ifndef CAIRN_NET_SUBNET_H
#define CAIRN_NET_SUBNET_H

#include "net/netaddress.h"

#include <array>
#include <string>
#include <string_view>

namespace cairn {

class SubNet
{
public:
    /** Invalid. */
    SubNet() = default;
    /** The single address (/32 or /128). */
    explicit SubNet(const NetAddr& addr);
    /** CIDR: valid for IPv4 with bits <= 32, IPv6 with bits <= 128. */
    SubNet(const NetAddr& addr, uint8_t bits);
    /** A full netmask, which must be contiguous ones then zeros, of the same network. */
    SubNet(const NetAddr& addr, const NetAddr& mask);

    /** Core's LookupSubNet, numeric only: "ip", "ip/bits", "ip/netmask" (IPv6 may be bracketed). */
    static SubNet Parse(std::string_view text);

    bool IsValid() const { return m_valid; }
    bool Match(const NetAddr& addr) const;
    /** "1.2.3.0/24", "2001:db8::/32"; other networks without a suffix. */
    std::string ToString() const;
    const NetAddr& NetworkAddr() const { return m_network; }

    friend bool operator==(const SubNet&, const SubNet&) = default;
    /** Core's order: by network address, then netmask (the order of listbanned). */
    friend bool operator<(const SubNet& a, const SubNet& b)
    {
        if (a.m_network != b.m_network) return a.m_network < b.m_network;
        return a.m_netmask < b.m_netmask;
    }

private:
    NetAddr m_network;
    std::array<uint8_t, 16> m_netmask{};
    bool m_valid{false};
};

} // namespace cairn

#endif
