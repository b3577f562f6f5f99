// Handing transactions to the pool (help category "rawtransactions", as in
// Bitcoin Core 30): sendrawtransaction, testmempoolaccept, submitpackage.
//
// sendrawtransaction follows Core's BroadcastTransaction: a transaction
// whose outputs are already in the UTXO set is refused (-27), one already in
// the pool is accepted again without a second check, a new one is checked
// first when a fee cap applies and then added and remembered as
// unbroadcast. Either way it is then announced to the peers that do not
// know it (PeerManager::AnnounceTransaction, Core's RelayTransaction), so a
// second sendrawtransaction reaches peers connected since the first;
// submitpackage does the same for each of its transactions in the pool.
#include "mempool/accept.h"
#include "mempool/tx_mempool.h"
#include "net/peer_manager.h"
#include "policy/packages.h"
#include "policy/policy.h"
#include "rpc/context.h"
#include "rpc/methods/mempool_util.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/tx_json.h"
#include "rpc/util.h"
#include "util/strencodings.h"
#include "util/time.h"
#include "validation/chainstate_manager.h"

#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cairn {

namespace {

const std::string MAXFEERATE_DOC{
    "Reject transactions whose fee rate is higher than the specified value, expressed in BTC/kvB.\n"
    "Fee rates larger than 1BTC/kvB are rejected.\nSet to 0 to accept any fee rate."};
const std::string MAXBURN_DOC{
    "Reject transactions with provably unspendable outputs (e.g. 'datacarrier' outputs that use the OP_RETURN "
    "opcode) greater than the specified value, expressed in BTC.\n"
    "If burning funds through unspendable outputs is desired, increase this value.\n"
    "This check is based on heuristics and does not guarantee spendability of outputs.\n"};

RpcArg MaxFeeRateArg()
{
    return {"maxfeerate", RpcArg::Type::AMOUNT, RpcArg::Default{FormatMoney(DEFAULT_MAX_RAW_TX_FEE_RATE_PER_KVB)},
            MAXFEERATE_DOC};
}

RpcArg MaxBurnArg()
{
    return {"maxburnamount", RpcArg::Type::AMOUNT, RpcArg::Default{FormatMoney(DEFAULT_MAX_BURN_AMOUNT)}, MAXBURN_DOC};
}

void CheckBurn(const MutableTransaction& mtx, Amount max_burn)
{
    for (const TxOut& out : mtx.vout) {
        if (IsBurnOutput(out) && out.value > max_burn) ThrowTxSubmitError(TxSubmitError::MAX_BURN_EXCEEDED);
    }
}

/** The hex transactions of testmempoolaccept / submitpackage; with
 *  `max_burn`, unspendable outputs above it are refused first. */
Package DecodePackage(const UniValue& raw, std::optional<Amount> max_burn)
{
    Package txns;
    for (size_t i = 0; i < raw.size(); ++i) {
        CheckValueType(raw[i], UniValue::VSTR);
        MutableTransaction mtx;
        if (!DecodeHexTx(mtx, raw[i].get_str())) {
            throw RpcError(RPC_DESERIALIZATION_ERROR,
                           "TX decode failed: " + raw[i].get_str() + " Make sure the tx has at least one input.");
        }
        if (max_burn) CheckBurn(mtx, *max_burn);
        txns.push_back(std::make_shared<const Transaction>(std::move(mtx)));
    }
    return txns;
}

ChainstateManager& EnsureChainman(const RpcContext& ctx)
{
    if (!ctx.chainman) throw RpcError(RPC_INTERNAL_ERROR, "Node chainman not found");
    return *ctx.chainman;
}

/** A single transaction checked (or added) on its own, with Core's
 *  answers for one that is already in the pool: a single-transaction
 *  acceptance reports those as conflicts. */
MempoolAcceptResult AcceptSingle(ChainstateManager& chainman, TxMemPool& pool, const TransactionRef& tx, bool test_accept)
{
    MempoolAcceptResult r = AcceptToMemoryPool(chainman, pool, tx, GetTime(), /*bypass_limits=*/false, test_accept);
    if (r.type == MempoolAcceptResult::ResultType::MEMPOOL_ENTRY) {
        r = {};
        r.state.Invalid(TxResult::CONFLICT, "txn-already-in-mempool");
    } else if (r.type == MempoolAcceptResult::ResultType::DIFFERENT_WITNESS) {
        r = {};
        r.state.Invalid(TxResult::CONFLICT, "txn-same-nonwitness-data-in-mempool");
    }
    return r;
}

RpcMethod SendRawTransaction(RpcContext& ctx)
{
    return RpcMethod{
        "sendrawtransaction",
        "Submit a raw transaction (serialized, hex-encoded) to local node and network.\n"
        "\nThe transaction will be sent unconditionally to all peers, so using sendrawtransaction\n"
        "for manual rebroadcast may degrade privacy by leaking the transaction's origin, as\n"
        "nodes will normally not rebroadcast non-wallet transactions already in their mempool.\n"
        "\nA specific exception, RPC_TRANSACTION_ALREADY_IN_UTXO_SET, may throw if the transaction cannot be added "
        "to the mempool.\n"
        "\nRelated RPCs: createrawtransaction, signrawtransactionwithkey\n",
        {
            {"hexstring", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The hex string of the raw transaction"},
            MaxFeeRateArg(),
            MaxBurnArg(),
        },
        RpcResult{RpcResult::Type::STR_HEX, "", "The transaction hash in hex"},
        RpcExamples{"\nCreate a transaction\n" +
                    HelpExampleCli("createrawtransaction",
                                   "\"[{\\\"txid\\\" : \\\"mytxid\\\",\\\"vout\\\":0}]\" \"{\\\"myaddress\\\":0.01}\"") +
                    "Sign the transaction, and get back the hex\n" +
                    HelpExampleCli("signrawtransactionwithwallet", "\"myhex\"") +
                    "\nSend the transaction (signed hex)\n" + HelpExampleCli("sendrawtransaction", "\"signedhex\"") +
                    "\nAs a JSON-RPC call\n" + HelpExampleRpc("sendrawtransaction", "\"signedhex\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const Amount max_burn = AmountFromValue(args.Get(2));
            MutableTransaction mtx;
            if (!DecodeHexTx(mtx, args.GetStr(0))) {
                throw RpcError(RPC_DESERIALIZATION_ERROR, "TX decode failed. Make sure the tx has at least one input.");
            }
            CheckBurn(mtx, max_burn);
            const TransactionRef tx = std::make_shared<const Transaction>(std::move(mtx));
            const FeeRate max_rate = ParseFeeRateArg(args.Get(1));
            const Amount max_fee = max_rate.GetFeePerK() == 0 ? 0 : max_rate.GetFee(GetVirtualTransactionSize(*tx));

            ChainstateManager& chainman = EnsureChainman(ctx);
            TxMemPool& pool = EnsureMempool(ctx);
            const uint256& txid = tx->GetTxid();
            {
                // Already confirmed: any of its outputs is still unspent in the chain.
                std::lock_guard lock(chainman.GetMutex());
                for (uint32_t n = 0; n < tx->vout.size(); ++n) {
                    const std::optional<Coin> coin = chainman.Coins().GetCoin(OutPoint(txid, n));
                    if (coin && !coin->IsSpent()) ThrowTxSubmitError(TxSubmitError::ALREADY_IN_UTXO_SET);
                }
            }
            // The pool's version is the one announced (it may have another witness).
            uint256 wtxid = tx->GetWtxid();
            bool in_pool = false;
            {
                std::lock_guard lock(pool.GetMutex());
                if (const MempoolEntry* entry = pool.Get(txid)) {
                    in_pool = true;
                    wtxid = entry->Wtxid();
                }
            }
            // One already in the pool (same or other witness) is not checked
            // again: it would only be refused as a conflict.
            if (!in_pool) {
                if (max_fee > 0) {
                    const MempoolAcceptResult test = AcceptSingle(chainman, pool, tx, /*test_accept=*/true);
                    if (test.type != MempoolAcceptResult::ResultType::VALID) ThrowAcceptError(test.state);
                    if (test.base_fees.value_or(0) > max_fee) ThrowTxSubmitError(TxSubmitError::MAX_FEE_EXCEEDED);
                }
                const MempoolAcceptResult result =
                    AcceptToMemoryPool(chainman, pool, tx, GetTime(), /*bypass_limits=*/false, /*test_accept=*/false);
                if (result.type == MempoolAcceptResult::ResultType::VALID) {
                    // Locally submitted: kept until a peer asks for it (initial broadcast).
                    std::lock_guard lock(pool.GetMutex());
                    pool.AddUnbroadcastTx(txid);
                } else if (result.type == MempoolAcceptResult::ResultType::INVALID) {
                    ThrowAcceptError(result.state);
                }
                MaybeCheckMempool(ctx);
            }
            // Announced to every peer that does not know it yet, also when
            // it was in the pool already (a manual rebroadcast).
            if (ctx.peerman) ctx.peerman->AnnounceTransaction(txid, wtxid);
            return txid.GetHex();
        }};
}

RpcMethod TestMempoolAccept(RpcContext& ctx)
{
    return RpcMethod{
        "testmempoolaccept",
        "Returns result of mempool acceptance tests indicating if raw transaction(s) (serialized, hex-encoded) would "
        "be accepted by mempool.\n"
        "\nIf multiple transactions are passed in, parents must come before children and package policies apply: the "
        "transactions cannot conflict with any mempool transactions or each other.\n"
        "\nIf one transaction fails, other transactions may not be fully validated (the 'allowed' key will be "
        "blank).\n"
        "\nThe maximum number of transactions allowed is " +
            std::to_string(MAX_PACKAGE_COUNT) +
            ".\n"
            "\nThis checks if transactions violate the consensus or policy rules.\n"
            "\nSee sendrawtransaction call.\n",
        {
            {"rawtxs", RpcArg::Type::ARR, RpcArg::Optional::NO, "An array of hex strings of raw transactions.",
             {{"rawtx", RpcArg::Type::STR_HEX, RpcArg::Optional::OMITTED, ""}}},
            MaxFeeRateArg(),
        },
        RpcResult{
            RpcResult::Type::ARR, "",
            "The result of the mempool acceptance test for each raw transaction in the input array.\n"
            "Returns results for each transaction in the same order they were passed in.\n"
            "Transactions that cannot be fully validated due to failures in other transactions will not contain an "
            "'allowed' result.\n",
            {
                {RpcResult::Type::OBJ, "", "",
                 {
                     {RpcResult::Type::STR_HEX, "txid", "The transaction hash in hex"},
                     {RpcResult::Type::STR_HEX, "wtxid", "The transaction witness hash in hex"},
                     {RpcResult::Type::STR, "package-error", /*optional=*/true,
                      "Package validation error, if any (only possible if rawtxs had more than 1 transaction)."},
                     {RpcResult::Type::BOOL, "allowed", /*optional=*/true,
                      "Whether this tx would be accepted to the mempool and pass client-specified maxfeerate. If not "
                      "present, the tx was not fully validated due to a failure in another tx in the list."},
                     {RpcResult::Type::NUM, "vsize", /*optional=*/true,
                      "Virtual transaction size as defined in BIP 141. This is different from actual serialized size "
                      "for witness transactions as witness data is discounted (only present when 'allowed' is true)"},
                     {RpcResult::Type::OBJ, "fees", /*optional=*/true, "Transaction fees (only present if 'allowed' is true)",
                      {
                          {RpcResult::Type::STR_AMOUNT, "base", "transaction fee in BTC"},
                          {RpcResult::Type::STR_AMOUNT, "effective-feerate", /*optional=*/false,
                           "the effective feerate in BTC per KvB. May differ from the base feerate if, for example, "
                           "there are modified fees from prioritisetransaction or a package feerate was used."},
                          {RpcResult::Type::ARR, "effective-includes", /*optional=*/false,
                           "transactions whose fees and vsizes are included in effective-feerate.",
                           {{RpcResult::Type::STR_HEX, "", "transaction wtxid in hex"}}},
                      }},
                     {RpcResult::Type::STR, "reject-reason", /*optional=*/true,
                      "Rejection reason (only present when 'allowed' is false)"},
                     {RpcResult::Type::STR, "reject-details", /*optional=*/true,
                      "Rejection details (only present when 'allowed' is false and rejection details exist)"},
                 }},
            }},
        RpcExamples{"\nCreate a transaction\n" +
                    HelpExampleCli("createrawtransaction",
                                   "\"[{\\\"txid\\\" : \\\"mytxid\\\",\\\"vout\\\":0}]\" \"{\\\"myaddress\\\":0.01}\"") +
                    "Sign the transaction, and get back the hex\n" +
                    HelpExampleCli("signrawtransactionwithwallet", "\"myhex\"") +
                    "\nTest acceptance of the transaction (signed hex)\n" +
                    HelpExampleCli("testmempoolaccept", R"('["signedhex"]')") + "\nAs a JSON-RPC call\n" +
                    HelpExampleRpc("testmempoolaccept", "[\"signedhex\"]")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const UniValue& raw = args.Get(0);
            if (raw.size() < 1 || raw.size() > MAX_PACKAGE_COUNT) {
                throw RpcError(RPC_INVALID_PARAMETER, "Array must contain between 1 and " +
                                                          std::to_string(MAX_PACKAGE_COUNT) + " transactions.");
            }
            const FeeRate max_rate = ParseFeeRateArg(args.Get(1));
            const Package txns = DecodePackage(raw, std::nullopt);

            ChainstateManager& chainman = EnsureChainman(ctx);
            TxMemPool& pool = EnsureMempool(ctx);
            PackageMempoolAcceptResult package;
            if (txns.size() > 1) {
                package = ProcessNewPackage(chainman, pool, txns, /*test_accept=*/true, /*client_maxfeerate=*/std::nullopt);
            } else {
                package.results.emplace(txns[0]->GetWtxid(), AcceptSingle(chainman, pool, txns[0], /*test_accept=*/true));
            }

            UniValue out(UniValue::VARR);
            // A transaction over maxfeerate stops the report: its descendants
            // would not be submitted either.
            bool stop = false;
            for (const TransactionRef& tx : txns) {
                UniValue r(UniValue::VOBJ);
                r.pushKV("txid", tx->GetTxid().GetHex());
                r.pushKV("wtxid", tx->GetWtxid().GetHex());
                if (package.state.GetResult() == PackageResult::PCKG_POLICY) {
                    r.pushKV("package-error", package.state.ToString());
                }
                const auto it = package.results.find(tx->GetWtxid());
                if (stop || it == package.results.end()) {
                    out.push_back(r);
                    continue;
                }
                const MempoolAcceptResult& res = it->second;
                if (res.type == MempoolAcceptResult::ResultType::VALID) {
                    const Amount fee = res.base_fees.value_or(0);
                    const int64_t vsize = res.vsize.value_or(0);
                    const Amount max_fee = max_rate.GetFeePerK() == 0 ? 0 : max_rate.GetFee(vsize);
                    if (max_fee && fee > max_fee) {
                        r.pushKV("allowed", false);
                        r.pushKV("reject-reason", "max-fee-exceeded");
                        stop = true;
                    } else {
                        r.pushKV("allowed", true);
                        r.pushKV("vsize", vsize);
                        UniValue fees(UniValue::VOBJ);
                        fees.pushKV("base", ValueFromAmount(fee));
                        fees.pushKV("effective-feerate",
                                    ValueFromAmount(res.effective_feerate.value_or(FeeRate(fee, vsize)).GetFeePerK()));
                        UniValue includes(UniValue::VARR);
                        if (res.effective_includes) {
                            for (const uint256& wtxid : *res.effective_includes) includes.push_back(wtxid.GetHex());
                        } else {
                            includes.push_back(tx->GetWtxid().GetHex());
                        }
                        fees.pushKV("effective-includes", includes);
                        r.pushKV("fees", fees);
                    }
                } else {
                    r.pushKV("allowed", false);
                    if (res.type == MempoolAcceptResult::ResultType::INVALID &&
                        res.state.GetResult() == TxResult::MISSING_INPUTS) {
                        r.pushKV("reject-reason", "missing-inputs");
                    } else if (res.type == MempoolAcceptResult::ResultType::INVALID) {
                        r.pushKV("reject-reason", res.state.GetRejectReason());
                        r.pushKV("reject-details", res.state.ToString());
                    } else {
                        // A package member already in the pool: Core's package
                        // test refuses those before reaching here.
                        r.pushKV("reject-reason", "txn-already-in-mempool");
                        r.pushKV("reject-details", "txn-already-in-mempool");
                    }
                }
                out.push_back(r);
            }
            return out;
        }};
}

RpcMethod SubmitPackage(RpcContext& ctx)
{
    return RpcMethod{
        "submitpackage",
        "Submit a package of raw transactions (serialized, hex-encoded) to local node.\n"
        "The package will be validated according to consensus and mempool policy rules. If any transaction passes, it "
        "will be accepted to mempool.\n"
        "This RPC is experimental and the interface may be unstable. Refer to doc/policy/packages.md for "
        "documentation on package policies.\n"
        "Warning: successful submission does not mean the transactions will propagate throughout the network.\n",
        {
            {"package", RpcArg::Type::ARR, RpcArg::Optional::NO,
             "An array of raw transactions.\n"
             "The package must consist of a transaction with (some, all, or none of) its unconfirmed parents. A "
             "single transaction is permitted.\n"
             "None of the parents may depend on each other. Parents that are already in mempool do not need to be "
             "present in the package.\n"
             "The package must be topologically sorted, with the child being the last element in the array if there "
             "are multiple elements.",
             {{"rawtx", RpcArg::Type::STR_HEX, RpcArg::Optional::OMITTED, ""}}},
            MaxFeeRateArg(),
            MaxBurnArg(),
        },
        RpcResult{
            RpcResult::Type::OBJ, "", "",
            {
                {RpcResult::Type::STR, "package_msg",
                 "The transaction package result message. \"success\" indicates all transactions were accepted into "
                 "or are already in the mempool."},
                {RpcResult::Type::OBJ_DYN, "tx-results",
                 "The transaction results keyed by wtxid. An entry is returned for every submitted wtxid.",
                 {
                     {RpcResult::Type::OBJ, "wtxid", "transaction wtxid",
                      {
                          {RpcResult::Type::STR_HEX, "txid", "The transaction hash in hex"},
                          {RpcResult::Type::STR_HEX, "other-wtxid", /*optional=*/true,
                           "The wtxid of a different transaction with the same txid but different witness found in "
                           "the mempool. This means the submitted transaction was ignored."},
                          {RpcResult::Type::NUM, "vsize", /*optional=*/true, "Sigops-adjusted virtual transaction size."},
                          {RpcResult::Type::OBJ, "fees", /*optional=*/true, "Transaction fees",
                           {
                               {RpcResult::Type::STR_AMOUNT, "base", "transaction fee in BTC"},
                               {RpcResult::Type::STR_AMOUNT, "effective-feerate", /*optional=*/true,
                                "if the transaction was not already in the mempool, the effective feerate in BTC per "
                                "KvB. For example, the package feerate and/or feerate with modified fees from "
                                "prioritisetransaction."},
                               {RpcResult::Type::ARR, "effective-includes", /*optional=*/true,
                                "if effective-feerate is provided, the wtxids of the transactions whose fees and vsizes "
                                "are included in effective-feerate.",
                                {{RpcResult::Type::STR_HEX, "", "transaction wtxid in hex"}}},
                           }},
                          {RpcResult::Type::STR, "error", /*optional=*/true,
                           "Error string if rejected from mempool, or \"package-not-validated\" when the package "
                           "aborts before any per-tx processing."},
                      }},
                 }},
                {RpcResult::Type::ARR, "replaced-transactions", /*optional=*/true,
                 "List of txids of replaced transactions",
                 {{RpcResult::Type::STR_HEX, "", "The transaction id"}}},
            }},
        RpcExamples{HelpExampleRpc("submitpackage", R"(["raw-parent-tx-1", "raw-parent-tx-2", "raw-child-tx"])") +
                    HelpExampleCli("submitpackage", R"('["raw-tx-without-unconfirmed-parents"]')")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const UniValue& raw = args.Get(0);
            if (raw.empty() || raw.size() > MAX_PACKAGE_COUNT) {
                throw RpcError(RPC_INVALID_PARAMETER, "Array must contain between 1 and " +
                                                          std::to_string(MAX_PACKAGE_COUNT) + " transactions.");
            }
            const FeeRate max_rate = ParseFeeRateArg(args.Get(1));
            // 0 means no check at all.
            const std::optional<FeeRate> client_maxfeerate =
                max_rate == FeeRate(0) ? std::nullopt : std::optional<FeeRate>(max_rate);
            const Amount max_burn = AmountFromValue(args.Get(2));

            const Package txns = DecodePackage(raw, max_burn);
            if (txns.size() > 1 && !IsChildWithParentsTree(txns)) {
                ThrowTxSubmitError(TxSubmitError::INVALID_PACKAGE,
                                   "package topology disallowed. not child-with-parents or parents depend on each other.");
            }

            ChainstateManager& chainman = EnsureChainman(ctx);
            TxMemPool& pool = EnsureMempool(ctx);
            const PackageMempoolAcceptResult package =
                ProcessNewPackage(chainman, pool, txns, /*test_accept=*/false, client_maxfeerate);
            MaybeCheckMempool(ctx);

            std::string package_msg = "success";
            switch (package.state.GetResult()) {
            case PackageResult::PCKG_RESULT_UNSET:
                break;
            case PackageResult::PCKG_MEMPOOL_ERROR:
                ThrowTxSubmitError(TxSubmitError::MEMPOOL_ERROR, package.state.GetRejectReason());
            case PackageResult::PCKG_POLICY:
            case PackageResult::PCKG_TX:
                package_msg = package.state.ToString();
                break;
            }

            // Every package transaction now in the pool, new or not, is
            // announced (Core's BroadcastTransaction for each; those already
            // in the pool do not join the unbroadcast set).
            if (ctx.peerman) {
                std::vector<std::pair<uint256, uint256>> to_announce;
                {
                    std::lock_guard lock(pool.GetMutex());
                    for (const TransactionRef& tx : txns) {
                        if (const MempoolEntry* entry = pool.Get(tx->GetTxid())) {
                            to_announce.emplace_back(entry->Txid(), entry->Wtxid());
                        }
                    }
                }
                for (const auto& [txid, wtxid] : to_announce) ctx.peerman->AnnounceTransaction(txid, wtxid);
            }

            UniValue ret(UniValue::VOBJ);
            ret.pushKV("package_msg", package_msg);
            UniValue results(UniValue::VOBJ);
            std::set<uint256> replaced;
            for (const TransactionRef& tx : txns) {
                UniValue r(UniValue::VOBJ);
                r.pushKV("txid", tx->GetTxid().GetHex());
                const auto it = package.results.find(tx->GetWtxid());
                if (it == package.results.end()) {
                    r.pushKV("error", "package-not-validated");
                    results.pushKV(tx->GetWtxid().GetHex(), r);
                    continue;
                }
                const MempoolAcceptResult& res = it->second;
                switch (res.type) {
                case MempoolAcceptResult::ResultType::DIFFERENT_WITNESS:
                    r.pushKV("other-wtxid", res.other_wtxid.value_or(uint256()).GetHex());
                    break;
                case MempoolAcceptResult::ResultType::INVALID:
                    r.pushKV("error", res.state.ToString());
                    break;
                case MempoolAcceptResult::ResultType::VALID:
                case MempoolAcceptResult::ResultType::MEMPOOL_ENTRY: {
                    r.pushKV("vsize", res.vsize.value_or(0));
                    UniValue fees(UniValue::VOBJ);
                    fees.pushKV("base", ValueFromAmount(res.base_fees.value_or(0)));
                    // Not for one already in the pool: whether a package
                    // feerate let it in back then is not known.
                    if (res.type == MempoolAcceptResult::ResultType::VALID) {
                        fees.pushKV("effective-feerate",
                                    ValueFromAmount(res.effective_feerate.value_or(FeeRate()).GetFeePerK()));
                        UniValue includes(UniValue::VARR);
                        if (res.effective_includes) {
                            for (const uint256& wtxid : *res.effective_includes) includes.push_back(wtxid.GetHex());
                        }
                        fees.pushKV("effective-includes", includes);
                    }
                    r.pushKV("fees", fees);
                    for (const TransactionRef& gone : res.replaced_transactions) replaced.insert(gone->GetTxid());
                    break;
                }
                }
                results.pushKV(tx->GetWtxid().GetHex(), r);
            }
            ret.pushKV("tx-results", results);
            UniValue replaced_list(UniValue::VARR);
            for (const uint256& txid : replaced) replaced_list.push_back(txid.GetHex());
            ret.pushKV("replaced-transactions", replaced_list);
            return ret;
        }};
}

} // namespace

void RegisterRawTransactionSubmitRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("rawtransactions", SendRawTransaction(ctx));
    table.Register("rawtransactions", TestMempoolAccept(ctx));
    table.Register("rawtransactions", SubmitPackage(ctx));
}

} // namespace cairn
