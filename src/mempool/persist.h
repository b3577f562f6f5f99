// mempool.dat: the pool written at shutdown (and by savemempool) and read
// back at start-up, in Bitcoin Core's format:
//
//   version          uint64 LE: 1 (plain) or 2 (obfuscated)
//   [version 2]      CompactSize 8, then the 8-byte XOR key (not obfuscated)
//   -- from here on, with version 2, byte i of the file is XORed with key[i % 8] --
//   count            uint64 LE
//   count times:     transaction (with witness), entry time int64 LE, fee delta int64 LE
//   deltas           CompactSize n, n times: txid (32 bytes), delta int64 LE
//                    (prioritisations of transactions not in the pool)
//   unbroadcast      CompactSize n, n times: txid (32 bytes)
//
// Transactions come parents first, so loading accepts them in order.
#ifndef CAIRN_MEMPOOL_PERSIST_H
#define CAIRN_MEMPOOL_PERSIST_H

#include "primitives/transaction.h"

#include <cstdint>
#include <filesystem>
#include <functional>

namespace cairn {

class TxMemPool;

inline constexpr uint64_t MEMPOOL_DUMP_VERSION_NO_XOR_KEY{1};
inline constexpr uint64_t MEMPOOL_DUMP_VERSION{2};

/** Writes `path` (through path + ".new", synced, then renamed). `v1`:
 *  version 1 without obfuscation (-persistmempoolv1). Takes the pool's lock
 *  itself to copy the contents: the caller must not hold it. Errors are
 *  logged ("Failed to dump mempool: ... Continuing anyway.") and give false. */
bool DumpMempool(const TxMemPool& pool, const std::filesystem::path& path, bool v1);

/** What LoadMempool did, as in Core's closing log line. */
struct LoadStats {
    /** Accepted. */
    int64_t count{0};
    /** Refused by `accept` and not in the pool. */
    int64_t failed{0};
    /** Older than the pool's expiry: not offered. */
    int64_t expired{0};
    /** Refused by `accept` but in the pool already (e.g. added by a wallet meanwhile). */
    int64_t already_there{0};
    /** Txids of the file's unbroadcast set (only those in the pool are restored). */
    int64_t unbroadcast{0};
};

/** Reads `path` into `pool`: each transaction's fee delta is applied
 *  (PrioritiseTransaction) before it is offered, transactions older than
 *  the pool's expiry (GetTime()) are skipped, the others go to `accept`
 *  with their saved entry time (the node passes a lambda calling
 *  AcceptToMemoryPool; true means accepted). Then the saved deltas and the
 *  unbroadcast set are restored. `interrupt` (may be empty) is asked after
 *  each transaction; when it says stop, loading ends with false.
 *
 *  Takes the pool's lock itself around its own pool calls and releases it
 *  while `accept` runs (acceptance takes the chain's lock first): the caller
 *  must not hold it. A missing, truncated or garbage file, or an unknown
 *  version, is logged and gives false, never an exception. Does not call
 *  pool.SetLoaded (the node decides). */
bool LoadMempool(TxMemPool& pool, const std::filesystem::path& path,
                 const std::function<bool(const TransactionRef&, int64_t time)>& accept, LoadStats& stats,
                 const std::function<bool()>& interrupt);

} // namespace cairn

#endif
