// Our own public addresses (Bitcoin Core's mapLocalHost): what we would
// advertise to peers and what getnetworkinfo shows as "localaddresses".
//
// Entries come from -externalip (score LOCAL_MANUAL), from -discover
// (interface addresses, LOCAL_IF) and from binding a specific routable
// address (LOCAL_BIND); peers that see us at a known address raise its
// score. Only routable addresses of reachable networks are kept, and
// without -discover only manual ones.
//
// Thread-safe (one leaf mutex).
#ifndef CAIRN_NET_LOCAL_ADDRESSES_H
#define CAIRN_NET_LOCAL_ADDRESSES_H

#include "net/netaddress.h"

#include <map>
#include <mutex>
#include <optional>
#include <vector>

namespace cairn {

enum LocalScore : int {
    LOCAL_NONE = 0,
    LOCAL_IF = 1,
    LOCAL_BIND = 2,
    LOCAL_MAPPED = 3,
    LOCAL_MANUAL = 4,
};

struct LocalAddressInfo {
    NetAddr addr;
    uint16_t port{0};
    int score{0};
};

class LocalAddresses
{
public:
    /** discover: -discover (interface and bind addresses accepted); listen_port: our port. */
    LocalAddresses(bool discover, uint16_t listen_port) : m_discover(discover), m_listen_port(listen_port) {}

    /** Core's AddLocal: false if not routable, not reachable, or discovery is off and the
     *  score is below LOCAL_MANUAL. A known address gets max(score, old + 1). */
    bool Add(const Service& addr, int score);
    /** Core's SeenLocal: a peer sees us at `addr`; a known entry's score goes up. */
    void Seen(const NetAddr& addr);
    bool Contains(const NetAddr& addr) const;
    /** Core's GetLocalAddress for a peer at `peer`: our best address for it, or an
     *  unroutable 0.0.0.0:<port> when we have none. */
    Service GetBest(const NetAddr& peer) const;
    /** Core's GetnScore. */
    int Score(const NetAddr& addr) const;
    std::vector<LocalAddressInfo> GetAll() const;
    bool Discover() const { return m_discover; }
    uint16_t ListenPort() const { return m_listen_port; }

    /** Core's Discover(): adds the routable addresses of the host's interfaces (LOCAL_IF). */
    void DiscoverInterfaces();

private:
    const bool m_discover;
    const uint16_t m_listen_port;
    mutable std::mutex m_mutex;
    std::map<NetAddr, LocalAddressInfo> m_map; // guarded by m_mutex
};

} // namespace cairn

#endif
