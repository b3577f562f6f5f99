// Block templates: a block on the current tip that only lacks its proof of
// work. The coinbase pays the subsidy and the fees of the transactions the
// caller supplies (the mempool's selection once it exists; generateblock's
// list today) and carries the BIP 34 height and, under segwit, the BIP 141
// witness commitment.
#ifndef CAIRN_MINING_BLOCK_ASSEMBLER_H
#define CAIRN_MINING_BLOCK_ASSEMBLER_H

#include "consensus/block_index.h"
#include "consensus/params.h"
#include "primitives/block.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace cairn {

class ChainstateManager;

/** Weight kept free for the header, the transaction count and the coinbase
 *  (Bitcoin Core's -blockreservedweight default). */
inline constexpr int64_t DEFAULT_BLOCK_RESERVED_WEIGHT = 4000;

/** A transaction to put in a template, in block order, with the fee it pays
 *  (input value minus output value, known to whoever selected it). */
struct TemplateTx {
    TransactionRef tx;
    Amount fee{0};
};

struct BlockTemplate {
    /** Complete but for the nonce: merkle root set, proof of work not done. */
    Block block;
    /** Fees of block.vtx[1..], in order. */
    std::vector<Amount> tx_fees;
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
 *  median time past and, under BIP 94 at a period start, not more than
 *  MAX_TIMEWARP before `prev`. */
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
    explicit BlockAssembler(ChainstateManager& chainman) : m_chainman(chainman) {}

    /**
     * A template on the current tip paying subsidy + fees to
     * `coinbase_script`, with `txs` after the coinbase in the order given.
     * Requires chainman.GetMutex() to be held. With `test_validity` the
     * result is checked like a block (without proof of work) and a failure
     * throws std::runtime_error "CreateNewBlock: TestBlockValidity failed: ...".
     */
    BlockTemplate CreateNewBlock(const Script& coinbase_script, std::span<const TemplateTx> txs = {},
                                 bool test_validity = true);

private:
    ChainstateManager& m_chainman;
};

} // namespace cairn

#endif
