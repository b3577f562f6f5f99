// Shared by the mempool targets (tx_pool, tx_package).
//
// MempoolWorld: a regtest chain built once in a temporary datadir whose
// coinbases pay to P2WSH(OP_TRUE), so that fuzzed transactions need no
// signatures and acceptance runs all the way to the script checks. Each
// input gets a fresh TxMemPool (options from the input) wired to the chain
// as node/ wires it (MempoolChainSync); blocks mined during an input are
// invalidated at its end, so every input starts from the same tip, the same
// empty pool and the same mock time.
//
// TxFactory: turns input bytes into transactions spending the confirmed
// coins and each other's outputs, with any version, sequences, lock time,
// output amounts (dust and zero included), OP_RETURN, bare OP_TRUE,
// pay-to-anchor and P2SH/P2WSH(OP_TRUE) outputs, witnesses right, missing
// or extra. The odds favour what a wallet makes (version 2 or 3, final lock
// time, spendable inputs, P2WSH outputs) so that the pool fills up; each
// oddity is one choice of a byte.
//
// The checks abort (a libFuzzer crash) with a message on any broken
// invariant: the pool's own Check() (-checkmempool), a rejection without a
// reason, an accepted transaction not in the pool, a test acceptance that
// changed the pool, usage above -maxmempool after trimming, a block of pool
// transactions that does not connect.
#ifndef CAIRN_TEST_FUZZ_MEMPOOL_UTIL_H
#define CAIRN_TEST_FUZZ_MEMPOOL_UTIL_H

#include "mempool/accept.h"
#include "mempool/chain_sync.h"
#include "mempool/tx_mempool.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "util/span.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cairn::fuzz {

/** Reads the fuzz input front to back; past the end every read gives 0. */
class ByteReader
{
public:
    explicit ByteReader(ByteSpan b) : m_b(b) {}
    bool empty() const { return m_b.empty(); }
    uint8_t Byte();
    uint16_t U16();
    uint32_t U32();
    bool Bit() { return Byte() & 1; }
    /** A number below `n` (n > 0). */
    size_t Index(size_t n) { return (n <= 256 ? Byte() : U16()) % n; }
    ByteSpan Take(size_t n);

private:
    ByteSpan m_b;
};

/** Reports a broken invariant and aborts (libFuzzer records the input). */
[[noreturn]] void Fail(const std::string& what);

/** An output a fuzzed transaction may spend (confirmed or not, spent or not). */
struct Spendable {
    OutPoint outpoint;
    TxOut out;
};

class MempoolWorld
{
public:
    static MempoolWorld& Get();

    /** A fresh pool with `options`, wired to the chain; mock time at StartTime(). */
    void Begin(const MempoolOptions& options);
    /** Blocks mined since Begin invalidated (tip back to the base), the
     *  pool checked and destroyed, mock time off. */
    void End();

    ChainstateManager& Chainman() { return m_node->Chainman(); }
    TxMemPool& Pool() { return *m_pool; }
    /** Coinbase outputs of the base chain: the first MATURE ones can be
     *  spent in the next block, the rest only once blocks are mined on top. */
    const std::vector<Spendable>& Coins() const { return m_coins; }
    int64_t StartTime() const { return m_start_time; }
    int BaseHeight() const { return BASE_HEIGHT; }

    /** Mines a block of `txs` (in this order) on the tip. Returns "" if it
     *  became the tip, else why not. */
    std::string Mine(const std::vector<TransactionRef>& txs);
    /** Disconnects the last block Mine connected. False if there is none. */
    bool DisconnectLast();
    size_t MinedCount() const { return m_mined.size(); }

    static constexpr int BASE_HEIGHT = 149;
    static constexpr int MATURE = BASE_HEIGHT + 1 - 100; // coinbases at heights 1..MATURE
    static constexpr int COINS = MATURE + 3;

private:
    MempoolWorld();
    void Open();
    void Close();

