#include "policy/rbf.h"

#include "util/strencodings.h"

namespace cairn {

std::optional<std::string> CheckReplacementCandidates(std::span<const uint64_t> counts, const uint256& txid)
{
    uint64_t total = 0;
    for (uint64_t n : counts) {
        total += n;
        if (total > MAX_REPLACEMENT_CANDIDATES) {
            return "rejecting replacement " + txid.GetHex() + "; too many potential replacements (" +
                   std::to_string(total) + " > " + std::to_string(MAX_REPLACEMENT_CANDIDATES) + ")";
        }
    }
    return std::nullopt;
}

std::optional<std::string> HasNoNewUnconfirmed(const Transaction& tx, const std::set<uint256>& parents_of_conflicts,
                                               const std::function<bool(const uint256&)>& in_mempool)
{
    // Requiring new inputs to be confirmed keeps a replacement from needing
    // low-feerate unconfirmed parents mined first; checking the mempool is
    // cheaper than the UTXO set.
    for (size_t j = 0; j < tx.vin.size(); ++j) {
        const uint256& parent = tx.vin[j].prevout.hash;
        if (parents_of_conflicts.count(parent)) continue;
        if (in_mempool && in_mempool(parent)) {
            return "replacement " + tx.GetTxid().GetHex() + " adds unconfirmed input, idx " + std::to_string(j);
        }
    }
    return std::nullopt;
}

std::optional<std::string> EntriesAndTxidsDisjoint(std::span<const uint256> ancestor_txids,
                                                   const std::set<uint256>& direct_conflicts, const uint256& txid)
{
    for (const uint256& ancestor : ancestor_txids) {
        if (direct_conflicts.count(ancestor)) {
            return txid.GetHex() + " spends conflicting transaction " + ancestor.GetHex();
        }
    }
    return std::nullopt;
}

std::optional<std::string> PaysMoreThanConflicts(std::span<const FeeRate> conflict_feerates,
                                                 FeeRate replacement_feerate, const uint256& txid)
{
    // Only direct conflicts count: a high-feerate child of a conflict is
    // covered by the absolute fee rule instead.
    for (const FeeRate& original : conflict_feerates) {
        if (replacement_feerate <= original) {
            return "rejecting replacement " + txid.GetHex() + "; new feerate " + replacement_feerate.ToString() +
                   " <= old feerate " + original.ToString();
        }
    }
    return std::nullopt;
}

std::optional<std::string> PaysForRBF(Amount original_fees, Amount replacement_fees, int64_t replacement_vsize,
                                      FeeRate relay_fee, const uint256& txid)
{
    // Rule 3: otherwise the bandwidth the evicted transactions used goes unpaid.
    if (replacement_fees < original_fees) {
        return "rejecting replacement " + txid.GetHex() + ", less fees than conflicting txs; " +
               FormatMoney(replacement_fees) + " < " + FormatMoney(original_fees);
    }
    // Rule 4: otherwise one could make every node relay again and again for
    // a satoshi more each time.
    const Amount additional_fees = replacement_fees - original_fees;
    const Amount needed = relay_fee.GetFee(replacement_vsize);
    if (additional_fees < needed) {
        return "rejecting replacement " + txid.GetHex() + ", not enough additional fees to relay; " +
               FormatMoney(additional_fees) + " < " + FormatMoney(needed);
    }
    return std::nullopt;
}

} // namespace cairn
