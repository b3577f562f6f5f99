// What the validation engine is configured with: a plain struct that node/
// fills from the command line and config file, so the engine never parses
// arguments itself.
#ifndef CAIRN_VALIDATION_OPTIONS_H
#define CAIRN_VALIDATION_OPTIONS_H

#include "consensus/chain_params.h"
#include "util/uint256.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

namespace cairn {

class ValidationNotifications;

/** -dbcache default and bounds, in MiB (Bitcoin Core's). */
inline constexpr int64_t DEFAULT_DB_CACHE_MIB = 450;
inline constexpr int64_t MIN_DB_CACHE_MIB = 4;
/** -prune: the smallest target, in MiB. */
inline constexpr uint64_t MIN_PRUNE_TARGET_MIB = 550;
/** Blocks this close to the tip are never pruned (a reorg may need them). */
inline constexpr int MIN_BLOCKS_TO_KEEP = 288;
/** -prune=1: prune mode, but files are deleted only on request (pruneblockchain). */
inline constexpr uint64_t PRUNE_TARGET_MANUAL = UINT64_MAX;

struct ChainstateOptions {
    /** The network's data directory (e.g. ~/.bitcoin/regtest). */
    std::filesystem::path datadir;
    const ChainParams* params{nullptr};
    ValidationNotifications* notifications{nullptr};

    /** Total memory for the UTXO cache and the databases' caches (-dbcache). */
    size_t db_cache_bytes{size_t(DEFAULT_DB_CACHE_MIB) << 20};
    /** -dbbatchsize: a chainstate flush is written in LevelDB batches of
     *  about this many bytes (storage's DEFAULT_DB_BATCH_BYTES); tests lower
     *  it to make flushes span several batches. */
    size_t db_batch_bytes{size_t(4) << 20};
    /** Script-check threads besides the validating thread; 0 checks inline (-par). */
    int script_threads{0};
    size_t signature_cache_bytes{size_t(32) << 20};
    /** Bytes of blk/rev files to keep; 0 disables pruning (-prune). -prune=1
     *  (pruning only through pruneblockchain) is PRUNE_TARGET_MANUAL. */
    uint64_t prune_target_bytes{0};
    /** -fastprune (tests): 64 KiB block files, so that a few blocks span many. */
    bool fast_prune{false};
    /** -blocksxor: a new blocks directory gets a random XOR key for its
     *  blk/rev files (storage/block_files.h, DEFAULT_BLOCKS_XOR); false
     *  keeps the zero key, and refuses to start over a non-zero one. */
    bool blocks_xor{true};
    /** -assumevalid: scripts of its ancestors are not checked; null hash to check everything. */
    std::optional<uint256> assume_valid;
    /** -minimumchainwork override. */
    std::optional<uint256> minimum_chain_work;
    /** -reindex: rebuild the block index and chainstate from the blk files. */
    bool reindex{false};
    /** -reindex-chainstate: rebuild the chainstate from the stored blocks. */
    bool reindex_chainstate{false};
    /** Keep everything in memory (tests). */
    bool memory_only{false};
    /** The node's clock, adjusted by -mocktime/setmocktime; seconds since the epoch. */
    std::function<int64_t()> clock;
    /** Polled between blocks while activating the best chain: true (shutdown
     *  requested) stops it early; the rest is connected at the next start. */
    std::function<bool()> interrupt;
    /** -stopatheight: stop connecting blocks after this height (0: never). */
    int stop_at_height{0};
    /** -maxtipage: a tip older than this (seconds) keeps the node in initial block download. */
    int64_t max_tip_age{24 * 60 * 60};
};

} // namespace cairn

#endif
