// What the interpreter asks of the transaction it runs for: are these
// signatures valid for this input, are these lock times satisfied. Script
// evaluation itself never sees the transaction.
#ifndef CAIRN_CONSENSUS_SCRIPT_SIGNATURE_CHECKER_H
#define CAIRN_CONSENSUS_SCRIPT_SIGNATURE_CHECKER_H

#include "consensus/script/script_error.h"
#include "consensus/script/sighash.h"
#include "primitives/amount.h"
#include "primitives/transaction.h"
#include "util/span.h"
#include "util/uint256.h"

#include <cstdint>

namespace cairn {

/** The default answers "no" to everything: evaluating a script with it runs
 *  every rule except the ones that need a transaction. */
class SignatureChecker
{
public:
    virtual ~SignatureChecker() = default;

    /** `sig` ends with the hash-type byte; `script_code` is what the legacy or
     *  BIP 143 hash commits to (after FindAndDelete, for legacy scripts). */
    virtual bool CheckEcdsaSignature(ByteSpan sig, ByteSpan pubkey, ByteSpan script_code,
                                     SigVersion sigversion) const;

    /** BIP 340 check of a 64- or 65-byte signature for a 32-byte key. On
     *  failure *error says why: SCHNORR_SIG_SIZE, SCHNORR_SIG_HASHTYPE or
     *  SCHNORR_SIG. */
    virtual bool CheckSchnorrSignature(ByteSpan sig, ByteSpan pubkey32, SigVersion sigversion,
                                       ScriptExecutionData& execdata, ScriptError* error) const;

    /** BIP 65: the script's lock time (non-negative, up to 5 bytes) against nLockTime. */
    virtual bool CheckLockTime(int64_t lock_time) const;
    /** BIP 112: the script's relative lock time against the input's nSequence. */
    virtual bool CheckSequence(int64_t sequence) const;
};

/** Checks signatures against input `in` of a transaction. The transaction
 *  and `txdata` must outlive the checker. A signature cache plugs in by
 *  overriding VerifyEcdsa/VerifySchnorr: every signature passes through them
 *  with the exact hash it was checked against. */
template <typename Tx>
class GenericTransactionSignatureChecker : public SignatureChecker
{
public:
    GenericTransactionSignatureChecker(const Tx& tx, unsigned int in, Amount amount, const PrecomputedTxData& txdata)
        : m_tx(&tx), m_in(in), m_amount(amount), m_txdata(&txdata)
    {
    }

    bool CheckEcdsaSignature(ByteSpan sig, ByteSpan pubkey, ByteSpan script_code,
                             SigVersion sigversion) const override;
    bool CheckSchnorrSignature(ByteSpan sig, ByteSpan pubkey32, SigVersion sigversion,
                               ScriptExecutionData& execdata, ScriptError* error) const override;
    bool CheckLockTime(int64_t lock_time) const override;
    bool CheckSequence(int64_t sequence) const override;

    const Tx& GetTx() const { return *m_tx; }
    unsigned int GetInputIndex() const { return m_in; }
    Amount GetAmount() const { return m_amount; }

protected:
    /** `der_sig` without the hash-type byte; `pubkey` has a valid header and size. */
    virtual bool VerifyEcdsa(ByteSpan der_sig, ByteSpan pubkey, const uint256& sighash) const;
    virtual bool VerifySchnorr(ByteSpan sig64, ByteSpan pubkey32, const uint256& sighash) const;

private:
    const Tx* m_tx;
    unsigned int m_in;
    Amount m_amount;
    const PrecomputedTxData* m_txdata;
};

using TransactionSignatureChecker = GenericTransactionSignatureChecker<Transaction>;
using MutableTransactionSignatureChecker = GenericTransactionSignatureChecker<MutableTransaction>;

extern template class GenericTransactionSignatureChecker<Transaction>;
extern template class GenericTransactionSignatureChecker<MutableTransaction>;

} // namespace cairn

#endif
