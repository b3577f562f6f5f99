#include "rpc/tx_json.h"

#include "consensus/consensus.h"
#include "consensus/tx_check.h"
#include "rpc/request.h"
#include "rpc/util.h"
#include "script/address.h"
#include "script/destination.h"
#include "script/infer_descriptor.h"
#include "script/script_asm.h"
#include "script/solver.h"
#include "util/arith_uint256.h"
#include "util/hex.h"
#include "util/serialize.h"

#include <fmt/format.h>

#include <limits>
#include <stdexcept>

namespace cairn {

UniValue ScriptPubKeyToJSON(const Script& script, ChainType chain, bool include_hex, bool include_address)
{
    UniValue out(UniValue::VOBJ);
    out.pushKV("asm", ScriptToAsmStr(script));
    if (include_address) out.pushKV("desc", InferDescriptorString(script, chain));
    if (include_hex) out.pushKV("hex", HexStr(script));

    std::vector<Bytes> solutions;
    const TxoutType type = Solver(script, solutions);
    Destination dest;
    // ExtractDestination is false for bare P2PK, which never had an address.
    if (include_address && ExtractDestination(script, dest)) {
        out.pushKV("address", EncodeDestination(dest, chain));
    }
    out.pushKV("type", GetTxnOutputType(type));
    return out;
}

std::string EncodeHexTx(const Transaction& tx)
{
    return HexStr(SerializeTransactionBytes(tx, /*with_witness=*/true));
}

UniValue TxToJSON(const Transaction& tx, ChainType chain, const TxJsonOptions& options)
{
    UniValue entry(UniValue::VOBJ);
    entry.pushKV("txid", tx.GetTxid().GetHex());
    entry.pushKV("hash", tx.GetWtxid().GetHex());
    entry.pushKV("version", uint64_t(tx.version));
    entry.pushKV("size", uint64_t(tx.GetTotalSize()));
    const int64_t weight = GetTransactionWeight(tx);
    entry.pushKV("vsize", (weight + WITNESS_SCALE_FACTOR - 1) / WITNESS_SCALE_FACTOR);
    entry.pushKV("weight", weight);
    entry.pushKV("locktime", uint64_t(tx.locktime));

    // Undo data, when given, lists exactly one coin per input.
    const std::vector<Coin>* spent = options.spent;
    if (spent && spent->size() != tx.vin.size()) spent = nullptr;
    Amount total_in = 0;

    UniValue vin(UniValue::VARR);
    for (size_t i = 0; i < tx.vin.size(); ++i) {
        const TxIn& txin = tx.vin[i];
        UniValue in(UniValue::VOBJ);
        if (tx.IsCoinBase()) {
            in.pushKV("coinbase", HexStr(txin.script_sig));
        } else {
            in.pushKV("txid", txin.prevout.hash.GetHex());
            in.pushKV("vout", uint64_t(txin.prevout.n));
            UniValue sig(UniValue::VOBJ);
            sig.pushKV("asm", ScriptToAsmStr(txin.script_sig, /*attempt_sighash_decode=*/true));
            sig.pushKV("hex", HexStr(txin.script_sig));
            in.pushKV("scriptSig", std::move(sig));
        }
        if (!txin.witness.IsNull()) {
            UniValue witness(UniValue::VARR);
            for (const Bytes& item : txin.witness.stack) witness.push_back(HexStr(item));
            in.pushKV("txinwitness", std::move(witness));
        }
        if (spent) {
            const Coin& coin = (*spent)[i];
            total_in += coin.out.value;
            if (options.verbosity == TxVerbosity::SHOW_DETAILS_AND_PREVOUT) {
                UniValue prevout(UniValue::VOBJ);
                prevout.pushKV("generated", coin.IsCoinBase());
                prevout.pushKV("height", uint64_t(coin.height));
                prevout.pushKV("value", ValueFromAmount(coin.out.value));
                prevout.pushKV("scriptPubKey", ScriptPubKeyToJSON(coin.out.script_pubkey, chain));
                in.pushKV("prevout", std::move(prevout));
            }
        }
        in.pushKV("sequence", uint64_t(txin.sequence));
        vin.push_back(std::move(in));
    }
    entry.pushKV("vin", std::move(vin));

    UniValue vout(UniValue::VARR);
    for (size_t i = 0; i < tx.vout.size(); ++i) {
        const TxOut& txout = tx.vout[i];
        UniValue out(UniValue::VOBJ);
        out.pushKV("value", ValueFromAmount(txout.value));
        out.pushKV("n", uint64_t(i));
        out.pushKV("scriptPubKey", ScriptPubKeyToJSON(txout.script_pubkey, chain));
        vout.push_back(std::move(out));
    }
    entry.pushKV("vout", std::move(vout));

    if (spent) {
        const Amount fee = total_in - tx.GetValueOut();
        // Undo data of a connected block cannot overspend; anything else is corruption.
        if (!MoneyRange(fee)) throw std::runtime_error("Internal bug detected: fee out of range");
        entry.pushKV("fee", ValueFromAmount(fee));
    }
    if (options.include_hex) entry.pushKV("hex", EncodeHexTx(tx));
    return entry;
}

std::string GetAllOutputTypes()
{
    // In the order of Core's enum, which lists the anchor type second
    // (Cairn's TxoutType lists it last).
    static constexpr TxoutType ORDER[] = {
        TxoutType::NONSTANDARD, TxoutType::ANCHOR, TxoutType::PUBKEY, TxoutType::PUBKEYHASH,
        TxoutType::SCRIPTHASH, TxoutType::MULTISIG, TxoutType::NULL_DATA, TxoutType::WITNESS_V0_SCRIPTHASH,
        TxoutType::WITNESS_V0_KEYHASH, TxoutType::WITNESS_V1_TAPROOT, TxoutType::WITNESS_UNKNOWN};
    std::string out;
    for (TxoutType type : ORDER) {
        if (!out.empty()) out += ", ";
        out += GetTxnOutputType(type);
    }
    return out;
}

std::vector<RpcResult> ScriptPubKeyDoc()
{
    return {
        {RpcResult::Type::STR, "asm", "Disassembly of the output script"},
        {RpcResult::Type::STR, "desc", "Inferred descriptor for the output"},
        {RpcResult::Type::STR_HEX, "hex", "The raw output script bytes, hex-encoded"},
        {RpcResult::Type::STR, "address", /*optional=*/true, "The Bitcoin address (only if a well-defined address exists)"},
        {RpcResult::Type::STR, "type", "The type (one of: " + GetAllOutputTypes() + ")"},
    };
}

std::vector<RpcResult> DecodeTxDoc(const std::string& txid_field_doc)
{
    return {
        {RpcResult::Type::STR_HEX, "txid", txid_field_doc},
        {RpcResult::Type::STR_HEX, "hash", "The transaction hash (differs from txid for witness transactions)"},
        {RpcResult::Type::NUM, "size", "The serialized transaction size"},
        {RpcResult::Type::NUM, "vsize", "The virtual transaction size (differs from size for witness transactions)"},
        {RpcResult::Type::NUM, "weight", "The transaction's weight (between vsize*4-3 and vsize*4)"},
        {RpcResult::Type::NUM, "version", "The version"},
        {RpcResult::Type::NUM_TIME, "locktime", "The lock time"},
        {RpcResult::Type::ARR, "vin", "",
         {
             {RpcResult::Type::OBJ, "", "",
              {
                  {RpcResult::Type::STR_HEX, "coinbase", /*optional=*/true, "The coinbase value (only if coinbase transaction)"},
                  {RpcResult::Type::STR_HEX, "txid", /*optional=*/true, "The transaction id (if not coinbase transaction)"},
                  {RpcResult::Type::NUM, "vout", /*optional=*/true, "The output number (if not coinbase transaction)"},
                  {RpcResult::Type::OBJ, "scriptSig", /*optional=*/true, "The script (if not coinbase transaction)",
                   {
                       {RpcResult::Type::STR, "asm", "Disassembly of the signature script"},
                       {RpcResult::Type::STR_HEX, "hex", "The raw signature script bytes, hex-encoded"},
                   }},
                  {RpcResult::Type::ARR, "txinwitness", /*optional=*/true, "",
                   {
                       {RpcResult::Type::STR_HEX, "hex", "hex-encoded witness data (if any)"},
                   }},
                  {RpcResult::Type::NUM, "sequence", "The script sequence number"},
              }},
         }},
        {RpcResult::Type::ARR, "vout", "",
         {
             {RpcResult::Type::OBJ, "", "",
              {
                  {RpcResult::Type::STR_AMOUNT, "value", "The value in BTC"},
                  {RpcResult::Type::NUM, "n", "index"},
                  {RpcResult::Type::OBJ, "scriptPubKey", "", ScriptPubKeyDoc()},
              }},
         }},
    };
}

double GetDifficulty(uint32_t bits)
{
    int shift = (bits >> 24) & 0xff;
    double diff = double(0x0000ffff) / double(bits & 0x00ffffff);
    while (shift < 29) {
        diff *= 256.0;
        ++shift;
    }
    while (shift > 29) {
        diff /= 256.0;
        --shift;
    }
    return diff;
}

UniValue DoubleValue(double v)
{
    UniValue out;
    out.setNumStr(fmt::format("{:.16g}", v));
    return out;
}

UniValue BlockHeaderToJSON(const BlockIndex& tip, const BlockIndex& index)
{
    // The block is on the active chain when the tip's ancestor at its height
    // is the block itself; its successor there is then the next block.
    int confirmations = -1;
    const BlockIndex* next = nullptr;
    if (tip.GetAncestor(index.height) == &index) {
        confirmations = tip.height - index.height + 1;
        const BlockIndex* after = tip.GetAncestor(index.height + 1);
        if (after && after->prev == &index) next = after;
    }

    UniValue result(UniValue::VOBJ);
    result.pushKV("hash", index.GetBlockHash().GetHex());
    result.pushKV("confirmations", confirmations);
    result.pushKV("height", index.height);
    result.pushKV("version", index.version);
    result.pushKV("versionHex", fmt::format("{:08x}", uint32_t(index.version)));
    result.pushKV("merkleroot", index.merkle_root.GetHex());
    result.pushKV("time", int64_t(index.time));
    result.pushKV("mediantime", index.GetMedianTimePast());
    result.pushKV("nonce", uint64_t(index.nonce));
    result.pushKV("bits", fmt::format("{:08x}", index.bits));
    arith_uint256 target;
    target.SetCompact(index.bits);
    result.pushKV("target", ArithToUint256(target).GetHex());
    result.pushKV("difficulty", DoubleValue(GetDifficulty(index.bits)));
    result.pushKV("chainwork", ArithToUint256(index.chain_work).GetHex());
    result.pushKV("nTx", uint64_t(index.tx_count));
    if (index.prev) result.pushKV("previousblockhash", index.prev->GetBlockHash().GetHex());
    if (next) result.pushKV("nextblockhash", next->GetBlockHash().GetHex());
    return result;
}

namespace {

/** Scripts that parse and fit: how to tell the right reading of a
 *  transaction from a wrong one when both forms parse. */
bool ScriptsLookSane(const MutableTransaction& tx)
{
    const bool coinbase = tx.vin.size() == 1 && tx.vin[0].prevout.IsNull();
    if (!coinbase) {
        for (const TxIn& in : tx.vin) {
            if (!in.script_sig.HasValidOps() || in.script_sig.size() > MAX_SCRIPT_SIZE) return false;
        }
    }
    for (const TxOut& out : tx.vout) {
        if (!out.script_pubkey.HasValidOps() || out.script_pubkey.size() > MAX_SCRIPT_SIZE) return false;
    }
    return true;
}

/** The whole of `data` as one transaction, or nullopt. */
std::optional<MutableTransaction> DecodeWhole(ByteSpan data, bool allow_witness)
{
    try {
        Reader reader(data);
        MutableTransaction tx = DeserializeMutableTransaction(reader, allow_witness);
        if (!reader.empty()) return std::nullopt;
        return tx;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace

bool DecodeHexTx(MutableTransaction& tx, std::string_view hex, bool try_no_witness, bool try_witness)
{
    if (!IsHex(hex)) return false;
    const Bytes data = ParseHex(hex);

    std::optional<MutableTransaction> extended;
    if (try_witness) extended = DecodeWhole(data, true);
    if (extended && ScriptsLookSane(*extended)) {
        tx = std::move(*extended);
        return true;
    }
    std::optional<MutableTransaction> legacy;
    if (try_no_witness) legacy = DecodeWhole(data, false);
    if (legacy && ScriptsLookSane(*legacy)) {
        tx = std::move(*legacy);
        return true;
    }
    if (extended) {
        tx = std::move(*extended);
        return true;
    }
    if (legacy) {
        tx = std::move(*legacy);
        return true;
    }
    return false;
}

int ParseVerbosity(const UniValue& arg, int default_verbosity, bool allow_bool)
{
    if (arg.isNull()) return default_verbosity;
    if (arg.isBool()) {
        if (!allow_bool) throw RpcError(RPC_TYPE_ERROR, "Verbosity was boolean but only integer allowed");
        return arg.get_bool() ? 1 : 0;
    }
    return int(IntFromValue(arg, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

} // namespace cairn
