#include "validation/coin_stats.h"

#include "crypto/hash.h"
#include "crypto/muhash.h"

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
    CoinsStats stats;
    stats.best_block = db.GetBestBlock();
    HashWriter serialized;
    MuHash3072 muhash;
    if (type == CoinStatsHashType::HASH_SERIALIZED) serialized.Write(stats.best_block.span());

    size_t n = 0;
    for (auto cursor = db.NewCursor(); cursor->Valid(); cursor->Next()) {
        if (interrupt && (++n % 1000) == 0 && interrupt()) return std::nullopt;
        const OutPoint& outpoint = cursor->Key();
        const Coin& coin = cursor->Value();
        if (type != CoinStatsHashType::NONE) {
            const Bytes ser = SerializeCoinForHash(outpoint, coin);
            if (type == CoinStatsHashType::HASH_SERIALIZED) serialized.Write(ser);
            else muhash.Insert(ser);
        }
        ++stats.txouts;
        stats.total_amount += coin.out.value;
        stats.bogosize += GetBogoSize(coin.out.script_pubkey);
    }
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
