#include "validation/coin_stats.h"

#include "crypto/hash.h"
#include "crypto/muhash.h"

#include <algorithm>

namespace cairn {

Bytes SerializeCoinForHash(const OutPoint& outpoint, const Coin& coin)
{
    Bytes out;
    out.reserve(36 + 4 + 8 + 1 + coin.out.script_pubkey.size());
    VectorWriter w(out);
    SerializeOutPoint(w, outpoint);
    WriteU32LE(w, uint32_t(coin.height) * 2 + uint32_t(coin.coinbase));
    SerializeTxOut(w, coin.out);
    return out;
}

uint64_t GetBogoSize(const Script& script_pubkey)
{
    // txid, output index, height and coinbase flag, amount, script length, script.
    return 32 + 4 + 4 + 8 + 2 + script_pubkey.size();
}

std::optional<CoinsStats> ComputeCoinsStats(const CoinsDB& db, CoinStatsHashType type,
                                            const std::function<bool()>& interrupt)
{
    const uint256 best_block = db.GetBestBlock();
    auto cursor = db.NewCursor();
    return ComputeCoinsStats(*cursor, best_block, type, interrupt);
}

std::optional<CoinsStats> ComputeCoinsStats(CoinsDB::Cursor& cursor, const uint256& best_block,
                                            CoinStatsHashType type, const std::function<bool()>& interrupt)
{
    CoinsStats stats;
    stats.best_block = best_block;
    HashWriter serialized;
    MuHash3072 muhash;
    if (type == CoinStatsHashType::HASH_SERIALIZED) serialized.Write(stats.best_block.span());

    // The outputs of one transaction are hashed together, by increasing
    // index as Core does; the database's key order (VARINT bytes of the
    // index) differs from that from index 16512 on.
    uint256 group_txid;
    std::vector<std::pair<uint32_t, Bytes>> group;
    bool group_sorted = true;
    auto finish_group = [&] {
        if (group.empty()) return;
        ++stats.transactions;
        if (!group_sorted) {
            std::sort(group.begin(), group.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        }
        for (const auto& [n, ser] : group) {
            if (type == CoinStatsHashType::HASH_SERIALIZED) serialized.Write(ser);
            else if (type == CoinStatsHashType::MUHASH) muhash.Insert(ser);
        }
        group.clear();
        group_sorted = true;
    };

    size_t n = 0;
    for (; cursor.Valid(); cursor.Next()) {
        if (interrupt && (++n % 1000) == 0 && interrupt()) return std::nullopt;
        const OutPoint& outpoint = cursor.Key();
        const Coin& coin = cursor.Value();
        if (group.empty() || outpoint.hash != group_txid) {
            finish_group();
            group_txid = outpoint.hash;
        }
        if (!group.empty() && outpoint.n < group.back().first) group_sorted = false;
        group.emplace_back(outpoint.n, type != CoinStatsHashType::NONE ? SerializeCoinForHash(outpoint, coin) : Bytes{});
        ++stats.txouts;
        stats.total_amount += coin.out.value;
        stats.bogosize += GetBogoSize(coin.out.script_pubkey);
    }
    finish_group();
    if (type == CoinStatsHashType::HASH_SERIALIZED) {
        stats.hash = serialized.GetHash();
    } else if (type == CoinStatsHashType::MUHASH) {
        uint256 out;
        muhash.Finalize(out);
        stats.hash = out;
    }
    return stats;
}

} // namespace cairn
