// Building, combining and signing raw transactions (help category
// "rawtransactions"): createrawtransaction, combinerawtransaction and
// signrawtransactionwithkey, with Bitcoin Core's parameters, results and
// error messages. Signing itself is script/sign.h.
//
// Spent outputs are looked up in the UTXO set and among the outputs of pool
// transactions, as in Core; others must be given in prevtxs.
#include "mempool/coins_view.h"
#include "mempool/tx_mempool.h"
#include "policy/policy.h"
#include "primitives/amount.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/tx_json.h"
#include "rpc/util.h"
#include "script/address.h"
#include "script/destination.h"
#include "script/script_asm.h"
#include "script/sign.h"
#include "script/signing_provider.h"
#include "util/hex.h"
#include "util/strencodings.h"
#include "validation/chainstate_manager.h"

#include <cinttypes>
#include <limits>
#include <stdexcept>
#include <cstdio>
#include <map>
#include <set>

namespace cairn {

namespace {

/** createrawtransaction's default version (Core's DEFAULT_RAWTX_VERSION, the current version). */
constexpr int DEFAULT_RAWTX_VERSION{2};

/** BIP 125: an input with a sequence at most this signals replaceability. */
constexpr uint32_t MAX_BIP125_RBF_SEQUENCE = 0xfffffffd;

// Values inside arguments are read as Core's UniValue getters read them: a
// wrong type is a type error (-3) "JSON value of type X is not of expected
// type Y", a number that does not fit "JSON integer out of range".
const UniValue& Expect(const UniValue& v, UniValue::VType type)
{
    CheckValueType(v, type);
    return v;
}
const std::string& GetStr(const UniValue& v) { return Expect(v, UniValue::VSTR).get_str(); }
const UniValue& GetObj(const UniValue& v) { return Expect(v, UniValue::VOBJ); }
const UniValue& GetArr(const UniValue& v) { return Expect(v, UniValue::VARR); }
template <typename T>
T GetInt(const UniValue& v)
{
    Expect(v, UniValue::VNUM);
    int64_t n;
    if (!ParseInt64(v.getValStr(), &n) || n < int64_t(std::numeric_limits<T>::min()) ||
        n > int64_t(std::numeric_limits<T>::max())) {
        throw std::runtime_error("JSON integer out of range");
    }
    return T(n);
}

// ---- createrawtransaction ----

void AddInputs(MutableTransaction& tx, const UniValue& inputs_in, std::optional<bool> rbf)
{
    const UniValue inputs = inputs_in.isNull() ? UniValue(UniValue::VARR) : GetArr(inputs_in);
    for (size_t idx = 0; idx < inputs.size(); ++idx) {
        const UniValue& o = GetObj(inputs[idx]);
        GetStr(find_value(o, "txid"));
        const uint256 txid = ParseHashV(find_value(o, "txid"), "txid");

        const UniValue& vout_v = find_value(o, "vout");
        if (!vout_v.isNum()) throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, missing vout key");
        const int vout = GetInt<int>(vout_v);
        if (vout < 0) throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");

        // Replaceable unless told otherwise (Core's default since v24);
        // otherwise a lock time needs a non-final sequence to take effect.
        uint32_t sequence;
        if (rbf.value_or(true)) {
            sequence = MAX_BIP125_RBF_SEQUENCE;
        } else if (tx.locktime != 0) {
            sequence = TxIn::SEQUENCE_FINAL - 1;
        } else {
            sequence = TxIn::SEQUENCE_FINAL;
        }
        const UniValue& seq = find_value(o, "sequence");
        if (seq.isNum()) {
            const int64_t n = GetInt<int64_t>(seq);
            if (n < 0 || n > int64_t(TxIn::SEQUENCE_FINAL)) {
                throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, sequence number is out of range");
            }
            sequence = uint32_t(n);
        }
        TxIn in;
        in.prevout = OutPoint(txid, uint32_t(vout));
        in.sequence = sequence;
        tx.vin.push_back(std::move(in));
    }
}

/** The outputs as one object: the array form [{key: value}, ...] is folded
 *  into one, keeping duplicates so that they can be reported. */
UniValue NormalizeOutputs(const UniValue& outputs_in)
{
    if (outputs_in.isNull()) {
        throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, output argument must be non-null");
    }
    if (outputs_in.isObject()) return outputs_in;
    const UniValue& outputs = GetArr(outputs_in);
    UniValue dict(UniValue::VOBJ);
    for (size_t i = 0; i < outputs.size(); ++i) {
        const UniValue& output = outputs[i];
        if (!output.isObject()) {
            throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, key-value pair not an object as expected");
        }
        if (output.size() != 1) {
            throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, key-value pair must contain exactly one key");
        }
        dict.pushKVs(output);
    }
    return dict;
}

void AddOutputs(MutableTransaction& tx, const UniValue& outputs_in, ChainType chain)
{
    const UniValue outputs = NormalizeOutputs(outputs_in);
    std::set<Destination> seen;
    bool has_data = false;
    const std::vector<std::string>& keys = outputs.getKeys();
    const std::vector<UniValue>& values = outputs.getValues();
    for (size_t i = 0; i < keys.size(); ++i) {
        const std::string& name = keys[i];
        if (name == "data") {
            if (has_data) throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, duplicate key: data");
            has_data = true;
            const Bytes data = ParseHexV(UniValue(values[i].getValStr()), "Data");
            tx.vout.emplace_back(0, Script() << OP_RETURN << data);
            continue;
        }
        const Destination dest = DecodeDestination(name, chain);
        const Amount amount = AmountFromValue(values[i]);
        if (!IsValidDestination(dest)) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Invalid Bitcoin address: " + name);
        if (!seen.insert(dest).second) {
            throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, duplicated address: " + name);
        }
        tx.vout.emplace_back(amount, GetScriptForDestination(dest));
    }
}

MutableTransaction ConstructTransaction(const UniValue& inputs, const UniValue& outputs, const UniValue& locktime,
                                        std::optional<bool> rbf, uint32_t version, ChainType chain)
{
    MutableTransaction tx;
    if (!locktime.isNull()) {
        const int64_t n = GetInt<int64_t>(locktime);
        if (n < 0 || n > int64_t(0xffffffff)) {
            throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, locktime out of range");
        }
        tx.locktime = uint32_t(n);
    }
    if (version < TX_MIN_STANDARD_VERSION || version > TX_MAX_STANDARD_VERSION) {
        throw RpcError(RPC_INVALID_PARAMETER, "Invalid parameter, version out of range(" +
                                                  std::to_string(TX_MIN_STANDARD_VERSION) + "~" +
                                                  std::to_string(TX_MAX_STANDARD_VERSION) + ")");
    }
    tx.version = version;
    AddInputs(tx, inputs, rbf);
    AddOutputs(tx, outputs, chain);
    if (rbf.value_or(false) && !tx.vin.empty()) {
        bool signals = false;
        for (const TxIn& in : tx.vin) signals = signals || in.sequence <= MAX_BIP125_RBF_SEQUENCE;
        if (!signals) {
            throw RpcError(RPC_INVALID_PARAMETER,
                           "Invalid parameter combination: Sequence number(s) contradict replaceable option");
        }
    }
    return tx;
}

RpcMethod CreateRawTransaction(RpcContext& ctx)
{
    return RpcMethod{
        "createrawtransaction",
        "\nCreate a transaction spending the given inputs and creating new outputs.\n"
        "Outputs can be addresses or data.\n"
        "Returns hex-encoded raw transaction.\n"
        "Note that the transaction's inputs are not signed, and\n"
        "it is not stored in the wallet or transmitted to the network.\n",
        {
            {"inputs", RpcArg::Type::ARR, RpcArg::Optional::NO, "The inputs",
             {
                 {"", RpcArg::Type::OBJ, RpcArg::Optional::OMITTED, "",
                  {
                      {"txid", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The transaction id"},
                      {"vout", RpcArg::Type::NUM, RpcArg::Optional::NO, "The output number"},
                      {"sequence", RpcArg::Type::NUM,
                       RpcArg::DefaultHint{"depends on the value of the 'replaceable' and 'locktime' arguments"},
                       "The sequence number"},
                  }},
             }},
            {"outputs", RpcArg::Type::ARR, RpcArg::Optional::NO,
             "The outputs specified as key-value pairs.\n"
             "Each key may only appear once, i.e. there can only be one 'data' output, and no address may be duplicated.\n"
             "At least one output of either type must be specified.\n"
             "For compatibility reasons, a dictionary, which holds the key-value pairs directly, is also\n"
             "                             accepted as second parameter.",
             {
                 {"", RpcArg::Type::OBJ_USER_KEYS, RpcArg::Optional::OMITTED, "",
                  {
                      {"address", RpcArg::Type::AMOUNT, RpcArg::Optional::NO,
                       "A key-value pair. The key (string) is the bitcoin address, the value (float or string) is the amount in BTC"},
                  }},
                 {"", RpcArg::Type::OBJ, RpcArg::Optional::OMITTED, "",
                  {
                      {"data", RpcArg::Type::STR_HEX, RpcArg::Optional::NO,
                       "A key-value pair. The key must be \"data\", the value is hex-encoded data"},
                  }},
             },
             RpcArgOptions{.skip_type_check = true}},
            {"locktime", RpcArg::Type::NUM, RpcArg::Default{0}, "Raw locktime. Non-0 value also locktime-activates inputs"},
            {"replaceable", RpcArg::Type::BOOL, RpcArg::Default{true},
             "Marks this transaction as BIP125-replaceable.\n"
             "Allows this transaction to be replaced by a transaction with higher fees. If provided, it is an error if explicit sequence numbers are incompatible."},
            {"version", RpcArg::Type::NUM, RpcArg::Default{DEFAULT_RAWTX_VERSION}, "Transaction version"},
        },
        RpcResult{RpcResult::Type::STR_HEX, "transaction", "hex string of the transaction"},
        RpcExamples{
            HelpExampleCli("createrawtransaction", "\"[{\\\"txid\\\":\\\"myid\\\",\\\"vout\\\":0}]\" \"[{\\\"address\\\":0.01}]\"") +
            HelpExampleCli("createrawtransaction", "\"[{\\\"txid\\\":\\\"myid\\\",\\\"vout\\\":0}]\" \"[{\\\"data\\\":\\\"00010203\\\"}]\"") +
            HelpExampleRpc("createrawtransaction", "\"[{\\\"txid\\\":\\\"myid\\\",\\\"vout\\\":0}]\", \"[{\\\"address\\\":0.01}]\"") +
            HelpExampleRpc("createrawtransaction", "\"[{\\\"txid\\\":\\\"myid\\\",\\\"vout\\\":0}]\", \"[{\\\"data\\\":\\\"00010203\\\"}]\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            std::optional<bool> rbf;
            if (args.Has(3)) rbf = args.GetBool(3);
            const UniValue& params = request.params;
            const UniValue null;
            auto param = [&](size_t i) -> const UniValue& { return i < params.size() ? params[i] : null; };
            // Read as uint32 first, as Core: outside it is "JSON integer out of range", inside but not 1-3 is -8.
            const uint32_t version = args.GetInt<uint32_t>(4);
            const MutableTransaction tx = ConstructTransaction(param(0), param(1), param(2), rbf, version, ctx.chain);
            return EncodeHexTx(Transaction(tx));
        }};
}

// ---- spent outputs ----

/** The unspent outputs, from the UTXO set, for each outpoint in `coins`;
 *  those not found are left spent. */
void FindCoins(RpcContext& ctx, std::map<OutPoint, Coin>& coins)
{
    if (!ctx.chainman) return;
    ChainstateManager& chainman = *ctx.chainman;
    std::lock_guard lock(chainman.GetMutex());
    auto fill = [&](const CoinsView& view) {
        for (auto& [outpoint, coin] : coins) {
            const std::optional<Coin> found = view.GetCoin(outpoint);
            if (found && !found->IsSpent()) {
                coin = *found;
            } else {
                coin.Clear();
            }
        }
    };
    if (!ctx.mempool) return fill(chainman.Coins());
    // As Core: outputs of pool transactions count too (lock order: the chain's, then the pool's).
    std::lock_guard pool_lock(ctx.mempool->GetMutex());
    fill(CoinsViewMemPool(chainman.Coins(), *ctx.mempool));
}

/** "Missing X" / "JSON value of type X for field Y is not of expected type Z" (RPC_TYPE_ERROR). */
void CheckField(const UniValue& obj, const std::string& name, UniValue::VType type, bool allow_null)
{
    const UniValue& v = find_value(obj, name);
    if (!allow_null && v.isNull()) throw RpcError(RPC_TYPE_ERROR, "Missing " + name);
    if (v.getType() != type && !(allow_null && v.isNull())) {
        throw RpcError(RPC_TYPE_ERROR, std::string("JSON value of type ") + uvTypeName(v.getType()) + " for field " +
                                           name + " is not of expected type " + uvTypeName(type));
    }
}

/** Adds prevtxs entries to `coins` (replacing lookups; an amount-less entry
 *  gets MAX_MONEY, which signing reports as "Missing amount"), and their
 *  redeem and witness scripts to `keystore`. */
void ParsePrevouts(const UniValue& prevtxs_in, FlatSigningProvider& keystore, std::map<OutPoint, Coin>& coins)
{
    if (prevtxs_in.isNull()) return;
    const UniValue& prevtxs = GetArr(prevtxs_in);
    for (size_t idx = 0; idx < prevtxs.size(); ++idx) {
        const UniValue& p = prevtxs[idx];
        if (!p.isObject()) {
            throw RpcError(RPC_DESERIALIZATION_ERROR, "expected object with {\"txid'\",\"vout\",\"scriptPubKey\"}");
        }
        // In the order Core checks them (alphabetical).
        CheckField(p, "scriptPubKey", UniValue::VSTR, false);
        CheckField(p, "txid", UniValue::VSTR, false);
        CheckField(p, "vout", UniValue::VNUM, false);

        const uint256 txid = ParseHashV(find_value(p, "txid"), "txid");
        const int vout = GetInt<int>(find_value(p, "vout"));
        if (vout < 0) throw RpcError(RPC_DESERIALIZATION_ERROR, "vout cannot be negative");
        const OutPoint outpoint(txid, uint32_t(vout));
        const Script spk(ParseHexV(find_value(p, "scriptPubKey"), "scriptPubKey"));

        const auto it = coins.find(outpoint);
        if (it != coins.end() && !it->second.IsSpent() && it->second.out.script_pubkey != spk) {
            throw RpcError(RPC_DESERIALIZATION_ERROR, "Previous output scriptPubKey mismatch:\n" +
                                                          ScriptToAsmStr(it->second.out.script_pubkey) + "\nvs:\n" +
                                                          ScriptToAsmStr(spk));
        }
        Amount amount = MAX_MONEY;
        if (p.exists("amount")) amount = AmountFromValue(find_value(p, "amount"));
        coins[outpoint] = Coin(TxOut(amount, spk), 1, false);

        const bool is_p2sh = spk.IsPayToScriptHash();
        const bool is_p2wsh = spk.IsPayToWitnessScriptHash();
        if (!is_p2sh && !is_p2wsh) continue;
        CheckField(p, "redeemScript", UniValue::VSTR, true);
        CheckField(p, "witnessScript", UniValue::VSTR, true);
        const UniValue& rs = find_value(p, "redeemScript");
        const UniValue& ws = find_value(p, "witnessScript");
        if (rs.isNull() && ws.isNull()) throw RpcError(RPC_INVALID_PARAMETER, "Missing redeemScript/witnessScript");

        // The witness script when given, else the redeem script; its P2WSH
        // output goes in too, so that a P2SH-P2WSH redeem script is found.
        const Script script(!ws.isNull() ? ParseHexV(ws, "witnessScript") : ParseHexV(rs, "redeemScript"));
        keystore.AddScript(script);
        const Script p2wsh_of_script = GetScriptForDestination(WitnessV0ScriptHash(script));
        keystore.AddScript(p2wsh_of_script);

        if (!ws.isNull() && !rs.isNull() && ws.get_str() != rs.get_str()) {
            if (Script(ParseHexV(rs, "redeemScript")) != p2wsh_of_script) {
                throw RpcError(RPC_INVALID_PARAMETER, "redeemScript does not correspond to witnessScript");
            }
        }
        const bool matches =
            is_p2sh ? (spk == GetScriptForDestination(ScriptHash(script)) ||
                       spk == GetScriptForDestination(ScriptHash(p2wsh_of_script)))
                    : spk == p2wsh_of_script;
        if (!matches) throw RpcError(RPC_INVALID_PARAMETER, "redeemScript/witnessScript does not match scriptPubKey");
    }
}

/** Core's CTxOut::ToString(), as the "Missing amount" error shows it. */
std::string TxOutToString(const TxOut& out)
{
    char value[64];
    std::snprintf(value, sizeof(value), "%" PRId64 ".%08" PRId64, out.value / COIN, out.value % COIN);
    return std::string("CTxOut(nValue=") + value + ", scriptPubKey=" + HexStr(out.script_pubkey.span()).substr(0, 30) +
           ")";
}

UniValue SignResultToJSON(const MutableTransaction& tx, bool complete, const std::map<OutPoint, Coin>& coins,
                          const std::map<int, std::string>& input_errors)
{
    UniValue errors(UniValue::VARR);
    for (const auto& [index, message] : input_errors) {
        const TxIn& in = tx.vin.at(size_t(index));
        if (message == "Missing amount") {
            throw RpcError(RPC_TYPE_ERROR, "Missing amount for " + TxOutToString(coins.at(in.prevout).out));
        }
        UniValue entry(UniValue::VOBJ);
        entry.pushKV("txid", in.prevout.hash.GetHex());
        entry.pushKV("vout", uint64_t(in.prevout.n));
        UniValue witness(UniValue::VARR);
        for (const Bytes& item : in.witness.stack) witness.push_back(HexStr(item));
        entry.pushKV("witness", witness);
        entry.pushKV("scriptSig", HexStr(in.script_sig.span()));
        entry.pushKV("sequence", uint64_t(in.sequence));
        entry.pushKV("error", message);
        errors.push_back(entry);
    }
    UniValue result(UniValue::VOBJ);
    result.pushKV("hex", EncodeHexTx(Transaction(tx)));
    result.pushKV("complete", complete);
    if (!errors.empty()) result.pushKV("errors", errors);
    return result;
}

// ---- combinerawtransaction ----

RpcMethod CombineRawTransaction(RpcContext& ctx)
{
    return RpcMethod{
        "combinerawtransaction",
        "\nCombine multiple partially signed transactions into one transaction.\n"
        "The combined transaction may be another partially signed transaction or a \n"
        "fully signed transaction.",
        {
            {"txs", RpcArg::Type::ARR, RpcArg::Optional::NO, "The hex strings of partially signed transactions",
             {
                 {"hexstring", RpcArg::Type::STR_HEX, RpcArg::Optional::OMITTED, "A hex-encoded raw transaction"},
             }},
        },
        RpcResult{RpcResult::Type::STR, "", "The hex-encoded raw transaction with signature(s)"},
        RpcExamples{HelpExampleCli("combinerawtransaction", R"('["myhex1", "myhex2", "myhex3"]')")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            const UniValue& txs = GetArr(args.Get(0));
            std::vector<MutableTransaction> variants(txs.size());
            for (size_t idx = 0; idx < txs.size(); ++idx) {
                if (!DecodeHexTx(variants[idx], GetStr(txs[idx]))) {
                    throw RpcError(RPC_DESERIALIZATION_ERROR,
                                   "TX decode failed for tx " + std::to_string(idx) +
                                       ". Make sure the tx has at least one input.");
                }
            }
            if (variants.empty()) throw RpcError(RPC_DESERIALIZATION_ERROR, "Missing transactions");

            // The result starts as the first transaction and collects every
            // variant's signatures.
            MutableTransaction merged = variants[0];
            std::map<OutPoint, Coin> coins;
            for (const TxIn& in : merged.vin) coins[in.prevout];
            FindCoins(ctx, coins);

            for (size_t i = 0; i < merged.vin.size(); ++i) {
                const Coin& coin = coins.at(merged.vin[i].prevout);
                if (coin.IsSpent()) throw RpcError(RPC_VERIFY_ERROR, "Input not found or already spent");
                SignatureData sigdata;
                for (const MutableTransaction& v : variants) {
                    if (v.vin.size() > i) sigdata.MergeSignatureData(DataFromTransaction(v, unsigned(i), coin.out));
                }
                // No keys: this only places the signatures found, in order.
                ProduceSignature(EmptySigningProvider(),
                                 MutableTransactionSignatureCreator(merged, unsigned(i), coin.out.value, nullptr,
                                                                    SIGHASH_ALL),
                                 coin.out.script_pubkey, sigdata);
                UpdateInput(merged.vin[i], sigdata);
            }
            return EncodeHexTx(Transaction(merged));
        }};
}

// ---- signrawtransactionwithkey ----

RpcMethod SignRawTransactionWithKey(RpcContext& ctx)
{
    return RpcMethod{
        "signrawtransactionwithkey",
        "\nSign inputs for raw transaction (serialized, hex-encoded).\n"
        "The second argument is an array of base58-encoded private\n"
        "keys that will be the only keys used to sign the transaction.\n"
        "The third optional argument (may be null) is an array of previous transaction outputs that\n"
        "this transaction depends on but may not yet be in the block chain.\n",
        {
            {"hexstring", RpcArg::Type::STR, RpcArg::Optional::NO, "The transaction hex string"},
            {"privkeys", RpcArg::Type::ARR, RpcArg::Optional::NO, "The base58-encoded private keys for signing",
             {
                 {"privatekey", RpcArg::Type::STR_HEX, RpcArg::Optional::OMITTED, "private key in base58-encoding"},
             }},
            {"prevtxs", RpcArg::Type::ARR, RpcArg::Optional::OMITTED, "The previous dependent transaction outputs",
             {
                 {"", RpcArg::Type::OBJ, RpcArg::Optional::OMITTED, "",
                  {
                      {"txid", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "The transaction id"},
                      {"vout", RpcArg::Type::NUM, RpcArg::Optional::NO, "The output number"},
                      {"scriptPubKey", RpcArg::Type::STR_HEX, RpcArg::Optional::NO, "output script"},
                      {"redeemScript", RpcArg::Type::STR_HEX, RpcArg::Optional::OMITTED, "(required for P2SH) redeem script"},
                      {"witnessScript", RpcArg::Type::STR_HEX, RpcArg::Optional::OMITTED,
                       "(required for P2WSH or P2SH-P2WSH) witness script"},
                      {"amount", RpcArg::Type::AMOUNT, RpcArg::Optional::OMITTED,
                       "(required for Segwit inputs) the amount spent"},
                  }},
             }},
            {"sighashtype", RpcArg::Type::STR, RpcArg::DefaultHint{"DEFAULT for Taproot, ALL otherwise"},
             "The signature hash type. Must be one of:\n"
             "       \"DEFAULT\"\n"
             "       \"ALL\"\n"
             "       \"NONE\"\n"
             "       \"SINGLE\"\n"
             "       \"ALL|ANYONECANPAY\"\n"
             "       \"NONE|ANYONECANPAY\"\n"
             "       \"SINGLE|ANYONECANPAY\"\n"},
        },
        RpcResult{
            RpcResult::Type::OBJ, "", "",
            {
                {RpcResult::Type::STR_HEX, "hex", "The hex-encoded raw transaction with signature(s)"},
                {RpcResult::Type::BOOL, "complete", "If the transaction has a complete set of signatures"},
                {RpcResult::Type::ARR, "errors", /*optional=*/true, "Script verification errors (if there are any)",
                 {
                     {RpcResult::Type::OBJ, "", "",
                      {
                          {RpcResult::Type::STR_HEX, "txid", "The hash of the referenced, previous transaction"},
                          {RpcResult::Type::NUM, "vout", "The index of the output to spent and used as input"},
                          {RpcResult::Type::ARR, "witness", "",
                           {
                               {RpcResult::Type::STR_HEX, "witness", ""},
                           }},
                          {RpcResult::Type::STR_HEX, "scriptSig", "The hex-encoded signature script"},
                          {RpcResult::Type::NUM, "sequence", "Script sequence number"},
                          {RpcResult::Type::STR, "error", "Verification or signing error related to the input"},
                      }},
                 }},
            }},
        RpcExamples{HelpExampleCli("signrawtransactionwithkey", "\"myhex\" \"[\\\"key1\\\",\\\"key2\\\"]\"") +
                    HelpExampleRpc("signrawtransactionwithkey", "\"myhex\", \"[\\\"key1\\\",\\\"key2\\\"]\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args(self, request);
            MutableTransaction tx;
            if (!DecodeHexTx(tx, args.GetStr(0))) {
                throw RpcError(RPC_DESERIALIZATION_ERROR, "TX decode failed. Make sure the tx has at least one input.");
            }

            FlatSigningProvider keystore;
            const UniValue& keys = GetArr(args.Get(1));
            for (size_t idx = 0; idx < keys.size(); ++idx) {
                const std::optional<Key> key = DecodeSecret(GetStr(keys[idx]), ctx.chain);
                if (!key) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Invalid private key");
                keystore.AddKey(*key);
            }

            std::map<OutPoint, Coin> coins;
            for (const TxIn& in : tx.vin) coins[in.prevout];
            FindCoins(ctx, coins);
            ParsePrevouts(args.Get(2), keystore, coins);

            int hash_type = SIGHASH_DEFAULT;
            if (args.Has(3)) {
                const std::string& name = args.GetStr(3);
                const std::optional<int> parsed = SighashFromStr(name);
                if (!parsed) throw RpcError(RPC_INVALID_PARAMETER, "'" + name + "' is not a valid sighash parameter.");
                hash_type = *parsed;
            }

            std::map<int, std::string> input_errors;
            const bool complete = SignTransaction(tx, keystore, coins, hash_type, input_errors);
            return SignResultToJSON(tx, complete, coins, input_errors);
        }};
}

} // namespace

void RegisterRawTransactionBuildRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("rawtransactions", CreateRawTransaction(ctx));
    table.Register("rawtransactions", CombineRawTransaction(ctx));
    table.Register("rawtransactions", SignRawTransactionWithKey(ctx));
}

} // namespace cairn
