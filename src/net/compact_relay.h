// Compact block relay state (BIP 152, the compact block part of Bitcoin
// Core's net_processing): what the peer manager remembers across peers for
// cmpctblock / getblocktxn / blocktxn. The behaviour is in compact_relay.cpp
// (PeerManager member functions), the encodings and the reconstruction in
// blockencodings.h. See doc/design/p2p.md, "Compact blocks".
#ifndef CAIRN_NET_COMPACT_RELAY_H
#define CAIRN_NET_COMPACT_RELAY_H

#include "net/blockencodings.h"
#include "net/node.h"
#include "util/uint256.h"

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace cairn {

/** The only compact block version spoken: short ids of wtxids (segwit). */
inline constexpr uint64_t CMPCTBLOCKS_VERSION = 2;
/** Peers asked to announce new blocks with cmpctblock (BIP 152's limit). */
inline constexpr size_t MAX_HB_CMPCT_PEERS = 3;
/** Peers a block may be downloaded from at once as a compact block. */
inline constexpr size_t MAX_CMPCTBLOCKS_INFLIGHT_PER_BLOCK = 3;
/** getdata(MSG_CMPCT_BLOCK) deeper than this is answered with the full block. */
inline constexpr int MAX_CMPCTBLOCK_DEPTH = 5;
/** getblocktxn deeper than this is answered with the full block. */
inline constexpr int MAX_BLOCKTXN_DEPTH = 10;
/** From this version on a peer is not punished for relaying a compact block
 *  whose transactions turn out invalid (only then is cmpctblock sent before
 *  full validation). */
inline constexpr int INVALID_CB_NO_BAN_VERSION = 70015;
/** Core's -blockreconstructionextratxn default: recent transactions that did
 *  not enter the pool (orphans, replaced, rejected) kept for reconstruction. */
inline constexpr size_t DEFAULT_BLOCK_RECONSTRUCTION_EXTRA_TXN = 100;
/** A rejected transaction using more memory than this is not kept for
 *  reconstruction (Core's bound in ProcessInvalidTx). */
inline constexpr size_t MAX_EXTRA_TXN_USAGE = 100'000;

/** The heap memory a transaction takes (Core's RecursiveDynamicUsage of a
 *  transaction): the object, its input and output vectors, scripts and
 *  witness stacks, each rounded as malloc rounds. */
size_t TransactionMemoryUsage(const Transaction& tx);

/** One compact block download: the peer and the block being rebuilt. The
 *  first peer asked for a block also holds it in the ordinary in-flight map
 *  (timeouts, stalling); up to two more may race it with their cmpctblock. */
struct CompactDownload {
    NodeId peer{-1};
    bool inbound{false};
    std::unique_ptr<PartiallyDownloadedBlock> partial;
};

/** Everything here is guarded by the peer manager's m_mutex. */
struct CompactRelayContext {
    /** Downloads by block hash, in the order they started (a multimap keeps
     *  insertion order among equal keys). */
    std::multimap<uint256, CompactDownload> downloads;
    /** Peers we asked for high-bandwidth announcements (sendcmpct(1)),
     *  oldest first (Core's lNodesAnnouncingHeaderAndIDs). */
    std::list<NodeId> hb_peers;
    /** The highest block announced by cmpctblock as soon as it was connected. */
    int highest_fast_announce{0};
    /** The last block announced on NewPoWValidBlock, kept to serve
     *  cmpctblock, getblocktxn and getdata without reading the disk again
     *  (Core's m_most_recent_block), and its transactions by txid and by
     *  wtxid: getdata may ask for them once they left the pool (Core's
     *  m_most_recent_block_txs). */
    uint256 recent_hash;
    std::shared_ptr<const Block> recent_block;
    Bytes recent_cmpct; // serialized cmpctblock of recent_block
    std::map<uint256, TransactionRef> recent_txs;
    /** Blocks rebuilt from compact blocks whose validation is still to be
     *  reported: under BIP 152 their sender is not punished for an invalid
     *  block (it may relay after checking the header only). */
    std::set<uint256> via_compact;
    /** Ring of extra transactions for reconstruction (Core's vExtraTxnForCompact). */
    std::vector<TransactionRef> extra_txn;
    size_t extra_txn_next{0};
    size_t max_extra_txn{DEFAULT_BLOCK_RECONSTRUCTION_EXTRA_TXN};
};

} // namespace cairn

#endif
