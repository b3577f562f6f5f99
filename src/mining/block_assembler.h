// Block templates: a block on the current tip that only lacks its proof of
// work. The transactions are the pool's best packages (package_selection.h)
// or a list the caller supplies; the coinbase pays the subsidy and their
// fees, carries the BIP 34 height, is time-locked to the block's height (as
// Bitcoin Core's since v29) and, under segwit, holds the BIP 141 witness
// commitment.
#ifndef CAIRN_MINING_BLOCK_ASSEMBLER_H
#define CAIRN_MINING_BLOCK_ASSEMBLER_H

#include "consensus/block_index.h"
#include "consensus/params.h"
#include "mining/assembler_options.h"
#include "primitives/block.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace cairn {

class ChainstateManager;
class TxMemPool;

/** A transaction to put in a template, in block order, with the fee it pays
 *  (input value minus output value, known to whoever selected it) and its
 *  sigop cost (getblocktemplate's "sigops"; 0 when the caller does not know). */
struct TemplateTx {
    TransactionRef tx;
    Amount fee{0};
    int64_t sigop_cost{0};
};

struct BlockTemplate {
    /** Complete but for the nonce: merkle root set, proof of work not done. */
    Block block;
    /** Fees and sigop costs of block.vtx[1..], in order. */
    std::vector<Amount> tx_fees;
    std::vector<int64_t> tx_sigops;
    /** The coinbase's sigop cost (its legacy sigops, scaled). */
    int64_t coinbase_sigops{0};
    /** The commitment output's script; empty without segwit. */
    Script coinbase_commitment;
    int height{0};
};

/** The weight and transaction count of the last template built (for
 *  getmininginfo's currentblockweight/currentblocktx); nullopt before any. */
struct LastTemplateStats {
    int64_t weight{0};
    uint64_t num_txs{0};
};
std::optional<LastTemplateStats> GetLastTemplateStats();

/** The coinbase scriptSig: the height as BIP 34 requires, then OP_0 so the
 *  script has the two bytes consensus asks for even at heights 1..16. */
Script CoinbaseScriptSig(int height);

/** The earliest time the block after `prev` may carry: one second past the
 *  median time past and, at a period start, not more than MAX_TIMEWARP
 *  before `prev` (BIP 94's rule, kept on every network as Core does so
 *  that templates stay valid wherever it is enforced). */
int64_t GetMinimumTime(const BlockIndex& prev, const ConsensusParams& params);

/** Moves the header's time to max(minimum time, now), never backwards, and
 *  recomputes bits where the difficulty depends on the time (testnets). */
void UpdateTime(BlockHeader& header, const BlockIndex& prev, const ConsensusParams& params, int64_t now);

/** Adds the BIP 141 commitment output and the witness reserved value to the
 *  coinbase when `segwit_active` and the block has none yet; returns the
 *  commitment script (empty when none was added). */
Script AddWitnessCommitment(Block& block, bool segwit_active);

/** After the transactions changed: drops the old commitment, adds a fresh
 *  one (when segwit is active) and recomputes the merkle root. */
void RegenerateCommitments(Block& block, bool segwit_active);

class BlockAssembler
{
public:
    /** Without a pool: templates hold only the transactions given to them. */
    explicit BlockAssembler(ChainstateManager& chainman, BlockAssemblerOptions options = {});
    /** With a pool (may be null) to select from; `options` are clamped. */
    BlockAssembler(ChainstateManager& chainman, const TxMemPool* pool, BlockAssemblerOptions options);

    /**
     * A template on the current tip paying subsidy + fees to
     * `coinbase_script`, filled from the pool by package selection (empty
     * without a pool). Requires chainman.GetMutex() to be held; takes the
     * pool's lock itself. With options.test_block_validity the result is
     * checked like a block (without proof of work) and a failure throws
     * std::runtime_error "CreateNewBlock: TestBlockValidity failed: ...".
     */
    BlockTemplate CreateNewBlock(const Script& coinbase_script);

    /** The same with exactly `txs` after the coinbase, in the order given
     *  (the pool is not consulted). */
    BlockTemplate CreateNewBlock(const Script& coinbase_script, std::span<const TemplateTx> txs, bool test_validity);

private:
    /** Builds the block around the chosen transactions (`weight` already
     *  includes the reserved weight). */
    BlockTemplate Assemble(const Script& coinbase_script, std::vector<TemplateTx> txs, int64_t weight,
                           bool test_validity);

    ChainstateManager& m_chainman;
    const TxMemPool* m_pool{nullptr};
    BlockAssemblerOptions m_options;
};

} // namespace cairn

#endif
