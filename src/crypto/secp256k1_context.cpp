#include "crypto/secp256k1_context.h"

#include "crypto/random.h"

#include <secp256k1.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace cairn {
namespace {

secp256k1_context* CreateContext()
{
    // Refuses to run on a miscompiled library rather than sign with it.
    secp256k1_selftest();
    secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (!ctx) throw std::runtime_error("secp256k1_context_create failed");
    // Blinds the signing multiplications so their timing does not track
    // the secret; the seed need not be remembered.
    uint8_t seed[32];
    GetRandBytes(seed);
    const bool ok = secp256k1_context_randomize(ctx, seed);
    explicit_bzero(seed, sizeof(seed));
    if (!ok) throw std::runtime_error("secp256k1_context_randomize failed");
    return ctx;
}

} // namespace

const secp256k1_context_struct* Secp256k1Context()
{
    // Lives until exit: threads may still verify while statics are destroyed.
    static const secp256k1_context* const ctx = CreateContext();
    return ctx;
}

} // namespace cairn
