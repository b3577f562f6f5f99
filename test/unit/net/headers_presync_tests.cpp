// The two-pass header sync against honest peers, peers that switch chains
// between the passes, peers that stop early and impossible chains.
#include "consensus/chain_params.h"
#include "consensus/block_index.h"
#include "net/headers_presync.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

constexpr uint32_t REGTEST_BITS = 0x207fffff;
constexpr int64_t START_TIME = 1'700'000'000;

/** `count` headers on `prev` (not solved: presync checks chain shape and
 *  work, the proof of work is checked before headers reach it). `tag`
 *  makes chains from the same parent differ. */
std::vector<BlockHeader> MakeHeaders(const uint256& prev, int count, uint32_t tag, uint32_t time = START_TIME)
{
    std::vector<BlockHeader> out;
    uint256 last = prev;
    for (int i = 0; i < count; ++i) {
        BlockHeader h;
        h.version = 0x20000000;
        h.prev_block = last;
        h.time = time + i;
        h.bits = REGTEST_BITS;
        h.nonce = tag;
        last = h.GetHash();
        out.push_back(h);
    }
    return out;
}

struct Fixture {
    std::unique_ptr<const ChainParams> params = CreateChainParams(ChainType::REGTEST);
    PresyncStart start{params->consensus.genesis_hash, 0, GetBlockProof(REGTEST_BITS), REGTEST_BITS, START_TIME};
    const arith_uint256 per_header = GetBlockProof(REGTEST_BITS);

    arith_uint256 WorkAfter(int headers) const { return start.chain_work + per_header * arith_uint256(headers); }
    HeadersPresync Make(int headers_needed, int64_t now = START_TIME + 365LL * 24 * 3600, int offset = 17)
    {
        return HeadersPresync(params->consensus, start, WorkAfter(headers_needed), now, 0x1234, 0x5678, offset);
    }
};

