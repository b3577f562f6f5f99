#include "consensus/pow.h"

#include "consensus/chain_params.h"
#include "test/util/blkfile.h"
#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <deque>

using namespace cairn;

namespace {

/** A chain of BlockIndex entries with stable addresses, linked as the block
 *  tree links them (prev, skip, chain work). */
struct TestChain {
    std::deque<uint256> hashes;
    std::deque<BlockIndex> blocks;

    BlockIndex& Add(uint32_t time, uint32_t bits, int32_t version = 1, const uint256* hash = nullptr)
    {
        uint256 h;
        if (hash) {
            h = *hash;
        } else {
            const uint64_t n = blocks.size() + 1;
            std::memcpy(h.data(), &n, sizeof(n));
        }
        hashes.push_back(h);
        BlockIndex& b = blocks.emplace_back();
        b.hash = &hashes.back();
        b.prev = blocks.size() > 1 ? &blocks[blocks.size() - 2] : nullptr;
        b.height = b.prev ? b.prev->height + 1 : 0;
        b.time = time;
        b.bits = bits;
        b.version = version;
        b.BuildSkip();
        b.chain_work = (b.prev ? b.prev->chain_work : arith_uint256(0)) + GetBlockProof(b);
        return b;
    }
    BlockIndex& Tip() { return blocks.back(); }
};

/** A lone entry at a height, for the retarget arithmetic alone. */
BlockIndex MakeIndex(int height, uint32_t time, uint32_t bits)
{
    BlockIndex b;
    b.height = height;
    b.time = time;
    b.bits = bits;
    return b;
}

BlockHeader HeaderAt(uint32_t time)
{
    BlockHeader h;
    h.time = time;
    return h;
}

} // namespace

BOOST_AUTO_TEST_SUITE(pow_tests)

// Real mainnet retargets: the period ending at `last` began at `first_time`.
BOOST_AUTO_TEST_CASE(mainnet_retargets)
{
    const auto p = CreateChainParams(ChainType::MAIN);
    const ConsensusParams& c = p->consensus;

    // Block 32256, the first difficulty change (blocks 30240..32255 took 11.8 days).
    BlockIndex last = MakeIndex(32255, 1262152739, 0x1d00ffff);
    BOOST_CHECK_EQUAL(CalculateNextWorkRequired(&last, 1261130161, c), 0x1d00d86au);
    BOOST_CHECK(PermittedDifficultyTransition(c, 32256, 0x1d00ffff, 0x1d00d86a));

    // Block 2016: slower than two weeks, but the target cannot pass the limit.
    last = MakeIndex(2015, 1233061996, 0x1d00ffff);
    BOOST_CHECK_EQUAL(CalculateNextWorkRequired(&last, 1231006505, c), 0x1d00ffffu);

    // Block 68544: faster than a quarter of the timespan, clamped to a 4x step.
    last = MakeIndex(68543, 1279297671, 0x1c05a3f4);
    BOOST_CHECK_EQUAL(CalculateNextWorkRequired(&last, 1279008237, c), 0x1c0168fdu);
    BOOST_CHECK(PermittedDifficultyTransition(c, 68544, 0x1c05a3f4, 0x1c0168fd));
    BOOST_CHECK(!PermittedDifficultyTransition(c, 68544, 0x1c05a3f4, 0x1c0168fc)); // a step too hard

    // Block 46368: slower than four timespans, clamped to a 4x step the other way.
    last = MakeIndex(46367, 1269211443, 0x1c387f6f);
    BOOST_CHECK_EQUAL(CalculateNextWorkRequired(&last, 1263163443, c), 0x1d00e1fdu);
    BOOST_CHECK(PermittedDifficultyTransition(c, 46368, 0x1c387f6f, 0x1d00e1fd));
    BOOST_CHECK(!PermittedDifficultyTransition(c, 46368, 0x1c387f6f, 0x1d00e1fe)); // a step too easy
}

