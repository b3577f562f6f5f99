// Randomness from the operating system: keys, nonces, hash-table salts.
#ifndef CAIRN_CRYPTO_RANDOM_H
#define CAIRN_CRYPTO_RANDOM_H

#include "util/span.h"

#include <cstdint>

namespace cairn {

/** Fills `out` from getrandom(2). Throws std::runtime_error if the kernel
 *  cannot deliver: callers never get predictable bytes back. */
void GetRandBytes(MutableByteSpan out);

/** A uniformly random 64-bit value, from GetRandBytes. */
uint64_t GetRandUint64();

} // namespace cairn

#endif