/** Feeds `chain` in messages of up to 2000 and collects what is released. */
struct Feed {
    std::vector<BlockHeader> released;
    bool ok{true};
    int messages{0};
};
Feed FeedAll(HeadersPresync& sync, const std::vector<BlockHeader>& chain, size_t per_message = 2000)
{
    Feed f;
    for (size_t i = 0; i < chain.size() && f.ok; i += per_message) {
        const size_t n = std::min(per_message, chain.size() - i);
        auto r = sync.Process(std::span(chain).subspan(i, n), n == per_message);
        ++f.messages;
        f.ok = r.success;
        f.released.insert(f.released.end(), r.to_process.begin(), r.to_process.end());
        if (!r.request_more) break;
    }
    return f;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(headers_presync_tests, Fixture)

BOOST_AUTO_TEST_CASE(honest_peer_gets_its_chain_through_after_two_passes)
{
    const auto chain = MakeHeaders(start.hash, 3000, 1);
    HeadersPresync sync = Make(2500);
    BOOST_CHECK(sync.Locator() == std::vector<uint256>({start.hash}) || sync.Locator().front() == start.hash);

    auto r = sync.Process(std::span(chain).first(2000), true);
    BOOST_CHECK(r.success && r.request_more && r.to_process.empty());
    BOOST_CHECK(sync.GetPhase() == HeadersPresync::Phase::PRESYNC);
    BOOST_CHECK_EQUAL(sync.PresyncHeight(), 2000);
    BOOST_CHECK(sync.Locator().front() == chain[1999].GetHash());

    r = sync.Process(std::span(chain).subspan(2000), false);
    BOOST_CHECK(r.success && r.request_more && r.to_process.empty());
    BOOST_CHECK(sync.GetPhase() == HeadersPresync::Phase::REDOWNLOAD);
    BOOST_CHECK(sync.Locator() == std::vector<uint256>{start.hash});

    // Second pass: nothing is released until the work is reached on it.
    r = sync.Process(std::span(chain).first(2000), true);
    BOOST_CHECK(r.success && r.request_more && r.to_process.empty());
    r = sync.Process(std::span(chain).subspan(2000), false);
    BOOST_CHECK(r.success && !r.request_more);
    BOOST_CHECK(r.to_process == chain);
    BOOST_CHECK(sync.GetPhase() == HeadersPresync::Phase::FINAL);
}

BOOST_AUTO_TEST_CASE(long_chain_is_released_as_the_buffer_fills)
{
    const auto chain = MakeHeaders(start.hash, 20000, 2);
    HeadersPresync sync = Make(19000);
    Feed first = FeedAll(sync, chain);
    BOOST_CHECK(first.ok);
    BOOST_CHECK(first.released.empty());
    BOOST_REQUIRE(sync.GetPhase() == HeadersPresync::Phase::REDOWNLOAD);
    // 16000 redownloaded: all but the last REDOWNLOAD_BUFFER_SIZE go out.
    std::vector<BlockHeader> released;
    for (size_t i = 0; i < 16000; i += 2000) {
        auto r = sync.Process(std::span(chain).subspan(i, 2000), true);
        BOOST_REQUIRE(r.success && r.request_more);
        released.insert(released.end(), r.to_process.begin(), r.to_process.end());
    }
    BOOST_CHECK_EQUAL(released.size(), 16000 - REDOWNLOAD_BUFFER_SIZE);
    for (size_t i = 16000; i < 20000; i += 2000) {
        auto r = sync.Process(std::span(chain).subspan(i, 2000), i + 2000 < 20000);
        BOOST_REQUIRE(r.success);
        released.insert(released.end(), r.to_process.begin(), r.to_process.end());
    }
    BOOST_CHECK(released == chain);
    BOOST_CHECK(sync.GetPhase() == HeadersPresync::Phase::FINAL);
}

BOOST_AUTO_TEST_CASE(low_work_chain_is_dropped_without_blame)
{
    const auto chain = MakeHeaders(start.hash, 1500, 3);
    HeadersPresync sync = Make(2500);
    auto r = sync.Process(chain, false);
    BOOST_CHECK(r.success);
    BOOST_CHECK(!r.request_more);
    BOOST_CHECK(r.to_process.empty());
    BOOST_CHECK(sync.GetPhase() == HeadersPresync::Phase::FINAL);
}

BOOST_AUTO_TEST_CASE(headers_that_do_not_connect_fail)
{
    HeadersPresync sync = Make(2500);
    const auto other = MakeHeaders(uint256::FromHex(std::string(64, '1')).value(), 10, 4);
    auto r = sync.Process(other, true);
    BOOST_CHECK(!r.success);
    BOOST_CHECK(sync.GetPhase() == HeadersPresync::Phase::FINAL);
}

BOOST_AUTO_TEST_CASE(switching_chains_between_passes_is_caught)
{
    const auto shown = MakeHeaders(start.hash, 6000, 5);
    const auto served = MakeHeaders(start.hash, 6000, 6);
    HeadersPresync sync = Make(5500);
    BOOST_REQUIRE(FeedAll(sync, shown).ok);
    BOOST_REQUIRE(sync.GetPhase() == HeadersPresync::Phase::REDOWNLOAD);
    // About nine commitment bits: a different chain matches them all with probability 1/512.
    Feed second = FeedAll(sync, served);
    BOOST_CHECK(!second.ok);
    BOOST_CHECK(second.released.empty());
    BOOST_CHECK(sync.GetPhase() == HeadersPresync::Phase::FINAL);
}

BOOST_AUTO_TEST_CASE(chain_longer_than_time_allows_fails)
{
    // Started at START_TIME, "now" the same: at most 6 blocks a second for
    // the two future hours, 69 commitments, fewer than 45,000 headers.
    const auto chain = MakeHeaders(start.hash, 46000, 7);
    HeadersPresync sync = Make(1'000'000, START_TIME, 0);
    Feed f = FeedAll(sync, chain);
    BOOST_CHECK(!f.ok);
    BOOST_CHECK_LE(f.messages, 23);
    BOOST_CHECK(sync.GetPhase() == HeadersPresync::Phase::FINAL);
}

BOOST_AUTO_TEST_CASE(difficulty_must_follow_the_rules_on_mainnet)
{
    auto main = CreateChainParams(ChainType::MAIN);
    const uint32_t bits = main->genesis.bits;
    PresyncStart s{main->consensus.genesis_hash, 0, GetBlockProof(bits), bits, START_TIME};
    HeadersPresync sync(main->consensus, s, s.chain_work * 1000, START_TIME + 1000000, 1, 2, 5);
    auto chain = MakeHeaders(s.hash, 3, 8);
    for (auto& h : chain) h.bits = bits;
    chain[0].bits = 0x1c00ffff; // changes before a retarget boundary
    chain[1].prev_block = chain[0].GetHash();
    auto r = sync.Process(std::span(chain).first(1), true);
    BOOST_CHECK(!r.success);
}

BOOST_AUTO_TEST_SUITE_END()
