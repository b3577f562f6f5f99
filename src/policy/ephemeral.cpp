#include "policy/ephemeral.h"

#include "policy/policy.h"

#include <map>
#include <set>

namespace cairn {

bool PreCheckEphemeralTx(const Transaction& tx, FeeRate dust_relay_rate, Amount base_fee, Amount mod_fee,
                         TxValidationState& state)
{
    // Paying a fee would make the parent worth mining alone, dust and all.
    if ((base_fee != 0 || mod_fee != 0) && !GetDust(tx, dust_relay_rate).empty()) {
        return state.Invalid(TxResult::NOT_STANDARD, "dust", "tx with dust output must be 0-fee");
    }
    return true;
}

std::optional<size_t> FindUnspentEphemeralDust(const Package& package, FeeRate dust_relay_rate,
                                               const DustLookup& mempool_dust)
{
    std::map<uint256, const Transaction*> in_package;
    for (const TransactionRef& tx : package) in_package.emplace(tx->GetTxid(), tx.get());

    for (size_t i = 0; i < package.size(); ++i) {
        const Transaction& tx = *package[i];
        std::set<uint256> parents_seen;
        std::set<OutPoint> parent_dust;
        for (const TxIn& in : tx.vin) {
            const uint256& parent = in.prevout.hash;
            if (!parents_seen.insert(parent).second) continue;
            if (auto it = in_package.find(parent); it != in_package.end()) {
                for (uint32_t n : GetDust(*it->second, dust_relay_rate)) parent_dust.emplace(parent, n);
            } else if (mempool_dust) {
                if (auto dust = mempool_dust(parent)) {
                    for (uint32_t n : *dust) parent_dust.emplace(parent, n);
                }
            }
        }
        if (parent_dust.empty()) continue;
        for (const TxIn& in : tx.vin) parent_dust.erase(in.prevout);
        if (!parent_dust.empty()) return i;
    }
    return std::nullopt;
}

bool CheckEphemeralSpends(const Package& package, FeeRate dust_relay_rate, const DustLookup& mempool_dust,
                          TxValidationState& out_child_state, uint256& out_child_wtxid)
{
    const std::optional<size_t> failed = FindUnspentEphemeralDust(package, dust_relay_rate, mempool_dust);
    if (!failed) return true;
    const Transaction& child = *package[*failed];
    out_child_wtxid = child.GetWtxid();
    out_child_state.Invalid(TxResult::MEMPOOL_POLICY, "missing-ephemeral-spends",
                            "tx " + child.GetTxid().GetHex() + " (wtxid=" + child.GetWtxid().GetHex() +
                                ") did not spend parent's ephemeral dust");
    return false;
}

} // namespace cairn
