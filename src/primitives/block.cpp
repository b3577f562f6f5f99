#include "primitives/block.h"

#include "crypto/hash.h"

namespace cairn {

uint256 BlockHeader::GetHash() const
{
    HashWriter hw;
    SerializeBlockHeader(hw, *this);
    return hw.GetHash();
}

BlockHeader DeserializeBlockHeader(Reader& r)
{
    BlockHeader h;
    h.version = int32_t(r.U32LE());
    r.ReadInto(h.prev_block.data(), 32);
    r.ReadInto(h.merkle_root.data(), 32);
    h.time = r.U32LE();
    h.bits = r.U32LE();
    h.nonce = r.U32LE();
    return h;
}

Block DeserializeBlock(Reader& r, bool allow_witness)
{
    Block b;
    static_cast<BlockHeader&>(b) = DeserializeBlockHeader(r);
    uint64_t n = r.CompactSize();
    // A transaction takes at least 10 bytes: bound the reservation by what is left.
    b.vtx.reserve(std::min<uint64_t>(n, r.remaining() / 10));
    for (uint64_t i = 0; i < n; ++i) b.vtx.push_back(DeserializeTransaction(r, allow_witness));
    return b;
}

Bytes SerializeBlockBytes(const Block& b, bool with_witness)
{
    Bytes out;
    VectorWriter w(out);
    SerializeBlock(w, b, with_witness);
    return out;
}

} // namespace cairn
