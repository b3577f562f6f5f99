// A regtest node with a mempool for the acceptance tests: a real chain in a
// temporary datadir whose coinbases pay to a key the test holds, a TxMemPool,
// and the chain hooks (MempoolChainSync) wired as node/ wires them. Helpers
// build and sign spends and submit them the way RPC does.
#ifndef CAIRN_TEST_UNIT_MEMPOOL_ACCEPT_TEST_ENV_H
#define CAIRN_TEST_UNIT_MEMPOOL_ACCEPT_TEST_ENV_H

#include "mempool/accept.h"
#include "mempool/chain_sync.h"
#include "mempool/tx_mempool.h"
#include "policy/policy.h"
#include "script/destination.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "util/time.h"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cairn::test {

struct AcceptEnv {
    TempDir dir{"cairn_accept"};
    std::unique_ptr<const ChainParams> params{CreateChainParams(ChainType::REGTEST)};
    Key key{TestKey(1)};
    Script spk{P2WPKHScript(key)};
    ChainBuilder builder{*params, spk};
    std::unique_ptr<TestNode> node;
    std::unique_ptr<TxMemPool> pool;
    std::unique_ptr<MempoolChainSync> sync;
    /** The active chain's blocks, by height - 1. */
    std::vector<Block> blocks;
    /** The next coinbase (by height) that Coinbase() hands out. */
    int next_coinbase_height{1};

    /** `height` blocks whose coinbases pay to `key`. */
    explicit AcceptEnv(MempoolOptions options = {}, int height = 110)
    {
        node = std::make_unique<TestNode>(*params, dir.path());
        pool = std::make_unique<TxMemPool>(options);
        sync = std::make_unique<MempoolChainSync>(node->Chainman(), *pool);
        node->Chainman().SetLockedObserver(sync.get());
        for (int i = 0; i < height; ++i) Mine();
    }
    ~AcceptEnv() { node->Chainman().SetLockedObserver(nullptr); }

    ChainstateManager& Chainman() { return node->Chainman(); }
    int Height() { return Chainman().Height(); }
    uint256 TipHash() { return Chainman().TipHash(); }

    /** Mines a block with `txs` on the tip; it must connect. */
    const Block& Mine(const std::vector<MutableTransaction>& txs = {})
    {
        Block block = builder.CreateBlock(TipHash(), txs);
        const std::string result = node->Submit(block);
        BOOST_REQUIRE_EQUAL(result, "");
        BOOST_REQUIRE(TipHash() == block.GetHash());
        blocks.push_back(block);
        return blocks.back();
    }

    /** The coinbase output of the block at `height` (1-based). */
    Utxo CoinbaseAt(int height) { return OutputOf(*blocks.at(height - 1).vtx[0], 0); }
    /** A mature coinbase output not handed out before. */
    Utxo Coinbase()
    {
        BOOST_REQUIRE(Height() + 1 - next_coinbase_height >= 100);
        return CoinbaseAt(next_coinbase_height++);
    }

    /** Signs every input (all must pay to `key`, or be OP_TRUE / P2WSH(OP_TRUE)). */
    TransactionRef Sign(MutableTransaction tx, const std::vector<Utxo>& inputs)
    {
        SignTransaction(tx, inputs, {key});
        return MakeTransactionRef(std::move(tx));
    }
    /** `input` to one output of `spk` paying `fee`. */
    TransactionRef Pay(const Utxo& input, Amount fee, uint32_t version = 2) { return PayTo(input, fee, spk, version); }
    /** The same to another script (a same-size conflict: signatures are deterministic). */
    TransactionRef PayTo(const Utxo& input, Amount fee, const Script& to, uint32_t version = 2)
    {
        MutableTransaction tx = SpendTo(input, to, input.out.value - fee);
        tx.version = version;
        return Sign(std::move(tx), {input});
    }
    /** `inputs` to `outputs` outputs of equal value (to `spk`), paying `fee`. */
    TransactionRef Split(const std::vector<Utxo>& inputs, int outputs, Amount fee, uint32_t version = 2)
    {
        Amount total = 0;
        for (const Utxo& u : inputs) total += u.out.value;
        std::vector<TxOut> outs;
        for (int i = 0; i < outputs; ++i) outs.emplace_back((total - fee) / outputs, spk);
        outs[0].value += (total - fee) % outputs;
        MutableTransaction tx = CreateSpend(inputs, outs);
        tx.version = version;
        return Sign(std::move(tx), inputs);
    }

    MempoolAcceptResult Submit(const TransactionRef& tx, bool test_accept = false)
    {
        return AcceptToMemoryPool(Chainman(), *pool, tx, GetTime(), /*bypass_limits=*/false, test_accept);
    }
    PackageMempoolAcceptResult SubmitPackage(const Package& package, bool test_accept = false,
                                             std::optional<FeeRate> max_feerate = std::nullopt)
    {
        return ProcessNewPackage(Chainman(), *pool, package, test_accept, max_feerate);
    }

    bool InPool(const TransactionRef& tx)
    {
        std::lock_guard lock(pool->GetMutex());
        return pool->Exists(tx->GetTxid());
    }
    size_t PoolSize()
    {
        std::lock_guard lock(pool->GetMutex());
        return pool->Size();
    }
    /** The entry's ancestor count (0 if not in the pool). */
    uint64_t AncestorCount(const TransactionRef& tx)
    {
        std::lock_guard lock(pool->GetMutex());
        const MempoolEntry* e = pool->Get(tx->GetTxid());
        return e ? e->GetCountWithAncestors() : 0;
    }
    void CheckPool()
    {
        std::lock_guard lock(pool->GetMutex());
        BOOST_CHECK_NO_THROW(pool->Check());
    }
};

inline bool IsValid(const MempoolAcceptResult& r) { return r.type == MempoolAcceptResult::ResultType::VALID; }
inline std::string Reason(const MempoolAcceptResult& r) { return r.state.GetRejectReason(); }

} // namespace cairn::test

#endif
