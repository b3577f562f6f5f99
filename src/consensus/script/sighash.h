// Signature hashes: what an ECDSA or Schnorr signature in a script commits
// to. Three schemes, picked by where the script runs:
//  - legacy (BASE): the transaction re-serialized with the input's scriptCode,
//    quirks included (SIGHASH_SINGLE without a matching output signs the
//    number 1; OP_CODESEPARATORs are cut out of the scriptCode);
//  - BIP 143 (WITNESS_V0): fixed-size preimage, amount committed;
//  - BIP 341/342 (TAPROOT, TAPSCRIPT): tagged hash, all spent outputs committed.
// Per-transaction parts are hashed once into PrecomputedTxData so that a
// transaction with n inputs costs O(n) hashing, not O(n^2).
#ifndef CAIRN_CONSENSUS_SCRIPT_SIGHASH_H
#define CAIRN_CONSENSUS_SCRIPT_SIGHASH_H

#include "primitives/amount.h"
#include "primitives/transaction.h"
#include "util/span.h"
#include "util/uint256.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace cairn {

/** The context a script runs in; it selects the rules and the signature hash. */
enum class SigVersion {
    BASE,       //!< scriptSig, scriptPubKey, P2SH redeem script
    WITNESS_V0, //!< P2WPKH and P2WSH (BIP 141/143)
    TAPROOT,    //!< taproot key path (BIP 341)
    TAPSCRIPT,  //!< taproot script path, leaf version 0xc0 (BIP 342)
};

inline constexpr int SIGHASH_ALL = 1;
inline constexpr int SIGHASH_NONE = 2;
inline constexpr int SIGHASH_SINGLE = 3;
inline constexpr int SIGHASH_ANYONECANPAY = 0x80;
/** Taproot only: a 64-byte signature, meaning SIGHASH_ALL without a hash-type byte. */
inline constexpr int SIGHASH_DEFAULT = 0;
inline constexpr int SIGHASH_OUTPUT_MASK = 3;
inline constexpr int SIGHASH_INPUT_MASK = 0x80;

/** Per-input facts a BIP 341/342 signature commits to beyond the
 *  transaction, gathered by the interpreter while it verifies the input. */
struct ScriptExecutionData {
    /** Script path: hash of the executed leaf. */
    std::optional<uint256> tapleaf_hash;
    /** Tapscript: opcode position of the last executed OP_CODESEPARATOR, 0xffffffff for none. */
    uint32_t codeseparator_pos{0xffffffff};
    /** SHA256(compact_size(len) || annex) when the witness carries an annex. */
    std::optional<uint256> annex_hash;
    /** Tapscript: the validation-weight budget still available. */
    int64_t validation_weight_left{0};
    /** SHA256 of the output at the input's index, kept for repeated SIGHASH_SINGLE signatures. */
    std::optional<uint256> output_hash;
};

/** Hashes shared by all inputs of one transaction. Build it once per
 *  transaction, before checking its inputs (from any thread afterwards: it is
 *  read-only then). */
struct PrecomputedTxData {
    // Single SHA-256s over all inputs/outputs (BIP 341 names: sha_prevouts, ...).
    uint256 prevouts_sha;
    uint256 sequences_sha;
    uint256 outputs_sha;
    uint256 amounts_sha;
    uint256 scriptpubkeys_sha;
    // BIP 143: the double SHA-256s, i.e. SHA-256 of the above.
    uint256 hash_prevouts;
    uint256 hash_sequence;
    uint256 hash_outputs;

    /** The outputs the inputs spend, in input order; empty when unknown. */
    std::vector<TxOut> spent_outputs;

    bool bip143_ready{false};
    /** Taproot signature hashes need every spent output: false when unknown. */
    bool bip341_ready{false};

    PrecomputedTxData() = default;
    /** spent_outputs may be empty (legacy-only use); otherwise one per input.
     *  Only what the transaction can use is computed, unless `force`. */
    template <typename Tx>
    explicit PrecomputedTxData(const Tx& tx, std::vector<TxOut> spent_outputs = {}, bool force = false)
    {
        Init(tx, std::move(spent_outputs), force);
    }
    template <typename Tx> void Init(const Tx& tx, std::vector<TxOut> spent_outputs, bool force = false);

    bool HasSpentOutputs() const { return !spent_outputs.empty(); }
};

/** Legacy signature hash. hash_type is the full 32-bit value that is
 *  serialized; only its low 5 bits and 0x80 select the behaviour. An input
 *  with SIGHASH_SINGLE and no output at its index gets uint256::ONE. */
template <typename Tx>
uint256 LegacySignatureHash(ByteSpan script_code, const Tx& tx, unsigned int in, int32_t hash_type);

/** BIP 143 signature hash. Uses `cache` when it is ready, else computes the shared parts. */
template <typename Tx>
uint256 SegwitV0SignatureHash(ByteSpan script_code, const Tx& tx, unsigned int in, int32_t hash_type,
                              Amount amount, const PrecomputedTxData* cache);

/** BASE or WITNESS_V0 signature hash, as OP_CHECKSIG computes it. */
template <typename Tx>
uint256 SignatureHash(ByteSpan script_code, const Tx& tx, unsigned int in, int32_t hash_type, Amount amount,
                      SigVersion sigversion, const PrecomputedTxData* cache = nullptr);

/** Writes BIP 341's 0x00 || SigMsg(hash_type, ext_flag) (plus BIP 342's
 *  extension for TAPSCRIPT) to `w`. False, with nothing meaningful written,
 *  for an undefined hash type, SIGHASH_SINGLE without a matching output, or
 *  when `cache` lacks the spent outputs. */
template <typename W, typename Tx>
bool WriteTaprootSigMsg(W& w, ScriptExecutionData& execdata, const Tx& tx, unsigned int in, uint8_t hash_type,
                        SigVersion sigversion, const PrecomputedTxData& cache);

/** TaggedHash("TapSighash", 0x00 || SigMsg ...); false as for WriteTaprootSigMsg. */
template <typename Tx>
bool TaprootSignatureHash(uint256& out, ScriptExecutionData& execdata, const Tx& tx, unsigned int in,
                          uint8_t hash_type, SigVersion sigversion, const PrecomputedTxData& cache);

} // namespace cairn

#endif
