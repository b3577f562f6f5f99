// BIP 152 compact blocks: the cmpctblock, getblocktxn and blocktxn payloads
// with their exact wire encodings, the short transaction ids, and the
// reconstruction of a block from a compact one plus the mempool
// (PartiallyDownloadedBlock), as Bitcoin Core's blockencodings.
//
// Wire formats (all integers little-endian, "cs" = CompactSize):
//   cmpctblock  = header(80) | nonce(u64) | cs n | n × short id (6 bytes)
//                 | cs m | m × (cs index-delta, tx with witness)
//   getblocktxn = block hash(32) | cs n | n × cs index-delta
//   blocktxn    = block hash(32) | cs n | n × tx with witness
// Index deltas are differential: the first is the index itself, each next
// one is (index - previous index - 1), so increasing indexes stay small.
// The peer manager's side of the protocol is in compact_relay.cpp.
#ifndef CAIRN_NET_BLOCKENCODINGS_H
#define CAIRN_NET_BLOCKENCODINGS_H

#include "primitives/block.h"
#include "util/serialize.h"
#include "util/uint256.h"

#include <cstdint>
#include <vector>

namespace cairn {

class TxMemPool;

/** Bytes of a short transaction id on the wire. */
inline constexpr size_t SHORTTXIDS_LENGTH = 6;

/** The SipHash key of one compact block's short ids: the first two 64-bit
 *  little-endian words of SHA256(header || nonce). */
struct ShortIdKey {
    uint64_t k0{0};
    uint64_t k1{0};
    /** SipHash-2-4 of the wtxid, truncated to 48 bits. */
    uint64_t ShortId(const uint256& wtxid) const;
};
ShortIdKey ComputeShortIdKey(const BlockHeader& header, uint64_t nonce);

/** A transaction sent in full inside a cmpctblock. `index` is as on the wire:
 *  differential (see above) inside HeaderAndShortIDs. */
struct PrefilledTransaction {
    uint16_t index{0};
    TransactionRef tx;
};

/** The cmpctblock payload (Core's CBlockHeaderAndShortTxIDs). */
struct HeaderAndShortIDs {
    BlockHeader header;
    uint64_t nonce{0};
    /** 48-bit short ids of the transactions not prefilled, in block order. */
    std::vector<uint64_t> short_ids;
    /** Prefilled transactions in block order, indexes differential. */
    std::vector<PrefilledTransaction> prefilled;

    HeaderAndShortIDs() = default;
    /** Short ids for every transaction but the coinbase, which is prefilled
     *  (as Core: nothing else is predicted to be missing). */
    HeaderAndShortIDs(const Block& block, uint64_t nonce);

    size_t BlockTxCount() const { return short_ids.size() + prefilled.size(); }
    ShortIdKey Key() const { return ComputeShortIdKey(header, nonce); }
};

/** Throws std::invalid_argument for a short id over 48 bits. */
Bytes SerializeHeaderAndShortIDs(const HeaderAndShortIDs& m);
/** Throws DeserializeError on malformed data, a prefilled index over 16 bits
 *  ("CompactSize exceeds limit of type") or more than 65535 transactions
 *  ("indexes overflowed 16 bits"), as Core's deserializer. */
HeaderAndShortIDs DeserializeHeaderAndShortIDs(ByteSpan payload);

/** The getblocktxn payload. `indexes` are absolute, strictly increasing. */
struct BlockTransactionsRequest {
    uint256 blockhash;
    std::vector<uint16_t> indexes;
};
/** Throws std::invalid_argument if the indexes are not strictly increasing. */
Bytes SerializeBlockTransactionsRequest(const BlockTransactionsRequest& m);
/** Throws DeserializeError on malformed data or an index past 65535
 *  ("differential value overflow"). */
BlockTransactionsRequest DeserializeBlockTransactionsRequest(ByteSpan payload);

/** The blocktxn payload: the requested transactions, in request order. */
struct BlockTransactions {
    uint256 blockhash;
    std::vector<TransactionRef> txn;
};
Bytes SerializeBlockTransactions(const BlockTransactions& m);
BlockTransactions DeserializeBlockTransactions(ByteSpan payload);

/** Core's IsBlockMutated: the merkle root does not commit to these
 *  transactions (or the tree is CVE-2012-2459 malleated), a 64-byte
 *  transaction in a block without coinbase, or (with check_witness_root) a
 *  witness commitment that does not match. A reconstructed block that is
 *  "mutated" most likely took a wrong transaction on a short id collision. */
bool IsBlockMutated(const Block& block, bool check_witness_root);

enum ReadStatus {
    READ_STATUS_OK,
    /** The peer sent something no honest peer sends: punish it. */
    READ_STATUS_INVALID,
    /** Reconstruction failed, probably on a short id collision: fetch the
     *  whole block instead. */
    READ_STATUS_FAILED,
};

/** A block being rebuilt from a cmpctblock: prefilled transactions, then
 *  mempool (and extra) transactions matched by short id, then the missing
 *  ones from a blocktxn. */
class PartiallyDownloadedBlock
{
public:
    /** Takes the pool's lock itself (pool may be null: nothing matched from
     *  it); `extra_txn` are recent transactions not in the pool (orphans,
     *  replaced ones), null entries skipped. Must be called once. */
    ReadStatus InitData(const HeaderAndShortIDs& cmpct, const TxMemPool* pool,
                        const std::vector<TransactionRef>& extra_txn);
    bool IsTxAvailable(size_t index) const;
    /** Indexes still missing, in increasing order (a getblocktxn request). */
    std::vector<uint16_t> MissingIndexes() const;
    /** Builds the block with `missing` filling the gaps in order; may be
     *  called once (the state is consumed). `segwit_active`: the witness
     *  commitment is checked for mutation too. */
    ReadStatus FillBlock(Block& block, const std::vector<TransactionRef>& missing, bool segwit_active);
    /** Null (bits 0) before InitData and after FillBlock. */
    const BlockHeader& Header() const { return m_header; }

    size_t prefilled_count{0};
    size_t mempool_count{0};
    size_t extra_count{0};

private:
    std::vector<TransactionRef> m_txn_available;
    BlockHeader m_header;
};

} // namespace cairn

#endif
