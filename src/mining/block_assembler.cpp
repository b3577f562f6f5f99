#include "mining/block_assembler.h"

#include "consensus/block_check.h"
#include "consensus/merkle.h"
#include "consensus/pow.h"
#include "consensus/subsidy.h"
#include "consensus/script/sigops.h"
#include "consensus/tx_check.h"
#include "consensus/versionbits.h"
#include "crypto/hash.h"
#include "mempool/tx_mempool.h"
#include "mining/package_selection.h"
#include "util/log.h"
#include "util/time.h"
#include "validation/chainstate_manager.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace cairn {

namespace {

std::mutex g_last_stats_mutex;
std::optional<LastTemplateStats> g_last_stats;

/** OP_RETURN, a 36-byte push, then the BIP 141 tag. */
constexpr uint8_t COMMITMENT_HEADER[6] = {OP_RETURN, 0x24, 0xaa, 0x21, 0xa9, 0xed};

/** The highest sequence that still lets nLockTime count (Core's MAX_SEQUENCE_NONFINAL). */
constexpr uint32_t MAX_SEQUENCE_NONFINAL = TxIn::SEQUENCE_FINAL - 1;

} // namespace

std::optional<LastTemplateStats> GetLastTemplateStats()
{
    std::lock_guard lock(g_last_stats_mutex);
    return g_last_stats;
}

Script CoinbaseScriptSig(int height)
{
    Script s;
    s.PushInt(height);
    s << OP_0;
    return s;
}

int64_t GetMinimumTime(const BlockIndex& prev, const ConsensusParams& params)
{
    int64_t min_time = prev.GetMedianTimePast() + 1;
    const int height = prev.height + 1;
    if (height % params.DifficultyAdjustmentInterval() == 0) {
        min_time = std::max(min_time, prev.GetBlockTime() - MAX_TIMEWARP);
    }
    return min_time;
}

void UpdateTime(BlockHeader& header, const BlockIndex& prev, const ConsensusParams& params, int64_t now)
{
    const int64_t new_time = std::max(GetMinimumTime(prev, params), now);
    if (int64_t(header.time) < new_time) header.time = uint32_t(new_time);
    // On the testnets a late block may drop to the minimum difficulty.
    if (params.pow_allow_min_difficulty_blocks) header.bits = GetNextWorkRequired(&prev, header, params);
}

Script AddWitnessCommitment(Block& block, bool segwit_active)
{
    if (!segwit_active || block.vtx.empty() || GetWitnessCommitmentIndex(block) != -1) return {};
    // The coinbase's wtxid counts as zero, so the root does not depend on
    // the reserved value added below.
    const uint256 witness_root = BlockWitnessMerkleRoot(block);
    const Bytes reserved(32, 0);
    Bytes preimage(witness_root.begin(), witness_root.end());
    preimage.insert(preimage.end(), reserved.begin(), reserved.end());
    const uint256 commitment = Hash256(preimage);

    Script script;
    script.Append(COMMITMENT_HEADER);
    script.Append(commitment.span());

    MutableTransaction coinbase{
        block.vtx[0]->version, block.vtx[0]->vin, block.vtx[0]->vout, block.vtx[0]->locktime};
    coinbase.vout.emplace_back(0, script);
    if (coinbase.vin[0].witness.IsNull()) coinbase.vin[0].witness.stack.push_back(reserved);
    block.vtx[0] = MakeTransactionRef(std::move(coinbase));
    return script;
}

void RegenerateCommitments(Block& block, bool segwit_active)
{
    if (block.vtx.empty()) return;
    const int pos = GetWitnessCommitmentIndex(block);
    if (pos != -1) {
        MutableTransaction coinbase{
            block.vtx[0]->version, block.vtx[0]->vin, block.vtx[0]->vout, block.vtx[0]->locktime};
        coinbase.vout.erase(coinbase.vout.begin() + pos);
        block.vtx[0] = MakeTransactionRef(std::move(coinbase));
    }
    AddWitnessCommitment(block, segwit_active);
    block.merkle_root = BlockMerkleRoot(block);
}

BlockAssembler::BlockAssembler(ChainstateManager& chainman, BlockAssemblerOptions options)
    : BlockAssembler(chainman, nullptr, std::move(options))
{
}

BlockAssembler::BlockAssembler(ChainstateManager& chainman, const TxMemPool* pool, BlockAssemblerOptions options)
    : m_chainman(chainman), m_pool(pool), m_options(ClampOptions(std::move(options)))
{
}

