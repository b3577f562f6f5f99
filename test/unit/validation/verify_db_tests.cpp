// ChainstateManager::VerifyDB (verifychain): passes on a sound chain at
// every level, and each level catches the damage it is meant to catch: an
// unreadable block, bad undo data, a UTXO set that does not match the
// blocks. Damage below the checked depth goes unnoticed, as it should.
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>

using namespace cairn;
using namespace cairn::test;

namespace {

struct Env {
    TempDir dir{"cairn_verify_db"};
    std::unique_ptr<const ChainParams> params{CreateChainParams(ChainType::REGTEST)};
    ChainBuilder builder{*params};
    TestNode node{*params, dir.path()};
    std::vector<Block> blocks;

    /** 110 blocks: 101 coinbase-only ones, then 9 that each spend a mature
     *  coinbase, so that undo data and disconnection have real coins. */
    Env()
    {
        blocks = builder.CreateChain(builder.GenesisHash(), 101);
        for (int i = 0; i < 9; ++i) {
            const Utxo coinbase = OutputOf(*blocks[i].vtx[0]);
            MutableTransaction spend = SpendTo(coinbase, P2WSHOpTrueScript(), coinbase.out.value - 1000);
            SignTransaction(spend, std::vector<Utxo>{coinbase});
            blocks.push_back(builder.CreateBlock(blocks.back().GetHash(), {spend}));
        }
        BOOST_REQUIRE_EQUAL(node.SubmitAll(blocks), "");
        BOOST_REQUIRE_EQUAL(node->Height(), 110);
        BlockValidationState state;
        BOOST_REQUIRE(node->FlushStateToDisk(FlushMode::ALWAYS, state));
    }

    const BlockIndex& At(int height)
    {
        std::lock_guard lock(node->GetMutex());
        return *node->ActiveChain()[height];
    }

    /** Flips one byte of a blk or rev file. */
    void Corrupt(const char* prefix, int file, unsigned offset)
    {
        char name[32];
        std::snprintf(name, sizeof(name), "%s%05d.dat", prefix, file);
        const std::filesystem::path path = dir.path() / "blocks" / name;
        std::FILE* f = std::fopen(path.c_str(), "r+b");
        BOOST_REQUIRE(f);
        BOOST_REQUIRE_EQUAL(std::fseek(f, long(offset), SEEK_SET), 0);
        const int c = std::fgetc(f);
        BOOST_REQUIRE(c != EOF);
        BOOST_REQUIRE_EQUAL(std::fseek(f, long(offset), SEEK_SET), 0);
        std::fputc(c ^ 0x5a, f);
        std::fclose(f);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(verify_db_tests)

BOOST_AUTO_TEST_CASE(sound_chain_passes_every_level)
{
    Env env;
    const uint256 utxo_before = env.node.UtxoHash();
    for (int level = 0; level <= 4; ++level) {
        BOOST_CHECK_MESSAGE(env.node->VerifyDB(level, 6), "level " << level);
        BOOST_CHECK_MESSAGE(env.node->VerifyDB(level, 0), "level " << level << ", all blocks");
    }
    // Depth beyond the chain means all of it; a level out of range is clamped.
    BOOST_CHECK(env.node->VerifyDB(4, 1000));
    BOOST_CHECK(env.node->VerifyDB(7, 3));
    BOOST_CHECK(env.node->VerifyDB(-1, 3));
    // Nothing was changed: same tip, same UTXO set.
    BOOST_CHECK_EQUAL(env.node->Height(), 110);
    BOOST_CHECK_EQUAL(env.node.UtxoHash().GetHex(), utxo_before.GetHex());
    // An interrupt ends the check with a failure.
    BOOST_CHECK(!env.node->VerifyDB(3, 0, [] { return true; }));
}

BOOST_AUTO_TEST_CASE(genesis_only_chain_passes)
{
    TempDir dir("cairn_verify_db_genesis");
    auto params = CreateChainParams(ChainType::REGTEST);
    TestNode node(*params, dir.path());
    BOOST_CHECK(node->VerifyDB(4, 0));
}

BOOST_AUTO_TEST_CASE(corrupted_undo_data_fails_from_level_2)
{
    Env env;
    const BlockIndex& tip = env.At(110);
    BOOST_REQUIRE(tip.status & BLOCK_HAVE_UNDO);
    env.Corrupt("rev", tip.file, tip.undo_pos + 3);
    BOOST_CHECK(env.node->VerifyDB(0, 6));
    BOOST_CHECK(env.node->VerifyDB(1, 6));
    BOOST_CHECK(!env.node->VerifyDB(2, 6));
    BOOST_CHECK(!env.node->VerifyDB(3, 6));
    BOOST_CHECK(!env.node->VerifyDB(4, 0));
}

BOOST_AUTO_TEST_CASE(damage_below_the_depth_is_not_checked)
{
    Env env;
    const BlockIndex& old_block = env.At(104);
    env.Corrupt("rev", old_block.file, old_block.undo_pos + 3);
    BOOST_CHECK(env.node->VerifyDB(3, 6));  // heights 105..110
    BOOST_CHECK(!env.node->VerifyDB(3, 7)); // reaches 104
    BOOST_CHECK(!env.node->VerifyDB(3, 0));
}

BOOST_AUTO_TEST_CASE(corrupted_block_fails_at_level_0)
{
    Env env;
    const BlockIndex& tip = env.At(109);
    // The record's size field: the block can no longer be read back.
    env.Corrupt("blk", tip.file, tip.data_pos - 2);
    BOOST_CHECK(env.node->VerifyDB(0, 1)); // only the tip (110)
    BOOST_CHECK(!env.node->VerifyDB(0, 2));
}

BOOST_AUTO_TEST_CASE(altered_transaction_fails_at_level_1)
{
    Env env;
    const BlockIndex& tip = env.At(110);
    // The last byte of the block is the spend's lock time: the block still
    // decodes but no longer matches its merkle root.
    const Block block = *env.node->ReadBlock(tip);
    const size_t size = SerializeBlockBytes(block).size();
    env.Corrupt("blk", tip.file, tip.data_pos + unsigned(size) - 1);
    BOOST_CHECK(env.node->VerifyDB(0, 6));
    BOOST_CHECK(!env.node->VerifyDB(1, 6));
}

BOOST_AUTO_TEST_CASE(utxo_set_inconsistency_fails_at_level_3)
{
    Env env;
    // Spend an output of the tip's transaction in the node's own coins
    // (as a lost database write would): the blocks and undo data are fine,
    // but disconnecting the tip does not find that output.
    const Block tip_block = env.blocks.back();
    {
        std::lock_guard lock(env.node->GetMutex());
        BOOST_REQUIRE(env.node->Coins().SpendCoin(OutPoint(tip_block.vtx[1]->GetTxid(), 0)));
    }
    BOOST_CHECK(env.node->VerifyDB(2, 6));
    BOOST_CHECK(!env.node->VerifyDB(3, 6));
    BOOST_CHECK(!env.node->VerifyDB(4, 6));
}

BOOST_AUTO_TEST_SUITE_END()
