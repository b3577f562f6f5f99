#include "net/local_addresses.h"

#include "net/netgroup.h"
#include "util/log.h"

#include <ifaddrs.h>
#include <net/if.h>

namespace cairn {

namespace {

/** How well a peer at `peer` can reach us at `local` (Core's GetReachabilityFrom, simplified):
 *  IPv4 reaches everyone, IPv6 best from IPv6, other networks only their own. */
int Reachability(const NetAddr& local, const NetAddr& peer)
{
    if (!IsRoutableAddr(local)) return 0;
    if (local.IsIPv4()) return 4;
    if (local.IsIPv6()) return peer.IsIPv6() ? 5 : 1;
    return local.GetNetwork() == peer.GetNetwork() ? 6 : 0;
}

} // namespace

bool LocalAddresses::Add(const Service& addr, int score)
{
    if (!IsRoutableAddr(addr)) return false;
    if (!m_discover && score < LOCAL_MANUAL) return false;
    if (!IsReachable(addr)) return false;
    LogInfo("AddLocal({},{})", addr.ToStringAddrPort(), score);
    std::lock_guard lock(m_mutex);
    const NetAddr key = addr;
    auto [it, added] = m_map.try_emplace(key, LocalAddressInfo{key, addr.GetPort(), score});
    if (!added && score >= it->second.score) {
        it->second.score = score + 1;
        it->second.port = addr.GetPort();
    }
    return true;
}

void LocalAddresses::Seen(const NetAddr& addr)
{
    std::lock_guard lock(m_mutex);
    auto it = m_map.find(addr);
    if (it != m_map.end()) ++it->second.score;
}

bool LocalAddresses::Contains(const NetAddr& addr) const
{
    std::lock_guard lock(m_mutex);
    return m_map.count(addr) > 0;
}

int LocalAddresses::Score(const NetAddr& addr) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_map.find(addr);
    return it == m_map.end() ? LOCAL_NONE : it->second.score;
}

Service LocalAddresses::GetBest(const NetAddr& peer) const
{
    std::lock_guard lock(m_mutex);
    int best_score = -1, best_reach = -1;
    Service best(*NetAddr::Parse("0.0.0.0"), m_listen_port);
    for (const auto& [addr, info] : m_map) {
        const int reach = Reachability(addr, peer);
        if (reach > best_reach || (reach == best_reach && info.score > best_score)) {
            best = Service(addr, info.port);
            best_reach = reach;
            best_score = info.score;
        }
    }
    return best;
}

std::vector<LocalAddressInfo> LocalAddresses::GetAll() const
{
    std::lock_guard lock(m_mutex);
    std::vector<LocalAddressInfo> out;
    for (const auto& [addr, info] : m_map) out.push_back(info);
    return out;
}

void LocalAddresses::DiscoverInterfaces()
{
    if (!m_discover) return;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return;
    for (ifaddrs* ifa = list; ifa; ifa = ifa->ifa_next) {
        if (!ifa->ifa_addr || !(ifa->ifa_flags & IFF_UP)) continue;
        if (std::string(ifa->ifa_name) == "lo" || std::string(ifa->ifa_name) == "lo0") continue;
        const socklen_t len = ifa->ifa_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
        if (ifa->ifa_addr->sa_family != AF_INET && ifa->ifa_addr->sa_family != AF_INET6) continue;
        if (auto s = Service::FromSockAddr(ifa->ifa_addr, len)) {
            const Service local(*s, m_listen_port);
            if (Add(local, LOCAL_IF)) {
                LogInfo("Discover: {} - {}", ifa->ifa_name, local.ToString());
            }
        }
    }
    freeifaddrs(list);
}

} // namespace cairn
