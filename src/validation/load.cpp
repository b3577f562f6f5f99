// Start-up: the block tree from disk, the chain tip of the chainstate, the
// repair of an interrupted flush, and the genesis block on a new datadir.
#include "consensus/versionbits.h"
#include "util/log.h"
#include "validation/chainstate_manager.h"
#include "validation/notifications.h"

namespace cairn {

void ChainstateManager::LoadBlockTree()
{
    m_block_tree_db->LoadBlockIndex([&](const DiskBlockIndex& entry) {
        BlockIndex* b = m_tree.GetOrCreate(entry.hash);
        entry.CopyTo(*b);
        if (!entry.header.prev_block.IsNull()) b->prev = m_tree.GetOrCreate(entry.header.prev_block);
        return true;
    });
    m_tree.Link();
    // Transactions up to each block, for the blocks whose ancestors all were
    // received. A pruned block keeps its count (as in Core): the blocks
    // above it still link up to the tip.
    for (BlockIndex* b : m_tree.SortedByHeight()) {
        if (b->tx_count == 0) continue;
        if (!b->prev || b->prev->chain_tx_count) {
            b->chain_tx_count = (b->prev ? b->prev->chain_tx_count : 0) + b->tx_count;
        } else {
            m_unlinked.emplace(b->prev, b);
        }
        // Loaded blocks tie on sequence: prefer none (as Bitcoin Core does).
        b->sequence_id = 0;
    }
    const std::optional<int> last_file = m_block_tree_db->ReadLastBlockFile();
    if (last_file) m_block_files->LoadFileInfo(m_block_tree_db->ReadAllBlockFileInfo(*last_file), *last_file);
}

bool ChainstateManager::RollforwardBlock(const BlockIndex* index, CoinsCache& view)
{
    Block block;
    try {
        block = m_block_files->ReadBlock(FlatFilePos(index->file, index->data_pos));
    } catch (const std::exception& e) {
        LogError("ReplayBlocks(): cannot read block {}: {}", index->GetBlockHash().GetHex(), e.what());
        return false;
    }
    // Part of this block's changes may already be on disk: spends of coins
    // that are gone and outputs that exist are both fine.
    for (const TransactionRef& tx : block.vtx) {
        if (!tx->IsCoinBase()) {
            for (const TxIn& in : tx->vin) view.SpendCoin(in.prevout);
        }
        view.AddCoins(*tx, index->height, true);
    }
    return true;
}

bool ChainstateManager::ReplayBlocks(std::string& error)
{
    const std::vector<uint256> heads = m_coins->GetHeadBlocks();
    if (heads.empty()) return true;
    if (heads.size() != 2) {
        error = "The coins database has a malformed head-blocks record. Please restart with -reindex-chainstate.";
        return false;
    }
    LogInfo("Replaying blocks after an interrupted flush");
    const BlockIndex* new_tip = m_tree.Lookup(heads[0]);
    const BlockIndex* old_tip = heads[1].IsNull() ? nullptr : m_tree.Lookup(heads[1]);
    if (!new_tip || (!heads[1].IsNull() && !old_tip)) {
        error = "The coins database refers to blocks the block index does not have. Please restart with -reindex-chainstate.";
        return false;
    }
    const BlockIndex* fork = old_tip ? LastCommonAncestor(old_tip, new_tip) : nullptr;

    CoinsCache view(m_coins.get());
    // Roll back the old tip's blocks that the new chain does not share.
    for (const BlockIndex* b = old_tip; b && b != fork; b = b->prev) {
        if (b->height == 0) break;
        LogInfo("Rolling back {} ({})", b->GetBlockHash().GetHex(), b->height);
        std::optional<Block> block;
        try {
            block = m_block_files->ReadBlock(FlatFilePos(b->file, b->data_pos));
        } catch (const std::exception& e) {
            error = std::string("Failed to read a block to roll back: ") + e.what() + ". Please restart with -reindex-chainstate.";
            return false;
        }
        if (DisconnectBlock(*block, b, view) == DisconnectResult::FAILED) {
            error = "Failed to roll back block " + b->GetBlockHash().GetHex() + ". Please restart with -reindex-chainstate.";
            return false;
        }
    }
    // Roll forward from the fork to the new tip.
    const int from = fork ? fork->height + 1 : 0;
    for (int h = from; h <= new_tip->height; ++h) {
        const BlockIndex* b = new_tip->GetAncestor(h);
        if (h == 0) continue; // the genesis coinbase is never in the set
        LogInfo("Rolling forward {} ({})", b->GetBlockHash().GetHex(), h);
        if (!RollforwardBlock(b, view)) {
            error = "Failed to roll forward block " + b->GetBlockHash().GetHex() + ". Please restart with -reindex-chainstate.";
            return false;
        }
    }
    view.SetBestBlock(new_tip->GetBlockHash());
    view.Flush();
    m_coins->Flush();
    return true;
}

bool ChainstateManager::LoadChainTip(std::string& error)
{
    const uint256 best = m_coins->GetBestBlock();
    if (best.IsNull()) {
        m_chain.SetTip(nullptr);
        return true;
    }
    BlockIndex* tip = m_tree.Lookup(best);
    if (!tip) {
        error = "The chainstate is at a block the block index does not know. Please restart with -reindex or -reindex-chainstate.";
        return false;
    }
    m_chain.SetTip(tip);
    LogInfo("Loaded best chain: hashBestChain={} height={} date={}", tip->GetBlockHash().GetHex(), tip->height,
            tip->time);
    return true;
}

void ChainstateManager::AddCandidatesAfterLoad()
{
    for (BlockIndex* b : m_tree.SortedByHeight()) {
        if (b->IsValid(BLOCK_VALID_TRANSACTIONS) && b->chain_tx_count > 0) TryAddCandidate(b);
    }
    PruneCandidates();
}

bool ChainstateManager::Load(std::string& error)
{
    {
        std::lock_guard lock(m_mutex);
        try {
            LoadBlockTree();
            // A reindex cut short goes on where it stopped: the blocks it
            // indexed are known, the files are read again from the start.
            m_reindexing = m_opts.reindex || m_block_tree_db->ReadReindexing();
            if (m_reindexing && !m_opts.reindex) LogInfo("Reindexing was interrupted: resuming it");
            if (!LoadPruneState(error)) return false;
            // Marked before anything is rebuilt (the constructor wiped the
            // index): a reindex cut short is detected at the next start.
            // ImportBlocks clears the flag once every blk file is read.
            if (m_opts.reindex) {
                m_block_tree_db->WriteReindexing(true);
                // Files after a gap (pruned ones) cannot be reindexed; the
                // rev files are rewritten as blocks are connected again.
                for (const auto& path : m_block_files->CleanupForReindex()) {
                    LogInfo("Reindex: removing {}", path.filename().string());
                }
            }
            if (!ReplayBlocks(error)) return false;
            if (!LoadChainTip(error)) return false;
            AddCandidatesAfterLoad();
            UpdateIbdState();
        } catch (const std::exception& e) {
            error = std::string("Error loading databases: ") + e.what() +
                    ". You may need to restart with -reindex to rebuild them.";
            return false;
        }
        LogInfo("Block index loaded: {} entries, chain height {}", m_tree.size(), m_chain.Height());
    }

    // A new datadir starts with the genesis block. Not while reindexing: the
    // blk files already hold it (writing it would overwrite their start);
    // ImportBlocks adds it after the reindex if they did not.
    if (!m_reindexing && !Lookup(m_opts.params->consensus.genesis_hash)) {
        auto genesis = std::make_shared<const Block>(m_opts.params->GenesisBlock());
        BlockValidationState state;
        bool is_new = false;
        if (!ProcessNewBlock(genesis, true, true, &is_new, &state)) {
            error = "Failed to store the genesis block: " + state.ToString();
            return false;
        }
    }
    // -reindex-chainstate reconnects every stored block: that runs in the
    // import thread (ImportBlocks ends with ActivateBestChain), as in Core,
    // so that the node (RPC included) is up meanwhile.
    if (m_opts.reindex_chainstate) return true;
    BlockValidationState state;
    if (!ActivateBestChain(state)) {
        error = "Failed to connect the best chain: " + state.ToString();
        return false;
    }
    return true;
}

} // namespace cairn
