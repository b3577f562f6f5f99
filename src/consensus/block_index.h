// One entry of the block tree: a header with its height, its link to the
// parent and the total work up to it.
//
// Entries are plain data owned by validation/'s block tree; the consensus
// rules (proof of work, median time, version bits) only read them through
// `prev`, so they stay pure functions of the chain they are given.
#ifndef CAIRN_CONSENSUS_BLOCK_INDEX_H
#define CAIRN_CONSENSUS_BLOCK_INDEX_H

#include "primitives/block.h"
#include "util/arith_uint256.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace cairn {

/** Validity levels a block has reached (ordered), plus data and failure bits. */
enum BlockStatus : uint32_t {
    BLOCK_VALID_UNKNOWN = 0,
    BLOCK_VALID_RESERVED = 1,     // parsed, version ok, hash satisfies its claimed target
    BLOCK_VALID_TREE = 2,         // all parents found, difficulty and timestamps valid
    BLOCK_VALID_TRANSACTIONS = 3, // the transactions are valid on their own (CheckBlock)
    BLOCK_VALID_CHAIN = 4,        // outputs never overspend, no double spends, coinbase amount ok
    BLOCK_VALID_SCRIPTS = 5,      // scripts and signatures valid
    BLOCK_VALID_MASK = 7,

    BLOCK_HAVE_DATA = 8,          // full block in a blk file
    BLOCK_HAVE_UNDO = 16,         // undo data in a rev file
    BLOCK_HAVE_MASK = BLOCK_HAVE_DATA | BLOCK_HAVE_UNDO,

    BLOCK_FAILED_VALID = 32,      // this block failed validation
    BLOCK_FAILED_CHILD = 64,      // a parent failed
    BLOCK_FAILED_MASK = BLOCK_FAILED_VALID | BLOCK_FAILED_CHILD,

    BLOCK_OPT_WITNESS = 128,      // validated with witness rules in force
};

struct BlockIndex {
    const uint256* hash{nullptr}; // points at the key of the owning map
    BlockIndex* prev{nullptr};
    BlockIndex* skip{nullptr};    // an ancestor further back, for O(log n) GetAncestor
    int height{0};

    // Header fields.
    int32_t version{0};
    uint256 merkle_root;
    uint32_t time{0};
    uint32_t bits{0};
    uint32_t nonce{0};

    arith_uint256 chain_work;     // total work of the chain up to and including this block
    uint32_t status{BLOCK_VALID_UNKNOWN};
    unsigned int tx_count{0};     // transactions in this block, once known
    uint64_t chain_tx_count{0};   // transactions in the chain up to here, when all parents have data
    int32_t sequence_id{0};       // order in which blocks were received, to break work ties
    uint32_t time_max{0};         // max time of this block and its ancestors

    // Where the block and its undo data are stored (validation/ fills these).
    int file{-1};
    unsigned int data_pos{0};
    unsigned int undo_pos{0};

    static constexpr int MEDIAN_TIME_SPAN = 11;

    const uint256& GetBlockHash() const { return *hash; }
    BlockHeader GetBlockHeader() const
    {
        BlockHeader h;
        h.version = version;
        if (prev) h.prev_block = prev->GetBlockHash();
        h.merkle_root = merkle_root;
        h.time = time;
        h.bits = bits;
        h.nonce = nonce;
        return h;
    }
    int64_t GetBlockTime() const { return time; }

    /** Median of the times of this block and up to 10 ancestors (BIP 113). */
    int64_t GetMedianTimePast() const
    {
        std::array<int64_t, MEDIAN_TIME_SPAN> times;
        int n = 0;
        for (const BlockIndex* p = this; p && n < MEDIAN_TIME_SPAN; p = p->prev) times[n++] = p->time;
        std::sort(times.begin(), times.begin() + n);
        return times[n / 2];
    }

    bool IsValid(BlockStatus up_to = BLOCK_VALID_TRANSACTIONS) const
    {
        if (status & BLOCK_FAILED_MASK) return false;
        return (status & BLOCK_VALID_MASK) >= up_to;
    }

    /** The ancestor at `h` (this block when h == height), or null. */
    BlockIndex* GetAncestor(int h);
    const BlockIndex* GetAncestor(int h) const { return const_cast<BlockIndex*>(this)->GetAncestor(h); }
    /** Sets `skip` once `prev` is set; call when linking a new entry. */
    void BuildSkip();
};

/** Work represented by a block's target: 2^256 / (target + 1). */
arith_uint256 GetBlockProof(const BlockIndex& block);
/** The same for a header's compact target (0 if it is not a valid target). */
arith_uint256 GetBlockProof(uint32_t bits);

/** The last common ancestor of two entries. */
const BlockIndex* LastCommonAncestor(const BlockIndex* a, const BlockIndex* b);

} // namespace cairn

#endif
