#include "util/base64.h"

#include <array>

namespace cairn {
namespace {

constexpr char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Value of each byte as a base64 digit, or -1. */
constexpr std::array<int8_t, 256> MakeDecodeTable()
{
    std::array<int8_t, 256> t{};
    for (auto& v : t) v = -1;
    for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(ALPHABET[i])] = static_cast<int8_t>(i);
    return t;
}

constexpr std::array<int8_t, 256> DECODE = MakeDecodeTable();

} // namespace

std::string EncodeBase64(ByteSpan bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const uint32_t v = (uint32_t(bytes[i]) << 16) | (uint32_t(bytes[i + 1]) << 8) | bytes[i + 2];
        out += ALPHABET[(v >> 18) & 63];
        out += ALPHABET[(v >> 12) & 63];
        out += ALPHABET[(v >> 6) & 63];
        out += ALPHABET[v & 63];
    }
    const size_t rest = bytes.size() - i;
    if (rest == 1) {
        const uint32_t v = uint32_t(bytes[i]) << 16;
        out += ALPHABET[(v >> 18) & 63];
        out += ALPHABET[(v >> 12) & 63];
        out += "==";
    } else if (rest == 2) {
        const uint32_t v = (uint32_t(bytes[i]) << 16) | (uint32_t(bytes[i + 1]) << 8);
        out += ALPHABET[(v >> 18) & 63];
        out += ALPHABET[(v >> 12) & 63];
        out += ALPHABET[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<Bytes> DecodeBase64(std::string_view s)
{
    if (s.size() % 4 != 0) return std::nullopt;
    size_t padding = 0;
    while (padding < 2 && !s.empty() && s.back() == '=') {
        s.remove_suffix(1);
        ++padding;
    }

    Bytes out;
    out.reserve(s.size() * 3 / 4);
    uint32_t acc = 0; // bits not yet written out, in the low `bits` bits
    int bits = 0;
    for (const char c : s) {
        const int8_t d = DECODE[static_cast<uint8_t>(c)];
        if (d < 0) return std::nullopt; // includes a third '=' or one in the middle
        acc = (acc << 6) | uint32_t(d);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<uint8_t>(acc >> bits));
            acc &= (1u << bits) - 1;
        }
    }
    // What is left must be fewer than six bits (a whole digit left over means
    // a truncated group) and all zero.
    if (bits >= 6 || acc != 0) return std::nullopt;
    return out;
}

} // namespace cairn
