// Block headers and blocks as plain data, with their serialization.
#ifndef CAIRN_PRIMITIVES_BLOCK_H
#define CAIRN_PRIMITIVES_BLOCK_H

#include "primitives/transaction.h"

namespace cairn {

struct BlockHeader {
    static constexpr size_t SIZE = 80;

    int32_t version{0};
    uint256 prev_block;
    uint256 merkle_root;
    uint32_t time{0};
    uint32_t bits{0};
    uint32_t nonce{0};

    bool IsNull() const { return bits == 0; }
    uint256 GetHash() const;
    friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

struct Block : BlockHeader {
    std::vector<TransactionRef> vtx;

    const BlockHeader& header() const { return *this; }
};

template <typename W> void SerializeBlockHeader(W& w, const BlockHeader& h)
{
    WriteU32LE(w, uint32_t(h.version));
    w.Write(h.prev_block.span());
    w.Write(h.merkle_root.span());
    WriteU32LE(w, h.time);
    WriteU32LE(w, h.bits);
    WriteU32LE(w, h.nonce);
}

template <typename W> void SerializeBlock(W& w, const Block& b, bool with_witness = true)
{
    SerializeBlockHeader(w, b);
    WriteCompactSize(w, b.vtx.size());
    for (const TransactionRef& tx : b.vtx) SerializeTransaction(w, *tx, with_witness);
}

BlockHeader DeserializeBlockHeader(Reader& r);
/** Reads a block; throws DeserializeError on malformed data. */
Block DeserializeBlock(Reader& r, bool allow_witness = true);

Bytes SerializeBlockBytes(const Block& b, bool with_witness = true);

} // namespace cairn

#endif
