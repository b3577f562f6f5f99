#include "mining/block_assembler.h"

#include "consensus/block_check.h"
#include "consensus/merkle.h"
#include "consensus/pow.h"
#include "consensus/subsidy.h"
#include "consensus/tx_check.h"
#include "consensus/versionbits.h"
#include "crypto/hash.h"
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
    if (params.enforce_BIP94 && height % params.DifficultyAdjustmentInterval() == 0) {
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

BlockTemplate BlockAssembler::CreateNewBlock(const Script& coinbase_script, std::span<const TemplateTx> txs,
                                             bool test_validity)
{
    const BlockIndex* prev = m_chainman.ActiveChain().Tip();
    if (!prev) throw std::runtime_error("CreateNewBlock: no chain tip");
    const ConsensusParams& params = m_chainman.Params().consensus;

    BlockTemplate out;
    out.height = prev->height + 1;
    Block& block = out.block;
    block.version = m_chainman.VersionBits().ComputeBlockVersion(prev, params);
    block.prev_block = prev->GetBlockHash();
    block.time = 0;
    UpdateTime(block, *prev, params, GetTime());
    block.bits = GetNextWorkRequired(prev, block, params);
    block.nonce = 0;

    int64_t weight = DEFAULT_BLOCK_RESERVED_WEIGHT;
    Amount fees = 0;
    block.vtx.reserve(txs.size() + 1);
    block.vtx.emplace_back(); // the coinbase, once the fees are known
    for (const TemplateTx& t : txs) {
        block.vtx.push_back(t.tx);
        out.tx_fees.push_back(t.fee);
        fees += t.fee;
        weight += GetTransactionWeight(*t.tx);
    }

    MutableTransaction coinbase;
    coinbase.vin.resize(1); // a null prevout
    coinbase.vin[0].script_sig = CoinbaseScriptSig(out.height);
    coinbase.vout.emplace_back(fees + GetBlockSubsidy(out.height, params), coinbase_script);
    block.vtx[0] = MakeTransactionRef(std::move(coinbase));

    const bool segwit = DeploymentActiveAfter(prev, params, BuriedDeployment::SEGWIT);
    out.coinbase_commitment = AddWitnessCommitment(block, segwit);
    block.merkle_root = BlockMerkleRoot(block);

    {
        std::lock_guard lock(g_last_stats_mutex);
        g_last_stats = LastTemplateStats{weight, uint64_t(txs.size())};
    }

    if (test_validity) {
        BlockValidationState state;
        if (!m_chainman.TestBlockValidity(block, state, /*check_pow=*/false, /*check_merkle=*/false)) {
            throw std::runtime_error("CreateNewBlock: TestBlockValidity failed: " + state.ToString());
        }
    }
    return out;
}

} // namespace cairn
