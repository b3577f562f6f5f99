#include "consensus/script/sighash.h"

#include "crypto/hash.h"
#include "primitives/script.h"
#include "util/serialize.h"

#include <cassert>

namespace cairn {

namespace {

template <typename Tx> uint256 PrevoutsSha(const Tx& tx)
{
    HashWriter w;
    for (const TxIn& in : tx.vin) SerializeOutPoint(w, in.prevout);
    return w.GetSha256();
}

template <typename Tx> uint256 SequencesSha(const Tx& tx)
{
    HashWriter w;
    for (const TxIn& in : tx.vin) WriteU32LE(w, in.sequence);
    return w.GetSha256();
}

template <typename Tx> uint256 OutputsSha(const Tx& tx)
{
    HashWriter w;
    for (const TxOut& out : tx.vout) SerializeTxOut(w, out);
    return w.GetSha256();
}

uint256 AmountsSha(const std::vector<TxOut>& spent)
{
    HashWriter w;
    for (const TxOut& out : spent) WriteU64LE(w, uint64_t(out.value));
    return w.GetSha256();
}

uint256 ScriptPubKeysSha(const std::vector<TxOut>& spent)
{
    HashWriter w;
    for (const TxOut& out : spent) WriteVarBytes(w, out.script_pubkey.span());
    return w.GetSha256();
}

bool LooksLikeTaprootSpend(const TxOut& spent)
{
    // Exactly what VerifyScript treats as a taproot output: OP_1 <32 bytes>.
    const Script& spk = spent.script_pubkey;
    return spk.size() == 2 + 32 && spk[0] == OP_1 && spk[1] == 32;
}

/** Writes the scriptCode as legacy signing serializes it: OP_CODESEPARATORs
 *  removed. The length prefix counts every byte but the separators, and the
 *  last piece ends where parsing stopped; on a script with a truncated push
 *  the two disagree, and that exact (malformed) serialization is what gets
 *  hashed. */
template <typename W> void WriteLegacyScriptCode(W& w, ByteSpan script)
{
    size_t pc = 0;
    Opcode op;
    ByteSpan data;
    size_t separators = 0;
    while (GetScriptOp(script, pc, op, data)) {
        if (op == OP_CODESEPARATOR) ++separators;
    }
    WriteCompactSize(w, script.size() - separators);
    pc = 0;
    size_t piece_begin = 0;
    while (GetScriptOp(script, pc, op, data)) {
        if (op == OP_CODESEPARATOR) {
            w.Write(script.subspan(piece_begin, pc - 1 - piece_begin));
            piece_begin = pc;
        }
    }
    if (piece_begin != script.size()) w.Write(script.subspan(piece_begin, pc - piece_begin));
}

} // namespace

template <typename Tx> void PrecomputedTxData::Init(const Tx& tx, std::vector<TxOut> spent, bool force)
{
    spent_outputs = std::move(spent);
    if (!spent_outputs.empty()) assert(spent_outputs.size() == tx.vin.size());

    // A witness-bearing input spending OP_1 <32 bytes> is a taproot spend;
    // any other witness-bearing input can only be witness v0 (or invalid).
    // Without the spent outputs, every witness counts as v0.
    bool uses_v0 = force;
    bool uses_taproot = force;
    for (size_t i = 0; i < tx.vin.size() && !(uses_v0 && uses_taproot); ++i) {
        if (tx.vin[i].witness.IsNull()) continue;
        if (!spent_outputs.empty() && LooksLikeTaprootSpend(spent_outputs[i])) {
            uses_taproot = true;
        } else {
            uses_v0 = true;
        }
    }
    if (uses_v0 || uses_taproot) {
        prevouts_sha = PrevoutsSha(tx);
        sequences_sha = SequencesSha(tx);
        outputs_sha = OutputsSha(tx);
    }
    if (uses_v0) {
        hash_prevouts = Sha256Single(prevouts_sha.span());
        hash_sequence = Sha256Single(sequences_sha.span());
        hash_outputs = Sha256Single(outputs_sha.span());
        bip143_ready = true;
    }
    if (uses_taproot && !spent_outputs.empty()) {
        amounts_sha = AmountsSha(spent_outputs);
        scriptpubkeys_sha = ScriptPubKeysSha(spent_outputs);
        bip341_ready = true;
    }
}

template <typename Tx>
uint256 LegacySignatureHash(ByteSpan script_code, const Tx& tx, unsigned int in, int32_t hash_type)
{
    assert(in < tx.vin.size());
    const bool anyone_can_pay = hash_type & SIGHASH_ANYONECANPAY;
    const bool single = (hash_type & 0x1f) == SIGHASH_SINGLE;
    const bool none = (hash_type & 0x1f) == SIGHASH_NONE;

    // The original client hashed the number 1 here instead of failing; every
    // node since has had to do the same.
    if (single && in >= tx.vout.size()) return uint256::ONE;

    HashWriter w;
    WriteU32LE(w, tx.version);

    const size_t n_inputs = anyone_can_pay ? 1 : tx.vin.size();
    WriteCompactSize(w, n_inputs);
    for (size_t k = 0; k < n_inputs; ++k) {
        const size_t i = anyone_can_pay ? in : k;
        const TxIn& txin = tx.vin[i];
        SerializeOutPoint(w, txin.prevout);
        if (i == in) {
            WriteLegacyScriptCode(w, script_code);
        } else {
            WriteCompactSize(w, 0); // other inputs sign with empty scripts
        }
        // NONE and SINGLE let other inputs' sequences change.
        WriteU32LE(w, (i != in && (single || none)) ? 0 : txin.sequence);
    }

    const size_t n_outputs = none ? 0 : single ? in + 1 : tx.vout.size();
    WriteCompactSize(w, n_outputs);
    for (size_t o = 0; o < n_outputs; ++o) {
        if (single && o != in) {
            // Outputs before ours are blanked: value -1, empty script.
            WriteU64LE(w, uint64_t(-1));
            WriteCompactSize(w, 0);
        } else {
            SerializeTxOut(w, tx.vout[o]);
        }
    }
    WriteU32LE(w, tx.locktime);
    WriteU32LE(w, uint32_t(hash_type));
    return w.GetHash();
}

template <typename Tx>
uint256 SegwitV0SignatureHash(ByteSpan script_code, const Tx& tx, unsigned int in, int32_t hash_type,
                              Amount amount, const PrecomputedTxData* cache)
{
    assert(in < tx.vin.size());
    const bool ready = cache && cache->bip143_ready;
    const int base_type = hash_type & 0x1f;
    const bool anyone_can_pay = hash_type & SIGHASH_ANYONECANPAY;

    uint256 hash_prevouts, hash_sequence, hash_outputs; // zero when not committed
    if (!anyone_can_pay) {
        hash_prevouts = ready ? cache->hash_prevouts : Sha256Single(PrevoutsSha(tx).span());
    }
    if (!anyone_can_pay && base_type != SIGHASH_SINGLE && base_type != SIGHASH_NONE) {
        hash_sequence = ready ? cache->hash_sequence : Sha256Single(SequencesSha(tx).span());
    }
    if (base_type != SIGHASH_SINGLE && base_type != SIGHASH_NONE) {
        hash_outputs = ready ? cache->hash_outputs : Sha256Single(OutputsSha(tx).span());
    } else if (base_type == SIGHASH_SINGLE && in < tx.vout.size()) {
        HashWriter ow;
        SerializeTxOut(ow, tx.vout[in]);
        hash_outputs = ow.GetHash();
    }

    HashWriter w;
    WriteU32LE(w, tx.version);
    w.Write(hash_prevouts.span());
    w.Write(hash_sequence.span());
    SerializeOutPoint(w, tx.vin[in].prevout);
    WriteVarBytes(w, script_code);
    WriteU64LE(w, uint64_t(amount));
    WriteU32LE(w, tx.vin[in].sequence);
    w.Write(hash_outputs.span());
    WriteU32LE(w, tx.locktime);
    WriteU32LE(w, uint32_t(hash_type));
    return w.GetHash();
}

template <typename Tx>
uint256 SignatureHash(ByteSpan script_code, const Tx& tx, unsigned int in, int32_t hash_type, Amount amount,
                      SigVersion sigversion, const PrecomputedTxData* cache)
{
    assert(sigversion == SigVersion::BASE || sigversion == SigVersion::WITNESS_V0);
    if (sigversion == SigVersion::WITNESS_V0) {
        return SegwitV0SignatureHash(script_code, tx, in, hash_type, amount, cache);
    }
    return LegacySignatureHash(script_code, tx, in, hash_type);
}

template <typename W, typename Tx>
bool WriteTaprootSigMsg(W& w, ScriptExecutionData& execdata, const Tx& tx, unsigned int in, uint8_t hash_type,
                        SigVersion sigversion, const PrecomputedTxData& cache)
{
    assert(sigversion == SigVersion::TAPROOT || sigversion == SigVersion::TAPSCRIPT);
    assert(in < tx.vin.size());
    if (!cache.bip341_ready) return false;

    const uint8_t ext_flag = sigversion == SigVersion::TAPSCRIPT ? 1 : 0;
    // A missing hash-type byte means SIGHASH_ALL, but it is hashed as 0x00.
    const int output_type = hash_type == SIGHASH_DEFAULT ? SIGHASH_ALL : (hash_type & SIGHASH_OUTPUT_MASK);
    const bool anyone_can_pay = (hash_type & SIGHASH_INPUT_MASK) == SIGHASH_ANYONECANPAY;
    if (!(hash_type <= 0x03 || (hash_type >= 0x81 && hash_type <= 0x83))) return false;

    WriteU8(w, 0); // epoch
    WriteU8(w, hash_type);
    WriteU32LE(w, tx.version);
    WriteU32LE(w, tx.locktime);
    if (!anyone_can_pay) {
        w.Write(cache.prevouts_sha.span());
        w.Write(cache.amounts_sha.span());
        w.Write(cache.scriptpubkeys_sha.span());
        w.Write(cache.sequences_sha.span());
    }
    if (output_type == SIGHASH_ALL) w.Write(cache.outputs_sha.span());

    const uint8_t spend_type = uint8_t(ext_flag << 1) | (execdata.annex_hash ? 1 : 0);
    WriteU8(w, spend_type);
    if (anyone_can_pay) {
        SerializeOutPoint(w, tx.vin[in].prevout);
        SerializeTxOut(w, cache.spent_outputs[in]);
        WriteU32LE(w, tx.vin[in].sequence);
    } else {
        WriteU32LE(w, in);
    }
    if (execdata.annex_hash) w.Write(execdata.annex_hash->span());

    if (output_type == SIGHASH_SINGLE) {
        if (in >= tx.vout.size()) return false;
        if (!execdata.output_hash) {
            HashWriter ow;
            SerializeTxOut(ow, tx.vout[in]);
            execdata.output_hash = ow.GetSha256();
        }
        w.Write(execdata.output_hash->span());
    }

    if (sigversion == SigVersion::TAPSCRIPT) {
        assert(execdata.tapleaf_hash);
        w.Write(execdata.tapleaf_hash->span());
        WriteU8(w, 0); // key_version: 0 for BIP 340 keys
        WriteU32LE(w, execdata.codeseparator_pos);
    }
    return true;
}

template <typename Tx>
bool TaprootSignatureHash(uint256& out, ScriptExecutionData& execdata, const Tx& tx, unsigned int in,
                          uint8_t hash_type, SigVersion sigversion, const PrecomputedTxData& cache)
{
    static const Sha256 tagged = TaggedHashWriter("TapSighash");
    Sha256 h = tagged;
    if (!WriteTaprootSigMsg(h, execdata, tx, in, hash_type, sigversion, cache)) return false;
    h.Finalize(out.data());
    return true;
}

// Validation works on Transaction; signing and tests on MutableTransaction.
#define CAIRN_INSTANTIATE_SIGHASH(Tx)                                                                              \
    template void PrecomputedTxData::Init<Tx>(const Tx&, std::vector<TxOut>, bool);                              \
    template uint256 LegacySignatureHash<Tx>(ByteSpan, const Tx&, unsigned int, int32_t);                        \
    template uint256 SegwitV0SignatureHash<Tx>(ByteSpan, const Tx&, unsigned int, int32_t, Amount,               \
                                               const PrecomputedTxData*);                                        \
    template uint256 SignatureHash<Tx>(ByteSpan, const Tx&, unsigned int, int32_t, Amount, SigVersion,           \
                                       const PrecomputedTxData*);                                                \
    template bool WriteTaprootSigMsg<Sha256, Tx>(Sha256&, ScriptExecutionData&, const Tx&, unsigned int,         \
                                                 uint8_t, SigVersion, const PrecomputedTxData&);                 \
    template bool WriteTaprootSigMsg<VectorWriter, Tx>(VectorWriter&, ScriptExecutionData&, const Tx&,           \
                                                       unsigned int, uint8_t, SigVersion,                        \
                                                       const PrecomputedTxData&);                                \
    template bool TaprootSignatureHash<Tx>(uint256&, ScriptExecutionData&, const Tx&, unsigned int, uint8_t,     \
                                           SigVersion, const PrecomputedTxData&);

CAIRN_INSTANTIATE_SIGHASH(Transaction)
CAIRN_INSTANTIATE_SIGHASH(MutableTransaction)
#undef CAIRN_INSTANTIATE_SIGHASH

} // namespace cairn
