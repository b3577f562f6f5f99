// -assumevalid (ChainstateOptions::assume_valid): the scripts of a block
// are skipped only when it is an ancestor of (or is) the assumed-valid
// block, that block is on the best header chain, the best header has the
// minimum chain work, and the block is buried under more than two weeks'
// worth of work (on regtest, more than 2016 blocks: every header has the
// same work and pow_target_spacing is 600 s). Otherwise a block with a bad
// signature is rejected as usual.
//
// The chain carrying the bad block is announced as headers only (the
// conditions look at the best header, not the active chain), which keeps
// each case to ~100 connected blocks plus a few thousand cheap headers.
#include "consensus/consensus.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "util/log.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

namespace {

const std::string EVAL_FALSE =
    "block-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)";

/** Burial needed on regtest: two weeks of 600-second blocks, strictly more. */
constexpr int BURY = 2 * 7 * 24 * 6; // 2016

/** Descendants of the bad block (headers), and a competing fork. */
constexpr int AFTER = BURY + 50;
constexpr int FORK = AFTER + 20;

/** A regtest chain: 100 coinbase-only blocks, then block 101 whose second
 *  transaction spends a P2WPKH output with a corrupted (still DER) signature,
 *  then AFTER valid descendants; and a fork of FORK blocks on block 100. */
struct Chains {
    std::unique_ptr<const ChainParams> params{CreateChainParams(ChainType::REGTEST, {})};
    ChainBuilder builder{*params};
    std::vector<Block> prefix; // heights 1..100
    Block bad;                 // height 101
    std::vector<Block> after;  // heights 102..
    std::vector<Block> fork;   // heights 101.. on prefix.back()

    Chains()
    {
        prefix = builder.CreateChain(builder.GenesisHash(), 100);
        const Key key = TestKey(5);
        MutableTransaction fund = SpendTo(OutputOf(*prefix[0].vtx[0]), P2WPKHScript(key));
        MutableTransaction spend = SpendTo(OutputOf(fund), OpTrueScript());
        SignTransaction(spend, std::vector<Utxo>{OutputOf(fund)}, {key});
        spend.vin[0].witness.stack[0][10] ^= 1; // inside r: well-formed, wrong
        bad = builder.CreateBlock(prefix.back().GetHash(), {fund, spend});
        after = builder.CreateChain(bad.GetHash(), AFTER);
        fork = builder.CreateChain(prefix.back().GetHash(), FORK);
    }

    /** The block at `height` on the bad block's chain. */
    const Block& At(int height) const
    {
        if (height <= 100) return prefix.at(height - 1);
        if (height == 101) return bad;
        return after.at(height - 102);
    }
};

const Chains& GetChains()
{
    static const Chains chains;
    return chains;
}

uint256 WorkHash(uint32_t low)
{
    uint256 w;
    for (int i = 0; i < 4; ++i) w.data()[i] = uint8_t(low >> (8 * i));
    return w;
}

/** A ChainstateManager with the -assumevalid / -minimumchainwork options
 *  (TestNode does not take them). */
class Node
{
public:
    Node(std::optional<uint256> assume_valid, std::optional<uint256> min_work)
    {
        Logger::Instance().SetQuiet(true);
        ChainstateOptions opts;
        opts.datadir = m_dir.path();
        opts.params = GetChains().params.get();
        opts.notifications = &m_notifications;
        opts.db_cache_bytes = size_t(8) << 20;
        opts.memory_only = true;
        opts.assume_valid = assume_valid;
        opts.minimum_chain_work = min_work;
        m_chainman = std::make_unique<ChainstateManager>(opts);
        std::string error;
        BOOST_REQUIRE_MESSAGE(m_chainman->Load(error), error);
    }
    ~Node()
    {
        m_chainman.reset();
        Logger::Instance().SetQuiet(false);
    }

    ChainstateManager* operator->() { return m_chainman.get(); }

    std::string Submit(const Block& block)
    {
        const uint256 hash = block.GetHash();
        BlockValidationState state;
        bool new_block = false;
        const bool ok = m_chainman->ProcessNewBlock(std::make_shared<const Block>(block), true, true, &new_block, &state);
        if (!ok || !state.IsValid()) return state.GetRejectReason().empty() ? "error" : state.GetRejectReason();
        return m_notifications.Checked(hash).value_or("not checked");
    }

    void Headers(const std::vector<Block>& blocks, size_t count)
    {
        if (count == 0) return;
        std::vector<BlockHeader> headers;
        for (size_t i = 0; i < count; ++i) headers.push_back(blocks.at(i).header());
        BlockValidationState state;
        BOOST_REQUIRE_MESSAGE(m_chainman->ProcessNewBlockHeaders(headers, state), state.ToString());
    }

    /** Connects blocks 1..100, announces the bad block and `after_headers`
     *  of its descendants (and `fork_headers` of the fork) as headers, then
     *  submits the bad block and returns its fate. */
    std::string Run(int after_headers, int fork_headers = 0)
    {
        const Chains& c = GetChains();
        for (const Block& b : c.prefix) BOOST_REQUIRE_EQUAL(Submit(b), "");
        Headers({c.bad}, 1);
        Headers(c.after, size_t(after_headers));
        Headers(c.fork, size_t(fork_headers));
        const std::string result = Submit(c.bad);
        if (result.empty()) BOOST_CHECK(m_chainman->TipHash() == c.bad.GetHash());
        else BOOST_CHECK(m_chainman->TipHash() == c.prefix.back().GetHash());
        return result;
    }

private:
    TempDir m_dir{"cairn_assumevalid"};
    RecordingNotifications m_notifications;
    std::unique_ptr<ChainstateManager> m_chainman;
};

const uint256 ZERO_WORK = WorkHash(0);

} // namespace