    std::unique_ptr<const ChainParams> m_params;
    test::ChainBuilder m_builder;
    std::vector<Block> m_blocks;
    std::vector<Spendable> m_coins;
    int64_t m_start_time{0};
    std::unique_ptr<test::TempDir> m_dir;
    std::unique_ptr<test::TestNode> m_node;
    uint256 m_base_tip;
    size_t m_base_tree_size{0};
    std::unique_ptr<TxMemPool> m_pool;
    std::unique_ptr<MempoolChainSync> m_sync;
    std::vector<uint256> m_mined;
};

/** Pool options from the input: usually a small -maxmempool (tens of kB,
 *  so that trimming happens), sometimes a short expiry, other relay and
 *  dust feerates, -datacarrier off or small, -acceptnonstdtxn, low
 *  ancestor/descendant limits. */
MempoolOptions ReadOptions(ByteReader& in);

class TxFactory
{
public:
    explicit TxFactory(MempoolWorld& world);

    /** A transaction whose inputs and outputs come from the input. Its
     *  outputs become spendable by later transactions. */
    TransactionRef Make(ByteReader& in);
    /** A transaction spending (at least) one output of each of `parents`,
     *  maybe more outputs of the same kind as Make's. */
    TransactionRef MakeChild(ByteReader& in, const std::vector<TransactionRef>& parents);
    /** A transaction spending one of `tx`'s inputs (a conflict: replacement), maybe one more. */
    TransactionRef MakeConflict(ByteReader& in, const TransactionRef& tx);
    /** The same transaction with another witness (same txid), or null if it has no input to change. */
    TransactionRef Malleate(ByteReader& in, const TransactionRef& tx);
    /** One of the transactions made so far (null if none). */
    TransactionRef Pick(ByteReader& in) const;
    const std::vector<TransactionRef>& Made() const { return m_made; }

private:
    /** Fills outputs, version, lock time, witnesses of `mtx` whose inputs are
     *  set (spending `spent`), records the result. */
    TransactionRef Finish(ByteReader& in, MutableTransaction mtx, const std::vector<const Spendable*>& spent);
    TxIn InputFor(ByteReader& in, const OutPoint& outpoint) const;
    /** An output to spend: usually one that exists and no pool entry spends
     *  (a base-chain coin or a pool entry's output), else any recorded one. */
    const Spendable& PickOutput(ByteReader& in);
    /** The recorded output at `outpoint`, or null. */
    const Spendable* Find(const OutPoint& outpoint) const;

    MempoolWorld& m_world;
    std::vector<Spendable> m_outputs;
    std::vector<TransactionRef> m_made;
};

// ---- invariant checks (all abort on failure) ----

/** The pool's Check() and, if `check_usage` (right after trimming), usage
 *  within max_size_bytes or an empty pool. Takes the pool's lock. */
void CheckPool(TxMemPool& pool, bool check_usage = false);

/** A single AcceptToMemoryPool result for `tx`. `size_before` is the pool's
 *  size before the call (a test acceptance must not change it). */
void CheckAcceptResult(TxMemPool& pool, const TransactionRef& tx, const MempoolAcceptResult& result,
                       bool test_accept, size_t size_before);

/** A ProcessNewPackage result for `package`. */
void CheckPackageResult(TxMemPool& pool, const Package& package, const PackageMempoolAcceptResult& result,
                        bool test_accept, size_t size_before);

/** Every pool entry's inputs exist for the next block: an output of an
 *  entry (spent by this entry only) or an unspent chain coin, mature at the
 *  next height (Core's -checkmempool looks at the coins too; Check() does not). */
void CheckPoolInputs(MempoolWorld& world);

/** Pool transactions chosen by the input, parents before children and
 *  every in-pool parent of a chosen one chosen: a valid block's content. */
std::vector<TransactionRef> PickForBlock(TxMemPool& pool, ByteReader& in, bool all = false);

/** Size of the pool, under its lock. */
size_t PoolSize(TxMemPool& pool);

} // namespace cairn::fuzz

#endif
