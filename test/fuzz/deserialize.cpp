// Decoders of network data: any bytes must give an object or a
// DeserializeError, and whatever decodes must re-encode to the same bytes.
#include "consensus/merkle.h"
#include "consensus/tx_check.h"
#include "primitives/block.h"
#include "test/fuzz/fuzz.h"

#include <cstdlib>

using namespace cairn;

static void Require(bool ok)
{
    if (!ok) std::abort();
}

FUZZ_TARGET(transaction)
{
    Reader r(buffer);
    try {
        MutableTransaction mtx = DeserializeMutableTransaction(r, true);
        const size_t consumed = buffer.size() - r.remaining();
        Transaction tx(mtx);
        Bytes again = SerializeTransactionBytes(tx, true);
        // Only a witness serialization of a tx without witnesses fails to
        // round-trip, and that is rejected ("Superfluous witness record").
        Require(again == Bytes(buffer.begin(), buffer.begin() + consumed));
        TxValidationState state;
        (void)CheckTransaction(tx, state);
        (void)GetTransactionWeight(tx);
    } catch (const DeserializeError&) {
    }
}

FUZZ_TARGET(block)
{
    Reader r(buffer);
    try {
        Block b = DeserializeBlock(r, true);
        bool mutated;
        (void)BlockMerkleRoot(b, &mutated);
        if (!b.vtx.empty()) (void)BlockWitnessMerkleRoot(b, &mutated);
        const size_t consumed = buffer.size() - r.remaining();
        Require(SerializeBlockBytes(b) == Bytes(buffer.begin(), buffer.begin() + consumed));
    } catch (const DeserializeError&) {
    }
}

FUZZ_TARGET(compact_size)
{
    Reader r(buffer);
    try {
        while (!r.empty()) {
            uint64_t v = r.CompactSize(false);
            Bytes b;
            VectorWriter w(b);
            WriteCompactSize(w, v);
            Require(b.size() == CompactSizeLen(v));
        }
    } catch (const DeserializeError&) {
    }
}
