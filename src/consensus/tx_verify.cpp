#include "consensus/tx_verify.h"

#include "consensus/consensus.h"
#include "util/strencodings.h"

#include <algorithm>

namespace cairn {

bool IsFinalTx(const Transaction& tx, int block_height, int64_t block_time)
{
    if (tx.locktime == 0) return true;
    const int64_t limit = tx.locktime < LOCKTIME_THRESHOLD ? int64_t(block_height) : block_time;
    if (int64_t(tx.locktime) < limit) return true;
    // An unsatisfied lock time is ignored when every input opted out of it.
    return std::all_of(tx.vin.begin(), tx.vin.end(),
                       [](const TxIn& in) { return in.sequence == TxIn::SEQUENCE_FINAL; });
}

std::pair<int, int64_t> CalculateSequenceLocks(const Transaction& tx, unsigned int flags,
                                               std::vector<int>& prev_heights, const BlockIndex& block)
{
    int min_height = -1;
    int64_t min_time = -1;
    // Version is compared as unsigned, so "negative" versions also enforce BIP 68.
    if (tx.version < 2 || !(flags & LOCKTIME_VERIFY_SEQUENCE)) return {min_height, min_time};
    for (size_t i = 0; i < tx.vin.size(); ++i) {
        const uint32_t seq = tx.vin[i].sequence;
        if (seq & TxIn::SEQUENCE_LOCKTIME_DISABLE_FLAG) {
            prev_heights[i] = 0;
            continue;
        }
        const int coin_height = prev_heights[i];
        if (seq & TxIn::SEQUENCE_LOCKTIME_TYPE_FLAG) {
            // Time locks count from the median time past of the block before the coin's.
            const int64_t coin_time = block.GetAncestor(std::max(coin_height - 1, 0))->GetMedianTimePast();
            const int64_t span = int64_t(seq & TxIn::SEQUENCE_LOCKTIME_MASK) << TxIn::SEQUENCE_LOCKTIME_GRANULARITY;
            min_time = std::max(min_time, coin_time + span - 1);
        } else {
            min_height = std::max(min_height, coin_height + int(seq & TxIn::SEQUENCE_LOCKTIME_MASK) - 1);
        }
    }
    return {min_height, min_time};
}

bool EvaluateSequenceLocks(const BlockIndex& block, std::pair<int, int64_t> lock)
{
    const int64_t block_time = block.prev->GetMedianTimePast();
    return lock.first < block.height && lock.second < block_time;
}

bool SequenceLocks(const Transaction& tx, unsigned int flags, std::vector<int>& prev_heights, const BlockIndex& block)
{
    return EvaluateSequenceLocks(block, CalculateSequenceLocks(tx, flags, prev_heights, block));
}

bool CheckTxInputs(const Transaction& tx, TxValidationState& state, std::span<const Coin* const> coins,
                   int spend_height, Amount& fee)
{
    for (const Coin* coin : coins) {
        if (!coin || coin->IsSpent()) {
            return state.Invalid(TxResult::MISSING_INPUTS, "bad-txns-inputs-missingorspent",
                                 "CheckTxInputs: inputs missing/spent");
        }
    }
    Amount value_in = 0;
    for (const Coin* coin : coins) {
        if (coin->IsCoinBase() && spend_height - int(coin->height) < COINBASE_MATURITY) {
            return state.Invalid(TxResult::PREMATURE_SPEND, "bad-txns-premature-spend-of-coinbase",
                                 "tried to spend coinbase at depth " + std::to_string(spend_height - int(coin->height)));
        }
        value_in += coin->out.value;
        if (!MoneyRange(coin->out.value) || !MoneyRange(value_in)) {
            return state.Invalid(TxResult::CONSENSUS, "bad-txns-inputvalues-outofrange");
        }
    }
    const Amount value_out = tx.GetValueOut();
    if (value_in < value_out) {
        return state.Invalid(TxResult::CONSENSUS, "bad-txns-in-belowout",
                             "value in (" + FormatMoney(value_in) + ") < value out (" + FormatMoney(value_out) + ")");
    }
    const Amount tx_fee = value_in - value_out;
    if (!MoneyRange(tx_fee)) return state.Invalid(TxResult::CONSENSUS, "bad-txns-fee-outofrange");
    fee = tx_fee;
    return true;
}

} // namespace cairn
