// The validation engine: the block tree, the active chain and the UTXO set.
//
// Blocks and headers arrive in any order (from peers, RPC, files); the
// manager stores what is valid so far, and moves the active chain to the
// most-work chain it can fully validate, committing the UTXO set to LevelDB
// so that a crash at any moment loses nothing.
//
// Threads: every public method may be called from any thread. m_mutex
// guards the block tree, the chain, the coins and the files (the role of
// Bitcoin Core's cs_main); m_activate_mutex serialises chain activation,
// which takes m_mutex one step at a time so readers are not blocked for a
// whole reorganisation. Notifications are sent with m_mutex released.
#ifndef CAIRN_VALIDATION_CHAINSTATE_MANAGER_H
#define CAIRN_VALIDATION_CHAINSTATE_MANAGER_H

#include "consensus/validation_state.h"
#include "consensus/versionbits.h"
#include "storage/block_files.h"
#include "storage/block_tree_db.h"
#include "storage/coins_db.h"
#include "validation/block_tree.h"
#include "validation/chain.h"
#include "validation/coins_cache.h"
#include "validation/coins_cache_size.h"
#include "validation/coins_db_view.h"
#include "validation/locked_chain_observer.h"
#include "validation/options.h"
#include "validation/script_check.h"
#include "validation/script_exec_cache.h"
#include "validation/sig_cache.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace cairn {

struct ImportStats; // validation/block_import.h

/** The outcome of VerifyDB (Core's VerifyDBResult). */
enum class VerifyDBResult { SUCCESS, CORRUPTED_BLOCK_DB, INTERRUPTED, SKIPPED_L3_CHECKS, SKIPPED_MISSING_BLOCKS };

/** How hard FlushStateToDisk tries. */
enum class FlushMode {
    IF_NEEDED, // only if the coins cache is over its budget
    PERIODIC,  // also if enough time passed since the last write
    ALWAYS,    // now (shutdown, RPC)
};

class ChainstateManager
{
public:
    /** Opens (or creates) the block index, block files and chainstate under
     *  options.datadir. Throws std::runtime_error with a message for the
     *  user if the data cannot be used (newer format, corruption: the
     *  message offers -reindex). */
    explicit ChainstateManager(ChainstateOptions options);
    ~ChainstateManager();
    ChainstateManager(const ChainstateManager&) = delete;
    ChainstateManager& operator=(const ChainstateManager&) = delete;

    /** Loads the block tree and the chainstate, repairs an interrupted
     *  flush, stores the genesis block on a new datadir, and connects any
     *  stored blocks the chainstate is behind. Returns false on a fatal error
     *  (reported through notifications and `error`). */
    bool Load(std::string& error);

    // ---- input ----

    /** Validates headers (in order, each connecting to a known one) and adds
     *  them to the block tree. On failure `state` says why; *first_invalid
     *  (if given) is set to the offending header's entry when there is one. */
    bool ProcessNewBlockHeaders(const std::vector<BlockHeader>& headers, BlockValidationState& state,
                                const BlockIndex** last_accepted = nullptr);
    /** Checks and stores a block, then activates the best chain. Returns
     *  false only if the block itself is invalid; `new_block` tells whether
     *  it was not stored before. */
    bool ProcessNewBlock(const std::shared_ptr<const Block>& block, bool force_processing, bool min_pow_checked,
                         bool* new_block, BlockValidationState* state_out = nullptr);
    /** Moves the active chain to the most-work valid chain. `block`, if
     *  given, is a block just received: it is connected from memory rather
     *  than read back from disk. */
    bool ActivateBestChain(BlockValidationState& state, std::shared_ptr<const Block> block = nullptr);

    /** Marks a block and its descendants invalid and moves the chain off them. */
    bool InvalidateBlock(BlockValidationState& state, const uint256& hash);
    /** Clears invalidity of a block, its ancestors and descendants. */
    bool ReconsiderBlock(BlockValidationState& state, const uint256& hash);
    /** Treats a block as if it had arrived first among those of equal work. */
    bool PreciousBlock(BlockValidationState& state, const uint256& hash);
    /** verifychain / -checkblocks: checks the last `depth` blocks (0: all) at `level` 0-4 (verify_db.cpp). */
    bool VerifyDB(int level, int depth, const std::function<bool()>& interrupt = {});
    /** The same, telling a damaged database from a check that could not be done in full. */
    VerifyDBResult VerifyDBDetailed(int level, int depth, const std::function<bool()>& interrupt = {});

