// Bitcoin Core's "VARINT": the compact integer encoding of its databases
// (coins, undo records, the block index). Not to be confused with CompactSize,
// the length prefix of the network format.
//
// The value is written most significant group first, 7 bits per byte; every
// byte but the last has its high bit set. While encoding, one is subtracted
// from what is left after each group is taken off, so a continuation byte
// never stands for "zero more groups": every value has exactly one encoding
// and no encoding is wasted (1 byte: 0..127, 2 bytes: 128..16511, ...).
//
//   0 -> 00     127 -> 7f     128 -> 80 00     255 -> 80 7f     256 -> 81 00
//   16511 -> ff 7f     16512 -> 80 80 00     2^32-1 -> 8e fe fe fe 7f
//
// Note that bytewise order of encodings is numeric order only within one
// encoded length (16511 = ff 7f sorts after 16512 = 80 80 00).
#ifndef CAIRN_UTIL_VARINT_H
#define CAIRN_UTIL_VARINT_H

#include "util/serialize.h"

#include <concepts>
#include <cstdint>
#include <limits>

namespace cairn {

/** Longest encoding of an unsigned type: ceil(bits / 7) bytes. */
template <std::unsigned_integral I> inline constexpr size_t MAX_VARINT_LEN = (sizeof(I) * 8 + 6) / 7;

template <typename W, std::unsigned_integral I> void WriteVarInt(W& w, I n)
{
    // Groups come out least significant first; collect them, then reverse.
    uint8_t tmp[MAX_VARINT_LEN<I>];
    size_t len = 0;
    while (true) {
        tmp[len] = uint8_t(n & 0x7f) | (len ? 0x80 : 0x00);
        if (n <= 0x7f) break;
        n = (n >> 7) - 1;
        ++len;
    }
    uint8_t out[MAX_VARINT_LEN<I>];
    for (size_t i = 0; i <= len; ++i) out[i] = tmp[len - i];
    w.Write(ByteSpan{out, len + 1});
}

/** Number of bytes WriteVarInt produces for n. */
template <std::unsigned_integral I> constexpr size_t VarIntLen(I n)
{
    size_t len = 1;
    while (n > 0x7f) {
        n = (n >> 7) - 1;
        ++len;
    }
    return len;
}

/** Reads a VARINT into an unsigned type I. A value that does not fit in I is
 *  rejected before it can wrap, so corrupt data cannot alias a small value. */
template <std::unsigned_integral I> I ReadVarInt(Reader& r)
{
    constexpr I max = std::numeric_limits<I>::max();
    I n = 0;
    while (true) {
        uint8_t ch = r.U8();
        if (n > (max >> 7)) throw DeserializeError("ReadVarInt(): size too large");
        n = I(n << 7) | I(ch & 0x7f);
        if (!(ch & 0x80)) return n;
        if (n == max) throw DeserializeError("ReadVarInt(): size too large");
        ++n;
    }
}

} // namespace cairn

#endif
