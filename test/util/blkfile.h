// Reading blocks stored in blk-file format (magic, little-endian length, block).
#ifndef CAIRN_TEST_UTIL_BLKFILE_H
#define CAIRN_TEST_UTIL_BLKFILE_H

#include "util/span.h"

#include <array>
#include <vector>

namespace cairn::test {

inline constexpr std::array<uint8_t, 4> MAINNET_MAGIC{0xf9, 0xbe, 0xb4, 0xd9};

/** Splits a blk file into the raw bytes of each block; throws on a bad magic or a truncated record. */
std::vector<Bytes> SplitBlkFile(ByteSpan file, const std::array<uint8_t, 4>& magic);

} // namespace cairn::test

#endif
