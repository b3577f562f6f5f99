#include "util/hex.h"

#include <stdexcept>

namespace cairn {

std::string HexStr(ByteSpan bytes)
{
    static constexpr char DIGITS[] = "0123456789abcdef";
    std::string out(bytes.size() * 2, '\0');
    for (size_t i = 0; i < bytes.size(); ++i) {
        out[2 * i] = DIGITS[bytes[i] >> 4];
        out[2 * i + 1] = DIGITS[bytes[i] & 15];
    }
    return out;
}

int HexDigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool IsHex(std::string_view s)
{
    // Empty is not hex, as in Bitcoin Core, whose RPC argument checks rely on it.
    if (s.empty() || s.size() % 2) return false;
    for (char c : s) if (HexDigit(c) < 0) return false;
    return true;
}

std::optional<Bytes> TryParseHex(std::string_view s)
{
    if (s.size() % 2) return std::nullopt;
    Bytes out(s.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
        int hi = HexDigit(s[2 * i]), lo = HexDigit(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return out;
}

Bytes ParseHex(std::string_view s)
{
    auto r = TryParseHex(s);
    if (!r) throw std::invalid_argument("ParseHex: not hex: " + std::string(s.substr(0, 64)));
    return *r;
}

} // namespace cairn