BOOST_AUTO_TEST_CASE(permitted_difficulty_transition)
{
    const auto main = CreateChainParams(ChainType::MAIN);
    const ConsensusParams& c = main->consensus;
    // Within a period nothing may change.
    BOOST_CHECK(PermittedDifficultyTransition(c, 1000, 0x1d00ffff, 0x1d00ffff));
    BOOST_CHECK(!PermittedDifficultyTransition(c, 1000, 0x1d00ffff, 0x1d00fffe));
    BOOST_CHECK(!PermittedDifficultyTransition(c, 2017, 0x1c05a3f4, 0x1c0168fd));
    // At a boundary: no easier than the limit, whatever the old target.
    BOOST_CHECK(PermittedDifficultyTransition(c, 2016, 0x1d00ffff, 0x1d00ffff));
    BOOST_CHECK(!PermittedDifficultyTransition(c, 2016, 0x1d00ffff, 0x1d01ffff));
    BOOST_CHECK(PermittedDifficultyTransition(c, 2016, 0x1c7fffff, 0x1d00ffff)); // 2x easier, up to the limit
    // Exactly a quarter: allowed.
    BOOST_CHECK(PermittedDifficultyTransition(c, 4032, 0x1d00ffff, 0x1c3fffc0));
    BOOST_CHECK(!PermittedDifficultyTransition(c, 4032, 0x1d00ffff, 0x1c3fffbf));

    // Where min-difficulty blocks are allowed, anything goes.
    const auto test3 = CreateChainParams(ChainType::TESTNET);
    BOOST_CHECK(PermittedDifficultyTransition(test3->consensus, 1000, 0x1c05a3f4, 0x1d00ffff));
    BOOST_CHECK(PermittedDifficultyTransition(test3->consensus, 2016, 0x1b00ffff, 0x1d00ffff));
}

BOOST_AUTO_TEST_CASE(off_by_one_window)
{
    // 2016 blocks exactly ten minutes apart: the retarget sees 2015 intervals,
    // so it makes mining a little harder than an exact two weeks would.
    const auto p = CreateChainParams(ChainType::MAIN);
    TestChain chain;
    const uint32_t t0 = 1231006505;
    for (int i = 0; i < 2016; ++i) chain.Add(t0 + 600 * i, 0x1d00ffff);
    BOOST_CHECK_EQUAL(chain.Tip().height, 2015);
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.Tip(), HeaderAt(t0 + 600 * 2016), p->consensus), 0x1d00ffdeu);
    // Within the period the bits just carry over (mainnet ignores the time).
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.blocks[2014], HeaderAt(t0 + 100000), p->consensus), 0x1d00ffffu);
    chain.Add(t0 + 600 * 2016, 0x1d00ffde);
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.Tip(), HeaderAt(t0 + 600 * 2017), p->consensus), 0x1d00ffdeu);
}

BOOST_AUTO_TEST_CASE(testnet_min_difficulty)
{
    const auto p = CreateChainParams(ChainType::TESTNET);
    const ConsensusParams& c = p->consensus;
    const uint32_t limit = 0x1d00ffff;
    const uint32_t hard = 0x1c0fffff;
    TestChain chain;
    uint32_t t = 1296688602;
    chain.Add(t, limit); // genesis
    for (int i = 1; i < 2016; ++i) chain.Add(t += 600, limit);
    // Period 2 starts with a real difficulty...
    chain.Add(t += 600, hard); // height 2016
    chain.Add(t += 600, hard);
    // ...then a 20-minute gap lets a min-difficulty block in...
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.Tip(), HeaderAt(t + 1201), c), limit);
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.Tip(), HeaderAt(t + 1200), c), hard); // exactly 20 minutes is not enough
    chain.Add(t += 1201, limit);
    chain.Add(t += 1300, limit);
    // ...and after min-difficulty blocks a prompt block returns to the last real difficulty.
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.Tip(), HeaderAt(t + 60), c), hard);
    // Even a block timestamped before its parent.
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.Tip(), HeaderAt(t - 5000), c), hard);

    // The walk back stops at the period's first block, whatever its bits.
    TestChain chain2;
    t = 1296688602;
    chain2.Add(t, hard);
    for (int i = 1; i < 2016; ++i) chain2.Add(t += 600, hard);
    chain2.Add(t += 600, limit); // height 2016: the retarget block itself at the limit
    chain2.Add(t += 1500, limit);
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain2.Tip(), HeaderAt(t + 60), c), limit);

    // Mainnet never allows it.
    const auto main = CreateChainParams(ChainType::MAIN);
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.Tip(), HeaderAt(t + 100000), main->consensus), limit);
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.blocks[2017], HeaderAt(t + 100000), main->consensus), hard);
}

