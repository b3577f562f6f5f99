// Pruning: with -fastprune's 64 KiB block files a few hundred padded
// blocks span many files. Files are deleted whole, never one holding a
// block within MIN_BLOCKS_TO_KEEP of the tip; the chainstate, a restart,
// shallow reorgs and new blocks keep working; a reorg that would need
// pruned blocks is refused without harm; the datadir remembers it was
// pruned; -reindex starts over from the files that are left.
#include "consensus/chain_params.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "util/log.h"
#include "validation/block_import.h"
#include "validation/coin_stats.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace cairn;
using namespace cairn::test;

namespace {

/** Counts fatal errors: pruning must never cause one. */
class PruneNotifications : public RecordingNotifications
{
public:
    void FatalError(const std::string& message) override { fatal.push_back(message); }
    std::vector<std::string> fatal;
};

struct PruneEnv {
    TempDir dir{"cairn_prune"};
    std::unique_ptr<const ChainParams> params;
    std::unique_ptr<ChainBuilder> builder;
    PruneNotifications notifications;
    std::unique_ptr<ChainstateManager> chainman;
    /** About 2 KiB per block: some 30 blocks per 64 KiB file. */
    BlockOptions padded;

    PruneEnv()
    {
        Logger::Instance().SetQuiet(true);
        ChainParamsOptions popts;
        popts.fast_prune = true; // prune_after_height 100
        params = CreateChainParams(ChainType::REGTEST, popts);
        builder = std::make_unique<ChainBuilder>(*params);
        padded.coinbase_script = Script() << OP_TRUE << Bytes(2000, 0x5a) << OP_DROP;
    }
    ~PruneEnv()
    {
        chainman.reset();
        Logger::Instance().SetQuiet(false);
    }

    ChainstateOptions Options(uint64_t prune_target, bool reindex = false) const
    {
        ChainstateOptions o;
        o.datadir = dir.path();
        o.params = params.get();
        o.notifications = const_cast<PruneNotifications*>(&notifications);
        o.db_cache_bytes = size_t(16) << 20;
        o.prune_target_bytes = prune_target;
        o.fast_prune = true;
        o.reindex = reindex;
        return o;
    }

    /** Opens the datadir; returns Load's error ("" on success). */
    std::string Open(uint64_t prune_target = PRUNE_TARGET_MANUAL, bool reindex = false)
    {
        chainman.reset();
        chainman = std::make_unique<ChainstateManager>(Options(prune_target, reindex));
        std::string error;
        if (!chainman->Load(error)) {
            chainman.reset();
            return error.empty() ? "Load failed" : error;
        }
        return "";
    }

    std::vector<Block> Extend(const uint256& parent, int count) { return builder->CreateChain(parent, count, padded); }

    void Submit(const std::vector<Block>& blocks)
    {
        for (const Block& b : blocks) {
            bool is_new = false;
            BlockValidationState state;
            BOOST_REQUIRE_MESSAGE(chainman->ProcessNewBlock(std::make_shared<const Block>(b), true, true, &is_new, &state),
                                  state.ToString());
        }
    }

    uint256 UtxoHash()
    {
        BlockValidationState state;
        BOOST_REQUIRE(chainman->FlushStateToDisk(FlushMode::ALWAYS, state));
        std::lock_guard lock(chainman->GetMutex());
        return *ComputeCoinsStats(chainman->CoinsDatabase(), CoinStatsHashType::HASH_SERIALIZED)->hash;
    }

    std::filesystem::path Blk(int n) const
    {
        char name[32];
        std::snprintf(name, sizeof(name), "blk%05d.dat", n);
        return dir.path() / "blocks" / name;
    }
    std::filesystem::path Rev(int n) const
    {
        char name[32];
        std::snprintf(name, sizeof(name), "rev%05d.dat", n);
        return dir.path() / "blocks" / name;
    }