BOOST_AUTO_TEST_SUITE(assumevalid_tests)

BOOST_AUTO_TEST_CASE(bad_signature_rejected_without_assumevalid)
{
    // Regtest's default is the null hash: every script is checked.
    Node node(std::nullopt, std::nullopt);
    BOOST_CHECK_EQUAL(node.Run(AFTER), EVAL_FALSE);
}

BOOST_AUTO_TEST_CASE(null_assumevalid_checks_everything)
{
    Node node(uint256{}, ZERO_WORK);
    BOOST_CHECK_EQUAL(node.Run(AFTER), EVAL_FALSE);
}

BOOST_AUTO_TEST_CASE(buried_ancestor_skips_scripts)
{
    const Chains& c = GetChains();
    Node node(c.after.back().GetHash(), ZERO_WORK);
    BOOST_CHECK_EQUAL(node.Run(AFTER), "");
    // Only the scripts were skipped: the block's effects are real.
    const Transaction& spend = *c.bad.vtx[2];
    BOOST_CHECK(node->GetCoin(OutPoint(spend.GetTxid(), 0)).has_value());
    BOOST_CHECK(!node->GetCoin(spend.vin[0].prevout).has_value());
    // The descendants connect on top of it once their data arrives.
    for (int i = 0; i < 10; ++i) BOOST_CHECK_EQUAL(node.Submit(c.after[i]), "");
    BOOST_CHECK_EQUAL(node->Height(), 111);
}

BOOST_AUTO_TEST_CASE(assumed_valid_block_itself_skips_scripts)
{
    // The assumed-valid block counts as its own ancestor.
    const Chains& c = GetChains();
    Node node(c.bad.GetHash(), ZERO_WORK);
    BOOST_CHECK_EQUAL(node.Run(AFTER), "");
}

BOOST_AUTO_TEST_CASE(assumed_valid_block_anywhere_below_best_header)
{
    // The burial is measured from the best header, not from the assumed-valid
    // block: a shallow assumed-valid block works once the headers are deep.
    const Chains& c = GetChains();
    Node node(c.At(105).GetHash(), ZERO_WORK);
    BOOST_CHECK_EQUAL(node.Run(AFTER), "");
}

BOOST_AUTO_TEST_CASE(burial_boundary)
{
    // Best header exactly 2016 blocks above the bad block: two weeks of work,
    // not more than two weeks, so scripts are still checked.
    const Chains& c = GetChains();
    {
        Node node(c.At(101 + BURY).GetHash(), ZERO_WORK);
        BOOST_CHECK_EQUAL(node.Run(BURY), EVAL_FALSE);
    }
    // One more block tips it over.
    {
        Node node(c.At(101 + BURY + 1).GetHash(), ZERO_WORK);
        BOOST_CHECK_EQUAL(node.Run(BURY + 1), "");
    }
    // Shallow: a handful of blocks is nowhere near enough.
    {
        Node node(c.At(111).GetHash(), ZERO_WORK);
        BOOST_CHECK_EQUAL(node.Run(10), EVAL_FALSE);
    }
}

BOOST_AUTO_TEST_CASE(assumed_valid_on_a_fork)
{
    // The assumed-valid block is on the best header chain, but that chain is
    // a fork that does not contain the bad block.
    const Chains& c = GetChains();
    Node node(c.fork.back().GetHash(), ZERO_WORK);
    BOOST_CHECK_EQUAL(node.Run(AFTER, FORK), EVAL_FALSE);
}

BOOST_AUTO_TEST_CASE(assumed_valid_not_on_best_header_chain)
{
    // The assumed-valid block descends from the bad block, but a fork with
    // more work holds the best header.
    const Chains& c = GetChains();
    Node node(c.after.back().GetHash(), ZERO_WORK);
    BOOST_CHECK_EQUAL(node.Run(AFTER, FORK), EVAL_FALSE);
}

BOOST_AUTO_TEST_CASE(assumed_valid_unknown)
{
    // A hash the node has no header for.
    uint256 unknown = GetChains().after.back().GetHash();
    unknown.data()[0] ^= 1;
    Node node(unknown, ZERO_WORK);
    BOOST_CHECK_EQUAL(node.Run(AFTER), EVAL_FALSE);
}

BOOST_AUTO_TEST_CASE(below_minimum_chain_work)
{
    // Regtest headers carry 2 units of work each: the best header here has
    // about 2 * 2168, far below 2^24.
    const Chains& c = GetChains();
    {
        Node node(c.after.back().GetHash(), WorkHash(1U << 24));
        BOOST_CHECK_EQUAL(node.Run(AFTER), EVAL_FALSE);
    }
    // Regtest's own minimum chain work is zero.
    {
        Node node(c.after.back().GetHash(), std::nullopt);
        BOOST_CHECK_EQUAL(node.Run(AFTER), "");
    }
}

BOOST_AUTO_TEST_SUITE_END()