BlockTemplate BlockAssembler::CreateNewBlock(const Script& coinbase_script)
{
    const BlockIndex* prev = m_chainman.ActiveChain().Tip();
    if (!prev) throw std::runtime_error("CreateNewBlock: no chain tip");
    PackageSelection selection;
    selection.block_weight = m_options.block_reserved_weight;
    if (m_pool) {
        std::lock_guard lock(m_pool->GetMutex());
        selection = SelectPackages(*m_pool, prev->height + 1, prev->GetMedianTimePast(), m_options);
    }
    LogDebug(LogCategory::BENCH, "CreateNewBlock() packages: {} packages, {} updated descendants",
             selection.packages_selected, selection.descendants_updated);
    return Assemble(coinbase_script, std::move(selection.txs), selection.block_weight,
                    m_options.test_block_validity);
}

BlockTemplate BlockAssembler::CreateNewBlock(const Script& coinbase_script, std::span<const TemplateTx> txs,
                                             bool test_validity)
{
    int64_t weight = m_options.block_reserved_weight;
    for (const TemplateTx& t : txs) weight += GetTransactionWeight(*t.tx);
    return Assemble(coinbase_script, std::vector<TemplateTx>(txs.begin(), txs.end()), weight, test_validity);
}

BlockTemplate BlockAssembler::Assemble(const Script& coinbase_script, std::vector<TemplateTx> txs, int64_t weight,
                                       bool test_validity)
{
    const BlockIndex* prev = m_chainman.ActiveChain().Tip();
    if (!prev) throw std::runtime_error("CreateNewBlock: no chain tip");
    const ChainParams& chain_params = m_chainman.Params();
    const ConsensusParams& params = chain_params.consensus;

    BlockTemplate out;
    out.height = prev->height + 1;
    Block& block = out.block;
    block.version = m_chainman.VersionBits().ComputeBlockVersion(prev, params);
    // -blockversion, to test forks: regtest only.
    if (chain_params.chain_type == ChainType::REGTEST && m_options.block_version) {
        block.version = *m_options.block_version;
    }
    block.prev_block = prev->GetBlockHash();
    block.time = 0;
    UpdateTime(block, *prev, params, GetTime());
    block.bits = GetNextWorkRequired(prev, block, params);
    block.nonce = 0;

    Amount fees = 0;
    block.vtx.reserve(txs.size() + 1);
    block.vtx.emplace_back(); // the coinbase, once the fees are known
    for (const TemplateTx& t : txs) {
        block.vtx.push_back(t.tx);
        out.tx_fees.push_back(t.fee);
        out.tx_sigops.push_back(t.sigop_cost);
        fees += t.fee;
    }

    MutableTransaction coinbase;
    coinbase.vin.resize(1); // a null prevout
    coinbase.vin[0].script_sig = CoinbaseScriptSig(out.height);
    // Time-locked to the previous height, so that a coinbase can never be
    // repeated in a later block (BIP 30 without the lookups); the sequence
    // must not be final for the lock to count.
    coinbase.vin[0].sequence = MAX_SEQUENCE_NONFINAL;
    coinbase.locktime = uint32_t(out.height - 1);
    coinbase.vout.emplace_back(fees + GetBlockSubsidy(out.height, params), coinbase_script);
    block.vtx[0] = MakeTransactionRef(std::move(coinbase));

    const bool segwit = DeploymentActiveAfter(prev, params, BuriedDeployment::SEGWIT);
    out.coinbase_commitment = AddWitnessCommitment(block, segwit);
    block.merkle_root = BlockMerkleRoot(block);
    out.coinbase_sigops = int64_t(WITNESS_SCALE_FACTOR) * GetLegacySigOpCount(*block.vtx[0]);

    {
        std::lock_guard lock(g_last_stats_mutex);
        g_last_stats = LastTemplateStats{weight, uint64_t(txs.size())};
    }
    LogInfo("CreateNewBlock(): block weight: {} txs: {} fees: {}", GetBlockWeight(block), txs.size(), fees);

    if (test_validity) {
        BlockValidationState state;
        if (!m_chainman.TestBlockValidity(block, state, /*check_pow=*/false, /*check_merkle=*/false)) {
            throw std::runtime_error("CreateNewBlock: TestBlockValidity failed: " + state.ToString());
        }
    }
    return out;
}

} // namespace cairn
