// Choosing which outbound peer to drop when we have more than our target
// (Bitcoin Core's EvictExtraOutboundPeers). An extra full-relay connection
// is opened while our tip looks stale, and after the initial sync an extra
// block-relay-only connection every few minutes: both look for blocks we
// may be missing. Once the extra peer is up, the peer that helped least
// goes. Pure functions: PeerManager gathers the inputs and disconnects.
#ifndef CAIRN_NET_OUTBOUND_EVICTION_H
#define CAIRN_NET_OUTBOUND_EVICTION_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace cairn {

/** Seconds a peer is connected before an extra-peer eviction may drop it
 *  (Core's MINIMUM_CONNECT_TIME). */
inline constexpr int64_t MINIMUM_CONNECT_TIME = 30;

struct OutboundCandidate {
    int64_t id{0};
    int64_t connected{0};
    /** Full relay: when it last announced a block with more work than our
     *  tip. Block-relay-only: when it last gave us a new block. 0: never. */
    int64_t last_block{0};
    /** One of the first four outbound peers with our tip (chain-sync protect). */
    bool is_protected{false};
    /** Our only full-relay or manual outbound connection on its network. */
    bool only_on_network{false};
    size_t blocks_in_flight{0};
};

/** The full-relay peer to drop when we have one too many: the one that
 *  announced a new block longest ago (the youngest on a tie); never a
 *  protected peer or the only one on its network. */
std::optional<OutboundCandidate> ChooseExtraFullRelayPeer(const std::vector<OutboundCandidate>& peers);

/** The block-relay-only peer to drop: the youngest, unless it gave us a
 *  block more recently than the second youngest, which then goes. */
std::optional<OutboundCandidate> ChooseExtraBlockRelayPeer(const std::vector<OutboundCandidate>& peers);

/** The chosen peer is dropped only once connected long enough and while no
 *  block is being downloaded from it; otherwise it is kept this round. */
bool MayDropExtraPeer(const OutboundCandidate& peer, int64_t now);

} // namespace cairn

#endif
