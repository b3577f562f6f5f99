// Mempool acceptance and block assembly on a real regtest chain (issue 6).
//
// Setup (once, not timed): a chain in a temporary datadir whose coinbases
// pay to a test key, 100 blocks to mature them, then blocks of fan-out
// transactions that split coinbases into many confirmed P2WPKH and P2TR
// outputs. Every transaction timed below spends those outputs.
//
// Acceptance (one op = one AcceptToMemoryPool call, the RPC/P2P entry point,
// with both locks and the periodic flush check): each call of a benchmark
// function signs `iterations` new transactions before the timed loop and
// starts from an empty pool. A per-call fee offset makes every transaction
// (hence every sighash) new, so signature checks are really done ("cold"),
// unless the name says WarmSigCache: then the same transactions were
// accepted once into another pool before the timed loop, so the signature
// cache already holds their signatures (as for a transaction seen before a
// reorg, or a second pool). tx/s = 1 / (time per op).
//   * Independent: 1-in-2-out spends of distinct confirmed outputs.
//   * Chain25: chains of 25, each transaction spending the previous one's
//     first output (the ancestor limit), so most have in-pool ancestors.
//
// Block assembly (one op = one BlockAssembler::CreateNewBlock with package
// selection over a pool of M transactions, half independent, half in chains
// of 25 with child fees above their parents'; default options, so the
// template is checked by TestBlockValidity as getblocktemplate does, or not
// with NoValidity). The first two templates of each pool are timed once and
// printed as a "#" line.
#include "bench/bench.h"
#include "consensus/chain_params.h"
#include "mempool/accept.h"
#include "mempool/tx_mempool.h"
#include "mining/block_assembler.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "util/time.h"

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

using namespace cairn;
using namespace cairn::test;

namespace {

/** Confirmed outputs made by the setup; a benchmark call needs at most one
 *  per transaction (independent) or per chain. */
constexpr int WPKH_UTXOS{50000};
constexpr int TR_UTXOS{50000};
/** Outputs per fan-out transaction (about 78 kB with P2WPKH outputs). */
constexpr int FANOUT{2500};
/** Fan-out transactions per block. */
constexpr int FANOUTS_PER_BLOCK{4};
constexpr int CHAIN_LENGTH{25};
/** What the second output of every spend holds (well above dust). */
constexpr Amount SIDE_OUTPUT{1000};

struct BenchChain {
    TempDir dir{"cairn_mempool_bench"};
    std::unique_ptr<const ChainParams> params{CreateChainParams(ChainType::REGTEST)};
    Key key{TestKey(1)};
    Script wpkh{P2WPKHScript(key)};
    Script tr{P2TRScript(key)};
    ChainBuilder builder{*params, wpkh};
    std::unique_ptr<TestNode> node;
    std::vector<Utxo> wpkh_utxos;
    std::vector<Utxo> tr_utxos;
    /** Changes every benchmark call, so that no transaction repeats. */
    Amount round{0};

