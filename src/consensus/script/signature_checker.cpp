#include "consensus/script/signature_checker.h"

#include "crypto/pubkey.h"

#include <cassert>

namespace cairn {

bool SignatureChecker::CheckEcdsaSignature(ByteSpan, ByteSpan, ByteSpan, SigVersion) const { return false; }

bool SignatureChecker::CheckSchnorrSignature(ByteSpan, ByteSpan, SigVersion, ScriptExecutionData&,
                                             ScriptError* error) const
{
    if (error) *error = ScriptError::SCHNORR_SIG;
    return false;
}

bool SignatureChecker::CheckLockTime(int64_t) const { return false; }
bool SignatureChecker::CheckSequence(int64_t) const { return false; }

template <typename Tx>
bool GenericTransactionSignatureChecker<Tx>::CheckEcdsaSignature(ByteSpan sig, ByteSpan pubkey, ByteSpan script_code,
                                                                 SigVersion sigversion) const
{
    // Keys that cannot parse fail before any hashing is paid for.
    if (!PubKey::IsValidSize(pubkey)) return false;
    if (sig.empty()) return false;
    const int32_t hash_type = sig.back();
    const uint256 sighash = SignatureHash(script_code, *m_tx, m_in, hash_type, m_amount, sigversion, m_txdata);
    return VerifyEcdsa(sig.first(sig.size() - 1), pubkey, sighash);
}

template <typename Tx>
bool GenericTransactionSignatureChecker<Tx>::CheckSchnorrSignature(ByteSpan sig, ByteSpan pubkey32,
                                                                   SigVersion sigversion,
                                                                   ScriptExecutionData& execdata,
                                                                   ScriptError* error) const
{
    assert(sigversion == SigVersion::TAPROOT || sigversion == SigVersion::TAPSCRIPT);
    assert(pubkey32.size() == 32);
    auto fail = [error](ScriptError e) {
        if (error) *error = e;
        return false;
    };
    // Empty tapscript signatures never get here: they are a valid "no" there.
    if (sig.size() != 64 && sig.size() != 65) return fail(ScriptError::SCHNORR_SIG_SIZE);
    uint8_t hash_type = SIGHASH_DEFAULT;
    if (sig.size() == 65) {
        hash_type = sig[64];
        // SIGHASH_DEFAULT must be expressed by omission, so that each signature has one encoding.
        if (hash_type == SIGHASH_DEFAULT) return fail(ScriptError::SCHNORR_SIG_HASHTYPE);
        sig = sig.first(64);
    }
    uint256 sighash;
    if (!TaprootSignatureHash(sighash, execdata, *m_tx, m_in, hash_type, sigversion, *m_txdata)) {
        return fail(ScriptError::SCHNORR_SIG_HASHTYPE);
    }
    if (!VerifySchnorr(sig, pubkey32, sighash)) return fail(ScriptError::SCHNORR_SIG);
    return true;
}

template <typename Tx>
bool GenericTransactionSignatureChecker<Tx>::VerifyEcdsa(ByteSpan der_sig, ByteSpan pubkey,
                                                         const uint256& sighash) const
{
    return PubKey(pubkey).VerifyEcdsa(sighash, der_sig);
}

template <typename Tx>
bool GenericTransactionSignatureChecker<Tx>::VerifySchnorr(ByteSpan sig64, ByteSpan pubkey32,
                                                           const uint256& sighash) const
{
    return XOnlyPubKey(pubkey32).VerifySchnorr(sighash, sig64);
}

template <typename Tx> bool GenericTransactionSignatureChecker<Tx>::CheckLockTime(int64_t lock_time) const
{
    const int64_t tx_lock_time = m_tx->locktime;
    // Heights and times are different units: compare only like with like.
    const bool script_is_height = lock_time < LOCKTIME_THRESHOLD;
    const bool tx_is_height = tx_lock_time < LOCKTIME_THRESHOLD;
    if (script_is_height != tx_is_height) return false;
    if (lock_time > tx_lock_time) return false;
    // A final input disables nLockTime for the whole transaction, which
    // would let it bypass the check; requiring this input to be non-final
    // is enough to close that.
    if (m_tx->vin[m_in].sequence == TxIn::SEQUENCE_FINAL) return false;
    return true;
}

template <typename Tx> bool GenericTransactionSignatureChecker<Tx>::CheckSequence(int64_t sequence) const
{
    const int64_t tx_sequence = m_tx->vin[m_in].sequence;
    // BIP 68 relative lock times only exist from version 2 on (version compared unsigned).
    if (m_tx->version < 2) return false;
    // An input with the disable bit set has no relative lock time to satisfy anything.
    if (tx_sequence & TxIn::SEQUENCE_LOCKTIME_DISABLE_FLAG) return false;

    // Only the type flag and the value have consensus meaning.
    constexpr int64_t mask = TxIn::SEQUENCE_LOCKTIME_TYPE_FLAG | TxIn::SEQUENCE_LOCKTIME_MASK;
    const int64_t tx_masked = tx_sequence & mask;
    const int64_t script_masked = sequence & mask;
    const bool script_is_height = script_masked < TxIn::SEQUENCE_LOCKTIME_TYPE_FLAG;
    const bool tx_is_height = tx_masked < TxIn::SEQUENCE_LOCKTIME_TYPE_FLAG;
    if (script_is_height != tx_is_height) return false;
    if (script_masked > tx_masked) return false;
    return true;
}

template class GenericTransactionSignatureChecker<Transaction>;
template class GenericTransactionSignatureChecker<MutableTransaction>;

} // namespace cairn
