// The mempool's arguments into MempoolOptions (node/mempool_args.cpp), with
// Bitcoin Core 30's defaults and start-up errors.
#include "node/mempool_args.h"
#include "node/options.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace cairn;

namespace {

struct Parsed {
    bool ok;
    MempoolOptions opts;
    std::string error;
};

Parsed Apply(const std::vector<std::string>& argv_in, ChainType chain = ChainType::REGTEST)
{
    ArgsManager am;
    RegisterNodeOptions(am);
    std::vector<const char*> argv{"cairnd"};
    for (const auto& a : argv_in) argv.push_back(a.c_str());
    std::string error;
    BOOST_REQUIRE_MESSAGE(am.ParseParameters(int(argv.size()), argv.data(), error), error);
    const auto params = CreateChainParams(chain);
    Parsed p;
    p.ok = ApplyArgsToMempoolOptions(am, *params, p.opts, p.error);
    return p;
}

} // namespace

BOOST_AUTO_TEST_SUITE(mempool_args_tests)

BOOST_AUTO_TEST_CASE(defaults_are_core_30)
{
    const Parsed p = Apply({});
    BOOST_REQUIRE(p.ok);
    BOOST_CHECK_EQUAL(p.opts.max_size_bytes, 300'000'000);
    BOOST_CHECK_EQUAL(p.opts.expiry_seconds, 336 * 3600);
    BOOST_CHECK(p.opts.min_relay_feerate == FeeRate(100));
    BOOST_CHECK(p.opts.incremental_relay_feerate == FeeRate(100));
    BOOST_CHECK(p.opts.dust_relay_feerate == FeeRate(3000));
    BOOST_CHECK(p.opts.max_datacarrier_bytes == std::optional<unsigned>(100'000));
    BOOST_CHECK(p.opts.permit_bare_multisig);
    BOOST_CHECK(p.opts.require_standard);
    BOOST_CHECK_EQUAL(p.opts.bytes_per_sigop, 20U);
    BOOST_CHECK_EQUAL(p.opts.limits.ancestor_count, 25);
    BOOST_CHECK_EQUAL(p.opts.limits.ancestor_size_vbytes, 101'000);
    BOOST_CHECK_EQUAL(p.opts.limits.descendant_count, 25);
    BOOST_CHECK_EQUAL(p.opts.limits.descendant_size_vbytes, 101'000);
    BOOST_CHECK(p.opts.persist);
    BOOST_CHECK(!p.opts.persist_v1_dat);
}

BOOST_AUTO_TEST_CASE(values_are_read)
{
    const Parsed p = Apply({"-maxmempool=50", "-mempoolexpiry=2", "-minrelaytxfee=0.00002", "-incrementalrelayfee=0.00003",
                            "-dustrelayfee=0.0001", "-datacarriersize=83", "-permitbaremultisig=0", "-bytespersigop=30",
                            "-limitancestorcount=10", "-limitancestorsize=50", "-limitdescendantcount=12",
                            "-limitdescendantsize=60", "-persistmempool=0", "-persistmempoolv1", "-acceptnonstdtxn"});
    BOOST_REQUIRE_MESSAGE(p.ok, p.error);
    BOOST_CHECK_EQUAL(p.opts.max_size_bytes, 50'000'000);
    BOOST_CHECK_EQUAL(p.opts.expiry_seconds, 7200);
    BOOST_CHECK(p.opts.min_relay_feerate == FeeRate(2000));
    BOOST_CHECK(p.opts.incremental_relay_feerate == FeeRate(3000));
    BOOST_CHECK(p.opts.dust_relay_feerate == FeeRate(10000));
    BOOST_CHECK(p.opts.max_datacarrier_bytes == std::optional<unsigned>(83));
    BOOST_CHECK(!p.opts.permit_bare_multisig);
    BOOST_CHECK(!p.opts.require_standard);
    BOOST_CHECK_EQUAL(p.opts.bytes_per_sigop, 30U);
    BOOST_CHECK_EQUAL(p.opts.limits.ancestor_count, 10);
    BOOST_CHECK_EQUAL(p.opts.limits.ancestor_size_vbytes, 50'000);
    BOOST_CHECK_EQUAL(p.opts.limits.descendant_count, 12);
    BOOST_CHECK_EQUAL(p.opts.limits.descendant_size_vbytes, 60'000);
    BOOST_CHECK(!p.opts.persist);
    BOOST_CHECK(p.opts.persist_v1_dat);

    // -datacarrier=0: no OP_RETURN outputs at all, whatever the size.
    BOOST_CHECK(!Apply({"-datacarrier=0", "-datacarriersize=83"}).opts.max_datacarrier_bytes);
    // Only the incremental fee set: the relay minimum follows it up, not down.
    const Parsed up = Apply({"-incrementalrelayfee=0.00005"});
    BOOST_CHECK(up.opts.min_relay_feerate == FeeRate(5000));
    const Parsed down = Apply({"-incrementalrelayfee=0.0000001"});
    BOOST_CHECK(down.opts.min_relay_feerate == FeeRate(100));
    // Testnet3 relays non-standard transactions unless told not to.
    BOOST_CHECK(!Apply({}, ChainType::TESTNET).opts.require_standard);
    BOOST_CHECK(Apply({"-acceptnonstdtxn=0"}, ChainType::TESTNET).opts.require_standard);
    BOOST_CHECK(Apply({}, ChainType::TESTNET4).opts.require_standard);
}

BOOST_AUTO_TEST_CASE(core_errors)
{
    BOOST_CHECK_EQUAL(Apply({"-maxmempool=4"}).error, "-maxmempool must be at least 5 MB");
    BOOST_CHECK_EQUAL(Apply({"-maxmempool=-1"}).error, "-maxmempool must be at least 5 MB");
    BOOST_CHECK(Apply({"-maxmempool=5"}).ok);
    BOOST_CHECK(Apply({"-maxmempool=1", "-limitdescendantsize=25"}).ok);
    BOOST_CHECK_EQUAL(Apply({"-maxmempool=1", "-limitdescendantsize=26"}).error, "-maxmempool must be at least 2 MB");
    BOOST_CHECK_EQUAL(Apply({"-minrelaytxfee=abc"}).error, "Invalid amount for -minrelaytxfee=<amount>: 'abc'");
    BOOST_CHECK_EQUAL(Apply({"-incrementalrelayfee=-0.1"}).error,
                      "Invalid amount for -incrementalrelayfee=<amount>: '-0.1'");
    BOOST_CHECK_EQUAL(Apply({"-dustrelayfee=0.000000001"}).error,
                      "Invalid amount for -dustrelayfee=<amount>: '0.000000001'");
    BOOST_CHECK_EQUAL(Apply({"-acceptnonstdtxn"}, ChainType::MAIN).error,
                      "acceptnonstdtxn is not currently supported for main chain");
    BOOST_CHECK(Apply({"-acceptnonstdtxn=0"}, ChainType::MAIN).ok);
    BOOST_CHECK(Apply({"-acceptnonstdtxn"}, ChainType::SIGNET).ok);
}

BOOST_AUTO_TEST_CASE(check_ratio)
{
    ArgsManager am;
    RegisterNodeOptions(am);
    BOOST_CHECK_EQUAL(MempoolCheckRatio(am, *CreateChainParams(ChainType::REGTEST)), 1);
    BOOST_CHECK_EQUAL(MempoolCheckRatio(am, *CreateChainParams(ChainType::MAIN)), 0);
}

BOOST_AUTO_TEST_SUITE_END()
