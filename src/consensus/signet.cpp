#include "consensus/signet.h"

#include "consensus/block_check.h"
#include "consensus/merkle.h"
#include "consensus/script/interpreter.h"
#include "consensus/script/signature_checker.h"

#include <algorithm>

namespace cairn {

/** The flags a solution is verified with: those of every block since segwit. */
static constexpr ScriptFlags SIGNET_SCRIPT_FLAGS =
    SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_NULLDUMMY;

/** Finds the first push starting with SIGNET_HEADER and carrying more than
 *  it, returns what follows the header, and rewrites the script with that
 *  push cut down to the header alone (what the solution signs). */
static std::optional<Bytes> TakeSolution(Script& commitment)
{
    Script rewritten;
    std::optional<Bytes> solution;
    size_t pc = 0;
    Opcode op;
    ByteSpan data;
    while (commitment.GetOp(pc, op, data)) {
        if (data.empty()) {
            rewritten << op;
            continue;
        }
        if (!solution && data.size() > sizeof(SIGNET_HEADER) &&
            std::equal(std::begin(SIGNET_HEADER), std::end(SIGNET_HEADER), data.begin())) {
            solution = Bytes(data.begin() + sizeof(SIGNET_HEADER), data.end());
            data = data.first(sizeof(SIGNET_HEADER));
        }
        rewritten.PushData(data);
    }
    if (solution) commitment = std::move(rewritten);
    return solution;
}

std::optional<SignetTxs> SignetTxs::Create(const Block& block, const Script& challenge)
{
    SignetTxs txs;
    txs.to_spend.version = 0;
    txs.to_spend.locktime = 0;
    txs.to_spend.vin.resize(1);
    txs.to_spend.vin[0].sequence = 0;
    txs.to_spend.vout.emplace_back(0, challenge);

    txs.to_sign.version = 0;
    txs.to_sign.locktime = 0;
    txs.to_sign.vin.resize(1);
    txs.to_sign.vin[0].sequence = 0;
    txs.to_sign.vout.emplace_back(0, Script() << OP_RETURN);

    if (block.vtx.empty()) return std::nullopt;
    const int pos = GetWitnessCommitmentIndex(block);
    if (pos < 0) return std::nullopt;

    MutableTransaction coinbase;
    const Transaction& cb = *block.vtx[0];
    coinbase.version = cb.version;
    coinbase.vin = cb.vin;
    coinbase.vout = cb.vout;
    coinbase.locktime = cb.locktime;
    if (auto solution = TakeSolution(coinbase.vout[pos].script_pubkey)) {
        try {
            Reader r(*solution);
            txs.to_sign.vin[0].script_sig = Script(r.VarBytes());
            uint64_t items = r.CompactSize();
            for (uint64_t i = 0; i < items; ++i) txs.to_sign.vin[0].witness.stack.push_back(r.VarBytes());
            if (!r.empty()) return std::nullopt;
        } catch (const DeserializeError&) {
            return std::nullopt;
        }
    }
    // Without a solution the challenge must be satisfiable by nothing (e.g. OP_TRUE).

    std::vector<uint256> leaves;
    leaves.reserve(block.vtx.size());
    leaves.push_back(coinbase.GetTxid());
    for (size_t i = 1; i < block.vtx.size(); ++i) leaves.push_back(block.vtx[i]->GetTxid());
    const uint256 signet_merkle = ComputeMerkleRoot(std::move(leaves));

    Bytes block_data;
    VectorWriter w(block_data);
    WriteU32LE(w, uint32_t(block.version));
    w.Write(block.prev_block.span());
    w.Write(signet_merkle.span());
    WriteU32LE(w, block.time);
    txs.to_spend.vin[0].script_sig << OP_0 << block_data;

    txs.to_sign.vin[0].prevout = OutPoint(txs.to_spend.GetTxid(), 0);
    return txs;
}

bool CheckSignetBlockSolution(const Block& block, const ConsensusParams& params)
{
    if (block.GetHash() == params.genesis_hash) return true;
    const Script challenge(params.signet_challenge);
    std::optional<SignetTxs> txs = SignetTxs::Create(block, challenge);
    if (!txs) return false;
    const Transaction to_sign(txs->to_sign);
    PrecomputedTxData txdata(to_sign, {txs->to_spend.vout[0]});
    TransactionSignatureChecker checker(to_sign, 0, txs->to_spend.vout[0].value, txdata);
    return VerifyScript(to_sign.vin[0].script_sig, challenge, &to_sign.vin[0].witness, SIGNET_SCRIPT_FLAGS, checker);
}

} // namespace cairn
