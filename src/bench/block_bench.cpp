// Block decoding, hashing and merkle benchmarks on real mainnet block 413567
// (about 1 MB, 1,500 transactions), the block Bitcoin Core's own benchmarks use.
#include "bench/bench.h"
#include "bench/data.h"
#include "consensus/merkle.h"
#include "primitives/block.h"

#include <stdexcept>

using namespace cairn;

static void DeserializeBlock413567(bench::State& state)
{
    const Bytes& raw = bench::Block413567();
    state.SetBytesPerIteration(raw.size());
    while (state.KeepRunning()) {
        Reader r(raw);
        Block b = DeserializeBlock(r); // computes every txid and wtxid
        if (b.vtx.empty()) throw std::runtime_error("empty block");
    }
}
CAIRN_BENCH(DeserializeBlock413567);

static void BlockHash413567(bench::State& state)
{
    Reader r(bench::Block413567());
    Block b = DeserializeBlock(r);
    while (state.KeepRunning()) {
        if (b.GetHash().IsNull()) throw std::runtime_error("null hash");
    }
}
CAIRN_BENCH(BlockHash413567);

static void MerkleRoot413567(bench::State& state)
{
    Reader r(bench::Block413567());
    Block b = DeserializeBlock(r);
    state.SetItemsPerIteration(b.vtx.size());
    while (state.KeepRunning()) {
        bool mutated;
        if (BlockMerkleRoot(b, &mutated) != b.merkle_root || mutated) throw std::runtime_error("bad merkle root");
    }
}
CAIRN_BENCH(MerkleRoot413567);
