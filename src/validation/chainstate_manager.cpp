// Construction, queries and the coins-cache budget of the engine.
#include "validation/chainstate_manager.h"

#include "util/log.h"
#include "util/time.h"
#include "validation/notifications.h"

#include <chrono>

namespace cairn {

namespace {

/** LevelDB caches taken out of -dbcache; the rest is the in-memory UTXO cache. */
constexpr size_t MAX_BLOCK_TREE_DB_CACHE = size_t(2) << 20;
constexpr size_t MAX_COINS_DB_CACHE = size_t(8) << 20;

} // namespace

ChainstateManager::ChainstateManager(ChainstateOptions options)
    // -maxsigcachesize (signature_cache_bytes) is split evenly between the
    // two caches, as in Core.
    : m_opts(std::move(options)), m_sig_cache(m_opts.signature_cache_bytes / 2),
      m_script_exec_cache(m_opts.signature_cache_bytes / 2)
{
    if (!m_opts.params) throw std::logic_error("ChainstateManager: no chain parameters");
    if (!m_opts.clock) m_opts.clock = GetTime;

    const size_t tree_cache = std::min(MAX_BLOCK_TREE_DB_CACHE, m_opts.db_cache_bytes / 8);
    const size_t coins_db_cache = std::min(MAX_COINS_DB_CACHE, m_opts.db_cache_bytes / 4);

    // The block files first: whether the blocks directory is new (and so
    // gets a random XOR key) is decided before the index creates blocks/index.
    BlockFileStoreOptions file_opts;
    file_opts.blocks_dir = m_opts.datadir / "blocks";
    std::copy(m_opts.params->message_start.begin(), m_opts.params->message_start.end(), file_opts.magic.begin());
    if (m_opts.fast_prune) {
        file_opts.max_file_size = FAST_PRUNE_MAX_BLOCKFILE_SIZE;
        file_opts.blk_chunk_size = FAST_PRUNE_BLOCKFILE_CHUNK_SIZE;
    }
    file_opts.use_xor = m_opts.blocks_xor;
    m_block_files = std::make_unique<BlockFileStore>(file_opts);

    DatabaseOptions tree_opts;
    tree_opts.path = m_opts.datadir / "blocks" / "index";
    tree_opts.cache_bytes = tree_cache;
    tree_opts.memory_only = m_opts.memory_only;
    tree_opts.wipe = m_opts.reindex;
    m_block_tree_db = std::make_unique<BlockTreeDB>(tree_opts);

    DatabaseOptions coins_opts;
    coins_opts.path = m_opts.datadir / "chainstate";
    coins_opts.cache_bytes = coins_db_cache;
    coins_opts.memory_only = m_opts.memory_only;
    coins_opts.wipe = m_opts.reindex || m_opts.reindex_chainstate;
    coins_opts.obfuscate = true;
    m_coins_db = std::make_unique<CoinsDB>(coins_opts);
    m_coins_db_view = std::make_unique<CoinsDBView>(*m_coins_db, m_opts.db_batch_bytes);
    m_coins = std::make_unique<CoinsCache>(m_coins_db_view.get());

    if (m_opts.script_threads > 0) {
        // Batches of 128 checks keep the lock traffic low while every thread stays busy.
        m_script_queue = std::make_unique<ScriptCheckQueue>(128, m_opts.script_threads);
    }
}

ChainstateManager::~ChainstateManager()
{
    try {
        BlockValidationState state;
        FlushStateToDisk(FlushMode::ALWAYS, state);
    } catch (const std::exception& e) {
        LogError("Failed to flush the chainstate at shutdown: {}", e.what());
    }
}

size_t ChainstateManager::CoinsCacheBudget() const
{
    const size_t tree_cache = std::min(MAX_BLOCK_TREE_DB_CACHE, m_opts.db_cache_bytes / 8);
    const size_t coins_db_cache = std::min(MAX_COINS_DB_CACHE, m_opts.db_cache_bytes / 4);
    return m_opts.db_cache_bytes - tree_cache - coins_db_cache;
}

int ChainstateManager::Height() const
{
    std::lock_guard lock(m_mutex);
    return m_chain.Height();
}

uint256 ChainstateManager::TipHash() const
{
    std::lock_guard lock(m_mutex);
    return m_chain.Tip() ? m_chain.Tip()->GetBlockHash() : uint256{};
}

const BlockIndex* ChainstateManager::Tip() const
{
    std::lock_guard lock(m_mutex);
    return m_chain.Tip();
}

const BlockIndex* ChainstateManager::Lookup(const uint256& hash) const
{
    std::lock_guard lock(m_mutex);
    return m_tree.Lookup(hash);
}

const BlockIndex* ChainstateManager::BestHeader() const
{
    std::lock_guard lock(m_mutex);
    return m_tree.BestHeader();
}

std::optional<Coin> ChainstateManager::GetCoin(const OutPoint& outpoint) const
{
    std::lock_guard lock(m_mutex);
    return m_coins->GetCoin(outpoint);
}

std::optional<Block> ChainstateManager::ReadBlock(const BlockIndex& index) const
{
    FlatFilePos pos;
    {
        std::lock_guard lock(m_mutex);
        if (!(index.status & BLOCK_HAVE_DATA)) return std::nullopt;
        pos = FlatFilePos(index.file, index.data_pos);
    }
    // Reading needs no lock: the store's reads touch only immutable state.
    return m_block_files->ReadBlock(pos);
}

bool ChainstateManager::IsInitialBlockDownload() const
{
    // Once out of IBD the node never goes back (as in Bitcoin Core).
    if (m_ibd_done.load(std::memory_order_relaxed)) return false;
    std::lock_guard lock(m_mutex);
    const_cast<ChainstateManager*>(this)->UpdateIbdState();
    return !m_ibd_done.load(std::memory_order_relaxed);
}

void ChainstateManager::UpdateIbdState()
{
    if (m_ibd_done) return;
    const BlockIndex* tip = m_chain.Tip();
    if (!tip) return;
    const ConsensusParams& params = m_opts.params->consensus;
    const uint256 min_work = m_opts.minimum_chain_work.value_or(params.minimum_chain_work);
    if (tip->chain_work < UintToArith256(min_work)) return;
    if (int64_t(tip->time) < m_opts.clock() - m_opts.max_tip_age) return;
    LogInfo("Leaving InitialBlockDownload (latching to false)");
    m_ibd_done = true;
}

} // namespace cairn
