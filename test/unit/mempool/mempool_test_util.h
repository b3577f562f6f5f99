// Helpers for the mempool unit tests: transactions built directly (no
// chain, no scripts run) and entries with chosen fees and sizes, so that
// expected totals are easy to write down.
#ifndef CAIRN_TEST_UNIT_MEMPOOL_MEMPOOL_TEST_UTIL_H
#define CAIRN_TEST_UNIT_MEMPOOL_MEMPOOL_TEST_UTIL_H

#include "mempool/mempool_entry.h"
#include "mempool/tx_mempool.h"
#include "primitives/transaction.h"
#include "util/time.h"

#include <cstring>
#include <tuple>
#include <vector>

namespace cairn::test {

/** An outpoint of a "confirmed" transaction that no pool entry can be. */
inline OutPoint ConfirmedCoin(uint32_t id, uint32_t n = 0)
{
    uint8_t bytes[32] = {};
    std::memcpy(bytes, &id, sizeof(id));
    bytes[31] = 0xc0;
    return OutPoint(uint256(ByteSpan(bytes, 32)), n);
}

/** A transaction spending `inputs` with `outputs` outputs. Every call gives a
 *  new txid (a counter in the lock time); `witness` adds a witness item so
 *  that txid and wtxid differ. */
inline TransactionRef MakeTx(const std::vector<OutPoint>& inputs, unsigned outputs = 1, bool witness = false)
{
    static uint32_t counter = 0;
    MutableTransaction mtx;
    for (const OutPoint& prevout : inputs) {
        TxIn in;
        in.prevout = prevout;
        in.script_sig = Script(Bytes{OP_TRUE});
        if (witness) in.witness.stack.push_back(Bytes{0x01, 0x02, 0x03});
        mtx.vin.push_back(in);
    }
    for (unsigned i = 0; i < outputs; ++i) mtx.vout.emplace_back(10'000, Script(Bytes{OP_TRUE}));
    mtx.locktime = ++counter;
    return MakeTransactionRef(std::move(mtx));
}

/** An entry with the given fee and virtual size (the pool trusts both). */
inline MempoolEntry MakeEntry(const TransactionRef& tx, Amount fee, int64_t vsize, int64_t time = 0,
                              int64_t sigops = 4, unsigned height = 100)
{
    return MempoolEntry(tx, fee, time ? time : GetTime(), height, MempoolEntry::NEXT_SEQUENCE, false, sigops,
                        LockPoints{}, vsize);
}

/** Records what the pool tells its observers. */
struct RecordingObserver : MempoolObserver {
    struct Event {
        bool added;
        uint256 txid;
        RemovalReason reason;
        uint64_t sequence;
    };
    std::vector<Event> events;
    void TransactionAdded(const MempoolEntry& entry, uint64_t sequence) override
    {
        events.push_back({true, entry.Txid(), RemovalReason::EXPIRY, sequence});
    }
    void TransactionRemoved(const TransactionRef& tx, RemovalReason reason, uint64_t sequence) override
    {
        events.push_back({false, tx->GetTxid(), reason, sequence});
    }
};

} // namespace cairn::test

#endif
