#include "test/util/blkfile.h"

#include "util/serialize.h"

#include <algorithm>
#include <stdexcept>

namespace cairn::test {

std::vector<Bytes> SplitBlkFile(ByteSpan file, const std::array<uint8_t, 4>& magic)
{
    std::vector<Bytes> blocks;
    Reader r(file);
    while (!r.empty()) {
        ByteSpan m = r.ReadBytes(4);
        if (!std::equal(m.begin(), m.end(), magic.begin())) throw std::runtime_error("bad magic in blk file");
        uint32_t len = r.U32LE();
        ByteSpan b = r.ReadBytes(len);
        blocks.emplace_back(b.begin(), b.end());
    }
    return blocks;
}

} // namespace cairn::test
