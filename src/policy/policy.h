// Standardness: what this node relays and mines beyond what consensus
// allows (Bitcoin Core 30's policy/policy.h). The defaults of the relay
// settings, the script flags the mempool verifies with, the output and
// input templates it accepts, dust, and the sigop-adjusted virtual size.
// Pure functions: the spent coins are passed in, nothing is looked up.
#ifndef CAIRN_POLICY_POLICY_H
#define CAIRN_POLICY_POLICY_H

#include "consensus/consensus.h"
#include "consensus/script/script_flags.h"
#include "policy/feerate.h"
#include "primitives/amount.h"
#include "primitives/coin.h"
#include "primitives/script.h"
#include "primitives/transaction.h"
#include "script/solver.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cairn {

// ---- mempool settings (Core keeps these in kernel/mempool_options.h) ----

/** Default for -maxmempool, in megabytes (10^6 bytes). */
inline constexpr unsigned int DEFAULT_MAX_MEMPOOL_SIZE_MB{300};
/** Default for -mempoolexpiry, in hours (two weeks). */
inline constexpr unsigned int DEFAULT_MEMPOOL_EXPIRY_HOURS{336};

// ---- fee rates, all in satoshis per 1000 virtual bytes ----

/** Default for -minrelaytxfee: 0.1 sat/vB since Core 30. */
inline constexpr unsigned int DEFAULT_MIN_RELAY_TX_FEE{100};
/** Default for -incrementalrelayfee, the step a replacement or the rising
 *  mempool floor must add: 0.1 sat/vB since Core 30. Keep it equal to the
 *  minimum relay fee. */
inline constexpr unsigned int DEFAULT_INCREMENTAL_RELAY_FEE{100};
/** Default for -blockmintxfee, the lowest rate block assembly takes:
 *  0.001 sat/vB since Core 30. */
inline constexpr unsigned int DEFAULT_BLOCK_MIN_TX_FEE{1};
/** Default for -dustrelayfee, the rate that defines dust. Raising it makes
 *  outputs that older nodes created non-standard, so it changes rarely. */
inline constexpr unsigned int DUST_RELAY_TX_FEE{3000};

// ---- transaction size and sigops ----

/** Largest standard transaction weight: bounds the quadratic cost of legacy signature hashing. */
inline constexpr int32_t MAX_STANDARD_TX_WEIGHT{400000};
/** Smallest standard non-witness size: one more than 64, the size of a merkle inner node. */
inline constexpr unsigned int MIN_STANDARD_TX_NONWITNESS_SIZE{65};
/** Most sigops a standard P2SH redeem script may have (accurate count). */
inline constexpr unsigned int MAX_P2SH_SIGOPS{15};
/** Most sigop cost a standard transaction may have. */
inline constexpr unsigned int MAX_STANDARD_TX_SIGOPS_COST{MAX_BLOCK_SIGOPS_COST / 5};
/** BIP 54: most legacy sigops (scriptSigs, spent scriptPubKeys and P2SH
 *  redeem scripts, accurate counts, unscaled) a standard transaction may
 *  potentially execute. Checked by AreInputsStandard. */
inline constexpr unsigned int MAX_TX_LEGACY_SIGOPS{2500};
/** Default for -bytespersigop: each sigop counts as this many virtual bytes
 *  when that is more than the weight (GetVirtualTransactionSize). */
inline constexpr unsigned int DEFAULT_BYTES_PER_SIGOP{20};

// ---- scripts and witnesses ----

/** Default for -permitbaremultisig (bare 1..3-of-1..3 CHECKMULTISIG outputs). */
inline constexpr bool DEFAULT_PERMIT_BAREMULTISIG{true};
/** A standard P2WSH spend: at most this many stack items besides the witness script ... */
inline constexpr unsigned int MAX_STANDARD_P2WSH_STACK_ITEMS{100};
/** ... each at most this many bytes ... */
inline constexpr unsigned int MAX_STANDARD_P2WSH_STACK_ITEM_SIZE{80};
/** ... and a witness script of at most this many bytes. */
inline constexpr unsigned int MAX_STANDARD_P2WSH_SCRIPT_SIZE{3600};
/** Largest standard stack item (script and control block excluded) of a tapscript (leaf 0xc0) spend. */
inline constexpr unsigned int MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE{80};
/** Largest standard scriptSig: a 15-of-15 P2SH multisig spend with room to spare. */
inline constexpr unsigned int MAX_STANDARD_SCRIPTSIG_SIZE{1650};

// ---- data carrier (OP_RETURN) outputs ----

/** Default for -datacarrier. */
inline constexpr bool DEFAULT_ACCEPT_DATACARRIER{true};
/** Default for -datacarriersize: the total scriptPubKey bytes of all
 *  OP_RETURN outputs of a transaction. Since Core 30 it equals the largest
 *  standard transaction's virtual size, i.e. no separate limit, and several
 *  OP_RETURN outputs are allowed. */
