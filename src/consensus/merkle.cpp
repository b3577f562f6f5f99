#include "consensus/merkle.h"

#include "crypto/sha256.h"

namespace cairn {

uint256 ComputeMerkleRoot(std::vector<uint256> hashes, bool* mutated)
{
    bool mutation = false;
    while (hashes.size() > 1) {
        if (mutated) {
            for (size_t i = 0; i + 1 < hashes.size(); i += 2) {
                if (hashes[i] == hashes[i + 1]) mutation = true;
            }
        }
        // An odd level pairs its last hash with itself.
        if (hashes.size() & 1) hashes.push_back(hashes.back());
        // uint256 is exactly 32 packed bytes, so a level is a contiguous run of
        // 64-byte pairs that the batched double-SHA-256 hashes in place.
        static_assert(sizeof(uint256) == 32);
        Sha256D64(hashes[0].data(), hashes[0].data(), hashes.size() / 2);
        hashes.resize(hashes.size() / 2);
    }
    if (mutated) *mutated = mutation;
    if (hashes.empty()) return uint256{};
    return hashes[0];
}

uint256 BlockMerkleRoot(const Block& block, bool* mutated)
{
    std::vector<uint256> leaves;
    leaves.reserve(block.vtx.size());
    for (const TransactionRef& tx : block.vtx) leaves.push_back(tx->GetTxid());
    return ComputeMerkleRoot(std::move(leaves), mutated);
}

uint256 BlockWitnessMerkleRoot(const Block& block, bool* mutated)
{
    std::vector<uint256> leaves;
    leaves.reserve(block.vtx.size());
    leaves.emplace_back(); // the coinbase's wtxid is committed as zero
    for (size_t i = 1; i < block.vtx.size(); ++i) leaves.push_back(block.vtx[i]->GetWtxid());
    return ComputeMerkleRoot(std::move(leaves), mutated);
}

} // namespace cairn
