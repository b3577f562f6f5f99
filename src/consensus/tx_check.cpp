#include "consensus/tx_check.h"

#include "consensus/consensus.h"

#include <algorithm>
#include <vector>

namespace cairn {

int64_t GetTransactionWeight(const Transaction& tx)
{
    return int64_t(tx.GetStrippedSize()) * (WITNESS_SCALE_FACTOR - 1) + int64_t(tx.GetTotalSize());
}

static bool HasDuplicateInputs(const Transaction& tx)
{
    // Sorting a copy is faster than a set for the sizes seen in practice, and allocates once.
    std::vector<const OutPoint*> prevouts;
    prevouts.reserve(tx.vin.size());
    for (const TxIn& in : tx.vin) prevouts.push_back(&in.prevout);
    std::sort(prevouts.begin(), prevouts.end(), [](const OutPoint* a, const OutPoint* b) { return *a < *b; });
    return std::adjacent_find(prevouts.begin(), prevouts.end(),
                              [](const OutPoint* a, const OutPoint* b) { return *a == *b; }) != prevouts.end();
}

bool CheckTransaction(const Transaction& tx, TxValidationState& state)
{
    if (tx.vin.empty()) return state.Invalid(TxResult::CONSENSUS, "bad-txns-vin-empty");
    if (tx.vout.empty()) return state.Invalid(TxResult::CONSENSUS, "bad-txns-vout-empty");
    // Size limit on the stripped form (the witness is bounded by the block weight).
    if (tx.GetStrippedSize() * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT) {
        return state.Invalid(TxResult::CONSENSUS, "bad-txns-oversize");
    }

    Amount total = 0;
    for (const TxOut& out : tx.vout) {
        if (out.value < 0) return state.Invalid(TxResult::CONSENSUS, "bad-txns-vout-negative");
        if (out.value > MAX_MONEY) return state.Invalid(TxResult::CONSENSUS, "bad-txns-vout-toolarge");
        total += out.value;
        if (!MoneyRange(total)) return state.Invalid(TxResult::CONSENSUS, "bad-txns-txouttotal-toolarge");
    }

    // CVE-2018-17144: a transaction spending the same output twice must never get in.
    if (HasDuplicateInputs(tx)) return state.Invalid(TxResult::CONSENSUS, "bad-txns-inputs-duplicate");

    if (tx.IsCoinBase()) {
        size_t len = tx.vin[0].script_sig.size();
        if (len < 2 || len > 100) return state.Invalid(TxResult::CONSENSUS, "bad-cb-length");
    } else {
        for (const TxIn& in : tx.vin) {
            if (in.prevout.IsNull()) return state.Invalid(TxResult::CONSENSUS, "bad-txns-prevout-null");
        }
    }
    return true;
}

} // namespace cairn
