#include "rpc/tx_json_writer.h"

#include "primitives/amount.h"
#include "consensus/consensus.h"
#include "consensus/tx_check.h"
#include "script/address.h"
#include "script/descriptor_checksum.h"
#include "script/destination.h"
#include "script/infer_descriptor.h"
#include "script/script_asm.h"
#include "script/solver.h"
#include "util/serialize.h"

#include <stdexcept>

namespace cairn {

namespace {

/** Output types whose descriptor, knowing only the script, is addr(ADDRESS)
 *  (InferDescriptorString's rule: no keys to name, and the address gives
 *  the script back, which Solver's exact templates guarantee). The address
 *  is then encoded once for both members. Taproot is not here: its
 *  descriptor depends on whether the output key is a point. */
bool DescriptorIsAddress(TxoutType type)
{
    switch (type) {
    case TxoutType::PUBKEYHASH:
    case TxoutType::SCRIPTHASH:
    case TxoutType::WITNESS_V0_KEYHASH:
    case TxoutType::WITNESS_V0_SCRIPTHASH:
        return true;
    default:
        return false;
    }
}

} // namespace

void WriteScriptPubKeyJson(JsonWriter& w, const Script& script, ChainType chain)
{
    // Solutions are not needed, only the type; the vector is reused.
    thread_local std::vector<Bytes> solutions;
    const TxoutType type = Solver(script, solutions);

    w.BeginObject();
    w.Key("asm");
    w.String(ScriptToAsmStr(script));

    Destination dest;
    // ExtractDestination is false for bare P2PK, which never had an address.
    const bool has_address = ExtractDestination(script, dest);
    std::string address;
    if (has_address) address = EncodeDestination(dest, chain);

    w.Key("desc");
    if (has_address && !address.empty() && DescriptorIsAddress(type)) {
        w.String(AddDescriptorChecksum("addr(" + address + ")"));
    } else {
        w.String(InferDescriptorString(script, chain));
    }
    w.Key("hex");
    w.Hex(script);
    if (has_address) {
        w.Key("address");
        w.String(address);
    }
    w.Key("type");
    w.PlainString(GetTxnOutputType(type));
    w.EndObject();
}

void WriteTxJson(JsonWriter& w, const Transaction& tx, ChainType chain, const TxJsonOptions& options)
{
    // One serialization gives "size" and "hex".
    thread_local Bytes raw;
    raw.clear();
    VectorWriter writer(raw);
    SerializeTransaction(writer, tx, /*with_witness=*/true);

    w.BeginObject();
    w.Key("txid");
    w.Hash(tx.GetTxid());
    w.Key("hash");
    w.Hash(tx.GetWtxid());
    w.Key("version");
    w.UInt(uint64_t(tx.version));
    w.Key("size");
    w.UInt(uint64_t(raw.size()));
    const int64_t weight = GetTransactionWeight(tx);
    w.Key("vsize");
    w.Int((weight + WITNESS_SCALE_FACTOR - 1) / WITNESS_SCALE_FACTOR);
    w.Key("weight");
    w.Int(weight);
    w.Key("locktime");
    w.UInt(uint64_t(tx.locktime));

    // Undo data, when given, lists exactly one coin per input.
    const std::vector<Coin>* spent = options.spent;
    if (spent && spent->size() != tx.vin.size()) spent = nullptr;
    Amount total_in = 0;
    const bool coinbase = tx.IsCoinBase();

    w.Key("vin");
    w.BeginArray();
    for (size_t i = 0; i < tx.vin.size(); ++i) {
        const TxIn& txin = tx.vin[i];
        w.BeginObject();
        if (coinbase) {
            w.Key("coinbase");
            w.Hex(txin.script_sig);
        } else {
            w.Key("txid");
            w.Hash(txin.prevout.hash);
            w.Key("vout");
            w.UInt(uint64_t(txin.prevout.n));
            w.Key("scriptSig");
            w.BeginObject();
            w.Key("asm");
            w.String(ScriptToAsmStr(txin.script_sig, /*attempt_sighash_decode=*/true));
            w.Key("hex");
            w.Hex(txin.script_sig);
            w.EndObject();
        }
        if (!txin.witness.IsNull()) {
            w.Key("txinwitness");
            w.BeginArray();
            for (const Bytes& item : txin.witness.stack) w.Hex(item);
            w.EndArray();
        }
        if (spent) {
            const Coin& coin = (*spent)[i];
            total_in += coin.out.value;
            if (options.verbosity == TxVerbosity::SHOW_DETAILS_AND_PREVOUT) {
                w.Key("prevout");
                w.BeginObject();
                w.Key("generated");
                w.Bool(coin.IsCoinBase());
                w.Key("height");
                w.UInt(uint64_t(coin.height));
                w.Key("value");
                w.Amount(coin.out.value);
                w.Key("scriptPubKey");
                WriteScriptPubKeyJson(w, coin.out.script_pubkey, chain);
                w.EndObject();
            }
        }
        w.Key("sequence");
        w.UInt(uint64_t(txin.sequence));
        w.EndObject();
    }
    w.EndArray();

    w.Key("vout");
    w.BeginArray();
    for (size_t i = 0; i < tx.vout.size(); ++i) {
        const TxOut& txout = tx.vout[i];
        w.BeginObject();
        w.Key("value");
        w.Amount(txout.value);
        w.Key("n");
        w.UInt(uint64_t(i));
        w.Key("scriptPubKey");
        WriteScriptPubKeyJson(w, txout.script_pubkey, chain);
        w.EndObject();
    }
    w.EndArray();

    if (spent) {
        const Amount fee = total_in - tx.GetValueOut();
        // Undo data of a connected block cannot overspend; anything else is corruption.
        if (!MoneyRange(fee)) throw std::runtime_error("Internal bug detected: fee out of range");
        w.Key("fee");
        w.Amount(fee);
    }
    if (options.include_hex) {
        w.Key("hex");
        w.Hex(raw);
    }
    w.EndObject();
}

std::string BlockToJsonText(const UniValue& header, const Block& block, const BlockUndo* undo,
                            TxVerbosity verbosity, ChainType chain)
{
    // The header's members as UniValue writes them, then "tx" before the
    // closing brace: header is never empty, so a comma always separates.
    std::string out = header.write();
    if (out.size() < 2 || out.back() != '}') throw std::logic_error("BlockToJsonText: header is not an object");
    // Verbosity 2 writes about 6 bytes of JSON per block byte, 3 about 10.
    size_t block_bytes = 0;
    for (const TransactionRef& tx : block.vtx) block_bytes += tx->GetTotalSize();
    out.reserve(out.size() + block_bytes * (verbosity == TxVerbosity::SHOW_DETAILS ? 7 : 11) + 64);
    out.pop_back();
    out += ",\"tx\":";

    JsonWriter w(out);
    const bool have_undo = undo && undo->txundo.size() + 1 == block.vtx.size();
    TxJsonOptions options;
    options.verbosity = verbosity;
    w.BeginArray();
    for (size_t i = 0; i < block.vtx.size(); ++i) {
        // The coinbase (i == 0) spends nothing and has no undo entry.
        options.spent = (have_undo && i > 0) ? &undo->txundo[i - 1].prevout : nullptr;
        WriteTxJson(w, *block.vtx[i], chain, options);
    }
    w.EndArray();
    out.push_back('}');
    return out;
}

} // namespace cairn
