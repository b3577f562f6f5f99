// The chainstate database as the bottom CoinsView of the cache stack.
#ifndef CAIRN_VALIDATION_COINS_DB_VIEW_H
#define CAIRN_VALIDATION_COINS_DB_VIEW_H

#include "storage/coins_db.h"
#include "validation/coins_view.h"

namespace cairn {

class CoinsDBView : public CoinsView
{
public:
    explicit CoinsDBView(CoinsDB& db, size_t batch_bytes = DEFAULT_DB_BATCH_BYTES)
        : m_db(db), m_batch_bytes(batch_bytes) {}

    std::optional<Coin> GetCoin(const OutPoint& outpoint) const override { return m_db.GetCoin(outpoint); }
    bool HaveCoin(const OutPoint& outpoint) const override { return m_db.HaveCoin(outpoint); }
    uint256 GetBestBlock() const override { return m_db.GetBestBlock(); }
    std::vector<uint256> GetHeadBlocks() const override { return m_db.GetHeadBlocks(); }
    void BatchWrite(CoinsMap& changes, const uint256& best_block, bool erase) override;
    size_t EstimateSize() const override { return m_db.EstimateSize(); }

    CoinsDB& db() { return m_db; }

private:
    CoinsDB& m_db;
    size_t m_batch_bytes;
};

} // namespace cairn

#endif
