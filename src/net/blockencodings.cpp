#include "net/blockencodings.h"

#include "consensus/block_check.h"
#include "consensus/consensus.h"
#include "consensus/merkle.h"
#include "consensus/validation_state.h"
#include "crypto/hash.h"
#include "crypto/siphash.h"
#include "mempool/tx_mempool.h"
#include "util/log.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace cairn {

namespace {

constexpr uint64_t SHORTID_MASK = 0xffffffffffffULL;
/** Core: with a uniform spread of short ids, a bucket of more than 12 in the
 *  id map happens about once per million blocks; more means a crafted (or
 *  broken) cmpctblock, answered with FAILED (fetch the block) rather than
 *  slow matching. */
constexpr size_t MAX_SHORTID_BUCKET = 12;

/** Reads a count of entries taking at least `min_entry` bytes each: never
 *  more than the payload could hold, so a lying count cannot allocate. */
size_t ReadCount(Reader& r, size_t min_entry)
{
    const uint64_t n = r.CompactSize();
    if (n > r.remaining() / min_entry) throw DeserializeError("end of data");
    return size_t(n);
}

template <typename W> void WriteDifferential(W& w, const std::vector<uint16_t>& indexes)
{
    WriteCompactSize(w, indexes.size());
    uint64_t next = 0; // the smallest index allowed next
    for (uint16_t i : indexes) {
        if (i < next) throw std::invalid_argument("differential value overflow");
        WriteCompactSize(w, i - next);
        next = uint64_t(i) + 1;
    }
}

/** The serialized size of a cmpctblock, without building it (for logs). */
size_t SerializedSize(const HeaderAndShortIDs& m)
{
    size_t n = BlockHeader::SIZE + 8 + CompactSizeLen(m.short_ids.size()) + m.short_ids.size() * SHORTTXIDS_LENGTH +
               CompactSizeLen(m.prefilled.size());
    for (const PrefilledTransaction& p : m.prefilled) n += CompactSizeLen(p.index) + (p.tx ? p.tx->GetTotalSize() : 0);
    return n;
}

} // namespace

// ---- short ids ----

ShortIdKey ComputeShortIdKey(const BlockHeader& header, uint64_t nonce)
{
    HashWriter hw;
    SerializeBlockHeader(hw, header);
    WriteU64LE(hw, nonce);
    const uint256 h = hw.GetSha256();
    return {h.GetUint64(0), h.GetUint64(1)};
}

uint64_t ShortIdKey::ShortId(const uint256& wtxid) const
{
    static_assert(SHORTTXIDS_LENGTH == 6, "the mask assumes 6-byte short ids");
    return SipHashUint256(k0, k1, wtxid) & SHORTID_MASK;
}

HeaderAndShortIDs::HeaderAndShortIDs(const Block& block, uint64_t nonce_in) : header(block.header()), nonce(nonce_in)
{
    const bool prefill_coinbase = !block.vtx.empty() && block.vtx[0]->IsCoinBase();
    if (prefill_coinbase) prefilled.push_back({0, block.vtx[0]});
    const ShortIdKey key = Key();
    short_ids.reserve(block.vtx.size() - (prefill_coinbase ? 1 : 0));
    for (size_t i = prefill_coinbase ? 1 : 0; i < block.vtx.size(); ++i) {
        short_ids.push_back(key.ShortId(block.vtx[i]->GetWtxid()));
    }
}

// ---- encodings ----

Bytes SerializeHeaderAndShortIDs(const HeaderAndShortIDs& m)
{
    Bytes out;
    out.reserve(SerializedSize(m));
    VectorWriter w(out);
    SerializeBlockHeader(w, m.header);
    WriteU64LE(w, m.nonce);
    WriteCompactSize(w, m.short_ids.size());
    for (uint64_t id : m.short_ids) {
        if (id > SHORTID_MASK) throw std::invalid_argument("short id over 48 bits");
        const uint8_t b[SHORTTXIDS_LENGTH] = {uint8_t(id), uint8_t(id >> 8), uint8_t(id >> 16),
                                              uint8_t(id >> 24), uint8_t(id >> 32), uint8_t(id >> 40)};
        w.Write(b);
    }
    WriteCompactSize(w, m.prefilled.size());
    for (const PrefilledTransaction& p : m.prefilled) {
        if (!p.tx) throw std::invalid_argument("prefilled transaction missing");
        WriteCompactSize(w, p.index);
        SerializeTransaction(w, *p.tx, true);
    }
    return out;
}

