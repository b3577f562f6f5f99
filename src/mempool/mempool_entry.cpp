#include "mempool/mempool_entry.h"

#include "consensus/tx_check.h"

namespace cairn {

namespace {

/** Heap bytes of a transaction: the object, its vectors and scripts. Close
 *  to what malloc hands out, so that -maxmempool bounds real memory. */
size_t TransactionUsage(const Transaction& tx)
{
    auto rounded = [](size_t n) { return n == 0 ? 0 : ((n + 15) & ~size_t{15}) + 16; };
    size_t total = rounded(sizeof(Transaction)) + rounded(tx.vin.size() * sizeof(TxIn)) +
                   rounded(tx.vout.size() * sizeof(TxOut));
    for (const TxIn& in : tx.vin) {
        total += rounded(in.script_sig.size());
        total += rounded(in.witness.stack.size() * sizeof(Bytes));
        for (const auto& item : in.witness.stack) total += rounded(item.size());
    }
    for (const TxOut& out : tx.vout) total += rounded(out.script_pubkey.size());
    return total;
}

} // namespace

bool MempoolEntryTxidLess::operator()(const MempoolEntry* a, const MempoolEntry* b) const
{
    return a->Txid() < b->Txid();
}

MempoolEntry::MempoolEntry(TransactionRef tx, Amount fee, int64_t time, unsigned entry_height,
                           uint64_t entry_sequence, bool spends_coinbase, int64_t sigop_cost, LockPoints lp,
                           int64_t vsize)
    : m_tx(std::move(tx)), m_fee(fee), m_vsize(vsize), m_weight(GetTransactionWeight(*m_tx)), m_time(time),
      m_entry_height(entry_height), m_entry_sequence(entry_sequence), m_spends_coinbase(spends_coinbase),
      m_sigop_cost(sigop_cost), m_lock_points(lp), m_usage(TransactionUsage(*m_tx) + 3 * sizeof(void*) * 8),
      m_size_with_ancestors(vsize), m_mod_fees_with_ancestors(fee), m_sigops_with_ancestors(sigop_cost),
      m_size_with_descendants(vsize), m_mod_fees_with_descendants(fee)
{
}

} // namespace cairn
