// Transaction relay state (the transaction part of Bitcoin Core's
// net_processing): what one peer's inv/getdata/tx/feefilter exchange
// remembers, and what the peer manager shares for it. The behaviour is in
// tx_relay.cpp (PeerManager member functions); the download decisions are in
// tx_download.h, the orphans in orphanage.h. See doc/design/p2p.md,
// "Transaction relay".
#ifndef CAIRN_NET_TX_RELAY_H
#define CAIRN_NET_TX_RELAY_H

#include "consensus/block_index.h"
#include "net/fast_random.h"
#include "net/fee_filter.h"
#include "net/rolling_filter.h"
#include "net/tx_download.h"
#include "primitives/amount.h"
#include "util/uint256.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace cairn {

class TxMemPool;

/** Average delay between trickled inventory to inbound peers (one timer
 *  shared by all of them, so several connections from a spy learn no more
 *  than one) and to outbound peers, in microseconds. */
inline constexpr int64_t INBOUND_INVENTORY_BROADCAST_INTERVAL = 5'000'000;
inline constexpr int64_t OUTBOUND_INVENTORY_BROADCAST_INTERVAL = 2'000'000;
/** Transaction announcements per trickle: 7 per second of the inbound
 *  interval, plus 5 per thousand waiting, at most 1000. */
inline constexpr unsigned INVENTORY_BROADCAST_PER_SECOND = 7;
inline constexpr unsigned INVENTORY_BROADCAST_TARGET = INVENTORY_BROADCAST_PER_SECOND * 5;
inline constexpr unsigned INVENTORY_BROADCAST_MAX = 1000;
static_assert(INVENTORY_BROADCAST_MAX >= INVENTORY_BROADCAST_TARGET);
static_assert(INVENTORY_BROADCAST_MAX <= MAX_PEER_TX_ANNOUNCEMENTS);
/** Average delay between our feefilter messages, and the longest wait after a
 *  big change of our minimum fee (microseconds). */
inline constexpr int64_t AVG_FEEFILTER_BROADCAST_INTERVAL = 10 * 60 * 1'000'000LL;
inline constexpr int64_t MAX_FEEFILTER_CHANGE_DELAY = 5 * 60 * 1'000'000LL;
/** Transactions asked for in one getdata. */
inline constexpr size_t MAX_GETDATA_SZ = 1000;
/** Transactions submitted locally and not yet requested by any peer are
 *  announced again every 10 to 15 minutes (microseconds). */
inline constexpr int64_t UNBROADCAST_INTERVAL_MIN = 10 * 60 * 1'000'000LL;
inline constexpr int64_t UNBROADCAST_INTERVAL_SPREAD = 5 * 60 * 1'000'000LL;
/** Per-peer filter of (w)txids the peer knows (announced by either side). */
inline constexpr uint32_t TX_INVENTORY_KNOWN_SIZE = 50'000;
inline constexpr double TX_INVENTORY_KNOWN_FP_RATE = 0.000001;

/** One peer's transaction relay. */
struct TxRelayState {
    /** Set at version unless this is a block-relay-only or feeler connection
     *  or the peer asked for no transactions (fRelay false; with bloom
     *  filters it could switch relay on later, but Cairn offers none). Core
     *  has no TxRelay object for such peers: no invs to them, their getdata
     *  for transactions ignored, their feefilter not kept. */
    bool enabled{false};
    /** The version message's relay flag. */
    bool relay_txs{false};
    /** (w)txids the peer knows, so nothing is announced to it twice. */
    std::unique_ptr<RollingBloomFilter> known;
    /** What to announce next: wtxids for wtxid-relay peers, else txids. */
    std::set<uint256> to_send;
    /** BIP 35: the peer asked for our whole mempool (needs NODE_BLOOM or the
     *  mempool permission, neither of which Cairn has yet). */
    bool send_mempool{false};
    /** Next trickle (microseconds, mockable clock); 0 until the handshake is
     *  done: nothing is queued before, so arrival times do not leak. */
    int64_t next_inv_send_us{0};
    /** The pool's sequence at our last inv: transactions older than it may
     *  be requested (we may have announced them). */
    uint64_t last_inv_sequence{1};
    /** The feefilter we sent last and when to consider the next one. */
    Amount fee_filter_sent{0};
    int64_t next_send_feefilter_us{0};
    /** Seconds: when the peer last gave us a transaction we accepted (getpeerinfo). */
    int64_t last_tx_time{0};
};

/** What transaction relay shares across peers. Everything is guarded by the
 *  peer manager's m_mutex except `added`, which has its own leaf mutex: the
 *  mempool reports additions under its own lock, from any thread. */
struct TxRelayContext {
    /** Null: no transaction relay (no pool given). Not owned. */
    TxMemPool* mempool{nullptr};
    std::unique_ptr<TxDownloadManager> download;
    /** Core builds its rounder on the default minimum relay fee, whatever -minrelaytxfee says. */
    FeeFilterRounder rounder{FeeRate(100)};
    FastRandom rng;
    int64_t next_inv_to_inbounds_us{0};
    int64_t next_unbroadcast_us{0};
    /** Tip changes seen by ProcessEvents, for the download manager: the
     *  blocks connected since the last one (oldest first) and whether any
     *  were disconnected. */
    std::vector<const BlockIndex*> connected;
    bool tip_changed{false};
    bool disconnected{false};

    std::mutex added_mutex;
    /** (txid, wtxid) of transactions that entered the pool, to announce. */
    std::vector<std::pair<uint256, uint256>> added; // guarded by added_mutex
};

} // namespace cairn

#endif