BOOST_AUTO_TEST_CASE(bip94_retarget_from_first_block)
{
    // A period whose first block had a real difficulty and whose last block
    // was a min-difficulty exception.
    const uint32_t limit = 0x1d00ffff;
    const uint32_t hard = 0x1c0fffff;
    TestChain chain;
    uint32_t t = 1714777860;
    chain.Add(t, hard);
    for (int i = 1; i < 2015; ++i) chain.Add(t += 600, hard);
    chain.Add(t += 1300, limit); // height 2015, a 20-minute exception
    BOOST_REQUIRE_EQUAL(chain.Tip().height, 2015);
    const int64_t span = int64_t(chain.Tip().time) - chain.blocks[0].time;

    arith_uint256 expected;
    expected.SetCompact(hard);
    expected = expected * arith_uint256(uint64_t(span)) / arith_uint256(1209600);

    // testnet4: scaled from the first block's bits.
    const auto t4 = CreateChainParams(ChainType::TESTNET4);
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.Tip(), HeaderAt(t + 600), t4->consensus), expected.GetCompact());
    // testnet3: scaled from the exception's bits, i.e. back to the limit.
    const auto t3 = CreateChainParams(ChainType::TESTNET);
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.Tip(), HeaderAt(t + 600), t3->consensus), limit);

    // Regtest with -test=bip94 still does not retarget.
    ChainParamsOptions opts;
    opts.enforce_bip94 = true;
    const auto reg = CreateChainParams(ChainType::REGTEST, opts);
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.blocks[143], HeaderAt(chain.blocks[143].time + 1), reg->consensus),
                      hard);
}

BOOST_AUTO_TEST_CASE(bip94_timewarp_rule)
{
    const auto t4 = CreateChainParams(ChainType::TESTNET4);
    const auto main = CreateChainParams(ChainType::MAIN);
    BlockIndex prev = MakeIndex(2015, 1714800000, 0x1d00ffff);
    BOOST_CHECK(CheckTimewarpRule(prev, prev.time - MAX_TIMEWARP, t4->consensus));
    BOOST_CHECK(!CheckTimewarpRule(prev, prev.time - MAX_TIMEWARP - 1, t4->consensus));
    BOOST_CHECK(CheckTimewarpRule(prev, prev.time - 100000, main->consensus)); // not enforced
    prev.height = 2016; // the child is not a period's first block
    BOOST_CHECK(CheckTimewarpRule(prev, prev.time - 100000, t4->consensus));
    BOOST_CHECK_EQUAL(MAX_TIMEWARP, 600);
}

BOOST_AUTO_TEST_CASE(regtest_no_retargeting)
{
    const auto p = CreateChainParams(ChainType::REGTEST);
    const ConsensusParams& c = p->consensus;
    TestChain chain;
    uint32_t t = 1296688602;
    chain.Add(t, 0x207fffff);
    for (int i = 1; i < 144; ++i) chain.Add(t += 1, 0x207fffff); // far too fast
    BOOST_CHECK_EQUAL(GetNextWorkRequired(&chain.Tip(), HeaderAt(t + 1), c), 0x207fffffu);
    BOOST_CHECK_EQUAL(CalculateNextWorkRequired(&chain.Tip(), chain.blocks[0].time, c), 0x207fffffu);
    // Any bits are carried over at a boundary, not recomputed.
    BlockIndex last = MakeIndex(143, 1000, 0x1d00ffff);
    BOOST_CHECK_EQUAL(CalculateNextWorkRequired(&last, 0, c), 0x1d00ffffu);
}

