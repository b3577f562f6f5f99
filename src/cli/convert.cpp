#include "cli/convert.h"

#include <set>
#include <stdexcept>
#include <utility>

namespace cairn {

namespace {

struct JsonParam {
    int index;
    const char* name;
};

struct MethodJsonParams {
    const char* method;
    std::vector<JsonParam> params;
};

/**
 * The non-string parameters of each RPC, as Bitcoin Core's bitcoin-cli lists
 * them (v27-v29, with the legacy-wallet RPCs). One index may carry several
 * names: aliases (getblock's "verbose"/"verbosity") and the fields of an
 * options object, which -named accepts at the top level.
 */
const std::vector<MethodJsonParams>& Table()
{
    static const std::vector<MethodJsonParams> table{
        // control, util, hidden test helpers
        {"stop", {{0, "wait"}}},
        {"setmocktime", {{0, "timestamp"}}},
        {"mockscheduler", {{0, "delta_time"}}},
        {"logging", {{0, "include"}, {1, "exclude"}}},
        {"echojson", {{0, "arg0"}, {1, "arg1"}, {2, "arg2"}, {3, "arg3"}, {4, "arg4"},
                      {5, "arg5"}, {6, "arg6"}, {7, "arg7"}, {8, "arg8"}, {9, "arg9"}}},
        {"createmultisig", {{0, "nrequired"}, {1, "keys"}}},
        {"deriveaddresses", {{1, "range"}}},
        // mining
        {"generatetoaddress", {{0, "nblocks"}, {2, "maxtries"}}},
        {"generatetodescriptor", {{0, "num_blocks"}, {2, "maxtries"}}},
        {"generateblock", {{1, "transactions"}, {2, "submit"}}},
        {"getnetworkhashps", {{0, "nblocks"}, {1, "height"}}},
        {"getblocktemplate", {{0, "template_request"}}},
        {"prioritisetransaction", {{1, "dummy"}, {2, "fee_delta"}}},
        {"estimatesmartfee", {{0, "conf_target"}}},
        {"estimaterawfee", {{0, "conf_target"}, {1, "threshold"}}},
        // blockchain
        {"getblockhash", {{0, "height"}}},
        {"getblock", {{1, "verbosity"}, {1, "verbose"}}},
        {"getblockheader", {{1, "verbose"}}},
        {"getchaintxstats", {{0, "nblocks"}}},
        {"getblockstats", {{0, "hash_or_height"}, {1, "stats"}}},
        {"getblockfrompeer", {{1, "peer_id"}}},
        {"waitfornewblock", {{0, "timeout"}}},
        {"waitforblock", {{1, "timeout"}}},
        {"waitforblockheight", {{0, "height"}, {1, "timeout"}}},
        {"verifychain", {{0, "checklevel"}, {1, "nblocks"}}},
        {"pruneblockchain", {{0, "height"}}},
        {"gettxout", {{1, "n"}, {2, "include_mempool"}}},
        {"gettxoutproof", {{0, "txids"}}},
        {"gettxoutsetinfo", {{1, "hash_or_height"}, {2, "use_index"}}},
        {"dumptxoutset", {{2, "options"}, {2, "rollback"}}},
        {"scantxoutset", {{1, "scanobjects"}}},
        {"scanblocks", {{1, "scanobjects"}, {2, "start_height"}, {3, "stop_height"}, {5, "options"},
                        {5, "filter_false_positives"}}},
        {"getdescriptoractivity", {{0, "blockhashes"}, {1, "scanobjects"}, {2, "include_mempool"}}},
        // mempool
        {"getrawmempool", {{0, "verbose"}, {1, "mempool_sequence"}}},
        {"getmempoolancestors", {{1, "verbose"}}},
        {"getmempooldescendants", {{1, "verbose"}}},
        {"gettxspendingprevout", {{0, "outputs"}}},
        {"getorphantxs", {{0, "verbosity"}}},
        {"testmempoolaccept", {{0, "rawtxs"}, {1, "maxfeerate"}}},
        {"submitpackage", {{0, "package"}, {1, "maxfeerate"}, {2, "maxburnamount"}}},
        {"importmempool", {{1, "options"}, {1, "apply_fee_delta_priority"}, {1, "use_current_time"},
                           {1, "apply_unbroadcast_set"}}},
        // raw transactions and PSBTs
        {"getrawtransaction", {{1, "verbosity"}, {1, "verbose"}}},
        {"createrawtransaction", {{0, "inputs"}, {1, "outputs"}, {2, "locktime"}, {3, "replaceable"}, {4, "version"}}},
        {"decoderawtransaction", {{1, "iswitness"}}},
        {"sendrawtransaction", {{1, "maxfeerate"}, {2, "maxburnamount"}}},
        {"combinerawtransaction", {{0, "txs"}}},
        {"signrawtransactionwithkey", {{1, "privkeys"}, {2, "prevtxs"}}},
        {"signrawtransactionwithwallet", {{1, "prevtxs"}}},
        {"createpsbt", {{0, "inputs"}, {1, "outputs"}, {2, "locktime"}, {3, "replaceable"}, {4, "version"}}},
        {"combinepsbt", {{0, "txs"}}},
        {"joinpsbts", {{0, "txs"}}},
        {"finalizepsbt", {{1, "extract"}}},
        {"converttopsbt", {{1, "permitsigdata"}, {2, "iswitness"}}},
        {"utxoupdatepsbt", {{1, "descriptors"}}},
        {"descriptorprocesspsbt", {{1, "descriptors"}, {3, "bip32derivs"}, {4, "finalize"}}},
        {"simulaterawtransaction", {{0, "rawtxs"}, {1, "options"}, {1, "include_watchonly"}}},
        // network
        {"setban", {{2, "bantime"}, {3, "absolute"}}},
        {"setnetworkactive", {{0, "state"}}},
        {"disconnectnode", {{1, "nodeid"}}},
        {"getnodeaddresses", {{0, "count"}}},
        {"addpeeraddress", {{1, "port"}, {2, "tried"}}},
        {"sendmsgtopeer", {{0, "peer_id"}}},
        {"addnode", {{2, "v2transport"}}},
        {"addconnection", {{2, "v2transport"}}},
        // wallet
        {"sendtoaddress", {{1, "amount"}, {4, "subtractfeefromamount"}, {5, "replaceable"}, {6, "conf_target"},
                           {8, "avoid_reuse"}, {9, "fee_rate"}, {10, "verbose"}}},
        {"settxfee", {{0, "amount"}}},
        {"sethdseed", {{0, "newkeypool"}}},
        {"getreceivedbyaddress", {{1, "minconf"}, {2, "include_immature_coinbase"}}},
        {"getreceivedbylabel", {{1, "minconf"}, {2, "include_immature_coinbase"}}},
        {"listreceivedbyaddress", {{0, "minconf"}, {1, "include_empty"}, {2, "include_watchonly"},
                                   {4, "include_immature_coinbase"}}},
        {"listreceivedbylabel", {{0, "minconf"}, {1, "include_empty"}, {2, "include_watchonly"},
                                 {3, "include_immature_coinbase"}}},
        {"getbalance", {{1, "minconf"}, {2, "include_watchonly"}, {3, "avoid_reuse"}}},
        {"getbalances", {{0, "scan_utxoset"}}},
        {"listtransactions", {{1, "count"}, {2, "skip"}, {3, "include_watchonly"}}},
        {"walletpassphrase", {{1, "timeout"}}},
        {"listsinceblock", {{1, "target_confirmations"}, {2, "include_watchonly"}, {3, "include_removed"},
                            {4, "include_change"}}},
        {"sendmany", {{1, "amounts"}, {2, "minconf"}, {4, "subtractfeefrom"}, {5, "replaceable"}, {6, "conf_target"},
                      {8, "fee_rate"}, {9, "verbose"}}},
        {"addmultisigaddress", {{0, "nrequired"}, {1, "keys"}}},
        {"listunspent", {{0, "minconf"}, {1, "maxconf"}, {2, "addresses"}, {3, "include_unsafe"},
                         {4, "query_options"}, {4, "minimumAmount"}, {4, "maximumAmount"}, {4, "maximumCount"},
                         {4, "minimumSumAmount"}, {4, "include_immature_coinbase"}}},
        {"gettransaction", {{1, "include_watchonly"}, {2, "verbose"}}},
        {"fundrawtransaction", {{1, "options"}, {1, "add_inputs"}, {1, "include_unsafe"}, {1, "minconf"},
                                {1, "maxconf"}, {1, "changePosition"}, {1, "includeWatching"}, {1, "lockUnspents"},
                                {1, "fee_rate"}, {1, "feeRate"}, {1, "subtractFeeFromOutputs"}, {1, "input_weights"},
                                {1, "conf_target"}, {1, "replaceable"}, {1, "solving_data"}, {1, "max_tx_weight"},
                                {2, "iswitness"}}},
        {"walletcreatefundedpsbt", {{0, "inputs"}, {1, "outputs"}, {2, "locktime"}, {3, "options"},
                                    {3, "add_inputs"}, {3, "include_unsafe"}, {3, "minconf"}, {3, "maxconf"},
                                    {3, "changePosition"}, {3, "includeWatching"}, {3, "lockUnspents"},
                                    {3, "fee_rate"}, {3, "feeRate"}, {3, "subtractFeeFromOutputs"},
                                    {3, "conf_target"}, {3, "replaceable"}, {3, "solving_data"},
                                    {3, "max_tx_weight"}, {4, "bip32derivs"}, {5, "version"}}},
        {"walletprocesspsbt", {{1, "sign"}, {3, "bip32derivs"}, {4, "finalize"}}},
        {"lockunspent", {{0, "unlock"}, {1, "transactions"}, {2, "persistent"}}},
        {"send", {{0, "outputs"}, {1, "conf_target"}, {3, "fee_rate"}, {4, "options"}, {4, "add_inputs"},
                  {4, "include_unsafe"}, {4, "minconf"}, {4, "maxconf"}, {4, "add_to_wallet"},
                  {4, "change_position"}, {4, "fee_rate"}, {4, "include_watching"}, {4, "inputs"}, {4, "locktime"},
                  {4, "lock_unspents"}, {4, "psbt"}, {4, "subtract_fee_from_outputs"}, {4, "conf_target"},
                  {4, "replaceable"}, {4, "solving_data"}, {4, "max_tx_weight"}, {4, "version"}}},
        {"sendall", {{0, "recipients"}, {1, "conf_target"}, {3, "fee_rate"}, {4, "options"}, {4, "add_to_wallet"},
                     {4, "fee_rate"}, {4, "include_watching"}, {4, "inputs"}, {4, "locktime"},
                     {4, "lock_unspents"}, {4, "psbt"}, {4, "send_max"}, {4, "minconf"}, {4, "maxconf"},
                     {4, "conf_target"}, {4, "replaceable"}, {4, "solving_data"}, {4, "version"}}},
        {"bumpfee", {{1, "options"}, {1, "conf_target"}, {1, "fee_rate"}, {1, "replaceable"}, {1, "outputs"},
                     {1, "original_change_index"}}},
        {"psbtbumpfee", {{1, "options"}, {1, "conf_target"}, {1, "fee_rate"}, {1, "replaceable"}, {1, "outputs"},
                         {1, "original_change_index"}}},
        {"importprivkey", {{2, "rescan"}}},
        {"importaddress", {{2, "rescan"}, {3, "p2sh"}}},
        {"importpubkey", {{2, "rescan"}}},
        {"importmulti", {{0, "requests"}, {1, "options"}, {1, "rescan"}}},
        {"importdescriptors", {{0, "requests"}}},
        {"listdescriptors", {{0, "private"}}},
        {"keypoolrefill", {{0, "newsize"}}},
        {"setwalletflag", {{1, "value"}}},
        {"upgradewallet", {{0, "version"}}},
        {"gethdkeys", {{0, "active_only"}, {0, "options"}, {0, "private"}}},
        {"createwalletdescriptor", {{1, "options"}, {1, "internal"}}},
        {"rescanblockchain", {{0, "start_height"}, {1, "stop_height"}}},
        {"createwallet", {{1, "disable_private_keys"}, {2, "blank"}, {4, "avoid_reuse"}, {5, "descriptors"},
                          {6, "load_on_startup"}, {7, "external_signer"}}},
        {"restorewallet", {{2, "load_on_startup"}}},
        {"loadwallet", {{1, "load_on_startup"}}},
        {"unloadwallet", {{1, "load_on_startup"}}},
    };
    return table;
}

/** The table as two lookup sets, built once. */
struct JsonParamIndex {
    std::set<std::pair<std::string, int>> by_index;
    std::set<std::pair<std::string, std::string>> by_name;

