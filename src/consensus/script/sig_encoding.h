// Encoding rules for signatures and public keys inside scripts: BIP 66
// strict DER, low S, defined hash types, key formats. Which of them apply
// depends on the flags; none looks at the curve.
#ifndef CAIRN_CONSENSUS_SCRIPT_SIG_ENCODING_H
#define CAIRN_CONSENSUS_SCRIPT_SIG_ENCODING_H

#include "consensus/script/script_error.h"
#include "consensus/script/script_flags.h"
#include "consensus/script/sighash.h"
#include "util/span.h"

namespace cairn {

/** BIP 66: `sig` (DER plus the trailing hash-type byte) is strict DER:
 *  0x30 len 0x02 lenR R 0x02 lenS S hashtype, lengths consistent, R and S
 *  positive and minimally encoded, 9 to 73 bytes in all. */
bool IsValidSignatureEncoding(ByteSpan sig);

/** The hash-type byte is ALL, NONE or SINGLE, with or without ANYONECANPAY. */
bool IsDefinedHashtypeSignature(ByteSpan sig);

/** 33 bytes starting 02/03, or 65 bytes starting 04 (hybrid keys excluded). */
bool IsCompressedOrUncompressedPubKey(ByteSpan pubkey);
/** 33 bytes starting 02/03. */
bool IsCompressedPubKey(ByteSpan pubkey);

/** The ECDSA signature rules in force under `flags`. An empty signature
 *  always passes: it is the way to supply a signature that will fail. */
bool CheckSignatureEncoding(ByteSpan sig, ScriptFlags flags, ScriptError* error);

/** The public-key rules in force under `flags` for an ECDSA check. */
bool CheckPubKeyEncoding(ByteSpan pubkey, ScriptFlags flags, SigVersion sigversion, ScriptError* error);

} // namespace cairn

#endif
