#include "net/outbound_eviction.h"

namespace cairn {

std::optional<OutboundCandidate> ChooseExtraFullRelayPeer(const std::vector<OutboundCandidate>& peers)
{
    std::optional<OutboundCandidate> worst;
    for (const OutboundCandidate& p : peers) {
        if (p.is_protected || p.only_on_network) continue;
        if (!worst || p.last_block < worst->last_block || (p.last_block == worst->last_block && p.id > worst->id)) {
            worst = p;
        }
    }
    return worst;
}

std::optional<OutboundCandidate> ChooseExtraBlockRelayPeer(const std::vector<OutboundCandidate>& peers)
{
    std::optional<OutboundCandidate> youngest, next;
    for (const OutboundCandidate& p : peers) {
        if (!youngest || p.id > youngest->id) {
            next = youngest;
            youngest = p;
        } else if (!next || p.id > next->id) {
            next = p;
        }
    }
    if (!youngest) return std::nullopt;
    // With no second peer to compare with, "more recently" is against never.
    const int64_t next_last_block = next ? next->last_block : 0;
    if (youngest->last_block > next_last_block) return next;
    return youngest;
}

bool MayDropExtraPeer(const OutboundCandidate& peer, int64_t now)
{
    return now - peer.connected >= MINIMUM_CONNECT_TIME && peer.blocks_in_flight == 0;
}

} // namespace cairn
