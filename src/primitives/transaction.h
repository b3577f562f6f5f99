// Transactions: the plain data, their serialization with and without
// witnesses, and their two identities (txid without, wtxid with witnesses).
#ifndef CAIRN_PRIMITIVES_TRANSACTION_H
#define CAIRN_PRIMITIVES_TRANSACTION_H

#include "primitives/amount.h"
#include "primitives/script.h"
#include "util/serialize.h"
#include "util/uint256.h"

#include <memory>
#include <string>
#include <vector>

namespace cairn {

struct OutPoint {
    static constexpr uint32_t NULL_INDEX = 0xffffffff;

    uint256 hash;
    uint32_t n{NULL_INDEX};

    OutPoint() = default;
    OutPoint(const uint256& h, uint32_t i) : hash(h), n(i) {}
    bool IsNull() const { return hash.IsNull() && n == NULL_INDEX; }
    std::string ToString() const;
    friend bool operator==(const OutPoint&, const OutPoint&) = default;
    friend auto operator<=>(const OutPoint&, const OutPoint&) = default;
};

struct TxIn {
    /** nSequence meaning "final": disables nLockTime and BIP 68 for this input. */
    static constexpr uint32_t SEQUENCE_FINAL = 0xffffffff;
    /** BIP 68: relative lock-time fields of nSequence. */
    static constexpr uint32_t SEQUENCE_LOCKTIME_DISABLE_FLAG = 1U << 31;
    static constexpr uint32_t SEQUENCE_LOCKTIME_TYPE_FLAG = 1U << 22;
    static constexpr uint32_t SEQUENCE_LOCKTIME_MASK = 0x0000ffff;
    static constexpr int SEQUENCE_LOCKTIME_GRANULARITY = 9;

    OutPoint prevout;
    Script script_sig;
    uint32_t sequence{SEQUENCE_FINAL};
    ScriptWitness witness;

    friend bool operator==(const TxIn&, const TxIn&) = default;
};

struct TxOut {
    Amount value{-1};
    Script script_pubkey;

    TxOut() = default;
    TxOut(Amount v, Script spk) : value(v), script_pubkey(std::move(spk)) {}
    bool IsNull() const { return value == -1; }
    friend bool operator==(const TxOut&, const TxOut&) = default;
};

/** A transaction being built or edited. */
struct MutableTransaction {
    uint32_t version{2};
    std::vector<TxIn> vin;
    std::vector<TxOut> vout;
    uint32_t locktime{0};

    bool HasWitness() const;
    uint256 GetTxid() const;
};

/** An immutable transaction with its identities computed once. Shared by
 *  pointer (TransactionRef) between blocks, the mempool and relay. */
class Transaction
{
public:
    const uint32_t version;
    const std::vector<TxIn> vin;
    const std::vector<TxOut> vout;
    const uint32_t locktime;

    explicit Transaction(const MutableTransaction& tx);
    explicit Transaction(MutableTransaction&& tx);

    const uint256& GetTxid() const { return m_txid; }
    const uint256& GetWtxid() const { return m_wtxid; }
    bool HasWitness() const { return m_has_witness; }
    bool IsCoinBase() const { return vin.size() == 1 && vin[0].prevout.IsNull(); }

    /** Sum of output values; the caller has checked each is in MoneyRange. */
    Amount GetValueOut() const;
    /** Serialized size with witnesses (BIP 144) or without. */
    size_t GetTotalSize() const;
    size_t GetStrippedSize() const;

    friend bool operator==(const Transaction& a, const Transaction& b) { return a.m_wtxid == b.m_wtxid; }

private:
    bool ComputeHasWitness() const;
    void ComputeHashes();

    bool m_has_witness;
    uint256 m_txid;
    uint256 m_wtxid;
};

using TransactionRef = std::shared_ptr<const Transaction>;
template <typename Tx> TransactionRef MakeTransactionRef(Tx&& tx)
{
    return std::make_shared<const Transaction>(std::forward<Tx>(tx));
}

// ---- serialization ----

template <typename W> void SerializeOutPoint(W& w, const OutPoint& o)
{
    w.Write(o.hash.span());
    WriteU32LE(w, o.n);
}

template <typename W> void SerializeTxOut(W& w, const TxOut& o)
{
    WriteU64LE(w, uint64_t(o.value));
    WriteVarBytes(w, o.script_pubkey.span());
}

/** Writes a transaction; with_witness selects the BIP 144 extended form,
 *  which is only used when some input actually has a witness. */
template <typename W, typename Tx> void SerializeTransaction(W& w, const Tx& tx, bool with_witness)
{
    bool witness = with_witness && tx.HasWitness();
    WriteU32LE(w, tx.version);
    if (witness) {
        WriteU8(w, 0); // marker: an empty input vector
        WriteU8(w, 1); // flags
    }
    WriteCompactSize(w, tx.vin.size());
    for (const TxIn& in : tx.vin) {
        SerializeOutPoint(w, in.prevout);
        WriteVarBytes(w, in.script_sig.span());
        WriteU32LE(w, in.sequence);
    }
    WriteCompactSize(w, tx.vout.size());
    for (const TxOut& out : tx.vout) SerializeTxOut(w, out);
    if (witness) {
        for (const TxIn& in : tx.vin) {
            WriteCompactSize(w, in.witness.stack.size());
            for (const Bytes& item : in.witness.stack) WriteVarBytes(w, item);
        }
    }
    WriteU32LE(w, tx.locktime);
}

OutPoint DeserializeOutPoint(Reader& r);
/** Reads a transaction. With allow_witness the BIP 144 form is accepted;
 *  throws DeserializeError on malformed data. */
MutableTransaction DeserializeMutableTransaction(Reader& r, bool allow_witness = true);
TransactionRef DeserializeTransaction(Reader& r, bool allow_witness = true);

Bytes SerializeTransactionBytes(const Transaction& tx, bool with_witness = true);
Bytes SerializeTransactionBytes(const MutableTransaction& tx, bool with_witness = true);

} // namespace cairn

#endif