    /** On -reindex, rebuilds the block index from the node's own blk files
     *  (blocks are accepted where they are stored, never written again) and
     *  clears the reindex flag once done; then imports blocks from
     *  blk-format files (-loadblock), connecting them as they are read.
     *  Damaged records are logged and skipped. `interrupt` (polled) stops
     *  the import early; an interrupted reindex keeps its flag, and the next
     *  start resumes it (IsReindexing), as Core does. Defined in
     *  block_import.cpp; ImportStats is in validation/block_import.h. */
    ImportStats ImportBlocks(const std::vector<std::filesystem::path>& files,
                             const std::function<bool()>& interrupt = {});
    /** After Load: the blk files are being indexed again, by -reindex or
     *  because an earlier reindex was cut short. */
    bool IsReindexing() const { return m_reindexing; }
    /** Core's LoadingBlocks: an import (-reindex, -loadblock) is running or
     *  about to; the P2P layer then neither asks for nor takes blocks, which
     *  a reindex must be the only one to write. Set by the node before it
     *  starts networking and by ImportBlocks, cleared when ImportBlocks ends. */
    bool LoadingBlocks() const { return m_importing; }
    void SetLoadingBlocks(bool importing) { m_importing = importing; }

    bool FlushStateToDisk(FlushMode mode, BlockValidationState& state);

    // ---- queries (take the lock themselves) ----

    int Height() const;
    uint256 TipHash() const;
    const BlockIndex* Tip() const;
    const BlockIndex* Lookup(const uint256& hash) const;
    const BlockIndex* BestHeader() const;
    bool IsInitialBlockDownload() const;
    std::optional<Coin> GetCoin(const OutPoint& outpoint) const;
    /** The stored block of an entry; nullopt if not (or no longer) stored. */
    std::optional<Block> ReadBlock(const BlockIndex& index) const;
    /** The stored undo data of an entry (block_reads.cpp); nullopt if there
     *  is none (genesis, not connected yet, pruned). Throws BlockFileError
     *  if the stored data is damaged. */
    std::optional<BlockUndo> ReadBlockUndo(const BlockIndex& index) const;

    // ---- pruning (prune.cpp) ----

    /** -prune is set (automatic or manual mode). */
    bool IsPruneMode() const;
    /** The lowest height from which the active chain has all block data up
     *  to the tip (Core's getblockchaininfo "pruneheight"); 0 if nothing was
     *  pruned. */
    int PruneHeight() const;
    /** Bytes of blk and rev files in use (getblockchaininfo "size_on_disk"). */
    uint64_t BlockFilesUsage() const;
    /** pruneblockchain: flushes, then deletes the blk/rev files whose blocks
     *  are all at or below `height` (never above tip - MIN_BLOCKS_TO_KEEP).
     *  No-op unless in prune mode. Returns false on a fatal write error. */
    bool PruneBlockFilesManual(int height);

    /** The script flags a block at `index` is checked with (its buried
     *  deployments, or its listed exception); the mempool checks new
     *  transactions against the tip's so that the signature cache can vouch
     *  for them. Under GetMutex(). */
    ScriptFlags GetBlockScriptFlags(const BlockIndex& index) const;

    /** Hooks run under the engine's lock as the chain moves (the mempool's
     *  reorg handling); not owned, set before the node starts (null: none). */
    void SetLockedObserver(LockedChainObserver* observer) { m_locked_observer = observer; }
    /** The mempool's limit and use (node/ wires it; null: no mempool), read
     *  under the engine's lock when deciding whether to flush: the coins
     *  cache may grow into what the mempool leaves unused (Core's
     *  GetCoinsCacheSizeState). It may take the mempool's lock (taken after
     *  the engine's), never the engine's. Set under GetMutex(). */
    void SetMempoolMemorySource(std::function<MempoolMemory()> source) { m_mempool_memory = std::move(source); }

