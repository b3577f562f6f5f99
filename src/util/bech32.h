// Bech32 (BIP 173) and Bech32m (BIP 350): a human-readable part, the
// separator '1', then 5-bit values in a 32-character alphabet followed by a
// six-character BCH checksum. The two variants differ only in the constant
// the checksum is xored with. Segwit address rules (witness version, program
// length, which variant for which version) belong to the address code.
#ifndef CAIRN_UTIL_BECH32_H
#define CAIRN_UTIL_BECH32_H

#include "util/span.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

enum class Bech32Encoding {
    INVALID,
    BECH32,  //!< BIP 173 checksum (segwit v0)
    BECH32M, //!< BIP 350 checksum (segwit v1+)
};

/** Longest string BIP 173 allows (and so the longest segwit address). */
inline constexpr size_t BECH32_MAX_LENGTH = 90;
/** Longest human-readable part BIP 173 allows. */
inline constexpr size_t BECH32_MAX_HRP_LENGTH = 83;

/**
 * Encodes in lower case. Returns the empty string for bad arguments: encoding
 * INVALID, an empty HRP or one longer than BECH32_MAX_HRP_LENGTH, an HRP
 * character outside US-ASCII 33..126 (upper case is lowered), or a value >= 32.
 * The output length is not limited.
 */
std::string Bech32Encode(Bech32Encoding encoding, std::string_view hrp, ByteSpan values5bit);

struct Bech32Decoded {
    Bech32Encoding encoding{Bech32Encoding::INVALID};
    std::string hrp; //!< lower case
    Bytes data;      //!< 5-bit values, checksum removed
};

/**
 * Decodes a Bech32 or Bech32m string; the checksum tells which. On any error
 * (mixed case, a character outside 33..126, no separator, empty or too long
 * HRP, fewer than six data characters, a character outside the alphabet in
 * the data part, longer than max_len, checksum matching neither variant)
 * returns encoding INVALID with an empty hrp and data.
 */
Bech32Decoded Bech32Decode(std::string_view str, size_t max_len = BECH32_MAX_LENGTH);

/**
 * Regroups a big-endian bit stream of FROM-bit values into TO-bit values,
 * appending to out. With PAD, a final partial group is padded with zero
 * bits (encoding). Without PAD, the leftover must be fewer than FROM bits,
 * all zero, and is dropped (decoding). False on an input value >= 2^FROM or
 * bad leftover bits; out may then hold a partial result.
 */
template <unsigned FROM, unsigned TO, bool PAD>
bool ConvertBits(Bytes& out, ByteSpan in)
{
    static_assert(FROM >= 1 && FROM <= 8 && TO >= 1 && TO <= 8);
    constexpr uint32_t TO_MASK = (1u << TO) - 1;
    uint32_t acc = 0;  // the last (at most FROM + TO - 1) bits read
    unsigned bits = 0; // how many of them are not yet written
    for (uint8_t v : in) {
        if (v >> FROM) return false;
        acc = ((acc << FROM) | v) & ((1u << (FROM + TO - 1)) - 1);
        bits += FROM;
        while (bits >= TO) {
            bits -= TO;
            out.push_back(static_cast<uint8_t>((acc >> bits) & TO_MASK));
        }
    }
    if constexpr (PAD) {
        if (bits) out.push_back(static_cast<uint8_t>((acc << (TO - bits)) & TO_MASK));
    } else {
        if (bits >= FROM || ((acc << (TO - bits)) & TO_MASK)) return false;
    }
    return true;
}

} // namespace cairn

#endif
