// The output descriptor that describes a scriptPubKey when nothing but the
// script is known: what Bitcoin Core shows as "desc" in decodescript,
// getrawtransaction, getblock and scantxoutset results.
#ifndef CAIRN_SCRIPT_INFER_DESCRIPTOR_H
#define CAIRN_SCRIPT_INFER_DESCRIPTOR_H

#include "primitives/script.h"
#include "util/chaintype.h"

#include <string>

namespace cairn {

/**
 * The descriptor of `spk` at top level, with its "#checksum":
 *   pk(HEX)         bare P2PK with a non-hybrid key;
 *   multi(k,HEX,..) bare multisig whose keys are all non-hybrid;
 *   rawtr(HEX)      taproot whose output key is a valid point;
 *   addr(ADDRESS)   anything else with an address on `chain` (P2PKH, P2SH, segwit,
 *                   taproot, anchors, unknown witness versions) - without
 *                   key or script information that is all one can say;
 *   raw(HEX)        everything else (OP_RETURN, nonstandard, hybrid keys).
 */
std::string InferDescriptorString(const Script& spk, ChainType chain);

/**
 * The descriptor of the P2WSH output paying to `witness_script` when that
 * script is known (decodescript's "segwit" member): wsh(multi(...)) for a
 * multisig of compressed keys, else addr(P2WSH address). Bitcoin Core would
 * also name a witness script that is sane miniscript (wsh(and_v(...))), which
 * Cairn does not parse: those show as addr() here.
 */
std::string InferP2WSHDescriptorString(const Script& witness_script, ChainType chain);

} // namespace cairn

#endif