BOOST_AUTO_TEST_CASE(check_proof_of_work)
{
    const auto main = CreateChainParams(ChainType::MAIN);
    const ConsensusParams& c = main->consensus;
    const uint256 genesis = main->genesis.GetHash();
    BOOST_CHECK(CheckProofOfWork(genesis, 0x1d00ffff, c));
    BOOST_CHECK(CheckProofOfWork(genesis, 0x1c00ffff, c)); // the genesis hash is well below the target
    BOOST_CHECK(!CheckProofOfWork(genesis, 0x1b00ffff, c)); // but not 2^16 times below
    BOOST_CHECK(!CheckProofOfWork(genesis, 0x1d80ffff, c)); // negative
    BOOST_CHECK(!CheckProofOfWork(genesis, 0xff00ffff, c)); // overflow
    BOOST_CHECK(!CheckProofOfWork(genesis, 0x2300ffff, c)); // overflow (size 35)
    BOOST_CHECK(!CheckProofOfWork(genesis, 0, c));          // zero target
    BOOST_CHECK(!CheckProofOfWork(genesis, 0x1d000000, c)); // zero mantissa
    BOOST_CHECK(!CheckProofOfWork(genesis, 0x1e00ffff, c)); // above the pow limit
    BOOST_CHECK(!CheckProofOfWork(genesis, 0x1d010000, c)); // just above it
    BOOST_CHECK(!CheckProofOfWork(genesis, 0x207fffff, c));
    // The same easy bits are fine under regtest's limit.
    const auto reg = CreateChainParams(ChainType::REGTEST);
    BOOST_CHECK(CheckProofOfWork(reg->genesis.GetHash(), 0x207fffff, reg->consensus));
    BOOST_CHECK(CheckProofOfWork(genesis, 0x207fffff, reg->consensus));
    // A hash equal to the target passes; one above fails.
    arith_uint256 target;
    target.SetCompact(0x1d00ffff);
    BOOST_CHECK(CheckProofOfWork(ArithToUint256(target), 0x1d00ffff, c));
    BOOST_CHECK(!CheckProofOfWork(ArithToUint256(target + 1), 0x1d00ffff, c));

    BOOST_CHECK(DeriveTarget(0x1d00ffff, c.pow_limit) == target);
    BOOST_CHECK(!DeriveTarget(0x1d80ffff, c.pow_limit));
}

BOOST_AUTO_TEST_CASE(mainnet_blocks_1_to_255)
{
    const auto p = CreateChainParams(ChainType::MAIN);
    const ConsensusParams& c = p->consensus;
    const Bytes file = test::ReadBzip2VectorFile("blocks/mainnet-1-255.blk.bz2");
    const auto raw = test::SplitBlkFile(file, test::MAINNET_MAGIC);
    BOOST_REQUIRE_EQUAL(raw.size(), 255u);
    test::ReportCases("blocks/mainnet-1-255.blk.bz2", raw.size());

    TestChain chain;
    const uint256 genesis_hash = p->genesis.GetHash();
    chain.Add(p->genesis.time, p->genesis.bits, p->genesis.version, &genesis_hash);
    const arith_uint256 proof_1d00ffff = arith_uint256(0x100010001ULL); // 2^256 / (0xffff * 2^208 + 1)
    BOOST_CHECK(chain.Tip().chain_work == proof_1d00ffff);

    for (const Bytes& bytes : raw) {
        Reader r(bytes);
        const BlockHeader h = DeserializeBlockHeader(r);
        const BlockIndex& parent = chain.Tip();
        BOOST_REQUIRE(h.prev_block == parent.GetBlockHash());
        BOOST_CHECK_EQUAL(GetNextWorkRequired(&parent, h, c), h.bits);
        BOOST_CHECK(PermittedDifficultyTransition(c, parent.height + 1, parent.bits, h.bits));
        const uint256 hash = h.GetHash();
        BOOST_CHECK(CheckProofOfWork(hash, h.bits, c));
        BOOST_CHECK(h.time > parent.GetMedianTimePast());
        chain.Add(h.time, h.bits, h.version, &hash);
    }
    BOOST_CHECK_EQUAL(chain.Tip().height, 255);
    BOOST_CHECK(chain.Tip().chain_work == proof_1d00ffff * 256u);
    BOOST_CHECK_EQUAL(chain.Tip().chain_work.GetHex(),
                      "0000000000000000000000000000000000000000000000000000010001000100");
    // Block 255's hash as every explorer shows it.
    BOOST_CHECK_EQUAL(chain.Tip().GetBlockHash().GetHex().substr(0, 8), "00000000");

    // Work expressed as time at the tip's difficulty: ten minutes a block.
    BOOST_CHECK_EQUAL(GetBlockProofEquivalentTime(chain.Tip(), chain.blocks[55], chain.Tip(), c), 200 * 600);
    BOOST_CHECK_EQUAL(GetBlockProofEquivalentTime(chain.blocks[55], chain.Tip(), chain.Tip(), c), -200 * 600);
    BOOST_CHECK_EQUAL(GetBlockProofEquivalentTime(chain.Tip(), chain.Tip(), chain.Tip(), c), 0);
}

BOOST_AUTO_TEST_SUITE_END()
