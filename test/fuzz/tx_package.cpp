// Package evaluation (ProcessNewPackage: submitpackage and testmempoolaccept
// with several transactions) on the regtest world of test/fuzz/mempool_util.h.
// Each input: pool options, a few transactions accepted one by one, then
// rounds of a package: up to MAX_PARENTS parents (which may spend each other,
// conflict with the pool, be version 3 with zero fees or zero-value anchors)
// and a child spending one output of each. Before submitting, some parents
// may be sent alone, or with another witness (the package then meets them
// as already in the pool, or as a different witness). Checks, beyond those
// of every result (mempool_util.h):
//   - testmempoolaccept of the same package twice gives the same answers
//     (a test changes nothing);
//   - a package accepted whole, submitted again, comes back valid with
//     every transaction already in the pool (or another witness of it);
//   - the pool's Check() after every round.
#include "test/fuzz/fuzz.h"
#include "test/fuzz/mempool_util.h"
#include "util/time.h"

#include <mutex>

using namespace cairn;
using namespace cairn::fuzz;

namespace {

constexpr int MAX_ROUNDS = 12;
constexpr size_t MAX_PARENTS = 6;

std::string Describe(const MempoolAcceptResult& r)
{
    return std::to_string(int(r.type)) + ":" + r.state.GetRejectReason();
}

/** The package's answers as text, in package order (a missing result shows as "-"). */
std::string Describe(const Package& package, const PackageMempoolAcceptResult& r)
{
    std::string s = r.state.GetRejectReason();
    for (const TransactionRef& tx : package) {
        const auto it = r.results.find(tx->GetWtxid());
        s += " " + (it == r.results.end() ? std::string("-") : Describe(it->second));
    }
    return s;
}

} // namespace

FUZZ_TARGET(tx_package)
{
    MempoolWorld& world = MempoolWorld::Get();
    ByteReader in(buffer);
    world.Begin(ReadOptions(in));
    TxMemPool& pool = world.Pool();
    ChainstateManager& chainman = world.Chainman();
    TxFactory factory(world);

    const int singles = in.Byte() % 8;
    for (int i = 0; i < singles; ++i) {
        const TransactionRef tx = factory.Make(in);
        const size_t before = PoolSize(pool);
        CheckAcceptResult(pool, tx, AcceptToMemoryPool(chainman, pool, tx, GetTime(), false, false), false, before);
    }

    for (int round = 0; round < MAX_ROUNDS && !in.empty(); ++round) {
        const uint8_t flags = in.Byte();
        Package package;
        const size_t parents = 1 + in.Byte() % MAX_PARENTS;
        for (size_t i = 0; i < parents; ++i) {
            // A parent conflicting with an earlier transaction now and then: package RBF.
            const bool conflict = (flags & 1) && i == 0;
            package.push_back(conflict ? factory.MakeConflict(in, factory.Pick(in)) : factory.Make(in));
        }
        package.push_back(factory.MakeChild(in, package));
        if (flags & 2) {
            // Some parents first, on their own or with another witness.
            for (size_t i = 0; i + 1 < package.size(); ++i) {
                if (!in.Bit()) continue;
                TransactionRef tx = package[i];
                if (in.Bit()) {
                    if (TransactionRef other = factory.Malleate(in, tx)) tx = other;
                }
                const size_t before = PoolSize(pool);
                CheckAcceptResult(pool, tx, AcceptToMemoryPool(chainman, pool, tx, GetTime(), false, false), false,
                                  before);
            }
        }
        if (flags & 4) std::swap(package[in.Index(package.size())], package[in.Index(package.size())]);

        // testmempoolaccept twice: the same answers.
        if (flags & 8) {
            const size_t before = PoolSize(pool);
            const PackageMempoolAcceptResult a = ProcessNewPackage(chainman, pool, package, true, std::nullopt);
            CheckPackageResult(pool, package, a, true, before);
            const PackageMempoolAcceptResult b = ProcessNewPackage(chainman, pool, package, true, std::nullopt);
            CheckPackageResult(pool, package, b, true, before);
            if (Describe(package, a) != Describe(package, b)) {
                Fail("testmempoolaccept twice: " + Describe(package, a) + " / " + Describe(package, b));
            }
        }

        const std::optional<FeeRate> max_feerate =
            (flags & 16) ? std::optional<FeeRate>(FeeRate(Amount(in.U16()) * 10)) : std::nullopt;
        const size_t before = PoolSize(pool);
        const PackageMempoolAcceptResult r = ProcessNewPackage(chainman, pool, package, false, max_feerate);
        CheckPackageResult(pool, package, r, false, before);
        if (r.state.IsValid()) {
            // Again: everything is in the pool already.
            const size_t size = PoolSize(pool);
            const PackageMempoolAcceptResult again = ProcessNewPackage(chainman, pool, package, false, max_feerate);
            CheckPackageResult(pool, package, again, false, size);
            if (!again.state.IsValid()) Fail("a package accepted whole, submitted again: " + Describe(package, again));
            for (const TransactionRef& tx : package) {
                const auto it = again.results.find(tx->GetWtxid());
                if (it == again.results.end() ||
                    (it->second.type != MempoolAcceptResult::ResultType::MEMPOOL_ENTRY &&
                     it->second.type != MempoolAcceptResult::ResultType::DIFFERENT_WITNESS)) {
                    Fail("a package accepted whole, submitted again: " + Describe(package, again));
                }
            }
            if (PoolSize(pool) != size) Fail("submitting a package already in the pool changed the pool");
        }

        if (flags & 32) {
            SetMockTime(GetTime() + int64_t(in.Byte()) * 600);
            LimitMempoolSize(chainman, pool);
            CheckPool(pool, true);
        }
        if ((flags & 192) == 192) {
            std::lock_guard lock(pool.GetMutex());
            if (const TransactionRef tx = factory.Pick(in)) pool.PrioritiseTransaction(tx->GetTxid(), int16_t(in.U16()));
        }
        CheckPool(pool);
        CheckPoolInputs(world);
    }
    world.End();
}
