// The mempool driven through its entry points, as a node drives it: each
// input is a fresh pool (options from the input: often a tiny -maxmempool,
// a short expiry, low chain limits) on a regtest chain with mature coinbases
// paying to P2WSH(OP_TRUE) (test/fuzz/mempool_util.h), then up to MAX_STEPS
// actions chosen by the input:
//   - a new transaction (test/fuzz/mempool_util.h's TxFactory) through
//     AcceptToMemoryPool, sometimes testmempoolaccept first and then for
//     real (the two must agree, up to "mempool full"); a conflict with an
//     earlier one (replacement); an earlier one again, or with another witness
//   - a child with its parents through ProcessNewPackage (submitpackage's
//     path), or any earlier transactions as a package, or as a test
//   - prioritisetransaction on an earlier txid
//   - the clock moved on (expiry), then LimitMempoolSize; TrimToSize
//   - a block of pool transactions mined on the tip, or the last such block
//     invalidated (a reorg re-adding its transactions)
// After every action the pool's Check() (-checkmempool) runs, every result
// is checked against the pool (a reason for every rejection, accepted ones
// in it, rejected ones not, test acceptance changes nothing), usage is within
// the limit after trimming, every entry's inputs exist at the tip (mature
// coinbases), and a block of pool transactions (all of them, or a subset
// closed under in-pool parents) must connect.
// Input: the options (ReadOptions), then actions: a byte (kind in the low 4
// bits, flags in the high 4) and what the action reads.
#include "test/fuzz/fuzz.h"
#include "test/fuzz/mempool_util.h"
#include "util/time.h"
#include "validation/chainstate_manager.h"

#include <mutex>

using namespace cairn;
using namespace cairn::fuzz;

namespace {

constexpr int MAX_STEPS = 80;
/** Blocks mined on top of the base chain at once. */
constexpr size_t MAX_MINED = 6;

void Submit(MempoolWorld& world, const TransactionRef& tx, bool test_accept, bool both)
{
    if (!tx) return;
    TxMemPool& pool = world.Pool();
    const size_t before = PoolSize(pool);
    if (both) {
        // testmempoolaccept, then the real thing: nothing changes in between,
        // so they must agree, except that the real one may be trimmed right away.
        const MempoolAcceptResult test = AcceptToMemoryPool(world.Chainman(), pool, tx, GetTime(), false, true);
        CheckAcceptResult(pool, tx, test, true, before);
        const MempoolAcceptResult real = AcceptToMemoryPool(world.Chainman(), pool, tx, GetTime(), false, false);
        CheckAcceptResult(pool, tx, real, false, before);
        const bool test_valid = test.type == MempoolAcceptResult::ResultType::VALID;
        const bool real_valid = real.type == MempoolAcceptResult::ResultType::VALID;
        if (test_valid != real_valid && !(test_valid && real.state.GetRejectReason() == "mempool full")) {
            Fail("testmempoolaccept " + std::string(test_valid ? "accepted" : "rejected (" + test.state.GetRejectReason() + ")") +
                 " but the real acceptance " +
                 (real_valid ? std::string("accepted") : "rejected (" + real.state.GetRejectReason() + ")"));
        }
        if (!test_valid && test.type == real.type && test.state.GetRejectReason() != real.state.GetRejectReason()) {
            Fail("testmempoolaccept rejected with " + test.state.GetRejectReason() + ", the real acceptance with " +
                 real.state.GetRejectReason());
        }
        return;
    }
    const MempoolAcceptResult r = AcceptToMemoryPool(world.Chainman(), pool, tx, GetTime(), false, test_accept);
    CheckAcceptResult(pool, tx, r, test_accept, before);
}

void SubmitPackage(MempoolWorld& world, const Package& package, bool test_accept, std::optional<FeeRate> max_feerate)
{
    if (package.empty()) return;
    TxMemPool& pool = world.Pool();
    const size_t before = PoolSize(pool);
    const PackageMempoolAcceptResult r = ProcessNewPackage(world.Chainman(), pool, package, test_accept, max_feerate);
    CheckPackageResult(pool, package, r, test_accept, before);
}

} // namespace