inline constexpr unsigned int MAX_OP_RETURN_RELAY{MAX_STANDARD_TX_WEIGHT / WITNESS_SCALE_FACTOR};

// ---- chains of unconfirmed transactions ----

/** Default for -limitancestorcount: in-mempool ancestors, the transaction included. */
inline constexpr unsigned int DEFAULT_ANCESTOR_LIMIT{25};
/** Default for -limitancestorsize, in thousands of virtual bytes. */
inline constexpr unsigned int DEFAULT_ANCESTOR_SIZE_LIMIT_KVB{101};
/** Default for -limitdescendantcount: in-mempool descendants, the transaction included. */
inline constexpr unsigned int DEFAULT_DESCENDANT_LIMIT{25};
/** Default for -limitdescendantsize, in thousands of virtual bytes. */
inline constexpr unsigned int DEFAULT_DESCENDANT_SIZE_LIMIT_KVB{101};
/** The CPFP carve-out: one more descendant is allowed if it has a single
 *  ancestor and is at most this many virtual bytes. */
inline constexpr unsigned int EXTRA_DESCENDANT_TX_SIZE_LIMIT{10000};

// ---- versions, dust, replaceability ----

/** Standard nVersion range; 3 is TRUC (BIP 431). Raise the maximum here
 *  before wallets create a new version. */
inline constexpr uint32_t TX_MIN_STANDARD_VERSION{1};
inline constexpr uint32_t TX_MAX_STANDARD_VERSION{3};
/** At most this many dust outputs in a standard transaction (ephemeral
 *  dust: it must then pay no fee, and a child in the same package must spend
 *  it; see policy/ephemeral.h). */
inline constexpr unsigned int MAX_DUST_OUTPUTS_PER_TX{1};
/** BIP 125: an input with nSequence at most this signals replaceability. */
inline constexpr uint32_t MAX_BIP125_RBF_SEQUENCE{0xfffffffd};

// ---- script verification flags ----

/** Flags every new transaction must satisfy: all the soft forks consensus
 *  enforces. A failure means the transaction is invalid, whoever sent it.
 *  (Blocks use their own per-height flags; this does not change consensus.) */
inline constexpr ScriptFlags MANDATORY_SCRIPT_VERIFY_FLAGS{
    SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_NULLDUMMY | SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY |
    SCRIPT_VERIFY_CHECKSEQUENCEVERIFY | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_TAPROOT};

/** Flags standard transactions satisfy on top: malleability rules and the
 *  upgrade hooks. Blocks may contain scripts that break them, and a peer
 *  relaying such a transaction is not misbehaving. SIGPUSHONLY is the one
 *  flag left out (IsStandardTx checks push-only scriptSigs itself). */
inline constexpr ScriptFlags STANDARD_SCRIPT_VERIFY_FLAGS{
    MANDATORY_SCRIPT_VERIFY_FLAGS | SCRIPT_VERIFY_STRICTENC | SCRIPT_VERIFY_MINIMALDATA |
    SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS | SCRIPT_VERIFY_CLEANSTACK | SCRIPT_VERIFY_MINIMALIF |
    SCRIPT_VERIFY_NULLFAIL | SCRIPT_VERIFY_LOW_S | SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM |
    SCRIPT_VERIFY_WITNESS_PUBKEYTYPE | SCRIPT_VERIFY_CONST_SCRIPTCODE |
    SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION | SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS |
    SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE};

/** The standard flags that are not mandatory. */
inline constexpr ScriptFlags STANDARD_NOT_MANDATORY_VERIFY_FLAGS{STANDARD_SCRIPT_VERIFY_FLAGS &
                                                                 ~MANDATORY_SCRIPT_VERIFY_FLAGS};

/** Flags for lock-time and BIP 68 sequence checks outside block validation
 *  (consensus/consensus.h's LOCKTIME_ flags). */
inline constexpr unsigned int STANDARD_LOCKTIME_VERIFY_FLAGS{LOCKTIME_VERIFY_SEQUENCE};

static_assert(IsValidFlagCombination(MANDATORY_SCRIPT_VERIFY_FLAGS));
static_assert(IsValidFlagCombination(STANDARD_SCRIPT_VERIFY_FLAGS));

// ---- dust ----

/** The smallest value at which `out` is worth spending at `dust_relay_fee`:
 *  the fee for the output's own serialized size plus a typical input
 *  spending it (148 bytes; 67 virtual bytes for any witness program,
 *  pay-to-anchor included). 0 for a provably unspendable output. At the
 *  default 3000 sat/kvB: P2PKH 546, P2WPKH 294, P2TR 330, P2A 240. */