    JsonParamIndex()
    {
        for (const MethodJsonParams& m : Table()) {
            for (const JsonParam& p : m.params) {
                by_index.emplace(m.method, p.index);
                by_name.emplace(m.method, p.name);
            }
        }
    }
};

const JsonParamIndex& Index()
{
    static const JsonParamIndex index;
    return index;
}

UniValue ConvertOne(std::string_view value, bool as_json)
{
    return as_json ? ParseJsonArg(value) : UniValue(std::string(value));
}

} // namespace

bool IsJsonParam(const std::string& method, int index)
{
    return Index().by_index.count({method, index}) > 0;
}

bool IsJsonParam(const std::string& method, const std::string& name)
{
    return Index().by_name.count({method, name}) > 0;
}

UniValue ParseJsonArg(std::string_view raw)
{
    // Wrapped in an array so that any value (a bare number, true, null) is
    // accepted, whatever the UniValue version's rule for top-level scalars.
    UniValue wrapper;
    const std::string text = "[" + std::string(raw) + "]";
    if (!wrapper.read(text) || !wrapper.isArray() || wrapper.size() != 1) {
        throw std::runtime_error("Error parsing JSON: " + std::string(raw));
    }
    return wrapper[0];
}

UniValue ConvertPositionalArgs(const std::string& method, const std::vector<std::string>& args)
{
    UniValue params(UniValue::VARR);
    for (size_t i = 0; i < args.size(); ++i) {
        params.push_back(ConvertOne(args[i], IsJsonParam(method, int(i))));
    }
    return params;
}

UniValue ConvertNamedArgs(const std::string& method, const std::vector<std::string>& args)
{
    UniValue params(UniValue::VOBJ);
    UniValue positional(UniValue::VARR);
    for (const std::string& arg : args) {
        const size_t eq = arg.find('=');
        if (eq == std::string::npos) {
            positional.push_back(ConvertOne(arg, IsJsonParam(method, int(positional.size()))));
            continue;
        }
        const std::string name = arg.substr(0, eq);
        // pushKV replaces an earlier member of the same name: the last value wins.
        params.pushKV(name, ConvertOne(std::string_view(arg).substr(eq + 1), IsJsonParam(method, name)));
    }
    if (!positional.empty()) params.__pushKV("args", positional);
    return params;
}

} // namespace cairn