    /** Checks that the active chain has every block (and undo) from `lowest` up, and none below. */
    void CheckDataFrom(int lowest)
    {
        std::lock_guard lock(chainman->GetMutex());
        const Chain& chain = chainman->ActiveChain();
        for (int h = 1; h <= chain.Height(); ++h) {
            const uint32_t have = chain[h]->status & BLOCK_HAVE_MASK;
            if (h < lowest) {
                BOOST_CHECK_MESSAGE(have == 0, "block " << h << " should be pruned");
            } else {
                BOOST_CHECK_MESSAGE(have == BLOCK_HAVE_MASK, "block " << h << " should be stored");
            }
        }
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(prune_tests)

BOOST_AUTO_TEST_CASE(manual_prune_restart_and_reorgs)
{
    PruneEnv env;
    BOOST_REQUIRE_EQUAL(env.Open(), "");
    BOOST_CHECK(env.chainman->IsPruneMode());
    const std::vector<Block> chain = env.Extend(env.params->consensus.genesis_hash, 700);
    env.Submit(chain);
    BOOST_REQUIRE_EQUAL(env.chainman->Height(), 700);
    // -prune=1 never prunes by itself, however large the files get.
    BOOST_CHECK_EQUAL(env.chainman->PruneHeight(), 0);
    BOOST_REQUIRE(std::filesystem::exists(env.Blk(0)));
    const uint64_t usage_before = env.chainman->BlockFilesUsage();
    BOOST_CHECK_GT(usage_before, 10U * FAST_PRUNE_MAX_BLOCKFILE_SIZE); // many files
    const uint256 utxo_before = env.UtxoHash();

    // Asked for more than allowed: capped at tip - 288 = 412.
    BOOST_REQUIRE(env.chainman->PruneBlockFilesManual(700));
    const int prune_height = env.chainman->PruneHeight();
    BOOST_TEST_MESSAGE("lowest block with data after pruning: " << prune_height);
    BOOST_CHECK_GT(prune_height, 300);                  // most of 1..412 went
    BOOST_CHECK_LE(prune_height, 700 - MIN_BLOCKS_TO_KEEP + 1); // nothing above 412
    env.CheckDataFrom(prune_height);
    BOOST_CHECK(!std::filesystem::exists(env.Blk(0)));
    BOOST_CHECK(!std::filesystem::exists(env.Rev(0)));
    BOOST_CHECK_LT(env.chainman->BlockFilesUsage(), usage_before / 2);
    {
        BlockIndex pruned, kept; // copies: ReadBlock takes the lock itself
        {
            std::lock_guard lock(env.chainman->GetMutex());
            BOOST_REQUIRE(env.chainman->ActiveChain()[prune_height]);
            pruned = *env.chainman->ActiveChain()[prune_height - 1];
            kept = *env.chainman->ActiveChain()[prune_height];
        }
        BOOST_CHECK(!env.chainman->ReadBlock(pruned));
        BOOST_CHECK(env.chainman->ReadBlock(kept));
    }
    // The chainstate is untouched.
    BOOST_CHECK_EQUAL(env.UtxoHash().GetHex(), utxo_before.GetHex());
    // Pruning again to a lower height does nothing.
    BOOST_REQUIRE(env.chainman->PruneBlockFilesManual(100));
    BOOST_CHECK_EQUAL(env.chainman->PruneHeight(), prune_height);

    // Restart: still pruned, same chain, and new blocks connect.
    BOOST_REQUIRE_EQUAL(env.Open(), "");
    BOOST_CHECK_EQUAL(env.chainman->Height(), 700);
    BOOST_CHECK_EQUAL(env.chainman->PruneHeight(), prune_height);
    BOOST_CHECK_EQUAL(env.UtxoHash().GetHex(), utxo_before.GetHex());
    const std::vector<Block> more = env.Extend(chain.back().GetHash(), 5);
    env.Submit(more);
    BOOST_CHECK_EQUAL(env.chainman->TipHash().GetHex(), more.back().GetHash().GetHex());

    // A reorg shallower than MIN_BLOCKS_TO_KEEP works: fork 100 blocks below the tip.
    const int tip_height = env.chainman->Height(); // 705
    const std::vector<Block> branch = env.Extend(chain[tip_height - 100 - 1].GetHash(), 101);
    env.Submit(branch);
    BOOST_CHECK_EQUAL(env.chainman->TipHash().GetHex(), branch.back().GetHash().GetHex());
    BOOST_CHECK_EQUAL(env.chainman->Height(), tip_height + 1);

    // A reorg into pruned blocks (fork at height 50) is refused: the blocks
    // are stored, but the chain stays, and nothing is fatal.
    const uint256 tip_before = env.chainman->TipHash();
    const std::vector<Block> deep = env.Extend(chain[49].GetHash(), tip_height - 50 + 10);
    env.Submit(deep);
    BOOST_CHECK_EQUAL(env.chainman->TipHash().GetHex(), tip_before.GetHex());
    BOOST_CHECK(env.notifications.fatal.empty());
    // ...and the node still follows its own chain.
    const std::vector<Block> next = env.Extend(tip_before, 1);
    env.Submit(next);
    BOOST_CHECK_EQUAL(env.chainman->TipHash().GetHex(), next.back().GetHash().GetHex());
    BOOST_CHECK(env.notifications.fatal.empty());

    // Going back to unpruned mode needs -reindex (Core's message), and the
    // refusal changes nothing on disk.
    auto listing = [&] {
        std::vector<std::pair<std::string, uintmax_t>> files;
        for (const auto& e : std::filesystem::directory_iterator(env.dir / "blocks")) {
            if (e.is_regular_file()) files.emplace_back(e.path().filename().string(), e.file_size());
        }
        std::sort(files.begin(), files.end());
        return files;
    };
    env.chainman.reset();
    const auto files_before = listing();
    const std::string error = env.Open(/*prune_target=*/0);
    BOOST_CHECK_EQUAL(error, "You need to rebuild the database using -reindex to go back to unpruned mode.  This will "
                             "redownload the entire blockchain");
    BOOST_CHECK(listing() == files_before);
    BOOST_REQUIRE_EQUAL(env.Open(), "");
    BOOST_CHECK_EQUAL(env.chainman->TipHash().GetHex(), next.back().GetHash().GetHex());
}

BOOST_AUTO_TEST_CASE(automatic_pruning)
{
    PruneEnv env;
    // A target far below the pre-allocation buffer: every file that may go, goes.
    BOOST_REQUIRE_EQUAL(env.Open(/*prune_target=*/1), "");
    const std::vector<Block> chain = env.Extend(env.params->consensus.genesis_hash, 600);
    env.Submit(chain);
    BOOST_REQUIRE_EQUAL(env.chainman->Height(), 600);
    const int prune_height = env.chainman->PruneHeight();
    // Pruning runs when a file is started, so the newest ~30 blocks may be
    // newer than the last check: at least up to 600 - 288 - 64 went.
    BOOST_CHECK_GT(prune_height, 600 - MIN_BLOCKS_TO_KEEP - 64);
    BOOST_CHECK_LE(prune_height, 600 - MIN_BLOCKS_TO_KEEP + 1);
    env.CheckDataFrom(prune_height);
    BOOST_CHECK(!std::filesystem::exists(env.Blk(0)));
    BOOST_CHECK(env.notifications.fatal.empty());

    // The UTXO set is the one of an unpruned node.
    PruneEnv full;
    BOOST_REQUIRE_EQUAL(full.Open(/*prune_target=*/0), "");
    full.Submit(chain);
    BOOST_CHECK_EQUAL(env.UtxoHash().GetHex(), full.UtxoHash().GetHex());

    // -reindex on a pruned datadir: the files after the gap cannot be
    // indexed and are removed (as in Core); the node starts over from genesis.
    BOOST_REQUIRE_EQUAL(env.Open(/*prune_target=*/1, /*reindex=*/true), "");
    const ImportStats stats = env.chainman->ImportBlocks({});
    BOOST_CHECK(!stats.failed);
    BOOST_CHECK_EQUAL(env.chainman->Height(), 0);
    BOOST_CHECK_EQUAL(env.chainman->PruneHeight(), 0);
    for (const auto& entry : std::filesystem::directory_iterator(env.dir / "blocks")) {
        const std::string name = entry.path().filename().string();
        BOOST_CHECK_MESSAGE(name == "index" || name == "xor.dat" || name == "blk00000.dat" || name == "rev00000.dat",
                            name);
    }
    // And it syncs again (blocks would come from peers; here, directly).
    env.Submit(chain);
    BOOST_CHECK_EQUAL(env.chainman->Height(), 600);
    BOOST_CHECK_EQUAL(env.UtxoHash().GetHex(), full.UtxoHash().GetHex());
}

BOOST_AUTO_TEST_CASE(not_in_prune_mode)
{
    PruneEnv env;
    BOOST_REQUIRE_EQUAL(env.Open(/*prune_target=*/0), "");
    BOOST_CHECK(!env.chainman->IsPruneMode());
    env.Submit(env.Extend(env.params->consensus.genesis_hash, 400));
    BOOST_REQUIRE(env.chainman->PruneBlockFilesManual(300)); // a no-op
    BOOST_CHECK_EQUAL(env.chainman->PruneHeight(), 0);
    BOOST_CHECK(std::filesystem::exists(env.Blk(0)));
    env.CheckDataFrom(1);
}

BOOST_AUTO_TEST_SUITE_END()
