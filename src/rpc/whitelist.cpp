#include "rpc/whitelist.h"

namespace cairn {

void RpcWhitelist::Add(std::string_view entry)
{
    const size_t colon = entry.find(':');
    const std::string user(entry.substr(0, colon));
    std::set<std::string> methods;
    if (colon != std::string_view::npos) {
        std::string_view rest = entry.substr(colon + 1);
        while (!rest.empty()) {
            const size_t end = rest.find_first_of(", ");
            const std::string_view item = rest.substr(0, end);
            if (!item.empty()) methods.emplace(item);
            if (end == std::string_view::npos) break;
            rest.remove_prefix(end + 1);
        }
    }
    auto [it, inserted] = m_users.try_emplace(user, methods);
    if (inserted) return;
    // A second entry for the same user can only narrow what it may call.
    std::set<std::string> both;
    for (const std::string& m : it->second) {
        if (methods.count(m)) both.insert(m);
    }
    it->second = std::move(both);
}

bool RpcWhitelist::MayCallAny(const std::string& user) const
{
    // A user with a whitelist is refused method by method (even an empty one).
    return m_users.count(user) || !m_default_deny;
}

bool RpcWhitelist::MayCall(const std::string& user, const std::string& method) const
{
    auto it = m_users.find(user);
    if (it == m_users.end()) return !m_default_deny;
    return it->second.count(method) > 0;
}

} // namespace cairn