    /** The lock guarding tree, chain and coins, for callers that need several queries at once. */
    std::mutex& GetMutex() const { return m_mutex; }
    // Under GetMutex():
    const Chain& ActiveChain() const { return m_chain; }
    const BlockTree& Tree() const { return m_tree; }
    CoinsCache& Coins() { return *m_coins; }
    CoinsDB& CoinsDatabase() { return *m_coins_db; }
    const ChainParams& Params() const { return *m_opts.params; }
    VersionBitsCache& VersionBits() { return m_versionbits; }
    SignatureCache& SigCache() { return m_sig_cache; }
    /** Transactions whose scripts all passed under some flags (thread-safe,
     *  like SigCache()): filled by mempool acceptance, used by ConnectBlock. */
    ScriptExecutionCache& ScriptExecCache() { return m_script_exec_cache; }
    /** Whether `block` would be valid as the tip's child: every check, the
     *  coins and scripts in a scratch view, nothing stored or marked (Core's
     *  TestBlockValidity; test_block.cpp). A block not on the tip fails with
     *  "inconclusive-not-best-prevblk". Under GetMutex(). */
    bool TestBlockValidity(const Block& block, BlockValidationState& state, bool check_pow = true,
                           bool check_merkle = true);

private:
    friend class BlockImporter; // block_import.cpp: reindex needs AcceptBlock at a known position

    // load.cpp
    void LoadBlockTree();
    bool LoadChainTip(std::string& error);
    bool ReplayBlocks(std::string& error);
    bool RollforwardBlock(const BlockIndex* index, CoinsCache& view);
    void AddCandidatesAfterLoad();

    // accept_block.cpp
    /** CheckBlock (full: proof of work and merkle root included), done once
     *  per block object: a block that passed is remembered, so that
     *  AcceptBlock and ConnectBlock do not check it again on the way from
     *  ProcessNewBlock to the tip (the role of Core's CBlock::fChecked,
     *  without a mutable flag in the immutable Block). */
    bool CheckBlockOnce(const std::shared_ptr<const Block>& block, BlockValidationState& state);
    bool IsCheckedBlock(const Block& block) const { return m_checked_block.get() == &block; }
    bool AcceptBlockHeader(const BlockHeader& header, BlockValidationState& state, BlockIndex** out,
                           bool min_pow_checked);
    /** With `dbp` (-reindex) the block is already stored there: it is
     *  recorded in place instead of written. */
    bool AcceptBlock(const std::shared_ptr<const Block>& block, BlockValidationState& state, BlockIndex** out,
                     bool force_processing, bool* new_block, bool min_pow_checked,
                     const FlatFilePos* dbp = nullptr);
    void ReceivedBlockTransactions(const Block& block, BlockIndex* index, const FlatFilePos& pos);

    // connect_block.cpp
    bool ConnectBlock(const Block& block, BlockValidationState& state, BlockIndex* index, CoinsCache& view,
                      bool just_check = false);
    enum class DisconnectResult { OK, UNCLEAN, FAILED };
    DisconnectResult DisconnectBlock(const Block& block, const BlockIndex* index, CoinsCache& view);
    bool ShouldCheckScripts(const BlockIndex& index) const;

    // activate_chain.cpp
    BlockIndex* FindMostWorkChain();
    /** False (logged) if the blocks of the active chain above the fork with
     *  `candidate` are not all stored with undo data (pruned). */
    bool CanDisconnectTo(const BlockIndex* candidate) const;
    using BlockList = std::vector<std::pair<std::shared_ptr<const Block>, const BlockIndex*>>;
    bool ActivateBestChainStep(BlockValidationState& state, BlockIndex* most_work, const std::shared_ptr<const Block>& hint,
                               BlockList& connected, BlockList& disconnected);
    bool ConnectTip(BlockValidationState& state, BlockIndex* index, std::shared_ptr<const Block> block,
                    BlockList& connected);
    bool DisconnectTip(BlockValidationState& state, BlockList& disconnected);
    void Notify(const BlockList& connected, const BlockList& disconnected);
    /** TipChanged with the sync state and progress; call without m_mutex held. */
    void NotifyTip(const BlockIndex& tip);
    std::shared_ptr<const Block> ReadBlockOrFail(const BlockIndex& index, BlockValidationState& state);
    /** Re-adds every block that could be a tip (after invalidation changes). */
    void RebuildCandidates();
    void InvalidBlockFound(BlockIndex* index, const BlockValidationState& state);
    void InvalidChainFound(BlockIndex* index);
    void PruneCandidates();
    void TryAddCandidate(BlockIndex* index);
    void UpdateIbdState();

