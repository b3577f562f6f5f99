// getblockchaininfo's verificationprogress: transactions so far over the
// network's estimated total (Core's GuessVerificationProgress).
#include "validation/verification_progress.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

BOOST_AUTO_TEST_SUITE(verification_progress_tests)

BOOST_AUTO_TEST_CASE(estimates)
{
    BlockIndex tip;
    tip.chain_tx_count = 10;
    tip.time = 1000;

    // Regtest has no reference point: any tip with known transactions is done.
    const auto regtest = CreateChainParams(ChainType::REGTEST);
    const ChainTxData none = GetChainTxData(*regtest);
    BOOST_CHECK_EQUAL(none.tx_count, 0u);
    BOOST_CHECK_EQUAL(GuessVerificationProgress(none, &tip, 5000), 1.0);
    BOOST_CHECK_EQUAL(GuessVerificationProgress(none, nullptr, 5000), 0.0);
    BlockIndex unknown; // transactions not counted yet
    BOOST_CHECK_EQUAL(GuessVerificationProgress(none, &unknown, 5000), 0.0);

    // Mainnet: below the reference, extrapolate from it.
    const auto main = CreateChainParams(ChainType::MAIN);
    const ChainTxData data = GetChainTxData(*main);
    BOOST_REQUIRE_GT(data.tx_count, 1000000000u);
    tip.chain_tx_count = data.tx_count / 2;
    BOOST_CHECK_CLOSE(GuessVerificationProgress(data, &tip, data.time), double(tip.chain_tx_count) / double(data.tx_count), 1e-9);
    const double later = GuessVerificationProgress(data, &tip, data.time + 86400);
    BOOST_CHECK_CLOSE(later, double(tip.chain_tx_count) / (double(data.tx_count) + 86400 * data.tx_rate), 1e-9);
    // Past it, from the tip: a tip 100 s old still has some blocks to go.
    tip.chain_tx_count = data.tx_count + 1000;
    tip.time = uint32_t(data.time + 10000);
    const double past = GuessVerificationProgress(data, &tip, data.time + 10100);
    BOOST_CHECK_CLOSE(past, double(tip.chain_tx_count) / (double(tip.chain_tx_count) + 100 * data.tx_rate), 1e-9);
    BOOST_CHECK_LT(past, 1.0);
    BOOST_CHECK_EQUAL(GuessVerificationProgress(data, &tip, tip.time), 1.0);

    // Each public network has its own figures; a custom signet has none.
    for (ChainType chain : {ChainType::TESTNET, ChainType::TESTNET4, ChainType::SIGNET}) {
        BOOST_CHECK_GT(GetChainTxData(*CreateChainParams(chain)).tx_count, 0u);
    }
    ChainParamsOptions custom;
    custom.signet_challenge = Bytes{0x51};
    BOOST_CHECK_EQUAL(GetChainTxData(*CreateChainParams(ChainType::SIGNET, custom)).tx_count, 0u);
}

BOOST_AUTO_TEST_SUITE_END()
