#include "node/mempool_args.h"

#include "mining/assembler_options.h" // ParseMoney
#include "policy/policy.h"
#include "util/log.h"

#include <cmath>

namespace cairn {

namespace {

/** A fee-rate argument in BTC/kvB; false with Core's "Invalid amount" message. */
bool ParseFeeRateArg(const ArgsManager& args, const std::string& name, FeeRate& out, std::string& error)
{
    if (!args.IsArgSet("-" + name)) return true;
    const std::string text = args.GetArg("-" + name, "");
    const std::optional<Amount> value = ParseMoney(text);
    if (!value) {
        error = "Invalid amount for -" + name + "=<amount>: '" + text + "'";
        return false;
    }
    out = FeeRate(*value);
    return true;
}

} // namespace

bool ApplyArgsToMempoolOptions(const ArgsManager& args, const ChainParams& params, MempoolOptions& opts,
                               std::string& error)
{
    if (auto mb = args.GetIntArg("-maxmempool")) opts.max_size_bytes = *mb * 1'000'000;
    if (auto hours = args.GetIntArg("-mempoolexpiry")) opts.expiry_seconds = *hours * 60 * 60;

    // The incremental relay fee prices replacements and the rise of the
    // pool's floor after an eviction.
    if (!ParseFeeRateArg(args, "incrementalrelayfee", opts.incremental_relay_feerate, error)) return false;
    if (args.IsArgSet("-minrelaytxfee")) {
        if (!ParseFeeRateArg(args, "minrelaytxfee", opts.min_relay_feerate, error)) return false;
    } else if (opts.incremental_relay_feerate > opts.min_relay_feerate) {
        // Setting only the incremental fee moves both, as in Core.
        opts.min_relay_feerate = opts.incremental_relay_feerate;
        LogInfo("Increasing minrelaytxfee to {} to match incrementalrelayfee", opts.min_relay_feerate.ToString());
    }
    // Dust is defined by this rate: changing it makes other nodes' outputs non-standard.
    if (!ParseFeeRateArg(args, "dustrelayfee", opts.dust_relay_feerate, error)) return false;

    opts.permit_bare_multisig = args.GetBoolArg("-permitbaremultisig", DEFAULT_PERMIT_BAREMULTISIG);
    if (args.GetBoolArg("-datacarrier", DEFAULT_ACCEPT_DATACARRIER)) {
        opts.max_datacarrier_bytes = unsigned(args.GetIntArg("-datacarriersize", MAX_OP_RETURN_RELAY));
    } else {
        opts.max_datacarrier_bytes = std::nullopt;
    }

    // Testnet3 is the one network that relays non-standard transactions by default.
    const bool accept_nonstd_default = params.chain_type == ChainType::TESTNET;
    opts.require_standard = !args.GetBoolArg("-acceptnonstdtxn", accept_nonstd_default);
    if (!params.is_test_chain && !opts.require_standard) {
        error = "acceptnonstdtxn is not currently supported for " + std::string(params.GetChainTypeString()) + " chain";
        return false;
    }
    opts.bytes_per_sigop = unsigned(args.GetIntArg("-bytespersigop", DEFAULT_BYTES_PER_SIGOP));

    opts.limits.ancestor_count = args.GetIntArg("-limitancestorcount", opts.limits.ancestor_count);
    if (auto kvb = args.GetIntArg("-limitancestorsize")) opts.limits.ancestor_size_vbytes = *kvb * 1'000;
    opts.limits.descendant_count = args.GetIntArg("-limitdescendantcount", opts.limits.descendant_count);
    if (auto kvb = args.GetIntArg("-limitdescendantsize")) opts.limits.descendant_size_vbytes = *kvb * 1'000;

    opts.persist = args.GetBoolArg("-persistmempool", DEFAULT_PERSIST_MEMPOOL);
    opts.persist_v1_dat = args.GetBoolArg("-persistmempoolv1", DEFAULT_PERSIST_V1_DAT);

    // The pool must hold at least one full chain of descendants (40 of them
    // as a margin), or eviction could never make room.
    const int64_t min_bytes = opts.limits.descendant_size_vbytes * 40;
    if (opts.max_size_bytes < 0 || opts.max_size_bytes < min_bytes) {
        error = "-maxmempool must be at least " + std::to_string(int64_t(std::ceil(min_bytes / 1'000'000.0))) + " MB";
        return false;
    }
    return true;
}

int64_t MempoolCheckRatio(const ArgsManager& args, const ChainParams& params)
{
    return args.GetIntArg("-checkmempool", params.default_consistency_checks ? 1 : 0);
}

} // namespace cairn