    // flush.cpp
    /** With manual_prune_height > 0 (pruneblockchain), prunes up to it. */
    bool FlushLocked(FlushMode mode, BlockValidationState& state, int manual_prune_height = 0);
    void WriteBlockIndex();
    size_t CoinsCacheBudget() const;
    /** The cache's state against its budget plus the mempool's unused bytes. */
    CoinsCacheSizeState GetCoinsCacheSizeState() const;

    // prune.cpp
    /** The files to prune now (changes nothing): automatic, to get under
     *  the -prune target, or with manual_height > 0 (pruneblockchain) every
     *  file whose blocks are all at or below it; never a file with a block
     *  above tip - MIN_BLOCKS_TO_KEEP. */
    std::vector<int> FindFilesToPrune(int manual_height);
    /** The blocks of `file` lose BLOCK_HAVE_DATA/UNDO and its record is
     *  cleared, in memory (the caller writes the index, then unlinks). */
    void PruneOneBlockFile(int file);
    /** Deletes the pruned files (after the index that no longer points into
     *  them is on disk). */
    void UnlinkPrunedFiles(const std::vector<int>& files);
    /** Writes the "prunedblockfiles" flag the first time files are pruned. */
    void MarkPruned();
    /** At load: the "prunedblockfiles" flag, and the -prune consistency check. */
    bool LoadPruneState(std::string& error);

    ChainstateOptions m_opts;
    mutable std::mutex m_mutex;
    std::mutex m_activate_mutex;

    // Storage (guarded by m_mutex).
    std::unique_ptr<BlockTreeDB> m_block_tree_db;
    std::unique_ptr<BlockFileStore> m_block_files;
    std::unique_ptr<CoinsDB> m_coins_db;
    std::unique_ptr<CoinsDBView> m_coins_db_view;
    std::unique_ptr<CoinsCache> m_coins;

    // In-memory state (guarded by m_mutex).
    BlockTree m_tree;
    Chain m_chain;
    /** Blocks with data whose parents all have data, with at least the tip's
     *  work: the tips that activation may try, best last. */
    std::set<BlockIndex*, BlockIndexWorkComparator> m_candidates;
    /** Blocks with data waiting for an ancestor's data, by that parent. */
    std::multimap<BlockIndex*, BlockIndex*> m_unlinked;
    /** The most-work block ever found invalid (for warnings). */
    BlockIndex* m_best_invalid{nullptr};
    VersionBitsCache m_versionbits;
    int32_t m_precious_sequence{-1}; // PreciousBlock hands out decreasing ids
    arith_uint256 m_last_precious_chain_work;
    /** When (m_opts.clock) the next periodic write of the block index and
     *  coins is due; 0 until the first flush check draws it (flush.cpp). */
    int64_t m_next_write_time{0};
    std::atomic<bool> m_ibd_done{false};
    std::atomic<bool> m_importing{false};
    std::atomic<bool> m_reindexing{false}; // set by Load, cleared by ImportBlocks once the files are indexed
    /** Some block files were ever deleted (the block index's "prunedblockfiles" flag). */
    bool m_have_pruned{false};
    /** The last blk file seen by the automatic pruning check: a new file
     *  being started is what makes pruning worth checking (as in Core). */
    int m_prune_checked_file{-1};

    /** The last block that passed CheckBlockOnce. Held (not just its
     *  address) so that no other block can be allocated at that address
     *  while it is remembered; the blocks are immutable. */
    std::shared_ptr<const Block> m_checked_block;

    SignatureCache m_sig_cache;
    ScriptExecutionCache m_script_exec_cache;
    std::unique_ptr<ScriptCheckQueue> m_script_queue;
    LockedChainObserver* m_locked_observer{nullptr};
    std::function<MempoolMemory()> m_mempool_memory;
};

} // namespace cairn

#endif
