// Classification of output scripts into the standard templates, and the
// data each template carries. Policy (what relays), addresses and the wallet
// all start from this; consensus never does.
#ifndef CAIRN_SCRIPT_SOLVER_H
#define CAIRN_SCRIPT_SOLVER_H

#include "primitives/script.h"
#include "util/span.h"

#include <string>
#include <vector>

namespace cairn {

class PubKey;

enum class TxoutType {
    NONSTANDARD,
    PUBKEY,
    PUBKEYHASH,
    SCRIPTHASH,
    MULTISIG,
    NULL_DATA, //!< OP_RETURN followed by pushes only: unspendable, prunable
    WITNESS_V0_KEYHASH,
    WITNESS_V0_SCRIPTHASH,
    WITNESS_V1_TAPROOT,
    WITNESS_UNKNOWN, //!< a witness program of a version or size with no meaning yet
    ANCHOR,          //!< pay-to-anchor, OP_1 <0x4e73>
};

/** Bitcoin Core's name of the type, as RPCs show it ("pubkeyhash", ...). */
std::string GetTxnOutputType(TxoutType type);

/**
 * Classifies a scriptPubKey and returns what it commits to in `solutions`:
 *   PUBKEY: the key; PUBKEYHASH, SCRIPTHASH: the 20-byte hash;
 *   WITNESS_V0_*, WITNESS_V1_TAPROOT: the program;
 *   WITNESS_UNKNOWN: {version byte}, then the program;
 *   MULTISIG: {m}, the n keys, {n};
 *   NULL_DATA, ANCHOR, NONSTANDARD: nothing.
 * Keys are only checked for a plausible size and first byte, never for
 * being on the curve: that is the signer's problem, not the template's.
 */
TxoutType Solver(const Script& script_pubkey, std::vector<Bytes>& solutions);

/** <m> <key>... <n> OP_CHECKMULTISIG (m and n pushed as OP_n or numbers). */
Script GetScriptForMultisig(int required, const std::vector<PubKey>& keys);

} // namespace cairn

#endif
