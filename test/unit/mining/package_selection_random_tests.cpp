// SelectPackages, which walks the pool's ancestor-score index lazily, against
// the selection it replaced (reference_package_selection.h: a full snapshot
// of the pool sorted for every template), on random pools: independent
// transactions, chains and multi-parent packages, prioritisation before and
// after entry (negative too), non-final transactions, blocks that leave
// descendants behind or conflict with the pool, reorg re-additions whose
// children are still in the pool, replacements and trimming. After each
// round the index must be the reference sort of the pool, Check() must pass
// (it verifies the index), and both selections must give the same template
// (transactions, fees, sigops, weight, and the same counters) under several
// option sets: default, small blocks, tight sigop budgets, fee floors and a
// block so small that the give-up rule ends the search.
#include "consensus/tx_check.h"
#include "mempool/tx_mempool.h"
#include "mining/package_selection.h"
#include "test/unit/mining/reference_package_selection.h"
#include "util/log.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace cairn;

namespace {

constexpr int HEIGHT = 300;
constexpr int64_t CUTOFF = 1'700'000'000;
constexpr uint32_t NONFINAL = TxIn::SEQUENCE_FINAL - 1;

/** PrioritiseTransaction logs every call: thousands of lines here. */
struct QuietLog {
    QuietLog() { Logger::Instance().SetQuiet(true); }
    ~QuietLog() { Logger::Instance().SetQuiet(false); }
};

struct RandomPool {
    TxMemPool pool{MempoolOptions{}};
    std::mt19937_64 rng;
    uint32_t counter{0};
    /** Outputs of pool transactions that no transaction made here spends yet. */
    std::vector<OutPoint> unspent;
    /** The last block's transactions, in block order (re-added by a reorg). */
    std::vector<TransactionRef> last_block;

    explicit RandomPool(uint64_t seed) : rng(seed) {}

    uint64_t Rand(uint64_t n) { return rng() % n; }
    bool Chance(unsigned percent) { return Rand(100) < percent; }

    OutPoint Confirmed()
    {
        uint8_t bytes[32] = {};
        const uint32_t n = ++counter;
        std::memcpy(bytes, &n, sizeof(n));
        bytes[31] = 0xee;
        return OutPoint(uint256(ByteSpan(bytes, 32)), 0);
    }

    OutPoint TakeUnspent()
    {
        const size_t i = Rand(unspent.size());
        const OutPoint out = unspent[i];
        unspent[i] = unspent.back();
        unspent.pop_back();
        return out;
    }

    TransactionRef MakeTx(const std::vector<OutPoint>& inputs, int outputs, size_t pad, bool nonfinal)
    {
        MutableTransaction tx;
        for (const OutPoint& in : inputs) {
            TxIn txin;
            txin.prevout = in;
            txin.sequence = nonfinal ? NONFINAL : TxIn::SEQUENCE_FINAL;
            tx.vin.push_back(txin);
        }
        for (int i = 0; i < outputs; ++i) {
            Script spk;
            spk << OP_TRUE;
            if (i == 0 && pad) spk.Append(Bytes(pad, 0x51));
            tx.vout.emplace_back(1000, spk);
        }
        // Height locks: final below the new block's height.
        tx.locktime = nonfinal ? uint32_t(HEIGHT) : 0;
        return MakeTransactionRef(std::move(tx));
    }

    const MempoolEntry* AddTx(const TransactionRef& tx, Amount fee, int64_t sigops)
    {
        const int64_t vsize = (GetTransactionWeight(*tx) + 3) / 4;
        return pool.AddUnchecked(MempoolEntry(tx, fee, /*time=*/int64_t(Rand(1000)), HEIGHT - 1, MempoolEntry::NEXT_SEQUENCE, false, sigops,
                                              LockPoints{}, vsize));
    }

    Amount RandomFee()
    {
        switch (Rand(10)) {
        case 0: return 0;
        case 1: return Amount(Rand(50));
        case 2: return Amount(1000 * (1 + Rand(5))); // round numbers: equal rates, txid ties
        default: return Amount(100 + Rand(60000));
        }
    }

