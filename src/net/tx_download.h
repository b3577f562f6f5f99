// Deciding which announced transactions to fetch, and what to do with what
// arrives (Bitcoin Core's TxDownloadManager): the request tracker, the
// orphanage, and filters of recently rejected and recently confirmed
// transactions, behind the calls the peer manager makes as messages and
// validation results come in. No sockets, no mempool lock: whether a
// transaction is in the pool is asked through a callback, so this class is
// testable on its own.
//
// Rules (Core 30):
//   - an inv of something we have (pool, orphanage, recently rejected or
//     confirmed) is dropped; otherwise it is tracked and requested from one
//     peer at a time, after 2 s from a non-preferred (inbound) peer, 2 s more
//     for a txid announcement while wtxid-relay peers exist, 2 s more from a
//     peer with 100 requests in flight; a request times out after 60 s;
//     a peer may have 5000 tracked announcements;
//   - a transaction missing inputs goes to the orphanage (unless a parent was
//     rejected) and its missing parents are requested by txid from every
//     peer that announced the orphan;
//   - a rejected transaction's wtxid (not its txid, which a witness can
//     malleate) enters the recent-rejects filter, reset at each new tip; a
//     low-fee one (RECONSIDERABLE) enters a separate filter and, with a child
//     from the same peer in the orphanage, is tried again as a 1-parent-1-
//     child package.
//
// Not thread-safe: the owner (the peer manager's message handler) serialises access.
#ifndef CAIRN_NET_TX_DOWNLOAD_H
#define CAIRN_NET_TX_DOWNLOAD_H

#include "consensus/validation_state.h"
#include "net/orphanage.h"
#include "net/rolling_filter.h"
#include "net/tx_request.h"
#include "policy/packages.h"
#include "primitives/block.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cairn {

/** Requests in flight to one peer before its announcements are delayed. */
inline constexpr size_t MAX_PEER_TX_REQUEST_IN_FLIGHT = 100;
/** Announcements tracked per peer; more are dropped. */
inline constexpr size_t MAX_PEER_TX_ANNOUNCEMENTS = 5000;
/** Delays (microseconds) before requesting: txid announcements while
 *  wtxid-relay peers exist, announcements from non-preferred peers, and from
 *  peers with MAX_PEER_TX_REQUEST_IN_FLIGHT requests in flight. */
inline constexpr int64_t TXID_RELAY_DELAY = 2'000'000;
inline constexpr int64_t NONPREF_PEER_TX_DELAY = 2'000'000;
inline constexpr int64_t OVERLOADED_PEER_TX_DELAY = 2'000'000;
/** How long a requested transaction may take to arrive (microseconds). */
inline constexpr int64_t GETDATA_TX_INTERVAL = 60'000'000;

struct TxDownloadConnectionInfo {
    /** Outbound (or noban) peers that can serve blocks: asked first, without delay. */
    bool preferred{false};
    /** The 'relay' permission: no announcement or in-flight limits. */
    bool relay_permissions{false};
    bool wtxid_relay{false};
};

/** A parent and its child from the orphanage, to validate together. */
struct PackageToValidate {
    Package txns;
    /** Who sent each transaction (same order). */
    std::vector<NodeId> senders;
    std::string ToString() const;
};

/** What the peer manager does after a rejection. */
struct RejectedTxTodo {
    /** Parents requested for a new orphan (they become known to its sender). */
    std::vector<uint256> unique_parents;
    std::optional<PackageToValidate> package_to_validate;
};

class TxDownloadManager
{
public:
    /** Whether the pool holds a transaction with this txid or wtxid. */
    using InPoolFn = std::function<bool(const GenTxid&)>;

    explicit TxDownloadManager(InPoolFn in_pool, bool deterministic = false,
                               unsigned max_orphan_latency_score = DEFAULT_MAX_ORPHANAGE_LATENCY_SCORE,
                               int64_t reserved_orphan_usage_per_peer = DEFAULT_RESERVED_ORPHAN_USAGE_PER_PEER);

    // ---- chain events ----
    /** A new tip: rejected transactions get another chance (a lock time may have passed). */
    void ActiveTipChange();
    /** Confirmed transactions are no longer fetched; orphans they spend or conflict with go. */
    void BlockConnected(const Block& block);
    /** A reorg: confirmed transactions may be needed again. */
    void BlockDisconnected();

    // ---- peers ----
    void ConnectedPeer(NodeId peer, const TxDownloadConnectionInfo& info);
    void DisconnectedPeer(NodeId peer);

    // ---- announcements and requests ----
    /** Known (in the pool, orphanage, a filter); `include_reconsiderable`
     *  also counts low-fee rejections, which only a package can get in. */
    bool AlreadyHaveTx(const GenTxid& gtxid, bool include_reconsiderable);
    /** An inv entry from `peer`. Returns true if we already have it. */
    bool AddTxAnnouncement(NodeId peer, const GenTxid& gtxid, int64_t now);
    /** What to getdata from `peer` now (each becomes REQUESTED). */
    std::vector<GenTxid> GetRequestsToSend(NodeId peer, int64_t now);
    void ReceivedNotFound(NodeId peer, const std::vector<uint256>& txhashes);

    // ---- received transactions and validation results ----
    /** A tx message: (validate it?, a package to validate instead). */
    std::pair<bool, std::optional<PackageToValidate>> ReceivedTx(NodeId peer, const TransactionRef& tx);
    void MempoolAcceptedTx(const TransactionRef& tx);
    /** `first_time_failure`: the tx just arrived (not an orphan reconsidered
     *  or a package member tried again). `now`: for the parents' requests. */
    RejectedTxTodo MempoolRejectedTx(const TransactionRef& tx, const TxValidationState& state, NodeId peer,
                                     bool first_time_failure, int64_t now);
    void MempoolRejectedPackage(const Package& package);

    // ---- orphans waiting to be reconsidered ----
    bool HaveMoreWork(NodeId peer) const;
    TransactionRef GetTxToReconsider(NodeId peer);

    const TxOrphanage& Orphanage() const { return m_orphanage; }
    const TxRequestTracker& Requests() const { return m_txrequest; }
    std::vector<TxOrphanage::OrphanInfo> GetOrphanTransactions() const { return m_orphanage.GetOrphanTransactions(); }

private:
    RollingBloomFilter& RecentRejects();
    RollingBloomFilter& RecentRejectsReconsiderable();
    RollingBloomFilter& RecentConfirmed();
    /** Requests the orphan's parents from `peer` (as if it announced them).
     *  False if the peer cannot take more announcements. */
    bool MaybeAddOrphanResolutionCandidate(const std::vector<uint256>& unique_parents, const uint256& wtxid,
                                           NodeId peer, int64_t now);
    std::optional<PackageToValidate> Find1P1CPackage(const TransactionRef& parent, NodeId peer);
    uint64_t Rand(uint64_t n);

    InPoolFn m_in_pool;
    const bool m_deterministic;
    TxOrphanage m_orphanage;
    TxRequestTracker m_txrequest;
    // Created on first use: most nodes reject little, and they are big.
    std::unique_ptr<RollingBloomFilter> m_recent_rejects;
    std::unique_ptr<RollingBloomFilter> m_recent_rejects_reconsiderable;
    std::unique_ptr<RollingBloomFilter> m_recent_confirmed;
    std::map<NodeId, TxDownloadConnectionInfo> m_peers;
    int m_num_wtxid_peers{0};
    uint64_t m_rand_state{0};
};

} // namespace cairn

#endif
