#include "net/net_permissions.h"

namespace cairn {

namespace {

/** Parses "perm1,perm2@" at the front of `text`; `rest` is what follows the '@'
 *  (all of `text` when there is none, with the Implicit flag). With a null
 *  `direction` (whitebind) "in"/"out" are not accepted. */
bool ParsePermissionFlags(std::string_view text, NetPermissionFlags& flags, ConnectionDirection* direction,
                          std::string_view& rest, std::string& error)
{
    flags = NetPermissionFlags::None;
    uint8_t dir = 0;
    const size_t at = text.find('@');
    if (at == std::string_view::npos) {
        flags = NetPermissionFlags::Implicit;
        rest = text;
    } else {
        std::string_view perms = text.substr(0, at);
        rest = text.substr(at + 1);
        while (true) {
            const size_t comma = perms.find(',');
            const std::string_view p = perms.substr(0, comma);
            if (p == "bloomfilter" || p == "bloom") flags |= NetPermissionFlags::BloomFilter;
            else if (p == "noban") flags |= NetPermissionFlags::NoBan;
            else if (p == "forcerelay") flags |= NetPermissionFlags::ForceRelay;
            else if (p == "mempool") flags |= NetPermissionFlags::Mempool;
            else if (p == "download") flags |= NetPermissionFlags::Download;
            else if (p == "all") flags |= NetPermissionFlags::All;
            else if (p == "relay") flags |= NetPermissionFlags::Relay;
            else if (p == "addr") flags |= NetPermissionFlags::Addr;
            else if (direction && p == "in") dir |= uint8_t(ConnectionDirection::In);
            else if (direction && p == "out") dir |= uint8_t(ConnectionDirection::Out);
            else if (!p.empty()) { // empty entries ("a,,b") are allowed
                error = "Invalid P2P permission: '" + std::string(p) + "'";
                return false;
            }
            if (comma == std::string_view::npos) break;
            perms.remove_prefix(comma + 1);
        }
    }
    if (direction) {
        if (dir == 0) {
            *direction = ConnectionDirection::In;
        } else if (flags == NetPermissionFlags::None) {
            error = "Only direction was set, no permissions: '" + std::string(text) + "'";
            return false;
        } else {
            *direction = ConnectionDirection(dir);
        }
    }
    return true;
}

} // namespace

std::vector<std::string> PermissionsToStrings(NetPermissionFlags flags)
{
    std::vector<std::string> out;
    if (HasFlag(flags, NetPermissionFlags::BloomFilter)) out.emplace_back("bloomfilter");
    if (HasFlag(flags, NetPermissionFlags::NoBan)) out.emplace_back("noban");
    if (HasFlag(flags, NetPermissionFlags::ForceRelay)) out.emplace_back("forcerelay");
    if (HasFlag(flags, NetPermissionFlags::Relay)) out.emplace_back("relay");
    if (HasFlag(flags, NetPermissionFlags::Mempool)) out.emplace_back("mempool");
    if (HasFlag(flags, NetPermissionFlags::Download)) out.emplace_back("download");
    if (HasFlag(flags, NetPermissionFlags::Addr)) out.emplace_back("addr");
    return out;
}

NetPermissionFlags ApplyImplicitPermissions(NetPermissionFlags flags, bool whitelist_relay, bool whitelist_forcerelay)
{
    if (!HasFlag(flags, NetPermissionFlags::Implicit)) return flags;
    flags = NetPermissionFlags(uint32_t(flags) & ~uint32_t(NetPermissionFlags::Implicit));
    if (whitelist_forcerelay) flags |= NetPermissionFlags::ForceRelay;
    if (whitelist_relay) flags |= NetPermissionFlags::Relay;
    flags |= NetPermissionFlags::Mempool;
    flags |= NetPermissionFlags::NoBan;
    return flags;
}

NetPermissionFlags PermissionsForPeer(NetPermissionFlags flags, const NetAddr& addr,
                                      const std::vector<WhitelistPermission>& ranges, bool whitelist_relay,
                                      bool whitelist_forcerelay)
{
    for (const WhitelistPermission& range : ranges) {
        if (range.subnet.Match(addr)) flags |= range.flags;
    }
    return ApplyImplicitPermissions(flags, whitelist_relay, whitelist_forcerelay);
}

std::optional<WhitebindPermission> ParseWhitebind(std::string_view text, std::string& error)
{
    WhitebindPermission out;
    std::string_view rest;
    if (!ParsePermissionFlags(text, out.flags, nullptr, rest, error)) return std::nullopt;
    auto service = ParseService(rest, 0);
    if (!service) {
        error = "Cannot resolve -whitebind address: '" + std::string(rest) + "'";
        return std::nullopt;
    }
    if (service->GetPort() == 0) {
        error = "Need to specify a port with -whitebind: '" + std::string(rest) + "'";
        return std::nullopt;
    }
    out.service = *service;
    return out;
}

std::optional<WhitelistPermission> ParseWhitelist(std::string_view text, std::string& error)
{
    WhitelistPermission out;
    std::string_view rest;
    if (!ParsePermissionFlags(text, out.flags, &out.direction, rest, error)) return std::nullopt;
    out.subnet = SubNet::Parse(rest);
    if (!out.subnet.IsValid()) {
        error = "Invalid netmask specified in -whitelist: '" + std::string(rest) + "'";
        return std::nullopt;
    }
    return out;
}

} // namespace cairn