HeaderAndShortIDs DeserializeHeaderAndShortIDs(ByteSpan payload)
{
    Reader r(payload);
    HeaderAndShortIDs m;
    m.header = DeserializeBlockHeader(r);
    m.nonce = r.U64LE();
    const size_t n = ReadCount(r, SHORTTXIDS_LENGTH);
    m.short_ids.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const ByteSpan b = r.ReadBytes(SHORTTXIDS_LENGTH);
        uint64_t id = 0;
        for (int j = int(SHORTTXIDS_LENGTH) - 1; j >= 0; --j) id = id << 8 | b[j];
        m.short_ids.push_back(id);
    }
    // A prefilled entry is at least a one-byte index and a 10-byte transaction.
    const size_t p = ReadCount(r, 11);
    m.prefilled.reserve(p);
    for (size_t i = 0; i < p; ++i) {
        const uint64_t index = r.CompactSize();
        if (index > std::numeric_limits<uint16_t>::max()) throw DeserializeError("CompactSize exceeds limit of type");
        m.prefilled.push_back({uint16_t(index), DeserializeTransaction(r, true)});
    }
    if (m.BlockTxCount() > std::numeric_limits<uint16_t>::max()) throw DeserializeError("indexes overflowed 16 bits");
    return m;
}

Bytes SerializeBlockTransactionsRequest(const BlockTransactionsRequest& m)
{
    Bytes out;
    VectorWriter w(out);
    w.Write(m.blockhash.span());
    WriteDifferential(w, m.indexes);
    return out;
}

BlockTransactionsRequest DeserializeBlockTransactionsRequest(ByteSpan payload)
{
    Reader r(payload);
    BlockTransactionsRequest m;
    m.blockhash = uint256(r.ReadBytes(32));
    const size_t n = ReadCount(r, 1);
    m.indexes.reserve(n);
    uint64_t next = 0; // Core's DifferenceFormatter: each value is next + delta
    for (size_t i = 0; i < n; ++i) {
        const uint64_t delta = r.CompactSize();
        const uint64_t index = next + delta;
        if (index > std::numeric_limits<uint16_t>::max()) throw DeserializeError("differential value overflow");
        m.indexes.push_back(uint16_t(index));
        next = index + 1;
    }
    return m;
}

Bytes SerializeBlockTransactions(const BlockTransactions& m)
{
    Bytes out;
    VectorWriter w(out);
    w.Write(m.blockhash.span());
    WriteCompactSize(w, m.txn.size());
    for (const TransactionRef& tx : m.txn) SerializeTransaction(w, *tx, true);
    return out;
}

BlockTransactions DeserializeBlockTransactions(ByteSpan payload)
{
    Reader r(payload);
    BlockTransactions m;
    m.blockhash = uint256(r.ReadBytes(32));
    const size_t n = ReadCount(r, 10);
    m.txn.reserve(n);
    for (size_t i = 0; i < n; ++i) m.txn.push_back(DeserializeTransaction(r, true));
    return m;
}

// ---- mutation ----

bool IsBlockMutated(const Block& block, bool check_witness_root)
{
    bool mutated = false;
    if (BlockMerkleRoot(block, &mutated) != block.merkle_root || mutated) {
        LogDebug(LogCategory::VALIDATION, "Block mutated: {}", mutated ? "bad-txns-duplicate" : "bad-txnmrklroot");
        return true;
    }
    if (block.vtx.empty() || !block.vtx[0]->IsCoinBase()) {
        // Without a coinbase a 64-byte transaction could pose as an inner
        // merkle node; such a block is invalid anyway, so call it mutated.
        return std::any_of(block.vtx.begin(), block.vtx.end(),
                           [](const TransactionRef& tx) { return tx->GetStrippedSize() == 64; });
    }
    BlockValidationState state;
    if (!CheckWitnessMalleation(block, check_witness_root, state)) {
        LogDebug(LogCategory::VALIDATION, "Block mutated: {}", state.ToString());
        return true;
    }
    return false;
}

// ---- reconstruction ----

