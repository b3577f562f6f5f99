#include "consensus/script/taproot.h"

#include "crypto/hash.h"
#include "util/serialize.h"

#include <algorithm>

namespace cairn {

namespace {
// The tag prefix costs a compression per use; start each hash from a copy of
// a hasher that has absorbed it once.
const Sha256& TapLeafHasher()
{
    static const Sha256 h = TaggedHashWriter("TapLeaf");
    return h;
}
const Sha256& TapBranchHasher()
{
    static const Sha256 h = TaggedHashWriter("TapBranch");
    return h;
}

uint256 Finish(Sha256& h)
{
    uint256 out;
    h.Finalize(out.data());
    return out;
}
} // namespace

uint256 ComputeTapleafHash(uint8_t leaf_version, ByteSpan script)
{
    Sha256 h = TapLeafHasher();
    WriteU8(h, leaf_version);
    WriteVarBytes(h, script);
    return Finish(h);
}

uint256 ComputeTapbranchHash(ByteSpan a, ByteSpan b)
{
    Sha256 h = TapBranchHasher();
    if (std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end())) std::swap(a, b);
    h.Write(a);
    h.Write(b);
    return Finish(h);
}

uint256 ComputeTaprootMerkleRoot(ByteSpan control, const uint256& tapleaf_hash)
{
    const size_t path_len = (control.size() - TAPROOT_CONTROL_BASE_SIZE) / TAPROOT_CONTROL_NODE_SIZE;
    uint256 k = tapleaf_hash;
    for (size_t i = 0; i < path_len; ++i) {
        ByteSpan node = control.subspan(TAPROOT_CONTROL_BASE_SIZE + TAPROOT_CONTROL_NODE_SIZE * i,
                                        TAPROOT_CONTROL_NODE_SIZE);
        k = ComputeTapbranchHash(k.span(), node);
    }
    return k;
}

} // namespace cairn
