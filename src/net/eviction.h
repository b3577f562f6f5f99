// Choosing an inbound peer to drop when a new one arrives and every slot
// is taken (Bitcoin Core's node_eviction). Peers with the noban permission
// are never candidates. Peers that are hard for an attacker to imitate are
// protected first: 4 by network group (keyed, so
// unpredictable), 8 with the lowest ping, 4 that last sent us new
// transactions, up to 8 block-relay peers and 4 others that last sent new
// blocks, then half of the rest by connection time (a quarter reserved for
// localhost and privacy networks). Of what is left, the youngest peer of
// the most common network group goes. Pure functions.
#ifndef CAIRN_NET_EVICTION_H
#define CAIRN_NET_EVICTION_H

#include "net/netaddress.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace cairn {

using NodeId = int64_t;

/** What the protocol layer knows of a peer that eviction weighs. */
struct EvictionInputs {
    int64_t min_ping_us{INT64_MAX};
    int64_t last_block_time{0};
    int64_t last_tx_time{0};
    /** We relay transactions to it. */
    bool relay_txs{false};
    bool bloom_filter{false};
    /** It serves blocks and witnesses (Core's fRelevantServices). */
    bool relevant_services{false};
};

struct EvictionCandidate {
    NodeId id{0};
    int64_t connected{0};
    EvictionInputs in;
    uint64_t keyed_net_group{0};
    bool prefer_evict{false};
    /** The peer has the noban permission (-whitelist/-whitebind): never evicted. */
    bool noban{false};
    bool is_local{false};
    Network network{Network::IPV4};
};

/** Core's SelectNodeToEvict; nullopt when every candidate is protected. */
std::optional<NodeId> SelectNodeToEvict(std::vector<EvictionCandidate> candidates);

} // namespace cairn

#endif
