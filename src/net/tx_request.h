// Which peer to ask for which announced transaction, and when (Bitcoin
// Core's TxRequestTracker, txrequest.h): the bookkeeping half of transaction
// download, with no knowledge of messages, the mempool or time sources.
//
// Every (peer, txhash) announcement is in one state:
//   CANDIDATE_DELAYED  announced, but its request time has not come
//   CANDIDATE_READY    may be requested from this peer
//   CANDIDATE_BEST     the one READY announcement chosen for its txhash
//   REQUESTED          asked from this peer, waiting until its expiry
//   COMPLETED          answered, timed out, or given up (kept so that the
//                      same peer announcing it again is ignored)
// Per txhash there is at most one BEST or REQUESTED announcement (never
// both), so a transaction is requested from one peer at a time. The BEST is
// the READY announcement with the highest priority: preferred peers first,
// then a per-node random order (keyed hash of txhash and peer), so an
// attacker cannot predict who is asked first. Once every announcement of a
// txhash is COMPLETED, all of them are forgotten.
//
// Times are in microseconds of the caller's (mockable) clock. Not
// thread-safe: the owner serialises access.
#ifndef CAIRN_NET_TX_REQUEST_H
#define CAIRN_NET_TX_REQUEST_H

#include "util/uint256.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

namespace cairn {

using NodeId = int64_t;

/** A transaction identity as announced: a txid or a wtxid (BIP 339). */
struct GenTxid {
    bool is_wtxid{false};
    uint256 hash;

    static GenTxid Txid(const uint256& h) { return {false, h}; }
    static GenTxid Wtxid(const uint256& h) { return {true, h}; }
    friend bool operator==(const GenTxid&, const GenTxid&) = default;
};

class TxRequestTracker
{
public:
    /** `deterministic`: priorities ignore the random key (tests). */
    explicit TxRequestTracker(bool deterministic = false);
    ~TxRequestTracker();
    TxRequestTracker(const TxRequestTracker&) = delete;
    TxRequestTracker& operator=(const TxRequestTracker&) = delete;

    /** A new announcement, CANDIDATE_DELAYED until `reqtime`. Ignored if this
     *  peer already has an announcement (in any state) for the txhash. */
    void ReceivedInv(NodeId peer, const GenTxid& gtxid, bool preferred, int64_t reqtime);
    /** Forgets every announcement of the peer; others take over. */
    void DisconnectedPeer(NodeId peer);
    /** Forgets every announcement of the txhash (we have it, or it was rejected). */
    void ForgetTxHash(const uint256& txhash);

    /** Moves the clock to `now` (DELAYED past their time become READY,
     *  REQUESTED past their expiry become COMPLETED and are appended to
     *  `expired`), then returns the peer's CANDIDATE_BEST announcements in
     *  the order they were announced. */
    std::vector<GenTxid> GetRequestable(NodeId peer, int64_t now,
                                        std::vector<std::pair<NodeId, GenTxid>>* expired = nullptr);
    /** The caller asked `peer` for `txhash`: REQUESTED until `expiry`. Does
     *  nothing unless the peer has a CANDIDATE announcement for it. */
    void RequestedTx(NodeId peer, const uint256& txhash, int64_t expiry);
    /** The peer answered (tx or notfound): its announcement is COMPLETED. */
    void ReceivedResponse(NodeId peer, const uint256& txhash);

    /** REQUESTED announcements of the peer. */
    size_t CountInFlight(NodeId peer) const;
    /** CANDIDATE (DELAYED, READY, BEST) announcements of the peer. */
    size_t CountCandidates(NodeId peer) const;
    /** All announcements of the peer, COMPLETED included. */
    size_t Count(NodeId peer) const;
    /** All announcements. */
    size_t Size() const;
    /** Appends the peers with a non-COMPLETED announcement for `txhash`. */
    void GetCandidatePeers(const uint256& txhash, std::vector<NodeId>& result_peers) const;

    /** The priority used to pick the BEST (higher wins). */
    uint64_t ComputePriority(const uint256& txhash, NodeId peer, bool preferred) const;
    /** Checks every invariant; throws std::logic_error (tests). */
    void SanityCheck() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace cairn

#endif
