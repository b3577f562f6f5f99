// What -whitelist and -whitebind grant a peer (Core's NetPermissionFlags):
// "perm1,perm2@address", with Core's names, implications (noban implies
// download, forcerelay implies relay), defaults for an address given without
// permissions, and error messages. Plain values and pure functions: connman
// works out each connection's flags (PermissionsForPeer), the Node carries
// them, and the peer manager asks Node::HasPermission.
#ifndef CAIRN_NET_NET_PERMISSIONS_H
#define CAIRN_NET_NET_PERMISSIONS_H

#include "net/netaddress.h"
#include "net/subnet.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

inline constexpr bool DEFAULT_WHITELISTRELAY = true;
inline constexpr bool DEFAULT_WHITELISTFORCERELAY = false;

enum class NetPermissionFlags : uint32_t {
    None = 0,
    BloomFilter = 1U << 1, // may use BIP 37 filters even with -peerbloomfilters=0
    Relay = 1U << 3,       // transactions relayed even in -blocksonly; no announcement limits
    ForceRelay = (1U << 2) | Relay, // relayed even if already in the mempool
    Download = 1U << 6,    // getheaders during IBD; not cut off by -maxuploadtarget
    NoBan = (1U << 4) | Download, // never discouraged or banned for misbehaviour
    Mempool = 1U << 5,     // may send BIP 35 "mempool"
    Addr = 1U << 7,        // getaddr answered without the cache
    Implicit = 1U << 31,   // no permission named: the defaults apply (ApplyImplicitPermissions)
    All = BloomFilter | ForceRelay | Relay | NoBan | Mempool | Download | Addr,
};

constexpr NetPermissionFlags operator|(NetPermissionFlags a, NetPermissionFlags b)
{
    return NetPermissionFlags(uint32_t(a) | uint32_t(b));
}
inline NetPermissionFlags& operator|=(NetPermissionFlags& a, NetPermissionFlags b) { return a = a | b; }
/** All the bits of `flag` are set in `flags`. */
constexpr bool HasFlag(NetPermissionFlags flags, NetPermissionFlags flag)
{
    return (uint32_t(flags) & uint32_t(flag)) == uint32_t(flag);
}

/** Which connections a -whitelist entry applies to ("in", "out"; default in). */
enum class ConnectionDirection : uint8_t { None = 0, In = 1, Out = 2, Both = 3 };

/** The names getpeerinfo's "permissions" shows, in Core's order. */
std::vector<std::string> PermissionsToStrings(NetPermissionFlags flags);

/** An Implicit entry gets Core's defaults: relay (-whitelistrelay),
 *  forcerelay (-whitelistforcerelay), mempool and noban. */
NetPermissionFlags ApplyImplicitPermissions(NetPermissionFlags flags, bool whitelist_relay, bool whitelist_forcerelay);

struct WhitebindPermission {
    NetPermissionFlags flags{NetPermissionFlags::None};
    Service service;
};

struct WhitelistPermission {
    NetPermissionFlags flags{NetPermissionFlags::None};
    SubNet subnet;
    ConnectionDirection direction{ConnectionDirection::In};
};

/** Core's AddWhitelistPermissionFlags: `flags` (those of the listening socket,
 *  or None) plus the flags of every range in `ranges` that matches `addr`;
 *  then, if any of them was given without permissions (Implicit), Core's
 *  defaults instead of the Implicit bit (ApplyImplicitPermissions). */
NetPermissionFlags PermissionsForPeer(NetPermissionFlags flags, const NetAddr& addr,
                                      const std::vector<WhitelistPermission>& ranges, bool whitelist_relay,
                                      bool whitelist_forcerelay);

/** "[perms@]addr:port". Errors are Core's: "Invalid P2P permission: 'x'",
 *  "Cannot resolve -whitebind address: 'x'", "Need to specify a port with
 *  -whitebind: 'x'". */
std::optional<WhitebindPermission> ParseWhitebind(std::string_view text, std::string& error);
/** "[perms@]ip or subnet"; also "Invalid netmask specified in -whitelist: 'x'"
 *  and "Only direction was set, no permissions: 'x'". */
std::optional<WhitelistPermission> ParseWhitelist(std::string_view text, std::string& error);

} // namespace cairn

#endif
