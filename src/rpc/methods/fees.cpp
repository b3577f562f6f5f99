// Fee estimation RPCs: estimatesmartfee (help category "util") and
// estimaterawfee ("hidden"), answered by the node's FeeEstimator.
#include "mempool/tx_mempool.h"
#include "policy/fee_estimator.h"
#include "policy/fee_modes.h"
#include "policy/feerate.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/util.h"
#include "util/args.h"
#include "util/strencodings.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>

namespace cairn {

namespace {

/** -minrelaytxfee's default: 100 sat/kvB. */
constexpr Amount DEFAULT_MIN_RELAY_TX_FEE = 100;

FeeEstimator& EnsureFeeEstimator(const RpcContext& ctx)
{
    if (!ctx.fee_estimator) throw RpcError(RPC_INTERNAL_ERROR, "Fee estimation disabled");
    return *ctx.fee_estimator;
}

/** conf_target, checked against the longest target tracked (Core's ParseConfirmTarget). */
unsigned ParseConfirmTarget(const UniValue& value, unsigned max_target)
{
    const int64_t target =
        IntFromValue(value, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    if (target < 1 || uint64_t(target) > max_target) {
        throw RpcError(RPC_INVALID_PARAMETER,
                       "Invalid conf_target, must be between 1 and " + std::to_string(max_target));
    }
    return unsigned(target);
}

/** The relay floor from -minrelaytxfee (the mempool's own value once it exists). */
FeeRate MinRelayFeeRate(const RpcContext& ctx)
{
    if (ctx.args) {
        const std::string arg = ctx.args->GetArg("-minrelaytxfee", "");
        if (!arg.empty()) {
            if (const auto sats = ParseFixedPoint(arg, 8); sats && *sats >= 0) return FeeRate(*sats);
        }
    }
    return FeeRate(DEFAULT_MIN_RELAY_TX_FEE);
}

/** Counts with two decimals, bounds as whole numbers (as Core prints them). */
UniValue BucketToJson(const EstimatorBucket& b)
{
    const auto cents = [](double v) { return std::round(v * 100.0) / 100.0; };
    UniValue out(UniValue::VOBJ);
    out.pushKV("startrange", std::round(b.start));
    out.pushKV("endrange", std::round(b.end));
    out.pushKV("withintarget", cents(b.withinTarget));
    out.pushKV("totalconfirmed", cents(b.totalConfirmed));
    out.pushKV("inmempool", cents(b.inMempool));
    out.pushKV("leftmempool", cents(b.leftMempool));
    return out;
}

RpcMethod EstimateSmartFee(RpcContext& ctx)
{
    return RpcMethod{
        "estimatesmartfee",
        "Estimates the approximate fee per kilobyte needed for a transaction to begin\n"
        "confirmation within conf_target blocks if possible and return the number of blocks\n"
        "for which the estimate is valid. Uses virtual transaction size as defined\n"
        "in BIP 141 (witness data is discounted).\n",
        {
            {"conf_target", RpcArg::Type::NUM, RpcArg::Optional::NO, "Confirmation target in blocks (1 - 1008)"},
            {"estimate_mode", RpcArg::Type::STR, RpcArg::Default{std::string("economical")},
             "The fee estimate mode.\n"
             + FeeModes(", ") + "\n"
             "unset: no mode given (the default mode is used).\n"
             "economical: answers from the shorter history, so a recent drop in fees shows\n"
             "sooner; may return a lower fee rate.\n"
             "conservative: also requires the longer history to agree, so short drops in\n"
             "fees are ignored; may return a higher fee rate."},
        },
        RpcResult{RpcResult::Type::OBJ, "", "",
                  {
                      {RpcResult::Type::NUM, "feerate", true,
                       "estimate fee rate in BTC/kvB (only present if no errors were encountered)"},
                      {RpcResult::Type::ARR, "errors", true, "Errors encountered during processing (if there are any)",
                       {{RpcResult::Type::STR, "", "error"}}},
                      {RpcResult::Type::NUM, "blocks",
                       "block number where estimate was found\n"
                       "The request target will be clamped between 2 and the highest target\n"
                       "fee estimation is able to return based on how long it has been running.\n"
                       "An error is returned if not enough transactions and blocks\n"
                       "have been observed to make an estimate for any number of blocks."},
                  }},
        RpcExamples{HelpExampleCli("estimatesmartfee", "6") + HelpExampleRpc("estimatesmartfee", "6")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            FeeEstimator& estimator = EnsureFeeEstimator(ctx);
            const RpcArgs args{self, request};
            const unsigned conf_target =
                ParseConfirmTarget(args.Get(0), estimator.HighestTargetTracked(FeeEstimateHorizon::LONG_HALFLIFE));
            bool conservative = false;
            if (args.Has(1)) {
                FeeEstimateMode mode;
                if (!FeeModeFromString(args.GetStr(1), mode)) {
                    throw RpcError(RPC_INVALID_PARAMETER, InvalidEstimateModeErrorMessage());
                }
                conservative = mode == FeeEstimateMode::CONSERVATIVE;
            }

            UniValue result(UniValue::VOBJ);
            FeeCalculation calc;
            FeeRate feerate = estimator.EstimateSmartFee(int(conf_target), &calc, conservative);
            if (feerate != FeeRate(0)) {
                // Never below what the node itself would accept now: the
                // pool's current minimum and its relay minimum.
                if (ctx.mempool) {
                    std::lock_guard lock(ctx.mempool->GetMutex());
                    feerate = std::max({feerate, ctx.mempool->GetMinFee(), ctx.mempool->Options().min_relay_feerate});
                } else {
                    feerate = std::max(feerate, MinRelayFeeRate(ctx));
                }
                result.pushKV("feerate", ValueFromAmount(feerate.GetFeePerK()));
            } else {
                UniValue errors(UniValue::VARR);
                errors.push_back("Insufficient data or no feerate found");
                result.pushKV("errors", errors);
            }
            result.pushKV("blocks", calc.returnedTarget);
            return result;
        }};
}

RpcMethod EstimateRawFee(RpcContext& ctx)
{
    const std::vector<RpcResult> bucket_fields{
        {RpcResult::Type::NUM, "startrange", "start of feerate range"},
        {RpcResult::Type::NUM, "endrange", "end of feerate range"},
        {RpcResult::Type::NUM, "withintarget",
         "number of txs over history horizon in the feerate range that were confirmed within target"},
        {RpcResult::Type::NUM, "totalconfirmed",
         "number of txs over history horizon in the feerate range that were confirmed at any point"},
        {RpcResult::Type::NUM, "inmempool",
         "current number of txs in mempool in the feerate range unconfirmed for at least target blocks"},
        {RpcResult::Type::NUM, "leftmempool",
         "number of txs over history horizon in the feerate range that left mempool unconfirmed after target"},
    };
    return RpcMethod{
        "estimaterawfee",
        "WARNING: This interface is unstable and may disappear or change!\n"
        "\nWARNING: This is an advanced API call that is tightly coupled to the specific\n"
        "implementation of fee estimation. The parameters it can be called with\n"
        "and the results it returns will change if the internal implementation changes.\n"
        "\nEstimates the approximate fee per kilobyte needed for a transaction to begin\n"
        "confirmation within conf_target blocks if possible. Uses virtual transaction size as\n"
        "defined in BIP 141 (witness data is discounted).\n",
        {
            {"conf_target", RpcArg::Type::NUM, RpcArg::Optional::NO, "Confirmation target in blocks (1 - 1008)"},
            {"threshold", RpcArg::Type::NUM, RpcArg::Default{0.95},
             "The proportion of transactions in a given feerate range that must have been\n"
             "confirmed within conf_target in order to consider those feerates as high enough and proceed to check\n"
             "lower buckets."},
        },
        RpcResult{RpcResult::Type::OBJ, "", "Results are returned for any horizon which tracks blocks up to the confirmation target",
                  {
                      {RpcResult::Type::OBJ, "short", true, "estimate for short time horizon",
                       {
                           {RpcResult::Type::NUM, "feerate", true, "estimate fee rate in BTC/kvB"},
                           {RpcResult::Type::NUM, "decay", "exponential decay (per block) for historical moving average of confirmation data"},
                           {RpcResult::Type::NUM, "scale", "The resolution of confirmation targets at this time horizon"},
                           {RpcResult::Type::OBJ, "pass", true, "information about the lowest range of feerates to succeed in meeting the threshold", bucket_fields},
                           {RpcResult::Type::OBJ, "fail", true, "information about the highest range of feerates to fail to meet the threshold",
                            {{RpcResult::Type::ELISION, "", ""}}},
                           {RpcResult::Type::ARR, "errors", true, "Errors encountered during processing (if there are any)",
                            {{RpcResult::Type::STR, "error", ""}}},
                       }},
                      {RpcResult::Type::OBJ, "medium", true, "estimate for medium time horizon",
                       {{RpcResult::Type::ELISION, "", ""}}},
                      {RpcResult::Type::OBJ, "long", true, "estimate for long time horizon",
                       {{RpcResult::Type::ELISION, "", ""}}},
                  }},
        RpcExamples{HelpExampleCli("estimaterawfee", "6 0.9")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            FeeEstimator& estimator = EnsureFeeEstimator(ctx);
            const RpcArgs args{self, request};
            const unsigned conf_target =
                ParseConfirmTarget(args.Get(0), estimator.HighestTargetTracked(FeeEstimateHorizon::LONG_HALFLIFE));
            const double threshold = args.Get(1).get_real();
            if (!(threshold >= 0 && threshold <= 1)) throw RpcError(RPC_INVALID_PARAMETER, "Invalid threshold");

            UniValue result(UniValue::VOBJ);
            for (const FeeEstimateHorizon horizon : ALL_FEE_ESTIMATE_HORIZONS) {
                // Only the horizons that track the target answer.
                if (conf_target > estimator.HighestTargetTracked(horizon)) continue;
                EstimationResult buckets;
                const FeeRate feerate = estimator.EstimateRawFee(int(conf_target), threshold, horizon, &buckets);
                UniValue h(UniValue::VOBJ);
                if (feerate != FeeRate(0)) {
                    h.pushKV("feerate", ValueFromAmount(feerate.GetFeePerK()));
                    h.pushKV("decay", buckets.decay);
                    h.pushKV("scale", int(buckets.scale));
                    h.pushKV("pass", BucketToJson(buckets.pass));
                    // start -1: every bucket passed, there is no failing range.
                    if (buckets.fail.start != -1) h.pushKV("fail", BucketToJson(buckets.fail));
                } else {
                    // Only what still means something without an answer.
                    h.pushKV("decay", buckets.decay);
                    h.pushKV("scale", int(buckets.scale));
                    h.pushKV("fail", BucketToJson(buckets.fail));
                    UniValue errors(UniValue::VARR);
                    errors.push_back("Insufficient data or no feerate found which meets threshold");
                    h.pushKV("errors", errors);
                }
                result.pushKV(StringForFeeEstimateHorizon(horizon), h);
            }
            return result;
        }};
}

} // namespace

void RegisterFeeRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("util", EstimateSmartFee(ctx));
    table.Register("hidden", EstimateRawFee(ctx));
}

} // namespace cairn