    void AddRandom()
    {
        std::vector<OutPoint> inputs;
        const unsigned shape = unsigned(Rand(100));
        if (shape < 35 || unspent.empty()) {
            inputs.push_back(Confirmed()); // independent
        } else if (shape < 75) {
            inputs.push_back(TakeUnspent()); // a chain link
        } else if (shape < 90) {
            const int parents = 2 + int(Rand(2)); // several parents (diamonds)
            for (int i = 0; i < parents && !unspent.empty(); ++i) inputs.push_back(TakeUnspent());
        } else {
            inputs.push_back(Confirmed());
            inputs.push_back(TakeUnspent());
        }
        const TransactionRef tx = MakeTx(inputs, 1 + int(Rand(3)), Rand(4) == 0 ? Rand(2000) : Rand(60),
                                         /*nonfinal=*/Chance(4));
        // A delta set before the transaction arrives.
        if (Chance(5)) pool.PrioritiseTransaction(tx->GetTxid(), Amount(Rand(40000)) - 10000);
        const int64_t sigops = Chance(10) ? int64_t(Rand(3000)) : int64_t(Rand(8));
        AddTx(tx, RandomFee(), sigops);
        for (uint32_t n = 0; n < tx->vout.size(); ++n) unspent.emplace_back(tx->GetTxid(), n);
    }

    const MempoolEntry* RandomEntry()
    {
        const auto all = pool.EntriesTopological();
        return all.empty() ? nullptr : all[Rand(all.size())];
    }

    void PrioritiseSome(int count)
    {
        for (int i = 0; i < count; ++i) {
            if (const MempoolEntry* e = RandomEntry()) {
                pool.PrioritiseTransaction(e->Txid(), Amount(Rand(100000)) - 40000);
            }
        }
    }

    /** A block: entries whose in-pool parents are all in it, parents first
     *  (so descendants stay behind with smaller ancestor totals), and now and
     *  then a transaction that conflicts with a pool entry. */
    void MineBlock(unsigned percent)
    {
        std::vector<TransactionRef> vtx;
        std::set<const MempoolEntry*> in_block;
        for (const MempoolEntry* e : pool.EntriesTopological()) {
            const bool parents_in = std::all_of(e->Parents().begin(), e->Parents().end(),
                                                [&](const MempoolEntry* p) { return in_block.count(p) != 0; });
            if (parents_in && Chance(percent)) {
                in_block.insert(e);
                vtx.push_back(e->GetSharedTx());
            }
        }
        if (Chance(50)) {
            if (const MempoolEntry* victim = RandomEntry(); victim && !in_block.count(victim)) {
                // Spends the victim's first input: the victim and its descendants go (CONFLICT).
                bool victim_below_block = false;
                for (const MempoolEntry* a : pool.GetAncestors(*victim)) victim_below_block |= in_block.count(a) != 0;
                // (Four outputs: no pool transaction has as many, so it is not the victim itself.)
                if (!victim_below_block) vtx.push_back(MakeTx({victim->GetTx().vin[0].prevout}, 4, 0, false));
            }
        }
        pool.RemoveForBlock(vtx, HEIGHT - 1);
        last_block = vtx;
    }

    /** The last block is disconnected: its transactions come back, parents
     *  first, and link up with their children still in the pool. */
    void Reorg()
    {
        for (const TransactionRef& tx : last_block) {
            if (pool.Exists(tx->GetTxid())) continue;
            bool conflicts = false;
            for (const TxIn& in : tx->vin) conflicts |= pool.GetSpender(in.prevout) != nullptr;
            if (conflicts) continue; // (the conflicting spend: its victim was not re-added)
            AddTx(tx, RandomFee(), int64_t(Rand(8)));
        }
        last_block.clear();
    }

    void RemoveSome(int count)
    {
        for (int i = 0; i < count; ++i) {
            if (const MempoolEntry* e = RandomEntry()) pool.RemoveRecursive(e->GetTx(), RemovalReason::REPLACED);
        }
    }

