// HMAC (RFC 2104) over SHA-256 and SHA-512.
#ifndef CAIRN_CRYPTO_HMAC_H
#define CAIRN_CRYPTO_HMAC_H

#include "crypto/sha256.h"
#include "crypto/sha512.h"
#include "util/span.h"

#include <cstdint>

namespace cairn {

/** HMAC with hash H. The key is absorbed at construction, so one instance
 *  can be copied to MAC several messages under the same key. */
template <typename H>
class Hmac
{
public:
    static constexpr size_t OUTPUT_SIZE = H::OUTPUT_SIZE;

    explicit Hmac(ByteSpan key);
    Hmac& Write(ByteSpan data)
    {
        m_inner.Write(data);
        return *this;
    }
    /** Writes the MAC; the object is spent afterwards. */
    void Finalize(uint8_t out[OUTPUT_SIZE]);

private:
    H m_inner;
    H m_outer;
};

extern template class Hmac<Sha256>;
extern template class Hmac<Sha512>;

using HmacSha256 = Hmac<Sha256>;
using HmacSha512 = Hmac<Sha512>;

} // namespace cairn

#endif
