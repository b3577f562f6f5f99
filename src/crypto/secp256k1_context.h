// The one libsecp256k1 context the process shares. Internal to crypto/:
// only pubkey.cpp and key.cpp use it, and they keep secp256k1 types out of
// their headers.
#ifndef CAIRN_CRYPTO_SECP256K1_CONTEXT_H
#define CAIRN_CRYPTO_SECP256K1_CONTEXT_H

// Spelled as secp256k1.h declares it, so this header needs no secp256k1 include.
struct secp256k1_context_struct;

namespace cairn {

/** Created, self-tested and randomised (against side channels while
 *  signing) on first use; afterwards only read, so any thread may use it. */
const secp256k1_context_struct* Secp256k1Context();

} // namespace cairn

#endif
