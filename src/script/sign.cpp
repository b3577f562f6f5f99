#include "script/sign.h"

#include "crypto/hash.h"
#include "crypto/ripemd160.h"
#include "script/solver.h"

#include <array>
#include <utility>

namespace cairn {

// ---- creating one signature ----

MutableTransactionSignatureCreator::MutableTransactionSignatureCreator(const MutableTransaction& tx, unsigned int in,
                                                                       Amount amount,
                                                                       const PrecomputedTxData* txdata, int hash_type)
    : m_tx(tx), m_in(in), m_amount(amount), m_hash_type(hash_type), m_txdata(txdata),
      m_checker(tx, in, amount, txdata ? *txdata : m_empty_txdata)
{
}

bool MutableTransactionSignatureCreator::CreateEcdsaSig(const SigningProvider& provider, Bytes& sig,
                                                        const uint160& key_id, const Script& script_code,
                                                        SigVersion sigversion) const
{
    Key key;
    if (!provider.GetKey(key_id, key)) return false;
    // Uncompressed keys are not standard in witness scripts, and a witness
    // signature commits to the amount: without it, it cannot be made.
    if (sigversion == SigVersion::WITNESS_V0 && (!key.IsCompressed() || !MoneyRange(m_amount))) return false;
    // ECDSA has no SIGHASH_DEFAULT: it means ALL there.
    const int hash_type = m_hash_type == SIGHASH_DEFAULT ? SIGHASH_ALL : m_hash_type;
    const uint256 hash = SignatureHash(script_code.span(), m_tx, m_in, hash_type, m_amount, sigversion, m_txdata);
    if (!key.SignEcdsa(hash, sig)) return false;
    sig.push_back(uint8_t(hash_type));
    return true;
}

bool MutableTransactionSignatureCreator::CreateSchnorrSig(const SigningProvider& provider, Bytes& sig,
                                                          const XOnlyPubKey& pubkey, const uint256* merkle_root) const
{
    Key key;
    if (!provider.GetKeyByXOnly(pubkey, key)) return false;
    // A BIP 341 signature commits to every spent output.
    if (!m_txdata || !m_txdata->bip341_ready) return false;
    ScriptExecutionData execdata; // key path, no annex
    uint256 hash;
    if (!TaprootSignatureHash(hash, execdata, m_tx, m_in, uint8_t(m_hash_type), SigVersion::TAPROOT, *m_txdata)) {
        return false;
    }
    // Zero auxiliary randomness, as Bitcoin Core signs: deterministic output.
    const uint256 aux;
    sig.assign(64, 0);
    const bool ok = merkle_root
                        ? key.SignSchnorrTaproot(hash, sig.data(), merkle_root->IsNull() ? nullptr : merkle_root, &aux)
                        : key.SignSchnorr(hash, sig.data(), &aux);
    if (!ok) return false;
    if (m_hash_type != SIGHASH_DEFAULT) sig.push_back(uint8_t(m_hash_type));
    return true;
}

// ---- merging ----

void SignatureData::MergeSignatureData(SignatureData other)
{
    if (complete) return;
    if (other.complete) {
        *this = std::move(other);
        return;
    }
    if (redeem_script.empty() && !other.redeem_script.empty()) redeem_script = std::move(other.redeem_script);
    if (witness_script.empty() && !other.witness_script.empty()) witness_script = std::move(other.witness_script);
    signatures.insert(other.signatures.begin(), other.signatures.end());
}

namespace {

using Stack = std::vector<Bytes>;

uint160 Ripemd160Of(ByteSpan data)
{
    std::array<uint8_t, Ripemd160::OUTPUT_SIZE> out;
    Ripemd160().Write(data).Finalize(out.data());
    return uint160(ByteSpan{out.data(), out.size()});
}

/** A script from the provider, or one the partly signed input carried. */
bool FindScript(const SigningProvider& provider, const SignatureData& sigdata, const uint160& id, Script& script)
{
    if (provider.GetScript(id, script)) return true;
    if (!sigdata.redeem_script.empty() && Hash160(sigdata.redeem_script.span()) == id) {
        script = sigdata.redeem_script;
        return true;
    }
    if (!sigdata.witness_script.empty() && Hash160(sigdata.witness_script.span()) == id) {
        script = sigdata.witness_script;
        return true;
    }
    return false;
}

/** A public key from the signatures already found, else from the provider. */
bool FindPubKey(const SigningProvider& provider, const SignatureData& sigdata, const uint160& id, PubKey& pubkey)
{
    const auto it = sigdata.signatures.find(id);
    if (it != sigdata.signatures.end()) {
        pubkey = it->second.first;
        return true;
    }
    return provider.GetPubKey(id, pubkey);
}

/** A signature by `pubkey`: one already known, else a new one (remembered). */
bool CreateSig(const SignatureCreator& creator, SignatureData& sigdata, const SigningProvider& provider, Bytes& sig,
               const PubKey& pubkey, const Script& script_code, SigVersion sigversion)
{
    const uint160 id = pubkey.GetID();
    const auto it = sigdata.signatures.find(id);
    if (it != sigdata.signatures.end()) {
        sig = it->second.second;
        return true;
    }
    if (creator.CreateEcdsaSig(provider, sig, id, script_code, sigversion)) {
        sigdata.signatures.emplace(id, std::make_pair(pubkey, sig));
        return true;
    }
    sigdata.missing_sigs.push_back(id);
    return false;
}

bool SignTaprootKeyPath(const SigningProvider& provider, const SignatureCreator& creator, const XOnlyPubKey& output,
                        SignatureData& sigdata, Stack& ret)
{
    Bytes sig;
    TaprootSpendData spend;
    // The output key made from an internal key we hold (BIP 86, or with a
    // script tree whose root we know) ...
    if (sigdata.taproot_key_path_sig.empty() && provider.GetTaprootSpendData(output, spend) &&
        creator.CreateSchnorrSig(provider, sig, spend.internal_key, &spend.merkle_root)) {
        sigdata.taproot_key_path_sig = sig;
    }
    // ... or the output key is itself a key we hold.
    if (sigdata.taproot_key_path_sig.empty() && creator.CreateSchnorrSig(provider, sig, output, nullptr)) {
        sigdata.taproot_key_path_sig = sig;
    }
    if (sigdata.taproot_key_path_sig.empty()) return false;
    ret = {sigdata.taproot_key_path_sig};
    return true;
}

/**
 * One level of signing: what satisfies `script` (signatures, or for script
 * hashes the script to descend into, for P2WPKH the key hash) goes to
 * `ret`. Returns false when it cannot be satisfied; `ret` may then hold a
 * partial solution (a multisig with some signatures).
 */
bool SignStep(const SigningProvider& provider, const SignatureCreator& creator, const Script& script, Stack& ret,
              TxoutType& type, SigVersion sigversion, SignatureData& sigdata)
{
    ret.clear();
    std::vector<Bytes> solutions;
    type = Solver(script, solutions);
    Bytes sig;

    switch (type) {
    case TxoutType::NONSTANDARD:
    case TxoutType::NULL_DATA:
    case TxoutType::WITNESS_UNKNOWN:
    case TxoutType::ANCHOR:
        return false;
    case TxoutType::PUBKEY:
        if (!CreateSig(creator, sigdata, provider, sig, PubKey(solutions[0]), script, sigversion)) return false;
        ret.push_back(std::move(sig));
        return true;
    case TxoutType::PUBKEYHASH: {
        const uint160 id(solutions[0]);
        PubKey pubkey;
        if (!FindPubKey(provider, sigdata, id, pubkey)) {
            sigdata.missing_pubkeys.push_back(id);
            return false;
        }
        if (!CreateSig(creator, sigdata, provider, sig, pubkey, script, sigversion)) return false;
        ret.push_back(std::move(sig));
        ret.emplace_back(pubkey.begin(), pubkey.end());
        return true;
    }
    case TxoutType::SCRIPTHASH: {
        const uint160 id(solutions[0]);
        Script redeem;
        if (FindScript(provider, sigdata, id, redeem)) {
            ret.push_back(redeem.bytes());
            return true;
        }
        sigdata.missing_redeem_script = id;
        return false;
    }
    case TxoutType::MULTISIG: {
        const size_t required = solutions.front()[0];
        ret.emplace_back(); // the extra item OP_CHECKMULTISIG pops
        for (size_t i = 1; i + 1 < solutions.size(); ++i) {
            // Every key is tried, so that sigdata learns every signature we
            // can make, even beyond the number required.
            if (CreateSig(creator, sigdata, provider, sig, PubKey(solutions[i]), script, sigversion) &&
                ret.size() < required + 1) {
                ret.push_back(std::move(sig));
            }
        }
        const bool ok = ret.size() == required + 1;
        // Placeholders for missing signatures. The bound moves with both i
        // and ret.size(), so only about half the gap is filled: Core's
        // quirk, kept so that partial results match its bytes.
        for (size_t i = 0; i + ret.size() < required + 1; ++i) ret.emplace_back();
        return ok;
    }
    case TxoutType::WITNESS_V0_KEYHASH:
        ret.push_back(solutions[0]);
        return true;
    case TxoutType::WITNESS_V0_SCRIPTHASH: {
        Script witness_script;
        if (FindScript(provider, sigdata, Ripemd160Of(solutions[0]), witness_script)) {
            ret.push_back(witness_script.bytes());
            return true;
        }
        sigdata.missing_witness_script = uint256(solutions[0]);
        return false;
    }
    case TxoutType::WITNESS_V1_TAPROOT:
        return SignTaprootKeyPath(provider, creator, XOnlyPubKey(solutions[0]), sigdata, ret);
    }
    return false;
}

/** The stack items as a scriptSig of minimal pushes (small numbers as OP_n). */
Script PushAll(const Stack& values)
{
    Script out;
    for (const Bytes& v : values) {
        if (v.empty()) {
            out << OP_0;
        } else if (v.size() == 1 && v[0] >= 1 && v[0] <= 16) {
            out << EncodeOpN(v[0]);
        } else if (v.size() == 1 && v[0] == 0x81) {
            out << OP_1NEGATE;
        } else {
            out << v;
        }
    }
    return out;
}

/** Passes every check on to another checker and records the signatures that pass. */
class SignatureExtractor : public SignatureChecker
{
public:
    SignatureExtractor(SignatureData& sigdata, const SignatureChecker& inner) : m_sigdata(sigdata), m_inner(inner) {}

