#include "util/bech32.h"

#include <array>

namespace cairn {
namespace {

constexpr char CHARSET[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr size_t CHECKSUM_LEN = 6;
constexpr uint32_t BECH32_CONST = 1;
constexpr uint32_t BECH32M_CONST = 0x2bc830a3;

/** Value of a lower-case data character, or -1; indexed by the byte. */
constexpr std::array<int8_t, 256> MakeCharValues()
{
    std::array<int8_t, 256> t{};
    t.fill(-1);
    for (int i = 0; i < 32; ++i) t[static_cast<uint8_t>(CHARSET[i])] = static_cast<int8_t>(i);
    return t;
}
constexpr std::array<int8_t, 256> CHAR_VALUES = MakeCharValues();

/** The BCH checksum state (BIP 173's polymod), fed one 5-bit value at a time. */
class Polymod
{
public:
    void Feed(uint8_t v)
    {
        static constexpr uint32_t GEN[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
        const uint32_t top = m_chk >> 25;
        m_chk = ((m_chk & 0x1ffffff) << 5) ^ v;
        for (int i = 0; i < 5; ++i) {
            if ((top >> i) & 1) m_chk ^= GEN[i];
        }
    }
    /** The HRP's high bits, a zero, then its low bits. hrp must be lower case. */
    void FeedHrp(std::string_view hrp)
    {
        for (char c : hrp) Feed(static_cast<uint8_t>(c) >> 5);
        Feed(0);
        for (char c : hrp) Feed(static_cast<uint8_t>(c) & 31);
    }
    uint32_t Value() const { return m_chk; }

private:
    uint32_t m_chk{1};
};

uint32_t ConstantFor(Bech32Encoding encoding)
{
    return encoding == Bech32Encoding::BECH32 ? BECH32_CONST : BECH32M_CONST;
}

bool IsHrpChar(char c) { return c >= 33 && c <= 126; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

} // namespace

std::string Bech32Encode(Bech32Encoding encoding, std::string_view hrp, ByteSpan values5bit)
{
    if (encoding == Bech32Encoding::INVALID) return {};
    if (hrp.empty() || hrp.size() > BECH32_MAX_HRP_LENGTH) return {};
    std::string out;
    out.reserve(hrp.size() + 1 + values5bit.size() + CHECKSUM_LEN);
    for (char c : hrp) {
        if (!IsHrpChar(c)) return {};
        out.push_back(Lower(c));
    }
    Polymod pm;
    pm.FeedHrp(out);
    out.push_back('1');
    for (uint8_t v : values5bit) {
        if (v >= 32) return {};
        pm.Feed(v);
        out.push_back(CHARSET[v]);
    }
    for (size_t i = 0; i < CHECKSUM_LEN; ++i) pm.Feed(0);
    const uint32_t checksum = pm.Value() ^ ConstantFor(encoding);
    for (size_t i = 0; i < CHECKSUM_LEN; ++i) out.push_back(CHARSET[(checksum >> (5 * (CHECKSUM_LEN - 1 - i))) & 31]);
    return out;
}

Bech32Decoded Bech32Decode(std::string_view str, size_t max_len)
{
    if (str.size() > max_len) return {};
    bool lower = false, upper = false;
    for (char c : str) {
        if (!IsHrpChar(c)) return {};
        if (c >= 'a' && c <= 'z') lower = true;
        if (c >= 'A' && c <= 'Z') upper = true;
    }
    if (lower && upper) return {};

    const size_t sep = str.rfind('1');
    if (sep == std::string_view::npos || sep == 0 || sep > BECH32_MAX_HRP_LENGTH) return {};
    if (str.size() - sep - 1 < CHECKSUM_LEN) return {};

    Bech32Decoded r;
    r.hrp.reserve(sep);
    for (size_t i = 0; i < sep; ++i) r.hrp.push_back(Lower(str[i]));
    Polymod pm;
    pm.FeedHrp(r.hrp);
    r.data.reserve(str.size() - sep - 1);
    for (size_t i = sep + 1; i < str.size(); ++i) {
        const int8_t v = CHAR_VALUES[static_cast<uint8_t>(Lower(str[i]))];
        if (v < 0) return {};
        pm.Feed(static_cast<uint8_t>(v));
        r.data.push_back(static_cast<uint8_t>(v));
    }
    if (pm.Value() == BECH32_CONST) {
        r.encoding = Bech32Encoding::BECH32;
    } else if (pm.Value() == BECH32M_CONST) {
        r.encoding = Bech32Encoding::BECH32M;
    } else {
        return {};
    }
    r.data.resize(r.data.size() - CHECKSUM_LEN);
    return r;
}

} // namespace cairn
