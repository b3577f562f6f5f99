// Proxies and reachable networks, as Bitcoin Core configures them:
//  * `ProxyConfig`: the SOCKS5 proxy per network (-proxy, -proxy=<addr>=<net>,
//    -onion) and the "name proxy" that gets host names unresolved (-proxy for
//    all networks, or for ipv4/ipv6). A connection to an address uses the
//    proxy of the address's network (Core's GetNetwork: unroutable and local
//    addresses have none, so they are dialled directly).
//  * `ReachableNets` (Core's g_reachable_nets): the networks automatic
//    outbound connections, local addresses and address relay may use
//    (-onlynet; onion only with a proxy for it). One process-wide instance,
//    set once at start-up and read by netgroup's IsReachableNet.
//  * `ConnectThroughProxy`: connect to the proxy, then SOCKS5 (socks5.h),
//    with fresh credentials per connection under -proxyrandomize (Tor
//    stream isolation).
#ifndef CAIRN_NET_PROXY_H
#define CAIRN_NET_PROXY_H

#include "net/netaddress.h"
#include "net/socks5.h"

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace cairn {

/** Core's DEFAULT_TOR_SOCKS_PORT: the port of -proxy/-onion when none is given. */
inline constexpr uint16_t DEFAULT_TOR_SOCKS_PORT = 9050;
inline constexpr bool DEFAULT_PROXYRANDOMIZE = true;

struct Proxy {
    Service addr;
    /** -proxyrandomize: new credentials for every connection (Tor stream isolation). */
    bool randomize_credentials{false};
    /** "unix:<path>": a local socket instead of `addr`. */
    std::string unix_path;
    /** "host:port" (or "unix:<path>") as getnetworkinfo shows it. */
    std::string ToString() const { return unix_path.empty() ? addr.ToStringAddrPort() : unix_path; }
    friend bool operator==(const Proxy&, const Proxy&) = default;
};

/** Core's IsUnixSocketPath: "unix:" and a path that fits a sockaddr_un. */
bool IsUnixSocketPath(std::string_view text);

struct ProxyConfig {
    /** Proxies by network (IPV4, IPV6, ONION, CJDNS). */
    std::map<Network, Proxy> by_network;
    /** For host names that are not addresses: sent to the proxy unresolved. */
    std::optional<Proxy> name_proxy;

    /** The proxy for a connection to `addr`: by Core's GetNetwork (none for unroutable or internal addresses). */
    std::optional<Proxy> ForAddress(const NetAddr& addr) const;
    std::optional<Proxy> ForNetwork(Network n) const;
};

/** Core's CNetAddr::GetNetwork: INTERNAL, UNROUTABLE when not routable, else the address's network. */
Network ConnectionNetwork(const NetAddr& addr);

/** Core's ReachableNets. Thread-safe. */
class ReachableNets
{
public:
    void Add(Network n);
    void Remove(Network n);
    void RemoveAll();
    /** Every network Core knows (ipv4, ipv6, onion, i2p, cjdns). */
    void SetAll();
    bool Contains(Network n) const;

private:
    mutable std::mutex m_mutex;
    std::set<Network> m_nets{Network::IPV4, Network::IPV6}; // guarded by m_mutex; until start-up says more
};

/** The process-wide set (node/ sets it from -onlynet and the proxies). */
extern ReachableNets g_reachable_nets;

/** True for "<something>.onion" (any case): a Tor name, sent to the onion proxy as it is. */
bool IsOnionName(std::string_view host);

/** Credentials for one proxied connection under -proxyrandomize: a per-process random prefix and a counter,
 *  the same string as username and password, never the same twice. */
ProxyCredentials NextRandomCredentials();

/** Connects to `proxy` (connect_timeout_ms) and asks it for host:port. Returns the fd or -1; `proxy_failed`
 *  tells whether the proxy itself could not be reached (then the target is not to blame). */
int ConnectThroughProxy(const Proxy& proxy, const std::string& host, uint16_t port, int connect_timeout_ms,
                        const std::function<bool()>& interrupted, bool& proxy_failed, std::string& error);

} // namespace cairn

#endif
