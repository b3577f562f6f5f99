// Name resolution that never holds up the caller past an interrupt:
// getaddrinfo runs on a short-lived helper thread, the caller waits for it
// and gives up as soon as `interrupted()` says so (shutdown). Without
// network access the lookup just fails: an empty result.
#ifndef CAIRN_NET_DNS_RESOLVE_H
#define CAIRN_NET_DNS_RESOLVE_H

#include "net/netaddress.h"

#include <functional>
#include <string>
#include <vector>

namespace cairn {

/** Up to max_results IPv4/IPv6 addresses of `host` (a name or a numeric address). */
std::vector<NetAddr> ResolveHost(const std::string& host, size_t max_results,
                                 const std::function<bool()>& interrupted);

} // namespace cairn

#endif
