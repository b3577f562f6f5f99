#include "net/proxy.h"

#include "net/netgroup.h"
#include "net/sock.h"
#include "crypto/random.h"
#include "util/log.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fmt/format.h>
#include <sys/un.h>

namespace cairn {

ReachableNets g_reachable_nets;

Network ConnectionNetwork(const NetAddr& addr)
{
    if (IsInternalAddr(addr)) return Network::INTERNAL;
    if (!IsRoutableAddr(addr)) return Network::UNROUTABLE;
    return addr.GetNetwork();
}

std::optional<Proxy> ProxyConfig::ForNetwork(Network n) const
{
    auto it = by_network.find(n);
    if (it == by_network.end()) return std::nullopt;
    return it->second;
}

std::optional<Proxy> ProxyConfig::ForAddress(const NetAddr& addr) const
{
    return ForNetwork(ConnectionNetwork(addr));
}

void ReachableNets::Add(Network n)
{
    std::lock_guard lock(m_mutex);
    m_nets.insert(n);
}

void ReachableNets::Remove(Network n)
{
    std::lock_guard lock(m_mutex);
    m_nets.erase(n);
}

void ReachableNets::RemoveAll()
{
    std::lock_guard lock(m_mutex);
    m_nets.clear();
}

void ReachableNets::SetAll()
{
    std::lock_guard lock(m_mutex);
    m_nets = {Network::IPV4, Network::IPV6, Network::ONION, Network::I2P, Network::CJDNS};
}

bool ReachableNets::Contains(Network n) const
{
    std::lock_guard lock(m_mutex);
    return m_nets.count(n) > 0;
}

bool IsUnixSocketPath(std::string_view text)
{
    constexpr std::string_view PREFIX = "unix:";
    if (!text.starts_with(PREFIX)) return false;
    return text.size() - PREFIX.size() + 1 <= sizeof(sockaddr_un::sun_path);
}

bool IsOnionName(std::string_view host)
{
    constexpr std::string_view SUFFIX = ".onion";
    if (host.size() <= SUFFIX.size()) return false;
    const std::string_view tail = host.substr(host.size() - SUFFIX.size());
    return std::equal(tail.begin(), tail.end(), SUFFIX.begin(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

ProxyCredentials NextRandomCredentials()
{
    // The prefix keeps credentials of this run apart from those of an earlier one (Tor keeps
    // circuits for a while); the counter keeps every connection of this run apart.
    static const std::string prefix = fmt::format("{:016x}-", GetRandUint64());
    static std::atomic<uint64_t> counter{0};
    ProxyCredentials c;
    c.username = c.password = prefix + std::to_string(counter++);
    return c;
}

int ConnectThroughProxy(const Proxy& proxy, const std::string& host, uint16_t port, int connect_timeout_ms,
                        const std::function<bool()>& interrupted, bool& proxy_failed, std::string& error)
{
    proxy_failed = false;
    const int fd = proxy.unix_path.empty() ? ConnectSocket(proxy.addr, connect_timeout_ms, error)
                                           : ConnectUnixSocket(proxy.unix_path.substr(5), error);
    if (fd < 0) {
        proxy_failed = true;
        return -1;
    }
    std::optional<ProxyCredentials> auth;
    if (proxy.randomize_credentials) auth = NextRandomCredentials();
    if (auth) LogDebug(LogCategory::PROXY, "SOCKS5 sending proxy authentication {}:{}", auth->username, auth->password);
    if (!Socks5Connect(fd, host, port, auth, SOCKS5_RECV_TIMEOUT, interrupted, error)) {
        CloseSocket(fd);
        return -1;
    }
    LogDebug(LogCategory::NET, "SOCKS5 connected {}", host);
    return fd;
}

} // namespace cairn
