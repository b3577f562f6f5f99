#include "net/eviction.h"

#include <algorithm>
#include <functional>
#include <map>

namespace cairn {

namespace {

using Pred = std::function<bool(const EvictionCandidate&)>;

/** Sorts by `less` and removes, among the last k, those matching `pred` (they are protected). */
template <typename Less>
void EraseLastK(std::vector<EvictionCandidate>& v, Less less, size_t k, const Pred& pred = [](const EvictionCandidate&) { return true; })
{
    std::sort(v.begin(), v.end(), less);
    const size_t n = std::min(k, v.size());
    v.erase(std::remove_if(v.end() - long(n), v.end(), pred), v.end());
}

bool ReverseConnected(const EvictionCandidate& a, const EvictionCandidate& b) { return a.connected > b.connected; }
bool NetGroupKeyed(const EvictionCandidate& a, const EvictionCandidate& b) { return a.keyed_net_group < b.keyed_net_group; }
bool ReverseMinPing(const EvictionCandidate& a, const EvictionCandidate& b) { return a.in.min_ping_us > b.in.min_ping_us; }

bool TxTime(const EvictionCandidate& a, const EvictionCandidate& b)
{
    if (a.in.last_tx_time != b.in.last_tx_time) return a.in.last_tx_time < b.in.last_tx_time;
    if (a.in.relay_txs != b.in.relay_txs) return b.in.relay_txs;
    if (a.in.bloom_filter != b.in.bloom_filter) return a.in.bloom_filter;
    return a.connected > b.connected;
}

bool BlockRelayOnlyTime(const EvictionCandidate& a, const EvictionCandidate& b)
{
    if (a.in.relay_txs != b.in.relay_txs) return a.in.relay_txs;
    if (a.in.last_block_time != b.in.last_block_time) return a.in.last_block_time < b.in.last_block_time;
    if (a.in.relevant_services != b.in.relevant_services) return b.in.relevant_services;
    return a.connected > b.connected;
}

bool BlockTime(const EvictionCandidate& a, const EvictionCandidate& b)
{
    if (a.in.last_block_time != b.in.last_block_time) return a.in.last_block_time < b.in.last_block_time;
    if (a.in.relevant_services != b.in.relevant_services) return b.in.relevant_services;
    return a.connected > b.connected;
}

bool Disadvantaged(const EvictionCandidate& c)
{
    return c.is_local || c.network == Network::ONION || c.network == Network::I2P || c.network == Network::CJDNS;
}

/** Half of the candidates, by connection time; up to a quarter of all kept for localhost and
 *  privacy-network peers, whose latency puts them at a disadvantage above. */
void ProtectByRatio(std::vector<EvictionCandidate>& v)
{
    const size_t total_protect = v.size() / 2;
    const size_t before = v.size();
    // Oldest disadvantaged peers first: sort them to the end by age, erase up to total/2 of them.
    std::sort(v.begin(), v.end(), [](const EvictionCandidate& a, const EvictionCandidate& b) {
        if (Disadvantaged(a) != Disadvantaged(b)) return Disadvantaged(b);
        return a.connected > b.connected;
    });
    size_t reserve = total_protect / 2;
    for (auto it = v.end(); reserve > 0 && it != v.begin();) {
        --it;
        if (!Disadvantaged(*it)) break;
        it = v.erase(it);
        --reserve;
    }
    const size_t protected_so_far = before - v.size();
    EraseLastK(v, ReverseConnected, total_protect - protected_so_far);
}

} // namespace

std::optional<NodeId> SelectNodeToEvict(std::vector<EvictionCandidate> v)
{
    // Peers the user trusts are out of the draw before anything else is counted.
    std::erase_if(v, [](const EvictionCandidate& c) { return c.noban; });
    EraseLastK(v, NetGroupKeyed, 4);
    EraseLastK(v, ReverseMinPing, 8);
    EraseLastK(v, TxTime, 4);
    EraseLastK(v, BlockRelayOnlyTime, 8,
               [](const EvictionCandidate& c) { return !c.in.relay_txs && c.in.relevant_services; });
    EraseLastK(v, BlockTime, 4);
    ProtectByRatio(v);
    if (v.empty()) return std::nullopt;

    // Discouraged peers go first, if any are left.
    if (std::any_of(v.begin(), v.end(), [](const EvictionCandidate& c) { return c.prefer_evict; })) {
        v.erase(std::remove_if(v.begin(), v.end(), [](const EvictionCandidate& c) { return !c.prefer_evict; }),
                v.end());
    }

    // The network group with the most peers (ties: the one with the youngest member) loses its youngest.
    std::sort(v.begin(), v.end(), ReverseConnected);
    std::map<uint64_t, std::vector<const EvictionCandidate*>> groups;
    uint64_t worst_group = 0;
    size_t most = 0;
    int64_t most_time = 0;
    for (const EvictionCandidate& c : v) {
        auto& g = groups[c.keyed_net_group];
        g.push_back(&c);
        const int64_t group_time = g.front()->connected;
        if (g.size() > most || (g.size() == most && group_time > most_time)) {
            most = g.size();
            most_time = group_time;
            worst_group = c.keyed_net_group;
        }
    }
    return groups[worst_group].front()->id;
}

} // namespace cairn