Amount GetDustThreshold(const TxOut& out, const FeeRate& dust_relay_fee);

/** The output's value is below GetDustThreshold. */
bool IsDust(const TxOut& out, const FeeRate& dust_relay_fee);

/** Indices of the dust outputs of `tx`, ascending. */
std::vector<uint32_t> GetDust(const Transaction& tx, FeeRate dust_relay_fee);

// ---- outputs and transactions ----

/** Classifies `spk` and says whether relay accepts it as an output:
 *  anything Solver recognises except bare multisig beyond 3 keys (or with
 *  m outside 1..n). Core 30's form: OP_RETURN size is IsStandardTx's job. */
bool IsStandard(const Script& spk, TxoutType& which_type);

/** As above, and also an OP_RETURN output on its own: rejected when data
 *  carrying is off (nullopt) or its scriptPubKey is larger than
 *  `max_datacarrier_bytes`. (The pre-30 single-output rule; IsStandardTx
 *  applies the limit to the sum over all OP_RETURN outputs.) */
bool IsStandard(const Script& spk, const std::optional<unsigned>& max_datacarrier_bytes, TxoutType& which_type);

/** The context-free standardness checks, in Core's order, first failure
 *  wins. `reason` is Core's token:
 *    version                 nVersion outside TX_MIN..TX_MAX_STANDARD_VERSION
 *    tx-size                 weight over MAX_STANDARD_TX_WEIGHT
 *    scriptsig-size          a scriptSig over MAX_STANDARD_SCRIPTSIG_SIZE
 *    scriptsig-not-pushonly  a scriptSig with a non-push operation
 *    scriptpubkey            an output IsStandard rejects
 *    datacarrier             OP_RETURN scriptPubKeys total more than
 *                            max_datacarrier_bytes (nullopt: none allowed)
 *    bare-multisig           a bare multisig output while not permitted
 *    dust                    more than MAX_DUST_OUTPUTS_PER_TX dust outputs
 *  The minimum non-witness size (tx-size-small) and the sigop cost are the
 *  mempool's checks, as in Core. */
bool IsStandardTx(const Transaction& tx, const std::optional<unsigned>& max_datacarrier_bytes,
                  bool permit_bare_multisig, const FeeRate& dust_relay_fee, std::string& reason);

// ---- inputs (need the spent coins: `coins[i]` is what tx.vin[i] spends, all non-null) ----

/** BIP 54 count for a non-coinbase transaction: for each input, the
 *  accurate sigops of its scriptSig plus those of the spent scriptPubKey
 *  (of the redeem script, for P2SH). */
unsigned int GetLegacySigOpsBIP54(const Transaction& tx, std::span<const Coin* const> coins);

/** The non-witness input rules; true for a coinbase. False (the mempool
 *  rejects with bad-txns-nonstandard-inputs) when:
 *    the BIP 54 count exceeds MAX_TX_LEGACY_SIGOPS (checked first),
 *    an input spends a NONSTANDARD or WITNESS_UNKNOWN output,
 *    a P2SH input's scriptSig does not evaluate to a non-empty stack, or
 *    its redeem script has more than MAX_P2SH_SIGOPS sigops.
 *  False too when `coins` is shorter than tx.vin or holds a null. */
bool AreInputsStandard(const Transaction& tx, std::span<const Coin* const> coins);

/** The witness rules; true for a coinbase; inputs without a witness are
 *  skipped. False (bad-witness-nonstandard) when a witness is attached to a
 *  pay-to-anchor or to a script that is not a witness program (P2SH looked
 *  through), a P2WSH spend exceeds the script size, item count or item size
 *  limits, or a taproot spend (not P2SH-wrapped) has an annex, an empty
 *  control block, no stack, or a tapscript item over 80 bytes. False too
 *  when `coins` is shorter than tx.vin or holds a null. */
bool IsWitnessStandard(const Transaction& tx, std::span<const Coin* const> coins);

// ---- size ----

/** Virtual size: weight / 4 rounded up, or sigop_cost * bytes_per_sigop / 4
 *  rounded up if that is larger (so sigop-heavy transactions pay for them). */
int64_t GetVirtualTransactionSize(int64_t weight, int64_t sigop_cost, unsigned bytes_per_sigop);
int64_t GetVirtualTransactionSize(const Transaction& tx, int64_t sigop_cost, unsigned bytes_per_sigop);
/** Plain virtual size, sigops ignored. */
inline int64_t GetVirtualTransactionSize(const Transaction& tx) { return GetVirtualTransactionSize(tx, 0, 0); }

/** BIP 125: some input has nSequence <= MAX_BIP125_RBF_SEQUENCE. */
bool SignalsOptInRBF(const Transaction& tx);

} // namespace cairn

#endif
