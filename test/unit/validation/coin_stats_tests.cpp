// UTXO-set statistics (gettxoutsetinfo): counts, and hash_serialized_3 in
// Bitcoin Core's order (transactions by txid, each one's outputs by
// increasing index, which the database's key order is not from index 16512
// on), with the hashed bytes built here independently of coin_stats.cpp.
#include "crypto/hash.h"
#include "crypto/muhash.h"
#include "storage/coins_db.h"
#include "test/util/tmpdir.h"
#include "validation/coin_stats.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>

using namespace cairn;
using cairn::test::TempDir;

namespace {

void PutLE(Bytes& out, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

/** outpoint | uint32(height*2 + coinbase) | value | CompactSize(script) | script */
Bytes Expected(const OutPoint& outpoint, const Coin& coin)
{
    Bytes out(outpoint.hash.begin(), outpoint.hash.end());
    PutLE(out, outpoint.n, 4);
    PutLE(out, uint64_t(coin.height) * 2 + coin.coinbase, 4);
    PutLE(out, uint64_t(coin.out.value), 8);
    const Bytes& script = coin.out.script_pubkey.bytes();
    BOOST_REQUIRE(script.size() < 253);
    out.push_back(uint8_t(script.size()));
    out.insert(out.end(), script.begin(), script.end());
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(coin_stats_tests)

BOOST_AUTO_TEST_CASE(counts_and_hashes_in_core_order)
{
    TempDir dir("cairn_coin_stats");
    DatabaseOptions opts;
    opts.path = dir.path() / "chainstate";
    opts.obfuscate = true;
    CoinsDB db(opts);

    uint256 txid_a, txid_b, best;
    std::fill(txid_a.begin(), txid_a.end(), 0x11);
    std::fill(txid_b.begin(), txid_b.end(), 0x22);
    std::fill(best.begin(), best.end(), 0x33);
    // Indexes around the VARINT length changes (128, 16512): the key order
    // of 16511 (ff 7f) comes after 16512 (80 80 00).
    const std::vector<uint32_t> indexes{0, 1, 127, 128, 16511, 16512, 20000};
    std::map<OutPoint, Coin> coins; // ordered by txid, then numeric index
    uint32_t i = 0;
    for (const uint256& txid : {txid_a, txid_b}) {
        for (uint32_t n : indexes) {
            Bytes script{0x51, uint8_t(i)};
            coins.emplace(OutPoint(txid, n), Coin(TxOut(Amount(1000 + i), Script(script)), 100 + i, i % 2 == 0));
            ++i;
        }
    }
    std::vector<CoinEntry> entries;
    for (const auto& [outpoint, coin] : coins) entries.push_back({outpoint, coin, true, true});
    db.BatchWrite(entries, best);

    HashWriter expected_hash;
    expected_hash.Write(best.span());
    MuHash3072 expected_muhash;
    Amount total = 0;
    for (const auto& [outpoint, coin] : coins) {
        expected_hash.Write(Expected(outpoint, coin));
        expected_muhash.Insert(Expected(outpoint, coin));
        total += coin.out.value;
    }
    uint256 muhash;
    expected_muhash.Finalize(muhash);

    const auto stats = ComputeCoinsStats(db, CoinStatsHashType::HASH_SERIALIZED);
    BOOST_REQUIRE(stats);
    BOOST_CHECK_EQUAL(stats->best_block.GetHex(), best.GetHex());
    BOOST_CHECK_EQUAL(stats->txouts, 14u);
    BOOST_CHECK_EQUAL(stats->transactions, 2u);
    BOOST_CHECK_EQUAL(stats->total_amount, total);
    BOOST_CHECK_EQUAL(stats->bogosize, 14u * (32 + 4 + 4 + 8 + 2 + 2));
    BOOST_CHECK_EQUAL(stats->hash->GetHex(), expected_hash.GetHash().GetHex());

    const auto mu = ComputeCoinsStats(db, CoinStatsHashType::MUHASH);
    BOOST_CHECK_EQUAL(mu->hash->GetHex(), muhash.GetHex());
    const auto none = ComputeCoinsStats(db, CoinStatsHashType::NONE);
    BOOST_CHECK(!none->hash);
    BOOST_CHECK_EQUAL(none->transactions, 2u);

    // The cursor form sees the database as it was when the cursor was opened.
    auto cursor = db.NewCursor();
    std::vector<CoinEntry> more{{OutPoint(txid_b, 5), Coin(TxOut(7, Script(Bytes{0x51})), 1, false), true, true}};
    db.BatchWrite(more, best);
    const auto snap = ComputeCoinsStats(*cursor, best, CoinStatsHashType::HASH_SERIALIZED);
    BOOST_CHECK_EQUAL(snap->txouts, 14u);
    BOOST_CHECK_EQUAL(snap->hash->GetHex(), expected_hash.GetHash().GetHex());
    BOOST_CHECK_EQUAL(ComputeCoinsStats(db, CoinStatsHashType::NONE)->txouts, 15u);
}

BOOST_AUTO_TEST_SUITE_END()
