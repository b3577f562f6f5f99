// The hash constructions Bitcoin builds from SHA-256 and RIPEMD-160.
#ifndef CAIRN_CRYPTO_HASH_H
#define CAIRN_CRYPTO_HASH_H

#include "crypto/sha256.h"
#include "util/span.h"
#include "util/uint256.h"

#include <string_view>

namespace cairn {

/** SHA-256(SHA-256(data)): txids, block hashes, checksums. */
uint256 Hash256(ByteSpan data);
/** RIPEMD-160(SHA-256(data)): public-key and script hashes in addresses. */
uint160 Hash160(ByteSpan data);
/** A single SHA-256. */
uint256 Sha256Single(ByteSpan data);

/** Serialization sink that hashes what is written, so an object is hashed
 *  without first being copied into a buffer. */
class HashWriter
{
public:
    HashWriter& Write(ByteSpan data)
    {
        m_sha.Write(data);
        return *this;
    }
    /** Double SHA-256 of everything written; writing may go on afterwards. */
    uint256 GetHash() const;
    /** Single SHA-256 of everything written (BIP 143/341 midstates). */
    uint256 GetSha256() const;

private:
    Sha256 m_sha;
};

/** A hasher already fed SHA-256(tag) || SHA-256(tag) (BIP 340). Keep it and
 *  copy it per message to pay for the tag only once. */
Sha256 TaggedHashWriter(std::string_view tag);

/** SHA-256(SHA-256(tag) || SHA-256(tag) || msg). */
uint256 TaggedHash(std::string_view tag, ByteSpan msg);

} // namespace cairn

#endif
