// The write-back coins cache, simulated against a reference map: stacks of
// caches with random adds, spends, flushes and syncs must always agree with
// the simple model of the UTXO set.
#include "validation/coins_cache.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <memory>
#include <random>

using namespace cairn;

namespace {

/** A complete CoinsView held in a std::map: the bottom of the stack. */
class MapCoinsView : public CoinsView
{
public:
    std::optional<Coin> GetCoin(const OutPoint& o) const override
    {
        auto it = m_coins.find(o);
        if (it == m_coins.end()) return std::nullopt;
        return it->second;
    }
    uint256 GetBestBlock() const override { return m_best; }
    void BatchWrite(CoinsMap& changes, const uint256& best, bool erase) override
    {
        for (auto& [o, e] : changes) {
            if (!(e.flags & CoinsCacheEntry::DIRTY)) continue;
            if (e.coin.IsSpent()) m_coins.erase(o);
            else m_coins[o] = e.coin;
        }
        m_best = best;
    }
    std::map<OutPoint, Coin> m_coins;
    uint256 m_best;
};

Coin MakeCoin(std::mt19937_64& rng)
{
    Coin c;
    c.out.value = Amount(rng() % 1000000);
    // Never OP_RETURN (0x6a) first: unspendable outputs are not cached, by design.
    c.out.script_pubkey = Script(Bytes(rng() % 40, uint8_t(rng() % 0x60)));
    c.height = uint32_t(rng() % 1000);
    c.coinbase = rng() % 2;
    return c;
}

} // namespace

BOOST_AUTO_TEST_SUITE(coins_cache_tests)

BOOST_AUTO_TEST_CASE(random_simulation_against_model)
{
    std::mt19937_64 rng(42);
    MapCoinsView base;
    std::vector<std::unique_ptr<CoinsCache>> stack;
    stack.push_back(std::make_unique<CoinsCache>(&base));
    std::map<OutPoint, Coin> model;
    std::vector<OutPoint> outpoints;
    for (uint32_t i = 0; i < 300; ++i) outpoints.emplace_back(uint256::ONE, i);

    for (int step = 0; step < 40000; ++step) {
        CoinsCache& top = *stack.back();
        const OutPoint& o = outpoints[rng() % outpoints.size()];
        switch (rng() % 10) {
        case 0: case 1: case 2: { // add or overwrite
            Coin c = MakeCoin(rng);
            bool exists = model.count(o);
            top.AddCoin(o, Coin(c), exists);
            model[o] = c;
            break;
        }
        case 3: case 4: { // spend
            Coin moved;
            bool spent = top.SpendCoin(o, &moved);
            BOOST_REQUIRE_EQUAL(spent, model.count(o) == 1);
            if (spent) {
                BOOST_REQUIRE(moved == model[o]);
                model.erase(o);
            }
            break;
        }
        case 5: { // flush or sync the top into its parent
            if (rng() % 2) top.Flush(); else top.Sync();
            break;
        }
        case 6: { // push a new cache or pop (after flushing) the top one
            if (stack.size() < 4 && rng() % 2) {
                stack.push_back(std::make_unique<CoinsCache>(stack.back().get()));
            } else if (stack.size() > 1) {
                stack.back()->Flush();
                stack.pop_back();
            }
            break;
        }
        case 7: // drop a clean entry
            top.Uncache(o);
            break;
        default: { // read
            const Coin& c = top.AccessCoin(o);
            auto it = model.find(o);
            BOOST_REQUIRE_EQUAL(c.IsSpent(), it == model.end());
            if (it != model.end()) BOOST_REQUIRE(c == it->second);
            BOOST_REQUIRE_EQUAL(top.HaveCoin(o), it != model.end());
        }
        }
    }
    // Flushing everything down must leave exactly the model in the base.
    while (!stack.empty()) {
        stack.back()->Flush();
        stack.pop_back();
    }
    BOOST_CHECK(base.m_coins == model);
}

BOOST_AUTO_TEST_CASE(fresh_coin_spent_before_flush_never_reaches_base)
{
    MapCoinsView base;
    CoinsCache cache(&base);
    OutPoint o(uint256::ONE, 0);
    cache.AddCoin(o, Coin(TxOut(5, Script() << OP_TRUE), 1, false), false);
    BOOST_CHECK(cache.SpendCoin(o));
    BOOST_CHECK_EQUAL(cache.CacheSize(), 0U); // FRESH and spent: dropped at once
    cache.Flush();
    BOOST_CHECK(base.m_coins.empty());
}

BOOST_AUTO_TEST_CASE(unspendable_outputs_are_not_added)
{
    MapCoinsView base;
    CoinsCache cache(&base);
    cache.AddCoin(OutPoint(uint256::ONE, 0), Coin(TxOut(0, Script() << OP_RETURN), 1, false), false);
    BOOST_CHECK(!cache.HaveCoin(OutPoint(uint256::ONE, 0)));
}

BOOST_AUTO_TEST_CASE(overwriting_unspent_coin_is_a_logic_error)
{
    MapCoinsView base;
    CoinsCache cache(&base);
    OutPoint o(uint256::ONE, 0);
    cache.AddCoin(o, Coin(TxOut(5, Script() << OP_TRUE), 1, false), false);
    BOOST_CHECK_THROW(cache.AddCoin(o, Coin(TxOut(6, Script() << OP_TRUE), 1, false), false), std::logic_error);
    cache.AddCoin(o, Coin(TxOut(6, Script() << OP_TRUE), 1, false), true);
    BOOST_CHECK_EQUAL(cache.AccessCoin(o).out.value, 6);
}

BOOST_AUTO_TEST_SUITE_END()