FUZZ_TARGET(tx_pool)
{
    MempoolWorld& world = MempoolWorld::Get();
    ByteReader in(buffer);
    world.Begin(ReadOptions(in));
    TxMemPool& pool = world.Pool();
    ChainstateManager& chainman = world.Chainman();
    TxFactory factory(world);

    for (int step = 0; step < MAX_STEPS && !in.empty(); ++step) {
        const uint8_t action = in.Byte();
        const uint8_t flags = action >> 4;
        switch (action & 15) {
        case 0:
        case 1:
        case 2:
        case 3:
        case 4:
            Submit(world, factory.Make(in), flags == 15, flags >= 12 && flags < 15);
            break;
        case 5:
            Submit(world, factory.MakeConflict(in, factory.Pick(in)), false, flags & 1);
            break;
        case 6: {
            TransactionRef tx = factory.Pick(in);
            if (flags & 1) tx = factory.Malleate(in, tx);
            Submit(world, tx, flags & 2, false);
            break;
        }
        case 7:
        case 8: {
            // A child with its parents, as submitpackage sends them (a test now and then).
            Package package;
            const size_t parents = 1 + in.Byte() % 3;
            for (size_t i = 0; i < parents; ++i) package.push_back(factory.Make(in));
            package.push_back(factory.MakeChild(in, package));
            if (flags & 1) std::swap(package[in.Index(package.size())], package[in.Index(package.size())]);
            const std::optional<FeeRate> max_feerate =
                (flags & 2) ? std::optional<FeeRate>(FeeRate(Amount(in.U16()) * 10)) : std::nullopt;
            SubmitPackage(world, package, (flags & 12) == 12, max_feerate);
            break;
        }
        case 9: {
            // Earlier transactions in any order and shape: topology checks, duplicates, known ones.
            Package package;
            const size_t n = 1 + in.Byte() % 4;
            for (size_t i = 0; i < n; ++i) {
                if (TransactionRef tx = factory.Pick(in)) package.push_back(tx);
            }
            SubmitPackage(world, package, flags & 1, std::nullopt);
            break;
        }
        case 10: {
            // prioritisetransaction, on a transaction made (in the pool or not) or one never seen.
            const TransactionRef tx = factory.Pick(in);
            const uint256 txid = tx && !(flags & 8) ? tx->GetTxid() : uint256();
            Amount delta;
            switch (flags & 3) {
            case 0: delta = int16_t(in.U16()); break;
            case 1: delta = Amount(int16_t(in.U16())) * 1000; break;
            case 2: delta = int32_t(in.U32()); break;
            default: delta = -Amount(in.U16()); break;
            }
            std::lock_guard lock(pool.GetMutex());
            pool.PrioritiseTransaction(txid, delta);
            break;
        }
        case 11: {
            // Time passes (up to past the expiry), then what the node does after a reorg or an addition.
            int64_t seconds;
            switch (flags & 3) {
            case 0: seconds = in.Byte(); break;
            case 1: seconds = int64_t(in.Byte()) * 60; break;
            case 2: seconds = int64_t(in.Byte()) * 3600; break;
            default: seconds = int64_t(in.U16()) * 60; break;
            }
            SetMockTime(GetTime() + seconds);
            LimitMempoolSize(chainman, pool);
            CheckPool(pool, true);
            break;
        }
        case 12: {
            const size_t limit = size_t(in.U16()) * 8;
            {
                std::lock_guard chain_lock(chainman.GetMutex());
                std::lock_guard lock(pool.GetMutex());
                pool.TrimToSize(limit);
                if (pool.Size() != 0 && pool.DynamicMemoryUsage() > limit) {
                    Fail("TrimToSize(" + std::to_string(limit) + ") left usage " + std::to_string(pool.DynamicMemoryUsage()));
                }
            }
            break;
        }
        case 13: {
            if (world.MinedCount() >= MAX_MINED) break;
            const std::vector<TransactionRef> txs = PickForBlock(pool, in, flags & 1);
            const std::string result = world.Mine(txs);
            if (!result.empty()) Fail("a block of " + std::to_string(txs.size()) + " pool transactions: " + result);
            std::lock_guard lock(pool.GetMutex());
            for (const TransactionRef& tx : txs) {
                if (pool.Exists(tx->GetTxid())) Fail("mined " + tx->GetTxid().GetHex() + " still in the pool");
            }
            break;
        }
        case 14:
            // Re-added with the limits bypassed, then trimmed (ReorgDoneLocked).
            if (world.DisconnectLast()) CheckPool(pool, true);
            break;
        default: {
            // The pool forgets prioritisation of a transaction (as when it is mined).
            const TransactionRef tx = factory.Pick(in);
            if (!tx) break;
            std::lock_guard lock(pool.GetMutex());
            pool.ClearPrioritisation(tx->GetTxid());
            break;
        }
        }
        CheckPool(pool);
        CheckPoolInputs(world);
    }
    world.End();
}
