// What Bitcoin Core's address manager and relay need to know about an
// address beyond netaddress.h: validity and routability exactly as Core's
// CNetAddr judges them, the network "class", the group used for bucketing
// (Core's NetGroupManager without an asmap), the byte keys hashed into
// buckets, DNS-seed "internal" addresses, network names and bad ports.
//
// Pure functions of their arguments.
#ifndef CAIRN_NET_NETGROUP_H
#define CAIRN_NET_NETGROUP_H

#include "net/netaddress.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

/** Core's CNetAddr::IsValid: not ::, 0.0.0.0 or 255.255.255.255, not
 *  2001:db8::/32, not an internal name, a CJDNS address starts with 0xfc. */
bool IsValidAddr(const NetAddr& a);
/** Core's CNetAddr::IsRoutable: valid and in none of the special ranges
 *  (RFC 1918, 2544, 3927, 4862, 6598, 5737, 4193, 4843, 7343, local). */
bool IsRoutableAddr(const NetAddr& a);
bool IsInternalAddr(const NetAddr& a);
/** IPv4, or IPv6 with an embedded routable IPv4 (RFC 6145, 6052, 3964, 4380). */
bool HasLinkedIPv4(const NetAddr& a);
/** Core's GetNetClass: INTERNAL, UNROUTABLE, IPV4 (also for linked IPv4), else the network. */
Network GetNetClass(const NetAddr& a);
/** Addresses that fit the 16-byte `addr` message (IPv4, IPv6, internal). */
bool IsAddrV1Compatible(const NetAddr& a);
/** Addresses worth relaying (IPv4, IPv6, Tor, I2P, CJDNS). */
bool IsRelayable(const NetAddr& a);

/** Core's GetAddrBytes: the 16-byte v1 form when it fits, else the raw bytes. */
Bytes AddrBytes(const NetAddr& a);
/** Core's CService::GetKey: AddrBytes then the port, big-endian. */
Bytes ServiceKey(const Service& s);
/** Core's NetGroupManager::GetGroup without an asmap: the network class, then
 *  /16 for IPv4, /32 for IPv6 (/36 for he.net), 4 bits for Tor/I2P, 12 for CJDNS. */
Bytes NetGroup(const NetAddr& a);

/** Core's CNetAddr::SetInternal: fd6b:88c0:8724::/48 + the first 10 bytes of SHA-256(name). */
NetAddr MakeInternalAddr(std::string_view name);
/** The 16-byte v1 form, internal addresses included (peers.dat). */
std::array<uint8_t, 16> ToV1BytesWithInternal(const NetAddr& a);
/** From the 16-byte v1 form, recognising internal addresses. */
NetAddr FromV1BytesWithInternal(ByteSpan b16);
/** An address of `net` with these bytes, no checks (decoders, tests). */
NetAddr MakeNetAddr(Network net, Bytes bytes);

/** Core's GetNetworkName: "ipv4", "ipv6", "onion", "i2p", "cjdns", "internal", "not_publicly_routable". */
std::string NetworkToName(Network n);
/** Core's ParseNetwork ("tor" is "onion"); UNROUTABLE for anything else. */
Network ParseNetworkName(std::string_view name);
/** The networks an outbound connection can reach (Core's g_reachable_nets, proxy.h: -onlynet and the
 *  proxies; IPv4 and IPv6 until start-up sets it). */
bool IsReachableNet(Network n);
inline bool IsReachable(const NetAddr& a) { return IsReachableNet(a.GetNetwork()); }

/** Ports of services that are not Bitcoin nodes (Core's doc/p2p-bad-ports.md). */
bool IsBadPort(uint16_t port);

} // namespace cairn

#endif
