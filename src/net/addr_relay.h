// Address relay state (the addr part of Bitcoin Core's net_processing):
// what one peer's addr/addrv2/getaddr exchange remembers, and what the
// peer manager shares for it. The behaviour is in addr_relay.cpp
// (PeerManager member functions); see doc/design/p2p.md, "Address relay".
#ifndef CAIRN_NET_ADDR_RELAY_H
#define CAIRN_NET_ADDR_RELAY_H

#include "net/fast_random.h"
#include "net/messages.h"
#include "net/protocol.h"
#include "net/rolling_filter.h"

#include <memory>
#include <vector>

namespace cairn {

class AddrMan;
class BanMan;
class LocalAddresses;

/** Average seconds between our self-advertisements to one peer. */
inline constexpr int64_t AVG_LOCAL_ADDRESS_BROADCAST_INTERVAL = 24 * 60 * 60;
/** Average seconds between addr messages to one peer (relayed addresses are batched). */
inline constexpr int64_t AVG_ADDRESS_BROADCAST_INTERVAL = 30;
/** The peers an address is relayed to stay the same for this long (seconds). */
inline constexpr int64_t ROTATE_ADDR_RELAY_DEST_INTERVAL = 24 * 60 * 60;
/** Token bucket for addresses processed from one peer: refill rate and size. */
inline constexpr double MAX_ADDR_RATE_PER_SECOND = 0.1;
inline constexpr double MAX_ADDR_PROCESSING_TOKEN_BUCKET = double(MAX_ADDR_TO_SEND);
/** getaddr answers hold at most this percentage of the address manager. */
inline constexpr size_t MAX_PCT_ADDR_TO_SEND = 23;
/** Seconds an addr-fetch connection may live (10 broadcast intervals). */
inline constexpr int64_t ADDR_FETCH_TIMEOUT = 10 * AVG_ADDRESS_BROADCAST_INTERVAL;

/** One peer's address relay. */
struct AddrRelayState {
    /** Set up for outbound full-relay peers at version, for inbound ones at their first addr
     *  message or getaddr; never for block-relay-only peers. */
    bool enabled{false};
    /** Addresses the peer knows (sent by it or to it), so none is sent twice; keyed by
     *  SHA-256 of the address and port (AddrKnownKey). */
    std::unique_ptr<RollingBloomFilter> known;
    std::vector<AddrEntry> to_send;
    /** We asked it for addresses: its next big answer is not relayed and gets extra tokens. */
    bool getaddr_sent{false};
    /** It asked us: one answer per connection. */
    bool getaddr_recvd{false};
    double token_bucket{1.0};
    int64_t token_timestamp_us{0};
    int64_t next_addr_send_us{0};
    int64_t next_local_addr_send_us{0};
    uint64_t processed{0};
    uint64_t rate_limited{0};
};

/** What address relay shares across peers (owned by the peer manager, under its mutex). */
struct AddrRelayContext {
    AddrMan* addrman{nullptr};
    BanMan* banman{nullptr};
    LocalAddresses* local{nullptr};
    FastRandom rng;
    /** Keys of the hash that picks the relay destinations. */
    uint64_t k0{0}, k1{0};
};

} // namespace cairn

#endif
