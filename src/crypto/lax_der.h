// The permissive DER reading of ECDSA signatures that Bitcoin's consensus
// has accepted since its first release. Strict DER (BIP 66) is a separate
// script-level check; this is what stands behind it for old blocks.
#ifndef CAIRN_CRYPTO_LAX_DER_H
#define CAIRN_CRYPTO_LAX_DER_H

#include "util/span.h"

#include <cstdint>

namespace cairn {

/** Extracts R and S from a loosely DER-encoded signature into 32-byte
 *  big-endian R || S.
 *
 *  Rules: a 0x30 tag, then a length whose value is ignored (a long form
 *  only needs its bytes present); then two 0x02-tagged integers, each with a
 *  short- or long-form length (leading zero bytes of a long form skipped)
 *  that must fit in the remaining input. Bytes after S are ignored; integers
 *  are read unsigned with leading zeros dropped.
 *
 *  Returns false when that structure is absent. An integer longer than 32
 *  bytes still returns true but yields an all-zero R || S: such a signature
 *  parses, and then fails verification, exactly as it always has. */
bool ParseDerLax(ByteSpan der, uint8_t out_rs[64]);

} // namespace cairn

#endif
