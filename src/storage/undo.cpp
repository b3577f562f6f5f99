#include "storage/undo.h"

#include <algorithm>

namespace cairn {

Coin DeserializeUndoCoin(Reader& r)
{
    uint32_t code = ReadVarInt<uint32_t>(r);
    Coin coin;
    coin.height = code >> 1;
    coin.coinbase = code & 1;
    if (coin.height > 0) (void)ReadVarInt<uint32_t>(r); // the old version field
    coin.out = DeserializeCompressedTxOut(r);
    return coin;
}

TxUndo DeserializeTxUndo(Reader& r)
{
    uint64_t n = r.CompactSize();
    TxUndo undo;
    // Each coin takes at least 3 bytes, so a count larger than what is left
    // is a lie: reserve no more than the data can hold.
    undo.prevout.reserve(size_t(std::min<uint64_t>(n, r.remaining() / 3)));
    for (uint64_t i = 0; i < n; ++i) undo.prevout.push_back(DeserializeUndoCoin(r));
    return undo;
}

BlockUndo DeserializeBlockUndo(Reader& r)
{
    uint64_t n = r.CompactSize();
    BlockUndo undo;
    undo.txundo.reserve(size_t(std::min<uint64_t>(n, r.remaining())));
    for (uint64_t i = 0; i < n; ++i) undo.txundo.push_back(DeserializeTxUndo(r));
    return undo;
}

Bytes SerializeBlockUndoBytes(const BlockUndo& undo)
{
    Bytes out;
    VectorWriter w(out);
    SerializeBlockUndo(w, undo);
    return out;
}

} // namespace cairn
