#include "primitives/transaction.h"

#include "crypto/hash.h"

namespace cairn {

std::string OutPoint::ToString() const
{
    return hash.GetHex() + ":" + std::to_string(n);
}

static bool AnyWitness(const std::vector<TxIn>& vin)
{
    for (const TxIn& in : vin) if (!in.witness.IsNull()) return true;
    return false;
}

bool MutableTransaction::HasWitness() const { return AnyWitness(vin); }

uint256 MutableTransaction::GetTxid() const
{
    HashWriter hw;
    SerializeTransaction(hw, *this, false);
    return hw.GetHash();
}

Transaction::Transaction(const MutableTransaction& tx)
    : version(tx.version), vin(tx.vin), vout(tx.vout), locktime(tx.locktime)
{
    ComputeHashes();
}

Transaction::Transaction(MutableTransaction&& tx)
    : version(tx.version), vin(std::move(tx.vin)), vout(std::move(tx.vout)), locktime(tx.locktime)
{
    ComputeHashes();
}

bool Transaction::ComputeHasWitness() const { return AnyWitness(vin); }

void Transaction::ComputeHashes()
{
    m_has_witness = ComputeHasWitness();
    HashWriter stripped;
    SerializeTransaction(stripped, *this, false);
    m_txid = stripped.GetHash();
    if (m_has_witness) {
        HashWriter full;
        SerializeTransaction(full, *this, true);
        m_wtxid = full.GetHash();
    } else {
        m_wtxid = m_txid;
    }
}

Amount Transaction::GetValueOut() const
{
    Amount total = 0;
    for (const TxOut& out : vout) total += out.value;
    return total;
}

size_t Transaction::GetTotalSize() const
{
    SizeCounter c;
    SerializeTransaction(c, *this, true);
    return c.size();
}

size_t Transaction::GetStrippedSize() const
{
    SizeCounter c;
    SerializeTransaction(c, *this, false);
    return c.size();
}

OutPoint DeserializeOutPoint(Reader& r)
{
    OutPoint o;
    r.ReadInto(o.hash.data(), 32);
    o.n = r.U32LE();
    return o;
}

static std::vector<TxIn> ReadInputs(Reader& r)
{
    uint64_t n = r.CompactSize();
    std::vector<TxIn> vin;
    // Each input takes at least 41 bytes: never reserve more than the data can hold.
    vin.reserve(std::min<uint64_t>(n, r.remaining() / 41));
    for (uint64_t i = 0; i < n; ++i) {
        TxIn& in = vin.emplace_back();
        in.prevout = DeserializeOutPoint(r);
        in.script_sig = Script(r.VarBytes());
        in.sequence = r.U32LE();
    }
    return vin;
}

static std::vector<TxOut> ReadOutputs(Reader& r)
{
    uint64_t n = r.CompactSize();
    std::vector<TxOut> vout;
    vout.reserve(std::min<uint64_t>(n, r.remaining() / 9));
    for (uint64_t i = 0; i < n; ++i) {
        TxOut& out = vout.emplace_back();
        out.value = Amount(r.U64LE());
        out.script_pubkey = Script(r.VarBytes());
    }
    return vout;
}

MutableTransaction DeserializeMutableTransaction(Reader& r, bool allow_witness)
{
    MutableTransaction tx;
    tx.version = r.U32LE();
    uint8_t flags = 0;
    tx.vin = ReadInputs(r);
    if (tx.vin.empty() && allow_witness) {
        // An empty input list is the BIP 144 marker; a flags byte follows.
        flags = r.U8();
        if (flags != 0) {
            tx.vin = ReadInputs(r);
            tx.vout = ReadOutputs(r);
        }
    } else {
        tx.vout = ReadOutputs(r);
    }
    if ((flags & 1) && allow_witness) {
        flags ^= 1;
        for (TxIn& in : tx.vin) {
            uint64_t items = r.CompactSize();
            in.witness.stack.reserve(std::min<uint64_t>(items, r.remaining()));
            for (uint64_t i = 0; i < items; ++i) in.witness.stack.push_back(r.VarBytes());
        }
        // The marker promised witnesses; a transaction that has none must not use it.
        if (!tx.HasWitness()) throw DeserializeError("Superfluous witness record");
    }
    if (flags) throw DeserializeError("Unknown transaction optional data");
    tx.locktime = r.U32LE();
    return tx;
}

TransactionRef DeserializeTransaction(Reader& r, bool allow_witness)
{
    return MakeTransactionRef(DeserializeMutableTransaction(r, allow_witness));
}

Bytes SerializeTransactionBytes(const Transaction& tx, bool with_witness)
{
    Bytes out;
    VectorWriter w(out);
    SerializeTransaction(w, tx, with_witness);
    return out;
}

Bytes SerializeTransactionBytes(const MutableTransaction& tx, bool with_witness)
{
    Bytes out;
    VectorWriter w(out);
    SerializeTransaction(w, tx, with_witness);
    return out;
}

} // namespace cairn
