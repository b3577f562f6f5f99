// Signing transaction inputs: turning what a SigningProvider knows into a
// scriptSig and witness for the standard output types, and merging
// signatures that several signers made separately. The behaviour follows
// Bitcoin Core's signer, so that a transaction signed here in several steps
// looks byte for byte like one Core would produce:
//  - ECDSA signatures are RFC 6979 with R ground low (Key::SignEcdsa);
//  - Schnorr signatures use all-zero auxiliary randomness;
//  - multisig signatures sit in public-key order, missing ones as empty
//    pushes, exactly as Core pads them;
//  - a result is "complete" only if the interpreter accepts it under the
//    standard (relay) verify flags.
// Supported: P2PK, P2PKH, bare multisig, P2SH of any of these, P2WPKH,
// P2SH-P2WPKH, P2WSH and P2SH-P2WSH of P2PK/P2PKH/multisig scripts, and
// taproot key-path spends (tweaked as the provider's TaprootSpendData says,
// or untweaked when the output key itself is a key we hold). Taproot script
// paths and miniscript are not supported yet.
#ifndef CAIRN_SCRIPT_SIGN_H
#define CAIRN_SCRIPT_SIGN_H

#include "consensus/script/interpreter.h"
#include "primitives/coin.h"
#include "primitives/transaction.h"
#include "script/signing_provider.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn {

/** The flags a signed input is checked against: Bitcoin Core's
 *  STANDARD_SCRIPT_VERIFY_FLAGS, which are every flag but SIGPUSHONLY.
 *  (Kept here because policy/ is not below script/; a policy library may
 *  take it over.) */
inline constexpr ScriptFlags SIGNING_VERIFY_FLAGS = SCRIPT_VERIFY_ALL & ~SCRIPT_VERIFY_SIGPUSHONLY;

/** Makes one signature for one input. */
class SignatureCreator
{
public:
    virtual ~SignatureCreator() = default;
    /** The checker that verifies what this creator signs. */
    virtual const SignatureChecker& Checker() const = 0;
    /** ECDSA signature with its hash-type byte, by the key `key_id`, over `script_code`. */
    virtual bool CreateEcdsaSig(const SigningProvider& provider, Bytes& sig, const uint160& key_id,
                                const Script& script_code, SigVersion sigversion) const = 0;
    /** Taproot key-path signature by the key with x-only public key
     *  `pubkey`. merkle_root null: sign with the key as it is (the output
     *  key is the key itself); otherwise tweak it first, by H_TapTweak(P)
     *  when *merkle_root is null, else by H_TapTweak(P || *merkle_root). */
    virtual bool CreateSchnorrSig(const SigningProvider& provider, Bytes& sig, const XOnlyPubKey& pubkey,
                                  const uint256* merkle_root) const = 0;
};

/** Signs input `in` of a transaction with the hash type given. The
 *  transaction (and `txdata`, if any) must outlive the creator. Without
 *  txdata holding every spent output, taproot inputs cannot be signed or
 *  checked. SIGHASH_DEFAULT means SIGHASH_ALL for ECDSA signatures. */
class MutableTransactionSignatureCreator : public SignatureCreator
{
public:
    MutableTransactionSignatureCreator(const MutableTransaction& tx, unsigned int in, Amount amount,
                                       const PrecomputedTxData* txdata, int hash_type);

    const SignatureChecker& Checker() const override { return m_checker; }
    bool CreateEcdsaSig(const SigningProvider& provider, Bytes& sig, const uint160& key_id, const Script& script_code,
                        SigVersion sigversion) const override;
    bool CreateSchnorrSig(const SigningProvider& provider, Bytes& sig, const XOnlyPubKey& pubkey,
                          const uint256* merkle_root) const override;

private:
    const MutableTransaction& m_tx;
    unsigned int m_in;
    Amount m_amount;
    int m_hash_type;
    PrecomputedTxData m_empty_txdata;
    const PrecomputedTxData* m_txdata;
    MutableTransactionSignatureChecker m_checker;
};

/** What is known about the signing of one input, gathered from a partly
 *  signed transaction and added to by the signer. */
struct SignatureData {
    /** The scriptSig and witness verify. */
    bool complete{false};
    /** The output is spent through a witness. */
    bool witness{false};
    Script script_sig;
    ScriptWitness script_witness;
    Script redeem_script;
    Script witness_script;
    /** ECDSA signatures (with hash-type byte) by key id, with their public key. */
    std::map<uint160, std::pair<PubKey, Bytes>> signatures;
    /** Taproot key-path signature, if one was made or found. */
    Bytes taproot_key_path_sig;
    /** What the signer looked for and did not find (for PSBT-style callers). */
    std::vector<uint160> missing_pubkeys;
    std::vector<uint160> missing_sigs;
    uint160 missing_redeem_script;
    uint256 missing_witness_script;

    /** Adds another signer's findings: a complete set replaces ours; else
     *  scripts we lack and signatures are taken over. */
    void MergeSignatureData(SignatureData other);
};

/** Signs `script_pubkey` for the creator's input as far as `provider`
 *  allows, reusing the signatures in `sigdata`. Fills sigdata's scriptSig
 *  and witness (partial ones too, e.g. a multisig with some signatures) and
 *  returns whether the result verifies. */
bool ProduceSignature(const SigningProvider& provider, const SignatureCreator& creator, const Script& script_pubkey,
                      SignatureData& sigdata);

/** The signatures, scripts and completeness already present in input `in`
 *  of `tx`, which spends `spent`. Taproot signatures are not recognised
 *  (checking them needs every spent output). */
SignatureData DataFromTransaction(const MutableTransaction& tx, unsigned int in, const TxOut& spent);

/** Copies sigdata's scriptSig and witness into the input. */
void UpdateInput(TxIn& input, const SignatureData& sigdata);

/**
 * Signs every input it can of `tx` with `provider` and `hash_type`, taking
 * the spent outputs from `coins` (missing or spent ones are reported). On
 * return, input_errors holds Bitcoin Core's message for each input that
 * does not verify ("Input not found or already spent", "Missing amount",
 * "Unable to sign input, invalid stack size (possibly missing key)", a
 * script error text, ...). Returns true when every input verifies.
 */
bool SignTransaction(MutableTransaction& tx, const SigningProvider& provider, const std::map<OutPoint, Coin>& coins,
                     int hash_type, std::map<int, std::string>& input_errors);

/** "DEFAULT", "ALL", "NONE", "SINGLE", each but DEFAULT optionally with
 *  "|ANYONECANPAY": the hash type; nullopt for anything else. */
std::optional<int> SighashFromStr(std::string_view name);

} // namespace cairn

#endif
