// Undo data: the coins a block spent, kept so the block can be disconnected
// (on a reorg) by putting them back. One BlockUndo per block, in the rev file
// that belongs to the block's blk file.
#ifndef CAIRN_STORAGE_UNDO_H
#define CAIRN_STORAGE_UNDO_H

#include "primitives/coin.h"
#include "storage/compress.h"
#include "util/serialize.h"
#include "util/varint.h"

#include <vector>

namespace cairn {

/** The coins one transaction spent, in the order of its inputs. */
struct TxUndo {
    std::vector<Coin> prevout;
    friend bool operator==(const TxUndo&, const TxUndo&) = default;
};

/** The coins one block spent: one TxUndo per transaction except the coinbase
 *  (which spends nothing), in block order. */
struct BlockUndo {
    std::vector<TxUndo> txundo;
    friend bool operator==(const BlockUndo&, const BlockUndo&) = default;
};

/** One spent coin: VARINT(height * 2 + coinbase); when height > 0 a VARINT(0)
 *  that older Core versions used for the transaction version (kept so the
 *  record has Core's shape; ignored when read); then the compressed output. */
template <typename W> void SerializeUndoCoin(W& w, const Coin& coin)
{
    WriteVarInt(w, uint32_t(coin.height) * 2 + uint32_t(coin.coinbase));
    if (coin.height > 0) WriteVarInt(w, 0U);
    SerializeCompressedTxOut(w, coin.out);
}
Coin DeserializeUndoCoin(Reader& r);

/** CompactSize(number of inputs) then each spent coin. */
template <typename W> void SerializeTxUndo(W& w, const TxUndo& undo)
{
    WriteCompactSize(w, undo.prevout.size());
    for (const Coin& coin : undo.prevout) SerializeUndoCoin(w, coin);
}
TxUndo DeserializeTxUndo(Reader& r);

/** CompactSize(number of non-coinbase transactions) then each TxUndo. */
template <typename W> void SerializeBlockUndo(W& w, const BlockUndo& undo)
{
    WriteCompactSize(w, undo.txundo.size());
    for (const TxUndo& tx : undo.txundo) SerializeTxUndo(w, tx);
}
BlockUndo DeserializeBlockUndo(Reader& r);

Bytes SerializeBlockUndoBytes(const BlockUndo& undo);

} // namespace cairn

#endif