    bool CheckEcdsaSignature(ByteSpan sig, ByteSpan pubkey, ByteSpan script_code, SigVersion sigversion) const override
    {
        if (!m_inner.CheckEcdsaSignature(sig, pubkey, script_code, sigversion)) return false;
        const PubKey pk(pubkey);
        m_sigdata.signatures.emplace(pk.GetID(), std::make_pair(pk, Bytes(sig.begin(), sig.end())));
        return true;
    }
    bool CheckSchnorrSignature(ByteSpan sig, ByteSpan pubkey32, SigVersion sigversion, ScriptExecutionData& execdata,
                               ScriptError* error) const override
    {
        if (!m_inner.CheckSchnorrSignature(sig, pubkey32, sigversion, execdata, error)) return false;
        if (sigversion == SigVersion::TAPROOT) m_sigdata.taproot_key_path_sig.assign(sig.begin(), sig.end());
        return true;
    }
    bool CheckLockTime(int64_t lock_time) const override { return m_inner.CheckLockTime(lock_time); }
    bool CheckSequence(int64_t sequence) const override { return m_inner.CheckSequence(sequence); }

private:
    SignatureData& m_sigdata;
    const SignatureChecker& m_inner;
};

} // namespace

bool ProduceSignature(const SigningProvider& provider, const SignatureCreator& creator, const Script& script_pubkey,
                      SignatureData& sigdata)
{
    if (sigdata.complete) return true;

    Stack result;
    TxoutType type;
    bool solved = SignStep(provider, creator, script_pubkey, result, type, SigVersion::BASE, sigdata);
    bool p2sh = false;
    Script subscript;

    if (solved && type == TxoutType::SCRIPTHASH) {
        // Sign for the redeem script, then append it to the scriptSig.
        subscript = Script(result[0]);
        sigdata.redeem_script = subscript;
        solved = SignStep(provider, creator, subscript, result, type, SigVersion::BASE, sigdata) &&
                 type != TxoutType::SCRIPTHASH;
        p2sh = true;
    }

    if (solved && type == TxoutType::WITNESS_V0_KEYHASH) {
        // BIP 143: a P2WPKH input is signed as the P2PKH script of its key hash.
        Script script_code;
        script_code << OP_DUP << OP_HASH160 << result[0] << OP_EQUALVERIFY << OP_CHECKSIG;
        TxoutType sub_type;
        solved = SignStep(provider, creator, script_code, result, sub_type, SigVersion::WITNESS_V0, sigdata);
        sigdata.script_witness.stack = result;
        sigdata.witness = true;
        result.clear();
    } else if (solved && type == TxoutType::WITNESS_V0_SCRIPTHASH) {
        const Script witness_script(result[0]);
        sigdata.witness_script = witness_script;
        TxoutType sub_type = TxoutType::NONSTANDARD;
        solved = SignStep(provider, creator, witness_script, result, sub_type, SigVersion::WITNESS_V0, sigdata) &&
                 sub_type != TxoutType::SCRIPTHASH && sub_type != TxoutType::WITNESS_V0_SCRIPTHASH &&
                 sub_type != TxoutType::WITNESS_V0_KEYHASH;
        result.push_back(witness_script.bytes());
        sigdata.script_witness.stack = result;
        sigdata.witness = true;
        result.clear();
    } else if (type == TxoutType::WITNESS_V1_TAPROOT && !p2sh) {
        sigdata.witness = true;
        if (solved) sigdata.script_witness.stack = std::move(result);
        result.clear();
    } else if (solved && type == TxoutType::WITNESS_UNKNOWN) {
        sigdata.witness = true;
    }

    if (!sigdata.witness) sigdata.script_witness.stack.clear();
    if (p2sh) result.push_back(subscript.bytes());
    sigdata.script_sig = PushAll(result);

    sigdata.complete = solved && VerifyScript(sigdata.script_sig, script_pubkey, &sigdata.script_witness,
                                              SIGNING_VERIFY_FLAGS, creator.Checker());
    return sigdata.complete;
}

SignatureData DataFromTransaction(const MutableTransaction& tx, unsigned int in, const TxOut& spent)
{
    SignatureData data;
    data.script_sig = tx.vin.at(in).script_sig;
    data.script_witness = tx.vin[in].witness;

    // What the scriptSig pushes (it runs without a transaction: pushes only, normally).
    Stack script_stack;
    EvalScript(script_stack, data.script_sig, SCRIPT_VERIFY_STRICTENC, SignatureChecker(), SigVersion::BASE);
    Stack witness_stack = data.script_witness.stack;

    // Without the other spent outputs no taproot signature can be checked,
    // so only ECDSA signatures are collected.
    const PrecomputedTxData no_txdata;
    const MutableTransactionSignatureChecker tx_checker(tx, in, spent.value, no_txdata);
    const SignatureExtractor extractor(data, tx_checker);
    if (VerifyScript(data.script_sig, spent.script_pubkey, &data.script_witness, SIGNING_VERIFY_FLAGS, extractor)) {
        data.complete = true;
        return data;
    }

    // Incomplete: find the scripts, and match a multisig's signatures to its keys.
    std::vector<Bytes> solutions;
    TxoutType type = Solver(spent.script_pubkey, solutions);
    SigVersion sigversion = SigVersion::BASE;
    Script next_script = spent.script_pubkey;

    if (type == TxoutType::SCRIPTHASH && !script_stack.empty() && !script_stack.back().empty()) {
        data.redeem_script = Script(script_stack.back());
        next_script = data.redeem_script;
        type = Solver(next_script, solutions);
        script_stack.pop_back();
    }
    if (type == TxoutType::WITNESS_V0_SCRIPTHASH && !witness_stack.empty() && !witness_stack.back().empty()) {
        data.witness_script = Script(witness_stack.back());
        next_script = data.witness_script;
        type = Solver(next_script, solutions);
        witness_stack.pop_back();
        script_stack = std::move(witness_stack);
        witness_stack.clear();
        sigversion = SigVersion::WITNESS_V0;
    }
    if (type == TxoutType::MULTISIG && !script_stack.empty()) {
        // Signatures appear in key order: each one is looked for among the
        // keys after the one the previous signature matched.
        const size_t num_pubkeys = solutions.size() - 2;
        size_t next_key = 0;
        for (const Bytes& sig : script_stack) {
            for (size_t i = next_key; i < num_pubkeys; ++i) {
                const Bytes& pubkey = solutions[i + 1];
                if (data.signatures.count(PubKey(pubkey).GetID()) ||
                    extractor.CheckEcdsaSignature(sig, pubkey, next_script.span(), sigversion)) {
                    next_key = i + 1;
                    break;
                }
            }
        }
    }
    return data;
}

void UpdateInput(TxIn& input, const SignatureData& sigdata)
{
    input.script_sig = sigdata.script_sig;
    input.witness = sigdata.script_witness;
}

bool SignTransaction(MutableTransaction& tx, const SigningProvider& provider, const std::map<OutPoint, Coin>& coins,
                     int hash_type, std::map<int, std::string>& input_errors)
{
    const bool hash_single = (hash_type & ~SIGHASH_ANYONECANPAY) == SIGHASH_SINGLE;

    // The signature hashes of all inputs share these; taproot ones need
    // every spent output, so they are only available when all are known.
    // (Signatures do not change them: the unsigned parts are hashed.)
    std::vector<TxOut> spent_outputs;
    for (const TxIn& txin : tx.vin) {
        const auto it = coins.find(txin.prevout);
        if (it == coins.end() || it->second.IsSpent()) break;
        spent_outputs.push_back(it->second.out);
    }
    if (spent_outputs.size() != tx.vin.size()) spent_outputs.clear();
    const PrecomputedTxData txdata(tx, std::move(spent_outputs), true);
    const MutableTransaction unsigned_tx = tx;

    for (unsigned int i = 0; i < tx.vin.size(); ++i) {
        TxIn& txin = tx.vin[i];
        const auto it = coins.find(txin.prevout);
        if (it == coins.end() || it->second.IsSpent()) {
            input_errors[int(i)] = "Input not found or already spent";
            continue;
        }
        const Script& spk = it->second.out.script_pubkey;
        const Amount amount = it->second.out.value;

        SignatureData sigdata = DataFromTransaction(tx, i, it->second.out);
        // SIGHASH_SINGLE without an output at the input's index would sign
        // the number 1: never do that.
        if (!hash_single || i < tx.vout.size()) {
            ProduceSignature(provider, MutableTransactionSignatureCreator(tx, i, amount, &txdata, hash_type), spk,
                             sigdata);
        }
        UpdateInput(txin, sigdata);

        // A prevtx given without an amount is MAX_MONEY: a witness signed
        // for it is worthless.
        if (amount == MAX_MONEY && !txin.witness.IsNull()) {
            input_errors[int(i)] = "Missing amount";
            continue;
        }

        ScriptError error = ScriptError::OK;
        if (!sigdata.complete &&
            !VerifyScript(txin.script_sig, spk, &txin.witness, SIGNING_VERIFY_FLAGS,
                          MutableTransactionSignatureChecker(unsigned_tx, i, amount, txdata), &error)) {
            if (error == ScriptError::INVALID_STACK_OPERATION) {
                input_errors[int(i)] = "Unable to sign input, invalid stack size (possibly missing key)";
            } else if (error == ScriptError::SIG_NULLFAIL) {
                input_errors[int(i)] = "CHECK(MULTI)SIG failing with non-zero signature (possibly need more signatures)";
            } else {
                input_errors[int(i)] = ScriptErrorString(error);
            }
        } else {
            input_errors.erase(int(i));
        }
    }
    return input_errors.empty();
}

std::optional<int> SighashFromStr(std::string_view name)
{
    static const std::pair<std::string_view, int> names[] = {
        {"DEFAULT", SIGHASH_DEFAULT},
        {"ALL", SIGHASH_ALL},
        {"ALL|ANYONECANPAY", SIGHASH_ALL | SIGHASH_ANYONECANPAY},
        {"NONE", SIGHASH_NONE},
        {"NONE|ANYONECANPAY", SIGHASH_NONE | SIGHASH_ANYONECANPAY},
        {"SINGLE", SIGHASH_SINGLE},
        {"SINGLE|ANYONECANPAY", SIGHASH_SINGLE | SIGHASH_ANYONECANPAY},
    };
    for (const auto& [n, v] : names) {
        if (n == name) return v;
    }
    return std::nullopt;
}

} // namespace cairn