ReadStatus PartiallyDownloadedBlock::InitData(const HeaderAndShortIDs& cmpct, const TxMemPool* pool,
                                              const std::vector<TransactionRef>& extra_txn)
{
    const uint256 hash = cmpct.header.GetHash();
    LogDebug(LogCategory::CMPCTBLOCK, "Initializing PartiallyDownloadedBlock for block {} using a cmpctblock of {} bytes",
             hash.GetHex(), SerializedSize(cmpct));
    if (cmpct.header.IsNull() || (cmpct.short_ids.empty() && cmpct.prefilled.empty())) return READ_STATUS_INVALID;
    // No transaction weighs less than MIN_SERIALIZABLE_TRANSACTION_WEIGHT.
    if (cmpct.BlockTxCount() > MAX_BLOCK_WEIGHT / MIN_SERIALIZABLE_TRANSACTION_WEIGHT) {
        return READ_STATUS_INVALID;
    }
    if (!m_header.IsNull() || !m_txn_available.empty()) return READ_STATUS_INVALID; // used twice

    m_header = cmpct.header;
    m_txn_available.resize(cmpct.BlockTxCount());

    // Prefilled transactions: each differential index moves past the previous one.
    int64_t last_index = -1;
    for (size_t i = 0; i < cmpct.prefilled.size(); ++i) {
        const TransactionRef& tx = cmpct.prefilled[i].tx;
        if (!tx || (tx->vin.empty() && tx->vout.empty())) return READ_STATUS_INVALID;
        last_index += int64_t(cmpct.prefilled[i].index) + 1;
        if (last_index > std::numeric_limits<uint16_t>::max()) return READ_STATUS_INVALID;
        // Beyond every short id and earlier prefilled entry: a transaction
        // with neither a short id nor a prefilled copy.
        if (uint64_t(last_index) > cmpct.short_ids.size() + i) return READ_STATUS_INVALID;
        m_txn_available[size_t(last_index)] = tx;
    }
    prefilled_count = cmpct.prefilled.size();

    // Short id -> position in the block (the positions prefilled ones leave free).
    std::unordered_map<uint64_t, uint16_t> positions(cmpct.short_ids.size());
    uint16_t offset = 0;
    for (size_t i = 0; i < cmpct.short_ids.size(); ++i) {
        while (m_txn_available[i + offset]) ++offset;
        positions[cmpct.short_ids[i]] = uint16_t(i + offset);
        if (positions.bucket_size(positions.bucket(cmpct.short_ids[i])) > MAX_SHORTID_BUCKET) {
            return READ_STATUS_FAILED;
        }
    }
    // Two transactions of the block share a short id: we could not tell
    // which pool transaction goes where (Core fetches the block then).
    if (positions.size() != cmpct.short_ids.size()) return READ_STATUS_FAILED;

    const ShortIdKey key = cmpct.Key();
    std::vector<bool> have(m_txn_available.size());
    // A short id matched by two candidates is left missing (requested) rather
    // than guessed: a wrong guess would cost a FillBlock failure and a round trip.
    auto offer = [&](const TransactionRef& tx, bool from_extra) {
        const auto it = positions.find(key.ShortId(tx->GetWtxid()));
        if (it == positions.end()) return;
        TransactionRef& slot = m_txn_available[it->second];
        if (!have[it->second]) {
            slot = tx;
            have[it->second] = true;
            ++mempool_count;
            if (from_extra) ++extra_count;
        } else if (slot && slot->GetWtxid() != tx->GetWtxid()) {
            slot.reset();
            --mempool_count;
            if (from_extra) --extra_count;
        }
    };
    if (pool) {
        std::lock_guard lock(pool->GetMutex());
        for (const MempoolEntry* e : pool->EntriesTopological()) {
            offer(e->GetSharedTx(), false);
            if (mempool_count == positions.size()) break;
        }
    }
    for (const TransactionRef& tx : extra_txn) {
        if (mempool_count == positions.size()) break;
        if (tx) offer(tx, true);
    }
    LogDebug(LogCategory::CMPCTBLOCK, "Initialized PartiallyDownloadedBlock for block {} using a cmpctblock of {} bytes",
             hash.GetHex(), SerializedSize(cmpct));
    return READ_STATUS_OK;
}

bool PartiallyDownloadedBlock::IsTxAvailable(size_t index) const
{
    if (m_header.IsNull() || index >= m_txn_available.size()) return false;
    return m_txn_available[index] != nullptr;
}

std::vector<uint16_t> PartiallyDownloadedBlock::MissingIndexes() const
{
    std::vector<uint16_t> out;
    if (m_header.IsNull()) return out;
    for (size_t i = 0; i < m_txn_available.size(); ++i) {
        if (!m_txn_available[i]) out.push_back(uint16_t(i));
    }
    return out;
}

ReadStatus PartiallyDownloadedBlock::FillBlock(Block& block, const std::vector<TransactionRef>& missing,
                                               bool segwit_active)
{
    if (m_header.IsNull()) return READ_STATUS_INVALID;
    const uint256 hash = m_header.GetHash();
    static_cast<BlockHeader&>(block) = m_header;
    block.vtx.assign(m_txn_available.size(), nullptr);

    size_t used = 0;
    size_t missing_bytes = 0;
    bool short_of_txs = false;
    for (size_t i = 0; i < m_txn_available.size(); ++i) {
        if (m_txn_available[i]) {
            block.vtx[i] = std::move(m_txn_available[i]);
            continue;
        }
        if (used >= missing.size() || !missing[used]) {
            short_of_txs = true;
            break;
        }
        block.vtx[i] = missing[used++];
        missing_bytes += block.vtx[i]->GetTotalSize();
    }
    // Consumed: a second call (a repeated blocktxn) is INVALID.
    m_header = BlockHeader{};
    m_txn_available.clear();
    if (short_of_txs || used != missing.size()) return READ_STATUS_INVALID;

    if (IsBlockMutated(block, segwit_active)) return READ_STATUS_FAILED; // probably a short id collision

    LogDebug(LogCategory::CMPCTBLOCK, "Successfully reconstructed block {} with {} txn prefilled, {} txn from mempool "
             "(incl at least {} from extra pool) and {} txn ({} bytes) requested",
             hash.GetHex(), prefilled_count, mempool_count, extra_count, missing.size(), missing_bytes);
    if (missing.size() < 5) {
        for (const TransactionRef& tx : missing) {
            LogDebug(LogCategory::CMPCTBLOCK, "Reconstructed block {} required tx {}", hash.GetHex(),
                     tx->GetTxid().GetHex());
        }
    }
    return READ_STATUS_OK;
}

} // namespace cairn
