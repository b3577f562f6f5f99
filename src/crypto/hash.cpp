#include "crypto/hash.h"

#include "crypto/ripemd160.h"

namespace cairn {

uint256 Sha256Single(ByteSpan data)
{
    uint256 out;
    Sha256().Write(data).Finalize(out.data());
    return out;
}

uint256 Hash256(ByteSpan data)
{
    uint256 out = Sha256Single(data);
    Sha256().Write(out.span()).Finalize(out.data());
    return out;
}

uint160 Hash160(ByteSpan data)
{
    const uint256 sha = Sha256Single(data);
    uint160 out;
    Ripemd160().Write(sha.span()).Finalize(out.data());
    return out;
}

uint256 HashWriter::GetSha256() const
{
    uint256 out;
    Sha256(m_sha).Finalize(out.data());
    return out;
}

uint256 HashWriter::GetHash() const
{
    uint256 out = GetSha256();
    Sha256().Write(out.span()).Finalize(out.data());
    return out;
}

Sha256 TaggedHashWriter(std::string_view tag)
{
    const uint256 tag_hash = Sha256Single(AsBytes(tag));
    Sha256 sha;
    sha.Write(tag_hash.span()).Write(tag_hash.span());
    return sha;
}

uint256 TaggedHash(std::string_view tag, ByteSpan msg)
{
    uint256 out;
    TaggedHashWriter(tag).Write(msg).Finalize(out.data());
    return out;
}

} // namespace cairn
