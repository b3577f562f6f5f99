#include "script/descriptor_checksum.h"

#include <cstdint>

namespace cairn {

namespace {

// Characters are split into a 5-bit symbol (the position modulo 32) and a
// "group" (position / 32, 0..2). The group symbols of three characters are
// folded into one extra symbol, so that the common characters of a
// descriptor fall in group 0 and cost little error-detection capacity.
constexpr std::string_view INPUT_CHARSET =
    "0123456789()[],'/*abcdefgh@:$%{}"
    "IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~"
    "ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ";

constexpr std::string_view CHECKSUM_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/** One step of the BCH code: multiply by x and reduce by the generator
 *  (degree 8 over GF(32), 40-bit state). */
uint64_t PolyModStep(uint64_t c, unsigned value)
{
    const uint8_t top = c >> 35;
    c = ((c & 0x7ffffffffULL) << 5) ^ value;
    if (top & 0x01) c ^= 0xf5dee51989ULL;
    if (top & 0x02) c ^= 0xa9fdca3312ULL;
    if (top & 0x04) c ^= 0x1bab10e32dULL;
    if (top & 0x08) c ^= 0x3706b1677aULL;
    if (top & 0x10) c ^= 0x644d626ffdULL;
    return c;
}

} // namespace

std::string DescriptorChecksum(std::string_view desc)
{
    uint64_t c = 1;
    unsigned group = 0;
    int group_count = 0;
    for (char ch : desc) {
        const auto pos = INPUT_CHARSET.find(ch);
        if (pos == std::string_view::npos) return "";
        c = PolyModStep(c, pos & 31);
        group = group * 3 + (pos >> 5);
        if (++group_count == 3) {
            c = PolyModStep(c, group);
            group = 0;
            group_count = 0;
        }
    }
    if (group_count > 0) c = PolyModStep(c, group);
    for (int i = 0; i < 8; ++i) c = PolyModStep(c, 0);
    c ^= 1; // so that appending zeros to a valid string changes the checksum

    std::string out(8, ' ');
    for (int i = 0; i < 8; ++i) out[i] = CHECKSUM_CHARSET[(c >> (5 * (7 - i))) & 31];
    return out;
}

std::string AddDescriptorChecksum(std::string_view desc)
{
    const std::string sum = DescriptorChecksum(desc);
    if (sum.empty()) return "";
    return std::string(desc) + "#" + sum;
}

} // namespace cairn
