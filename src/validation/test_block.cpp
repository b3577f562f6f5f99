// Checking a block on top of the current tip without keeping anything: the
// miner's last look at a template (and generateblock's and submitblock's
// way of learning why a block fails), as Bitcoin Core's TestBlockValidity.
#include "consensus/block_check.h"
#include "validation/chainstate_manager.h"

namespace cairn {

bool ChainstateManager::TestBlockValidity(const Block& block, BlockValidationState& state, bool check_pow,
                                          bool check_merkle)
{
    BlockIndex* tip = m_chain.Tip();
    if (!tip || block.prev_block != tip->GetBlockHash()) {
        return state.Invalid(BlockResult::MISSING_PREV, "inconclusive-not-best-prevblk");
    }
    const ConsensusParams& params = m_opts.params->consensus;

    // A stand-in entry for the block: linked to the tip but never added to
    // the tree, so nothing refers to it once this returns.
    const uint256 hash = block.GetHash();
    BlockIndex dummy;
    dummy.hash = &hash;
    dummy.prev = tip;
    dummy.height = tip->height + 1;
    dummy.version = block.version;
    dummy.merkle_root = block.merkle_root;
    dummy.time = block.time;
    dummy.bits = block.bits;
    dummy.nonce = block.nonce;
    dummy.BuildSkip();

    if (!ContextualCheckBlockHeader(block, state, *tip, params, m_opts.clock())) return false;
    if (!CheckBlock(block, state, params, check_pow, check_merkle)) return false;
    if (!ContextualCheckBlock(block, state, tip, params)) return false;
    // A child cache over the real one, dropped unflushed.
    CoinsCache scratch(m_coins.get());
    return ConnectBlock(block, state, &dummy, scratch, /*just_check=*/true);
}

} // namespace cairn
