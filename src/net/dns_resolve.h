// Name resolution that never holds up the caller past an interrupt:
// getaddrinfo runs on a short-lived helper thread, the caller waits for it
// and gives up as soon as `interrupted()` says so (shutdown). Without
// network access the lookup just fails: an empty result.
#ifndef CAIRN_NET_DNS_RESOLVE_H
#define CAIRN_NET_DNS_RESOLVE_H

#include "net/netaddress.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

/** Up to max_results IPv4/IPv6 addresses of `host` (a name or a numeric address). */
std::vector<NetAddr> ResolveHost(const std::string& host, size_t max_results,
                                 const std::function<bool()>& interrupted);

/** Core's LookupNumeric: `text` ("host[:port]") as a numeric address only, never asking DNS, with the C
 *  library's numeric forms (so "127.1" is 127.0.0.1); nullopt for a name or junk. */
std::optional<Service> LookupNumeric(std::string_view text, uint16_t default_port);

} // namespace cairn

#endif
