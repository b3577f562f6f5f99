#include "validation/coins_cache.h"

#include "crypto/random.h"
#include "crypto/siphash.h"

#include <stdexcept>

namespace cairn {

SaltedOutpointHasher::SaltedOutpointHasher() : m_k0(GetRandUint64()), m_k1(GetRandUint64()) {}

size_t SaltedOutpointHasher::operator()(const OutPoint& o) const noexcept
{
    return SipHashUint256Extra(m_k0, m_k1, o.hash, o.n);
}

static size_t ScriptHeapBytes(const Coin& coin) { return coin.out.script_pubkey.bytes().capacity(); }

CoinsMap::iterator CoinsCache::Fetch(const OutPoint& outpoint) const
{
    auto it = m_cache.find(outpoint);
    if (it != m_cache.end()) return it;
    std::optional<Coin> coin = m_base->GetCoin(outpoint);
    if (!coin) return m_cache.end();
    it = m_cache.emplace(outpoint, CoinsCacheEntry{std::move(*coin), 0}).first;
    m_script_bytes += ScriptHeapBytes(it->second.coin);
    return it;
}

std::optional<Coin> CoinsCache::GetCoin(const OutPoint& outpoint) const
{
    auto it = Fetch(outpoint);
    if (it == m_cache.end() || it->second.coin.IsSpent()) return std::nullopt;
    return it->second.coin;
}

bool CoinsCache::HaveCoin(const OutPoint& outpoint) const
{
    auto it = Fetch(outpoint);
    return it != m_cache.end() && !it->second.coin.IsSpent();
}

bool CoinsCache::HaveCoinInCache(const OutPoint& outpoint) const
{
    auto it = m_cache.find(outpoint);
    return it != m_cache.end() && !it->second.coin.IsSpent();
}

const Coin& CoinsCache::AccessCoin(const OutPoint& outpoint) const
{
    static const Coin EMPTY;
    auto it = Fetch(outpoint);
    return it == m_cache.end() ? EMPTY : it->second.coin;
}

uint256 CoinsCache::GetBestBlock() const
{
    if (m_best_block.IsNull()) m_best_block = m_base->GetBestBlock();
    return m_best_block;
}

void CoinsCache::AddCoin(const OutPoint& outpoint, Coin&& coin, bool possible_overwrite)
{
    if (coin.IsSpent()) throw std::logic_error("AddCoin: coin is spent");
    // Unspendable outputs never enter the UTXO set.
    if (coin.out.script_pubkey.IsUnspendable()) return;
    auto [it, inserted] = m_cache.try_emplace(outpoint);
    bool fresh = false;
    if (!possible_overwrite) {
        if (!it->second.coin.IsSpent()) throw std::logic_error("AddCoin: attempted to overwrite an unspent coin");
        // A spent but DIRTY entry has a spend the base has not seen yet;
        // marking it FRESH would let a later spend drop it and lose that.
        fresh = !(it->second.flags & CoinsCacheEntry::DIRTY);
    }
    if (!inserted) m_script_bytes -= ScriptHeapBytes(it->second.coin);
    it->second.coin = std::move(coin);
    it->second.flags |= CoinsCacheEntry::DIRTY | (fresh ? CoinsCacheEntry::FRESH : 0);
    m_script_bytes += ScriptHeapBytes(it->second.coin);
}

void CoinsCache::AddCoins(const Transaction& tx, int height, bool check_for_overwrite)
{
    const bool coinbase = tx.IsCoinBase();
    const uint256& txid = tx.GetTxid();
    for (uint32_t i = 0; i < tx.vout.size(); ++i) {
        OutPoint outpoint(txid, i);
        // Coinbases may always overwrite: two historical blocks repeat a coinbase (BIP 30).
        bool overwrite = check_for_overwrite ? HaveCoin(outpoint) : coinbase;
        Coin coin;
        coin.out = tx.vout[i];
        coin.height = uint32_t(height);
        coin.coinbase = coinbase;
        AddCoin(outpoint, std::move(coin), overwrite);
    }
}

bool CoinsCache::SpendCoin(const OutPoint& outpoint, Coin* moved_out)
{
    auto it = Fetch(outpoint);
    if (it == m_cache.end() || it->second.coin.IsSpent()) return false;
    m_script_bytes -= ScriptHeapBytes(it->second.coin);
    if (moved_out) *moved_out = std::move(it->second.coin);
    if (it->second.flags & CoinsCacheEntry::FRESH) {
        m_cache.erase(it);
    } else {
        it->second.flags |= CoinsCacheEntry::DIRTY;
        it->second.coin.Clear();
    }
    return true;
}

void CoinsCache::BatchWrite(CoinsMap& changes, const uint256& best_block, bool erase)
{
    for (auto& [outpoint, child] : changes) {
        if (!(child.flags & CoinsCacheEntry::DIRTY)) continue;
        const bool child_fresh = child.flags & CoinsCacheEntry::FRESH;
        auto it = m_cache.find(outpoint);
        if (it == m_cache.end()) {
            // Created and spent within the child without the parent ever seeing it: nothing to do.
            if (child_fresh && child.coin.IsSpent()) continue;
            CoinsCacheEntry& entry = m_cache[outpoint];
            entry.coin = erase ? std::move(child.coin) : child.coin;
            entry.flags = CoinsCacheEntry::DIRTY | (child_fresh ? CoinsCacheEntry::FRESH : 0);
            m_script_bytes += ScriptHeapBytes(entry.coin);
            continue;
        }
        if (child_fresh && !it->second.coin.IsSpent()) {
            throw std::logic_error("BatchWrite: FRESH flag misapplied to a coin that exists in the parent");
        }
        m_script_bytes -= ScriptHeapBytes(it->second.coin);
        if ((it->second.flags & CoinsCacheEntry::FRESH) && child.coin.IsSpent()) {
            // The grandparent never saw this coin: forget it entirely.
            m_cache.erase(it);
        } else {
            // Not FRESH here even if it was in the child: the parent may hold a
            // spend of an older coin at this outpoint that must still reach the base.
            it->second.coin = erase ? std::move(child.coin) : child.coin;
            it->second.flags |= CoinsCacheEntry::DIRTY;
            m_script_bytes += ScriptHeapBytes(it->second.coin);
        }
    }
    m_best_block = best_block;
}

void CoinsCache::Flush()
{
    m_base->BatchWrite(m_cache, GetBestBlock(), true);
    m_cache.clear();
    m_script_bytes = 0;
}

void CoinsCache::Sync()
{
    m_base->BatchWrite(m_cache, GetBestBlock(), false);
    for (auto it = m_cache.begin(); it != m_cache.end();) {
        if (it->second.coin.IsSpent()) {
            it = m_cache.erase(it);
        } else {
            it->second.flags = 0;
            ++it;
        }
    }
}

void CoinsCache::Uncache(const OutPoint& outpoint)
{
    auto it = m_cache.find(outpoint);
    if (it != m_cache.end() && it->second.flags == 0) {
        m_script_bytes -= ScriptHeapBytes(it->second.coin);
        m_cache.erase(it);
    }
}

size_t CoinsCache::DynamicMemoryUsage() const
{
    // A node of std::unordered_map holds the value and a next pointer (plus
    // the cached hash), allocated separately; buckets are one pointer each.
    constexpr size_t NODE = sizeof(CoinsMap::value_type) + 2 * sizeof(void*);
    return m_cache.size() * NODE + m_cache.bucket_count() * sizeof(void*) + m_script_bytes;
}

} // namespace cairn
