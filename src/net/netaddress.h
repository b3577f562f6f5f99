// Peer addresses: an IP (IPv4 or IPv6, or a BIP 155 address of another
// network carried but not reachable yet) and, for a service, a port.
//
// IPv4 addresses are stored as themselves (4 bytes) and only mapped into
// ::ffff:0:0/96 on the wire of the legacy `addr` message, as Core does.
#ifndef CAIRN_NET_NETADDRESS_H
#define CAIRN_NET_NETADDRESS_H

#include "util/serialize.h"

#include <netinet/in.h>
#include <optional>
#include <string>
#include <sys/socket.h>

namespace cairn {

/** Networks as Core names them (getnetworkinfo "networks", getpeerinfo "network"). */
enum class Network { UNROUTABLE, IPV4, IPV6, ONION, I2P, CJDNS, INTERNAL };

/** BIP 155 network ids. */
enum class Bip155Net : uint8_t { IPV4 = 1, IPV6 = 2, TORV2 = 3, TORV3 = 4, I2P = 5, CJDNS = 6 };

/** Longest address an addrv2 entry may carry (BIP 155). */
inline constexpr size_t MAX_ADDRV2_SIZE = 512;

class NetAddr
{
public:
    NetAddr() = default;
    static NetAddr FromIPv4(const uint8_t (&b)[4]);
    static NetAddr FromIPv6(const uint8_t (&b)[16]);
    /** "1.2.3.4", "::1"/"2001:db8::1" (no brackets, no port) or a Tor v3 "<56 chars>.onion" name. */
    static std::optional<NetAddr> Parse(std::string_view text);

    Network GetNetwork() const { return m_net; }
    bool IsIPv4() const { return m_net == Network::IPV4; }
    bool IsIPv6() const { return m_net == Network::IPV6; }
    bool IsValid() const { return !m_addr.empty(); }
    bool IsLocal() const;
    bool IsRFC1918() const;
    /** Reachable from the public internet (Core's IsRoutable, simplified). */
    bool IsRoutable() const;
    /** Core's network name for getpeerinfo: ipv4, ipv6, onion, i2p, cjdns, not_publicly_routable. */
    std::string NetworkName() const;
    std::string ToString() const;
    const Bytes& Raw() const { return m_addr; }
    /** The 16-byte form used by the v1 `addr` message (IPv4-mapped for IPv4). */
    std::array<uint8_t, 16> ToV1Bytes() const;
    /** From the 16-byte v1 form; ::ffff:a.b.c.d becomes IPv4. */
    static NetAddr FromV1Bytes(ByteSpan b16);
    /** BIP 155: the network id and its bytes; nullopt for networks without one. */
    std::optional<Bip155Net> GetBip155Net() const;
    /** From a BIP 155 id and bytes; nullopt for unknown ids or wrong lengths. */
    static std::optional<NetAddr> FromBip155(uint8_t id, ByteSpan bytes);

    friend bool operator==(const NetAddr&, const NetAddr&) = default;
    friend auto operator<=>(const NetAddr&, const NetAddr&) = default;

protected:
    Network m_net{Network::UNROUTABLE};
    Bytes m_addr;
};

/** An address with a port. */
class Service : public NetAddr
{
public:
    Service() = default;
    Service(const NetAddr& addr, uint16_t port) : NetAddr(addr), m_port(port) {}
    uint16_t GetPort() const { return m_port; }
    /** "1.2.3.4:8333", "[::1]:8333". */
    std::string ToStringAddrPort() const;
    /** Fills a sockaddr_in/sockaddr_in6; returns the length, 0 if not IP. */
    socklen_t ToSockAddr(sockaddr_storage& out) const;
    static std::optional<Service> FromSockAddr(const sockaddr* sa, socklen_t len);

    friend bool operator==(const Service&, const Service&) = default;
    friend auto operator<=>(const Service&, const Service&) = default;

private:
    uint16_t m_port{0};
};

/** Splits "host", "host:port", "[v6]" or "[v6]:port". On success `host` is
 *  without brackets and `port` is set only when one was given. Returns
 *  false for an invalid port or unbalanced brackets. */
bool SplitHostPort(std::string_view in, std::string& host, std::optional<uint16_t>& port);

/** A numeric service "ip[:port]" (no DNS); default_port when none is given. */
std::optional<Service> ParseService(std::string_view text, uint16_t default_port);

/** Resolves "host[:port]" with getaddrinfo (numeric or a name); first result. */
std::optional<Service> LookupService(std::string_view text, uint16_t default_port, bool allow_dns = true);
/** Core's LookupNumeric: `text` ("host[:port]") as a numeric address only, never asking DNS, with the C
 *  library's numeric forms (so "127.1" is 127.0.0.1); nullopt for a name or junk. */
std::optional<Service> LookupNumeric(std::string_view text, uint16_t default_port);

} // namespace cairn

#endif
