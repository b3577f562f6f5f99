// -rpcwhitelist: which methods each RPC user may call, as Bitcoin Core.
// "-rpcwhitelist=alice:getblockcount,getbestblockhash" lets alice call those
// two only; several entries for one user intersect; "-rpcwhitelist=bob" (no
// methods) lets bob call nothing. With -rpcwhitelistdefault (on by default
// once any -rpcwhitelist is given) a user without an entry may call nothing.
// A refused request gets HTTP 403, a batch as a whole.
#ifndef CAIRN_RPC_WHITELIST_H
#define CAIRN_RPC_WHITELIST_H

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace cairn {

class RpcWhitelist
{
public:
    /** One -rpcwhitelist value: "user", or "user:m1,m2" (separated by commas
     *  and/or spaces). */
    void Add(std::string_view entry);
    /** -rpcwhitelistdefault: users without an entry may call nothing. */
    void SetDefaultDeny(bool deny) { m_default_deny = deny; }
    bool Empty() const { return m_users.empty() && !m_default_deny; }

    /** False: every call of this user is refused, whatever the method (a
     *  user without a whitelist under -rpcwhitelistdefault). */
    bool MayCallAny(const std::string& user) const;
    bool MayCall(const std::string& user, const std::string& method) const;

private:
    std::map<std::string, std::set<std::string>, std::less<>> m_users;
    bool m_default_deny{false};
};

} // namespace cairn

#endif
