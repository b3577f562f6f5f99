// Signature-operation counting, as the block sigop-cost limit
// (MAX_BLOCK_SIGOPS_COST) defines it. The counts are static: they look at
// the scripts, not at what executing them would do, and their historical
// quirks (20 for every bare CHECKMULTISIG, nothing for a P2SH scriptSig that
// is not push-only) are consensus.
#ifndef CAIRN_CONSENSUS_SCRIPT_SIGOPS_H
#define CAIRN_CONSENSUS_SCRIPT_SIGOPS_H

#include "consensus/script/script_flags.h"
#include "primitives/script.h"
#include "primitives/transaction.h"
#include "util/span.h"

#include <cstdint>
#include <span>

namespace cairn {

/** CHECKSIG(VERIFY) counts 1. CHECKMULTISIG(VERIFY) counts 20, or, when
 *  `accurate` and an OP_1..OP_16 precedes it, that number. Counting stops
 *  at the first unparseable operation. */
unsigned int GetSigOpCount(ByteSpan script, bool accurate);

/** Sigops of a P2SH spend: the accurate count of the redeem script, i.e. of
 *  the last push of `script_sig` (0 if script_sig is not push-only). For any
 *  other scriptPubKey, its own accurate count. */
unsigned int GetP2SHSigOpCount(const Script& script_pubkey, const Script& script_sig);

/** BIP 141 sigops of one input's witness (not scaled): 1 for P2WPKH, the
 *  accurate count of the witness script for P2WSH, bare or P2SH-wrapped;
 *  0 without the WITNESS flag and for other versions. */
size_t CountWitnessSigOps(const Script& script_sig, const Script& script_pubkey, const ScriptWitness* witness,
                          ScriptFlags flags);

/** Transaction level. */
/** Inaccurate counts over all scriptSigs and scriptPubKeys (the original block rule). */
unsigned int GetLegacySigOpCount(const Transaction& tx);
/** Redeem-script sigops over all inputs; `spent` holds the spent outputs in input order. 0 for a coinbase. */
unsigned int GetP2SHSigOpCount(const Transaction& tx, std::span<const TxOut> spent);
/** BIP 141 sigop cost: legacy counts times WITNESS_SCALE_FACTOR (4), P2SH
 *  counts likewise when P2SH is enforced, witness sigops once. */
int64_t GetTransactionSigOpCost(const Transaction& tx, std::span<const TxOut> spent, ScriptFlags flags);

} // namespace cairn

#endif