    int64_t TotalWeight() const
    {
        int64_t w = 0;
        for (const MempoolEntry* e : pool.EntriesTopological()) w += e->GetTxWeight();
        return w;
    }
};

std::string Describe(const PackageSelection& s)
{
    std::string out = std::to_string(s.txs.size()) + " txs, weight " + std::to_string(s.block_weight) + ", sigops " +
                      std::to_string(s.block_sigops_cost) + ", fees " + std::to_string(s.fees) + ", packages " +
                      std::to_string(s.packages_selected) + ", updated " + std::to_string(s.descendants_updated);
    return out;
}

void CompareSelections(RandomPool& p, const BlockAssemblerOptions& raw, const std::string& what)
{
    const BlockAssemblerOptions opts = ClampOptions(raw);
    const PackageSelection got = SelectPackages(p.pool, HEIGHT, CUTOFF, opts);
    const PackageSelection want = test::reference::SelectPackages(p.pool, HEIGHT, CUTOFF, opts);
    bool same = got.txs.size() == want.txs.size() && got.block_weight == want.block_weight &&
                got.block_sigops_cost == want.block_sigops_cost && got.fees == want.fees &&
                got.packages_selected == want.packages_selected && got.descendants_updated == want.descendants_updated;
    for (size_t i = 0; same && i < got.txs.size(); ++i) {
        same = got.txs[i].tx == want.txs[i].tx && got.txs[i].fee == want.txs[i].fee &&
               got.txs[i].sigop_cost == want.txs[i].sigop_cost;
    }
    BOOST_CHECK_MESSAGE(same, what << ": got " << Describe(got) << "; reference " << Describe(want));
}

void CompareAll(RandomPool& p, const std::string& round)
{
    p.pool.Check();

    // The index is the reference's full sort of the pool.
    std::vector<const MempoolEntry*> want = p.pool.EntriesTopological();
    std::sort(want.begin(), want.end(), [](const MempoolEntry* a, const MempoolEntry* b) {
        return test::reference::Better(test::reference::ScoreOf(*a), test::reference::ScoreOf(*b));
    });
    const AncestorScoreIndex& index = p.pool.EntriesByAncestorScore();
    const std::vector<const MempoolEntry*> got(index.begin(), index.end());
    BOOST_CHECK_MESSAGE(got == want, round << ": index order differs from a fresh sort");

    const int64_t weight = p.TotalWeight();
    BlockAssemblerOptions o;
    CompareSelections(p, o, round + " default");
    for (int k = 1; k <= 3; ++k) {
        o = {};
        o.block_max_weight = DEFAULT_BLOCK_RESERVED_WEIGHT + weight * k / 5;
        CompareSelections(p, o, round + " block of " + std::to_string(k) + "/5 of the pool");
    }
    o = {};
    // No floor, so that the walk reaches 1000 misfits in a row and gives up
    // (with the pools of the later rounds).
    o.block_max_weight = DEFAULT_BLOCK_RESERVED_WEIGHT + 12'000;
    o.block_min_fee_rate = FeeRate(0);
    CompareSelections(p, o, round + " tiny block");
    o = {};
    o.coinbase_output_max_additional_sigops = MAX_BLOCK_SIGOPS_COST - 6000;
    CompareSelections(p, o, round + " tight sigops");
    o = {};
    o.block_min_fee_rate = FeeRate(20'000);
    CompareSelections(p, o, round + " 20 sat/vB floor");
    o = {};
    o.block_min_fee_rate = FeeRate(0);
    o.block_max_weight = DEFAULT_BLOCK_RESERVED_WEIGHT + weight / 2;
    CompareSelections(p, o, round + " no floor, half the pool");
}

} // namespace

BOOST_AUTO_TEST_SUITE(package_selection_random_tests)

BOOST_AUTO_TEST_CASE(index_order_and_templates_match_the_reference)
{
    QuietLog quiet;
    for (uint64_t seed = 1; seed <= 6; ++seed) {
        RandomPool p(seed);
        std::lock_guard lock(p.pool.GetMutex());
        for (int round = 0; round < 6; ++round) {
            const std::string name = "seed " + std::to_string(seed) + " round " + std::to_string(round);
            for (int i = 0; i < 250; ++i) p.AddRandom();
            CompareAll(p, name + " after additions");
            p.PrioritiseSome(40);
            CompareAll(p, name + " after prioritisation");
            p.MineBlock(/*percent=*/15);
            CompareAll(p, name + " after a block");
            if (round % 2 == 1) {
                p.Reorg();
                CompareAll(p, name + " after a reorg");
            }
            p.RemoveSome(5);
            if (round == 4) p.pool.TrimToSize(p.pool.DynamicMemoryUsage() * 9 / 10);
            CompareAll(p, name + " after removals");
        }
        BOOST_TEST_MESSAGE("seed " << seed << ": " << p.pool.Size() << " entries left");
    }
}

BOOST_AUTO_TEST_SUITE_END()
