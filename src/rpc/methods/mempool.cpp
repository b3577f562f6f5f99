// RPCs that look into the transaction pool (help category "blockchain", as
// in Bitcoin Core 30): getrawmempool, getmempoolinfo, getmempoolentry,
// getmempoolancestors, getmempooldescendants, gettxspendingprevout and
// savemempool. Submitting transactions is rawtransaction_submit.cpp's job.
#include "mempool/persist.h"
#include "mempool/tx_mempool.h"
#include "policy/policy.h"
#include "rpc/context.h"
#include "rpc/methods/mempool_util.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/util.h"

#include <climits>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace cairn {

namespace {

const RpcResult TXID_ARRAY_DOC{RpcResult::Type::ARR, "", "", {{RpcResult::Type::STR_HEX, "", "The transaction id"}}};

std::vector<RpcResult> MempoolEntryDoc()
{
    return {
        {RpcResult::Type::NUM, "vsize",
         "virtual transaction size as defined in BIP 141. This is different from actual serialized size for witness "
         "transactions as witness data is discounted."},
        {RpcResult::Type::NUM, "weight", "transaction weight as defined in BIP 141."},
        {RpcResult::Type::NUM_TIME, "time", "local time transaction entered pool in seconds since 1 Jan 1970 GMT"},
        {RpcResult::Type::NUM, "height", "block height when transaction entered pool"},
        {RpcResult::Type::NUM, "descendantcount", "number of in-mempool descendant transactions (including this one)"},
        {RpcResult::Type::NUM, "descendantsize", "virtual transaction size of in-mempool descendants (including this one)"},
        {RpcResult::Type::NUM, "ancestorcount", "number of in-mempool ancestor transactions (including this one)"},
        {RpcResult::Type::NUM, "ancestorsize", "virtual transaction size of in-mempool ancestors (including this one)"},
        {RpcResult::Type::STR_HEX, "wtxid", "hash of serialized transaction, including witness data"},
        {RpcResult::Type::OBJ, "fees", "",
         {
             {RpcResult::Type::STR_AMOUNT, "base", "transaction fee, denominated in BTC"},
             {RpcResult::Type::STR_AMOUNT, "modified",
              "transaction fee with fee deltas used for mining priority, denominated in BTC"},
             {RpcResult::Type::STR_AMOUNT, "ancestor",
              "transaction fees of in-mempool ancestors (including this one) with fee deltas used for mining "
              "priority, denominated in BTC"},
             {RpcResult::Type::STR_AMOUNT, "descendant",
              "transaction fees of in-mempool descendants (including this one) with fee deltas used for mining "
              "priority, denominated in BTC"},
         }},
        {RpcResult::Type::ARR, "depends", "unconfirmed transactions used as inputs for this transaction",
         {{RpcResult::Type::STR_HEX, "transactionid", "parent transaction id"}}},
        {RpcResult::Type::ARR, "spentby", "unconfirmed transactions spending outputs from this transaction",
         {{RpcResult::Type::STR_HEX, "transactionid", "child transaction id"}}},
        {RpcResult::Type::BOOL, "bip125-replaceable",
         "Whether this transaction signals BIP125 replaceability or has an unconfirmed ancestor signaling BIP125 "
         "replaceability. (DEPRECATED)\n"},
        {RpcResult::Type::BOOL, "unbroadcast",
         "Whether this transaction is currently unbroadcast (initial broadcast not yet acknowledged by any peers)"},
    };
}

/** Core's IsRBFOptIn for an entry: it signals, or one of its in-pool ancestors does. */
bool IsReplaceable(const TxMemPool& pool, const MempoolEntry& entry)
{
    if (SignalsOptInRBF(entry.GetTx())) return true;
    for (const MempoolEntry* ancestor : pool.GetAncestors(entry)) {
        if (SignalsOptInRBF(ancestor->GetTx())) return true;
    }
    return false;
}

/** One entry as getmempoolentry shows it. Caller holds the pool's lock. */
UniValue EntryToJSON(const TxMemPool& pool, const MempoolEntry& e)
{
    UniValue info(UniValue::VOBJ);
    info.pushKV("vsize", e.GetTxSize());
    info.pushKV("weight", e.GetTxWeight());
    info.pushKV("time", e.GetTime());
    info.pushKV("height", uint64_t{e.GetHeight()});
    info.pushKV("descendantcount", e.GetCountWithDescendants());
    info.pushKV("descendantsize", e.GetSizeWithDescendants());
    info.pushKV("ancestorcount", e.GetCountWithAncestors());
    info.pushKV("ancestorsize", e.GetSizeWithAncestors());
    info.pushKV("wtxid", e.Wtxid().GetHex());

    UniValue fees(UniValue::VOBJ);
    fees.pushKV("base", ValueFromAmount(e.GetFee()));
    fees.pushKV("modified", ValueFromAmount(e.GetModifiedFee()));
    fees.pushKV("ancestor", ValueFromAmount(e.GetModFeesWithAncestors()));
    fees.pushKV("descendant", ValueFromAmount(e.GetModFeesWithDescendants()));
    info.pushKV("fees", fees);

    // Core lists the parents sorted by their hex text.
    std::set<std::string> parents;
    for (const TxIn& in : e.GetTx().vin) {
        if (pool.Exists(in.prevout.hash)) parents.insert(in.prevout.hash.GetHex());
    }
    UniValue depends(UniValue::VARR);
    for (const std::string& p : parents) depends.push_back(p);
    info.pushKV("depends", depends);

    UniValue spentby(UniValue::VARR);
    for (const MempoolEntry* child : e.Children()) spentby.push_back(child->Txid().GetHex());
    info.pushKV("spentby", spentby);

    info.pushKV("bip125-replaceable", IsReplaceable(pool, e));
    info.pushKV("unbroadcast", pool.IsUnbroadcastTx(e.Txid()));
    return info;
}

/** {txid: entry, ...} or [txid, ...] for a set of entries. Caller holds the pool's lock. */
UniValue EntriesToJSON(const TxMemPool& pool, const std::vector<const MempoolEntry*>& entries, bool verbose)
{
    if (!verbose) {
        UniValue a(UniValue::VARR);
        for (const MempoolEntry* e : entries) a.push_back(e->Txid().GetHex());
        return a;
    }
    UniValue o(UniValue::VOBJ);
    // Keys are distinct txids: append without the duplicate search of pushKV.
    for (const MempoolEntry* e : entries) o.__pushKV(e->Txid().GetHex(), EntryToJSON(pool, *e));
    return o;
}

/** The entry of a txid argument, or -5 "Transaction not in mempool". Caller holds the pool's lock. */
const MempoolEntry& RequireEntry(const TxMemPool& pool, const uint256& txid)
{
    const MempoolEntry* entry = pool.Get(txid);
    if (!entry) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Transaction not in mempool");
    return *entry;
}

RpcMethod GetRawMempool(RpcContext& ctx)
{
    return RpcMethod{
        "getrawmempool",
        "Returns all transaction ids in memory pool as a json array of string transaction ids.\n"
        "\nHint: use getmempoolentry to fetch a specific transaction from the mempool.\n",
        {
            {"verbose", RpcArg::Type::BOOL, RpcArg::Default{false},
             "True for a json object, false for array of transaction ids"},
            {"mempool_sequence", RpcArg::Type::BOOL, RpcArg::Default{false},
             "If verbose=false, returns a json object with transaction list and mempool sequence number attached."},
        },
        RpcResults{
            RpcResult{"for verbose = false", RpcResult::Type::ARR, "", "",
                      {{RpcResult::Type::STR_HEX, "", "The transaction id"}}},
            RpcResult{"for verbose = true", RpcResult::Type::OBJ_DYN, "", "",
                      {{RpcResult::Type::OBJ, "transactionid", "", MempoolEntryDoc()}}},
            RpcResult{"for verbose = false and mempool_sequence = true", RpcResult::Type::OBJ, "", "",
                      {
                          {RpcResult::Type::ARR, "txids", "", {{RpcResult::Type::STR_HEX, "", "The transaction id"}}},
                          {RpcResult::Type::NUM, "mempool_sequence", "The mempool sequence value."},
                      }},
        },
        RpcExamples{HelpExampleCli("getrawmempool", "true") + HelpExampleRpc("getrawmempool", "true")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const bool verbose = args.GetBool(0);
            const bool with_sequence = args.GetBool(1);
            const TxMemPool& pool = EnsureMempool(ctx);
            if (verbose && with_sequence) {
                throw RpcError(RPC_INVALID_PARAMETER, "Verbose results cannot contain mempool sequence values.");
            }
            std::lock_guard lock(pool.GetMutex());
            UniValue txids = EntriesToJSON(pool, pool.EntriesTopological(), verbose);
            if (!with_sequence) return txids;
            UniValue o(UniValue::VOBJ);
            o.pushKV("txids", txids);
            o.pushKV("mempool_sequence", pool.GetSequence());
            return o;
        }};
}

/** getmempoolancestors and getmempooldescendants: the same call, one direction each. */
RpcMethod MempoolRelatives(RpcContext& ctx, bool ancestors)
{
    const std::string name = ancestors ? "getmempoolancestors" : "getmempooldescendants";
    const std::string kind = ancestors ? "ancestor" : "descendant";
    return RpcMethod{
        name,
        "If txid is in the mempool, returns all in-mempool " + kind + "s.\n",
        {
            {"txid", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The transaction id (must be in mempool)"},
            {"verbose", RpcArg::Type::BOOL, RpcArg::Default{false},
             "True for a json object, false for array of transaction ids"},
        },
        RpcResults{
            RpcResult{"for verbose = false", RpcResult::Type::ARR, "", "",
                      {{RpcResult::Type::STR_HEX, "", "The transaction id of an in-mempool " + kind + " transaction"}}},
            RpcResult{"for verbose = true", RpcResult::Type::OBJ_DYN, "", "",
                      {{RpcResult::Type::OBJ, "transactionid", "", MempoolEntryDoc()}}},
        },
        RpcExamples{HelpExampleCli(name, "\"mytxid\"") + HelpExampleRpc(name, "\"mytxid\"")},
        [&ctx, ancestors](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const bool verbose = args.GetBool(1);
            const uint256 txid = ParseHashV(args.Get(0), "txid");
            const TxMemPool& pool = EnsureMempool(ctx);
            std::lock_guard lock(pool.GetMutex());
            const MempoolEntry& entry = RequireEntry(pool, txid);
            MempoolEntrySet related = ancestors ? pool.GetAncestors(entry) : pool.GetDescendants(entry);
            related.erase(&entry); // GetDescendants includes the transaction itself
            return EntriesToJSON(pool, {related.begin(), related.end()}, verbose);
        }};
}

RpcMethod GetMempoolAncestors(RpcContext& ctx) { return MempoolRelatives(ctx, true); }
RpcMethod GetMempoolDescendants(RpcContext& ctx) { return MempoolRelatives(ctx, false); }

RpcMethod GetMempoolEntry(RpcContext& ctx)
{
    return RpcMethod{
        "getmempoolentry",
        "Returns mempool data for given transaction\n",
        {{"txid", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The transaction id (must be in mempool)"}},
        RpcResult{RpcResult::Type::OBJ, "", "", MempoolEntryDoc()},
        RpcExamples{HelpExampleCli("getmempoolentry", "\"mytxid\"") + HelpExampleRpc("getmempoolentry", "\"mytxid\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const uint256 txid = ParseHashV(args.Get(0), "txid");
            const TxMemPool& pool = EnsureMempool(ctx);
            std::lock_guard lock(pool.GetMutex());
            return EntryToJSON(pool, RequireEntry(pool, txid));
        }};
}

/** Core's RPCTypeCheckObj(o, {txid: string, vout: number}, no nulls, strict). */
void CheckOutpointObject(const UniValue& o)
{
    CheckValueType(o, UniValue::VOBJ);
    const std::pair<const char*, UniValue::VType> expected[] = {{"txid", UniValue::VSTR}, {"vout", UniValue::VNUM}};
    for (const auto& [name, type] : expected) {
        const UniValue& v = find_value(o, name);
        if (v.isNull()) throw RpcError(RPC_TYPE_ERROR, std::string("Missing ") + name);
        if (v.getType() != type) {
            throw RpcError(RPC_TYPE_ERROR, std::string("JSON value of type ") + uvTypeName(v.getType()) +
                                               " for field " + name + " is not of expected type " + uvTypeName(type));
        }
    }
    for (const std::string& key : o.getKeys()) {
        if (key != "txid" && key != "vout") throw RpcError(RPC_TYPE_ERROR, "Unexpected key " + key);
    }
}

RpcMethod GetTxSpendingPrevout(RpcContext& ctx)
{
    return RpcMethod{
        "gettxspendingprevout",
        "Scans the mempool to find transactions spending any of the given outputs",
        {
            {"outputs", RpcArg::Type::ARR, RpcArg::Optional::NO,
             "The transaction outputs that we want to check, and within each, the txid (string) vout (numeric).",
             {
                 {"", RpcArg::Type::OBJ, RpcArg::Optional::OMITTED, "",
                  {
                      {"txid", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The transaction id"},
                      {"vout", RpcArg::Type::NUM, RpcArg::Optional::NO, "The output number"},
                  }},
             }},
        },
        RpcResult{RpcResult::Type::ARR, "", "",
                  {
                      {RpcResult::Type::OBJ, "", "",
                       {
                           {RpcResult::Type::STR_HEX, "txid", "the transaction id of the checked output"},
                           {RpcResult::Type::NUM, "vout", "the vout value of the checked output"},
                           {RpcResult::Type::STR_HEX, "spendingtxid", /*optional=*/true,
                            "the transaction id of the mempool transaction spending this output (omitted if unspent)"},
                       }},
                  }},
        RpcExamples{
            HelpExampleCli("gettxspendingprevout",
                           "\"[{\\\"txid\\\":\\\"a08e6907dbbd3d809776dbfc5d82e371b764ed838b5655e72f463568df1aadf0\\\","
                           "\\\"vout\\\":3}]\"") +
            HelpExampleRpc("gettxspendingprevout",
                           "\"[{\\\"txid\\\":\\\"a08e6907dbbd3d809776dbfc5d82e371b764ed838b5655e72f463568df1aadf0\\\","
                           "\\\"vout\\\":3}]\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const UniValue& outputs = args.Get(0);
            if (outputs.empty()) throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, outputs are missing");
            std::vector<OutPoint> prevouts;
            prevouts.reserve(outputs.size());
            for (size_t i = 0; i < outputs.size(); ++i) {
                const UniValue& o = outputs[i];
                CheckOutpointObject(o);
                const uint256 txid = ParseHashV(find_value(o, "txid"), "txid");
                const int n = int(IntFromValue(find_value(o, "vout"), INT_MIN, INT_MAX));
                if (n < 0) throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");
                prevouts.emplace_back(txid, uint32_t(n));
            }

            const TxMemPool& pool = EnsureMempool(ctx);
            std::lock_guard lock(pool.GetMutex());
            UniValue result(UniValue::VARR);
            for (const OutPoint& prevout : prevouts) {
                UniValue o(UniValue::VOBJ);
                o.pushKV("txid", prevout.hash.GetHex());
                o.pushKV("vout", uint64_t{prevout.n});
                if (const MempoolEntry* spender = pool.GetSpender(prevout)) {
                    o.pushKV("spendingtxid", spender->Txid().GetHex());
                }
                result.push_back(o);
            }
            return result;
        }};
}

RpcMethod GetMempoolInfo(RpcContext& ctx)
{
    return RpcMethod{
        "getmempoolinfo",
        "Returns details on the active state of the TX memory pool.",
        {},
        RpcResult{
            RpcResult::Type::OBJ, "", "",
            {
                {RpcResult::Type::BOOL, "loaded", "True if the initial load attempt of the persisted mempool finished"},
                {RpcResult::Type::NUM, "size", "Current tx count"},
                {RpcResult::Type::NUM, "bytes",
                 "Sum of all virtual transaction sizes as defined in BIP 141. Differs from actual serialized size "
                 "because witness data is discounted"},
                {RpcResult::Type::NUM, "usage", "Total memory usage for the mempool"},
                {RpcResult::Type::STR_AMOUNT, "total_fee",
                 "Total fees for the mempool in BTC, ignoring modified fees through prioritisetransaction"},
                {RpcResult::Type::NUM, "maxmempool", "Maximum memory usage for the mempool"},
                {RpcResult::Type::STR_AMOUNT, "mempoolminfee",
                 "Minimum fee rate in BTC/kvB for tx to be accepted. Is the maximum of minrelaytxfee and minimum "
                 "mempool fee"},
                {RpcResult::Type::STR_AMOUNT, "minrelaytxfee", "Current minimum relay fee for transactions"},
                {RpcResult::Type::NUM, "incrementalrelayfee",
                 "minimum fee rate increment for mempool limiting or replacement in BTC/kvB"},
                {RpcResult::Type::NUM, "unbroadcastcount",
                 "Current number of transactions that haven't passed initial broadcast yet"},
                {RpcResult::Type::BOOL, "fullrbf",
                 "True if the mempool accepts RBF without replaceability signaling inspection (DEPRECATED)"},
                {RpcResult::Type::BOOL, "permitbaremultisig",
                 "True if the mempool accepts transactions with bare multisig outputs"},
                {RpcResult::Type::NUM, "maxdatacarriersize",
                 "Maximum number of bytes that can be used by OP_RETURN outputs in the mempool"},
            }},
        RpcExamples{HelpExampleCli("getmempoolinfo", "") + HelpExampleRpc("getmempoolinfo", "")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const TxMemPool& pool = EnsureMempool(ctx);
            const MempoolOptions& opts = pool.Options();
            std::lock_guard lock(pool.GetMutex()); // one consistent snapshot
            UniValue ret(UniValue::VOBJ);
            ret.pushKV("loaded", pool.IsLoaded());
            ret.pushKV("size", uint64_t{pool.Size()});
            ret.pushKV("bytes", pool.TotalTxSize());
            ret.pushKV("usage", uint64_t{pool.DynamicMemoryUsage()});
            ret.pushKV("total_fee", ValueFromAmount(pool.TotalFee()));
            ret.pushKV("maxmempool", opts.max_size_bytes);
            ret.pushKV("mempoolminfee",
                       ValueFromAmount(std::max(pool.GetMinFee(), opts.min_relay_feerate).GetFeePerK()));
            ret.pushKV("minrelaytxfee", ValueFromAmount(opts.min_relay_feerate.GetFeePerK()));
            ret.pushKV("incrementalrelayfee", ValueFromAmount(opts.incremental_relay_feerate.GetFeePerK()));
            ret.pushKV("unbroadcastcount", uint64_t{pool.GetUnbroadcastTxs().size()});
            ret.pushKV("fullrbf", true);
            ret.pushKV("permitbaremultisig", opts.permit_bare_multisig);
            ret.pushKV("maxdatacarriersize", uint64_t{opts.max_datacarrier_bytes.value_or(0)});
            return ret;
        }};
}

RpcMethod SaveMempool(RpcContext& ctx)
{
    return RpcMethod{
        "savemempool",
        "Dumps the mempool to disk. It will fail until the previous dump is fully loaded.\n",
        {},
        RpcResult{RpcResult::Type::OBJ, "", "",
                  {{RpcResult::Type::STR, "filename", "the directory and file where the mempool was saved"}}},
        RpcExamples{HelpExampleCli("savemempool", "") + HelpExampleRpc("savemempool", "")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const TxMemPool& pool = EnsureMempool(ctx);
            bool loaded;
            {
                std::lock_guard lock(pool.GetMutex());
                loaded = pool.IsLoaded();
            }
            if (!loaded) throw RpcError(RPC_MISC_ERROR, "The mempool was not loaded yet");
            const std::filesystem::path path = ctx.datadir / "mempool.dat";
            if (!DumpMempool(pool, path, pool.Options().persist_v1_dat)) throw RpcError(RPC_MISC_ERROR, "Unable to dump mempool to disk");
            UniValue ret(UniValue::VOBJ);
            ret.pushKV("filename", path.string());
            return ret;
        }};
}

} // namespace

void RegisterMempoolRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("blockchain", GetMempoolAncestors(ctx));
    table.Register("blockchain", GetMempoolDescendants(ctx));
    table.Register("blockchain", GetMempoolEntry(ctx));
    table.Register("blockchain", GetTxSpendingPrevout(ctx));
    table.Register("blockchain", GetMempoolInfo(ctx));
    table.Register("blockchain", GetRawMempool(ctx));
    table.Register("blockchain", SaveMempool(ctx));
}

} // namespace cairn
