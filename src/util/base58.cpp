#include "util/base58.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace cairn {
namespace {

constexpr char ALPHABET[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Value of a base58 character, or -1. */
constexpr int8_t DigitValue(char c)
{
    for (int i = 0; i < 58; ++i) {
        if (ALPHABET[i] == c) return static_cast<int8_t>(i);
    }
    return -1;
}

struct DigitTable {
    int8_t v[256];
    constexpr DigitTable() : v{}
    {
        for (int c = 0; c < 256; ++c) v[c] = DigitValue(static_cast<char>(c));
    }
};
constexpr DigitTable DIGITS{};

bool IsBase58Space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Encoding keeps the number as little-endian limbs of 5 base-58 digits each.
constexpr uint32_t LIMB_DIGITS = 5;
constexpr uint32_t LIMB_BASE = 58u * 58u * 58u * 58u * 58u; // 656,356,768 < 2^32

/** Number of bytes needed to hold the value of one 32-bit limb. */
size_t LimbBytes(uint32_t v)
{
    size_t n = 0;
    while (v) { ++n; v >>= 8; }
    return n;
}

} // namespace

std::string EncodeBase58(ByteSpan bytes)
{
    size_t zeros = 0;
    while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;

    // The number, little-endian in base 58^5. Every byte multiplies it by 256.
    std::vector<uint32_t> limbs;
    limbs.reserve((bytes.size() - zeros) * 138 / 100 / LIMB_DIGITS + 2);
    for (size_t i = zeros; i < bytes.size(); ++i) {
        uint64_t carry = bytes[i];
        for (uint32_t& limb : limbs) {
            carry += uint64_t{limb} << 8;
            limb = static_cast<uint32_t>(carry % LIMB_BASE);
            carry /= LIMB_BASE;
        }
        while (carry) {
            limbs.push_back(static_cast<uint32_t>(carry % LIMB_BASE));
            carry /= LIMB_BASE;
        }
    }

    std::string out(zeros, '1');
    out.reserve(zeros + limbs.size() * LIMB_DIGITS);
    // Most significant limb without its leading zero digits, the others in full.
    for (size_t k = limbs.size(); k-- > 0;) {
        char buf[LIMB_DIGITS];
        uint32_t v = limbs[k];
        for (size_t d = LIMB_DIGITS; d-- > 0;) {
            buf[d] = ALPHABET[v % 58];
            v /= 58;
        }
        size_t skip = 0;
        if (k + 1 == limbs.size()) {
            while (skip < LIMB_DIGITS && buf[skip] == '1') ++skip;
        }
        out.append(buf + skip, LIMB_DIGITS - skip);
    }
    return out;
}

std::optional<Bytes> DecodeBase58(std::string_view str, size_t max_len)
{
    size_t pos = 0;
    while (pos < str.size() && IsBase58Space(str[pos])) ++pos;

    size_t zeros = 0;
    while (pos < str.size() && str[pos] == '1') {
        if (++zeros > max_len) return std::nullopt;
        ++pos;
    }

    // The rest of the number, little-endian in base 2^32. Every digit
    // multiplies it by 58; its byte length never shrinks, so the first time
    // it passes max_len the answer is known.
    std::vector<uint32_t> limbs;
    for (; pos < str.size(); ++pos) {
        const int digit = DIGITS.v[static_cast<uint8_t>(str[pos])];
        if (digit < 0) break;
        uint64_t carry = static_cast<uint64_t>(digit);
        for (uint32_t& limb : limbs) {
            carry += uint64_t{limb} * 58;
            limb = static_cast<uint32_t>(carry);
            carry >>= 32;
        }
        if (carry) limbs.push_back(static_cast<uint32_t>(carry));
        if (!limbs.empty()) {
            const size_t len = (limbs.size() - 1) * 4 + LimbBytes(limbs.back());
            if (zeros + len > max_len) return std::nullopt;
        }
    }

    while (pos < str.size() && IsBase58Space(str[pos])) ++pos;
    if (pos != str.size()) return std::nullopt;

    Bytes out(zeros, 0);
    if (!limbs.empty()) {
        out.reserve(zeros + limbs.size() * 4);
        uint32_t top = limbs.back();
        for (size_t b = LimbBytes(top); b-- > 0;) out.push_back(static_cast<uint8_t>(top >> (8 * b)));
        for (size_t k = limbs.size() - 1; k-- > 0;) {
            for (int b = 3; b >= 0; --b) out.push_back(static_cast<uint8_t>(limbs[k] >> (8 * b)));
        }
    }
    return out;
}

} // namespace cairn