    BenchChain()
    {
        const auto t0 = std::chrono::steady_clock::now();
        TestNode::Options opts;
        opts.db_cache_bytes = size_t(450) << 20; // cairnd's default -dbcache
        node = std::make_unique<TestNode>(*params, dir.path(), opts);

        const int wpkh_fanouts = (WPKH_UTXOS + FANOUT - 1) / FANOUT;
        const int tr_fanouts = (TR_UTXOS + FANOUT - 1) / FANOUT;
        const int fanouts = wpkh_fanouts + tr_fanouts;
        std::vector<Utxo> coinbases;
        for (int i = 0; i < fanouts; ++i) coinbases.push_back(OutputOf(*Mine({}).vtx[0]));
        for (int i = 0; i < 100; ++i) Mine({});

        std::vector<MutableTransaction> pending;
        for (int f = 0; f < fanouts; ++f) {
            const bool is_tr = f >= wpkh_fanouts;
            const Utxo& in = coinbases[f];
            const Amount each = (in.out.value - 100'000) / FANOUT;
            std::vector<TxOut> outs(FANOUT, TxOut(each, is_tr ? tr : wpkh));
            MutableTransaction tx = CreateSpend({in}, outs);
            SignTransaction(tx, std::vector<Utxo>{in}, {key});
            for (int n = 0; n < FANOUT; ++n) (is_tr ? tr_utxos : wpkh_utxos).push_back(OutputOf(tx, n));
            pending.push_back(std::move(tx));
            if (int(pending.size()) == FANOUTS_PER_BLOCK || f + 1 == fanouts) {
                Mine(pending);
                pending.clear();
            }
        }
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("# mempool setup: regtest chain of %d blocks, %zu P2WPKH and %zu P2TR confirmed outputs (%.1f s)\n",
                    node->Chainman().Height(), wpkh_utxos.size(), tr_utxos.size(), secs);
        std::fflush(stdout);
    }

    ChainstateManager& Chainman() { return node->Chainman(); }

    Block Mine(const std::vector<MutableTransaction>& txs)
    {
        Block block = builder.CreateBlock(Chainman().TipHash(), txs);
        const std::string result = node->Submit(block);
        if (!result.empty() || Chainman().TipHash() != block.GetHash()) {
            throw std::runtime_error("mempool bench setup: block not connected: " + result);
        }
        return block;
    }

    /** One input to (input - fee - SIDE_OUTPUT, SIDE_OUTPUT), both to the input's script, signed. */
    MutableTransaction Spend(const Utxo& in, Amount fee) const
    {
        const Script& spk = in.out.script_pubkey;
        MutableTransaction tx =
            CreateSpend({in}, {TxOut(in.out.value - fee - SIDE_OUTPUT, spk), TxOut(SIDE_OUTPUT, spk)});
        SignTransaction(tx, std::vector<Utxo>{in}, {key});
        return tx;
    }

    /** `count` independent spends of the first `count` outputs in `utxos`. */
    std::vector<TransactionRef> Independent(const std::vector<Utxo>& utxos, size_t count, Amount fee_base)
    {
        if (count > utxos.size()) {
            throw std::runtime_error("needs " + std::to_string(count) + " confirmed outputs, the setup has " +
                                     std::to_string(utxos.size()) + ": use a smaller -min-time");
        }
        std::vector<TransactionRef> txs;
        txs.reserve(count);
        for (size_t i = 0; i < count; ++i) txs.push_back(MakeTransactionRef(Spend(utxos[i], fee_base)));
        return txs;
    }

    /** `count` transactions in chains of CHAIN_LENGTH, parents first; chain k
     *  starts at utxos[first + k] (or counts down from `first` if `backwards`). */
    std::vector<TransactionRef> Chains(const std::vector<Utxo>& utxos, size_t count, size_t first, bool backwards,
                                       const std::function<Amount(size_t chain, int depth)>& fee)
    {
        const size_t chains = (count + CHAIN_LENGTH - 1) / CHAIN_LENGTH;
        if (chains > (backwards ? first + 1 : utxos.size() - first)) {
            throw std::runtime_error("needs " + std::to_string(chains) + " confirmed outputs for chains: use a smaller -min-time");
        }
        std::vector<TransactionRef> txs;
        txs.reserve(count);
        for (size_t k = 0; k < chains; ++k) {
            Utxo in = utxos[backwards ? first - k : first + k];
            for (int d = 0; d < CHAIN_LENGTH && txs.size() < count; ++d) {
                MutableTransaction tx = Spend(in, fee(k, d));
                in = OutputOf(tx, 0);
                txs.push_back(MakeTransactionRef(std::move(tx)));
            }
        }
        return txs;
    }

    void Accept(TxMemPool& pool, const TransactionRef& tx)
    {
        const MempoolAcceptResult r = AcceptToMemoryPool(Chainman(), pool, tx, GetTime(), false, false);
        if (r.type != MempoolAcceptResult::ResultType::VALID) {
            throw std::runtime_error("AcceptToMemoryPool refused " + tx->GetTxid().GetHex() + ": " +
                                     r.state.GetRejectReason());
        }
    }
};

BenchChain& Chain()
{
    static BenchChain chain;
    return chain;
}

enum class Shape { INDEPENDENT, CHAIN };

void AcceptBench(bench::State& state, Shape shape, bool taproot, bool warm)
{
    BenchChain& c = Chain();
    const std::vector<Utxo>& utxos = taproot ? c.tr_utxos : c.wpkh_utxos;
    const Amount fee = 2000 + ++c.round; // a new fee: new sighashes, new signatures
    const std::vector<TransactionRef> txs =
        shape == Shape::INDEPENDENT ? c.Independent(utxos, state.iterations, fee)
                                    : c.Chains(utxos, state.iterations, 0, false, [fee](size_t, int) { return fee; });
    if (warm) {
        TxMemPool first(MempoolOptions{});
        for (const TransactionRef& tx : txs) c.Accept(first, tx);
    }
    TxMemPool pool(MempoolOptions{});
    size_t i = 0;
    while (state.KeepRunning()) c.Accept(pool, txs[i++]);
}

void MempoolAcceptIndependentP2WPKH(bench::State& s) { AcceptBench(s, Shape::INDEPENDENT, false, false); }
void MempoolAcceptIndependentP2WPKHWarmSigCache(bench::State& s) { AcceptBench(s, Shape::INDEPENDENT, false, true); }
void MempoolAcceptIndependentP2TR(bench::State& s) { AcceptBench(s, Shape::INDEPENDENT, true, false); }
void MempoolAcceptIndependentP2TRWarmSigCache(bench::State& s) { AcceptBench(s, Shape::INDEPENDENT, true, true); }
void MempoolAcceptChain25P2WPKH(bench::State& s) { AcceptBench(s, Shape::CHAIN, false, false); }
void MempoolAcceptChain25P2WPKHWarmSigCache(bench::State& s) { AcceptBench(s, Shape::CHAIN, false, true); }

CAIRN_BENCH(MempoolAcceptIndependentP2WPKH);
CAIRN_BENCH(MempoolAcceptIndependentP2WPKHWarmSigCache);
CAIRN_BENCH(MempoolAcceptIndependentP2TR);
CAIRN_BENCH(MempoolAcceptIndependentP2TRWarmSigCache);
CAIRN_BENCH(MempoolAcceptChain25P2WPKH);
CAIRN_BENCH(MempoolAcceptChain25P2WPKHWarmSigCache);

/** A pool of `size` transactions (kept for the whole run), half independent
 *  with fee rates spread over about 3-30 sat/vB, half in chains of 25 whose
 *  fees grow with depth (children pay for parents). All P2WPKH, except that
 *  the chains of a pool whose independent half takes every P2WPKH output
 *  start from P2TR outputs. */
TxMemPool& AssemblyPool(size_t size)
{
    static std::map<size_t, std::unique_ptr<TxMemPool>> pools;
    auto it = pools.find(size);
    if (it != pools.end()) return *it->second;
    BenchChain& c = Chain();
    const auto t0 = std::chrono::steady_clock::now();
    auto pool = std::make_unique<TxMemPool>(MempoolOptions{});
    const size_t independent = size / 2;
    std::vector<TransactionRef> txs;
    for (size_t i = 0; i < independent; ++i) {
        if (i >= c.wpkh_utxos.size()) throw std::runtime_error("block assembly pool: not enough confirmed outputs");
        txs.push_back(MakeTransactionRef(c.Spend(c.wpkh_utxos[i], 400 + Amount(i * 7919 % 4000))));
    }
    // Chains take outputs from the end so they never meet the independent ones.
    const size_t chains = (size - independent + CHAIN_LENGTH - 1) / CHAIN_LENGTH;
    const std::vector<Utxo>& chain_utxos = c.wpkh_utxos.size() - independent >= chains ? c.wpkh_utxos : c.tr_utxos;
    const auto chained = c.Chains(chain_utxos, size - independent, chain_utxos.size() - 1, true,
                                  [](size_t k, int d) { return Amount(200 + (k * 104729 % 1000) + 150 * d); });
    txs.insert(txs.end(), chained.begin(), chained.end());
    for (const TransactionRef& tx : txs) c.Accept(*pool, tx);
    const double fill = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // The first template after filling, once, and the one after it.
    double first_ms[2];
    size_t template_txs = 0;
    for (double& ms : first_ms) {
        const auto s0 = std::chrono::steady_clock::now();
        std::lock_guard lock(c.Chainman().GetMutex());
        const BlockTemplate t = BlockAssembler(c.Chainman(), pool.get(), {}).CreateNewBlock(c.wpkh);
        ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s0).count();
        template_txs = t.block.vtx.size() - 1;
    }
    size_t usage;
    {
        std::lock_guard lock(pool->GetMutex());
        usage = pool->DynamicMemoryUsage();
    }
    std::printf("# block assembly pool: %zu txs, usage %.1f MB, filled in %.1f s (signing included); template holds %zu txs; "
                "first CreateNewBlock %.1f ms, second %.1f ms\n",
                txs.size(), double(usage) / 1e6, fill, template_txs, first_ms[0], first_ms[1]);
    std::fflush(stdout);
    return *pools.emplace(size, std::move(pool)).first->second;
}

void AssemblyBench(bench::State& state, size_t pool_size, bool test_validity)
{
    BenchChain& c = Chain();
    TxMemPool& pool = AssemblyPool(pool_size);
    BlockAssemblerOptions opts;
    opts.test_block_validity = test_validity;
    size_t txs = 0;
    while (state.KeepRunning()) {
        std::lock_guard lock(c.Chainman().GetMutex());
        const BlockTemplate t = BlockAssembler(c.Chainman(), &pool, opts).CreateNewBlock(c.wpkh);
        txs = t.block.vtx.size() - 1;
    }
    if (txs == 0) throw std::runtime_error("empty template");
    state.SetItemsPerIteration(txs);
}

void BlockAssemblyPool2000(bench::State& s) { AssemblyBench(s, 2000, true); }
void BlockAssemblyPool2000NoValidity(bench::State& s) { AssemblyBench(s, 2000, false); }
void BlockAssemblyPool20000(bench::State& s) { AssemblyBench(s, 20000, true); }
void BlockAssemblyPool20000NoValidity(bench::State& s) { AssemblyBench(s, 20000, false); }
/** A pool five times what a block holds, where selection's cost depends on
 *  whether it touches the whole pool or only the part that goes in. */
void BlockAssemblyPool100000NoValidity(bench::State& s) { AssemblyBench(s, 100000, false); }

CAIRN_BENCH(BlockAssemblyPool2000);
CAIRN_BENCH(BlockAssemblyPool2000NoValidity);
CAIRN_BENCH(BlockAssemblyPool20000);
CAIRN_BENCH(BlockAssemblyPool20000NoValidity);
CAIRN_BENCH(BlockAssemblyPool100000NoValidity);

} // namespace
