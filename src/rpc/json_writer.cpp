#include "rpc/json_writer.h"

#include <array>
#include <charconv>

namespace cairn {

namespace {

constexpr char HEX_DIGITS[] = "0123456789abcdef";

/** For each byte, its escape inside a JSON string, or empty when it stands
 *  for itself. Taken from UniValue's own writer once, so the two cannot
 *  disagree whatever UniValue version the node links. */
const std::array<std::string, 256>& EscapeTable()
{
    static const std::array<std::string, 256> table = [] {
        std::array<std::string, 256> t;
        for (int c = 0; c < 256; ++c) {
            const std::string written = UniValue(std::string(1, char(c))).write();
            const std::string inner = written.substr(1, written.size() - 2);
            if (inner != std::string(1, char(c))) t[c] = inner;
        }
        return t;
    }();
    return table;
}

} // namespace

void AppendJsonString(std::string& out, std::string_view s)
{
    const auto& table = EscapeTable();
    out.push_back('"');
    size_t plain_from = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const std::string& esc = table[uint8_t(s[i])];
        if (esc.empty()) continue;
        out.append(s.data() + plain_from, i - plain_from);
        out += esc;
        plain_from = i + 1;
    }
    out.append(s.data() + plain_from, s.size() - plain_from);
    out.push_back('"');
}

void JsonWriter::Key(std::string_view key)
{
    Separate();
    AppendJsonString(m_out, key);
    m_out.push_back(':');
    m_need_comma = false;
}

void JsonWriter::String(std::string_view s)
{
    Separate();
    AppendJsonString(m_out, s);
}

void JsonWriter::PlainString(std::string_view s)
{
    Separate();
    m_out.push_back('"');
    m_out.append(s);
    m_out.push_back('"');
}

void JsonWriter::Int(int64_t v)
{
    Separate();
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof(buf), v);
    m_out.append(buf, res.ptr);
}

void JsonWriter::UInt(uint64_t v)
{
    Separate();
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof(buf), v);
    m_out.append(buf, res.ptr);
}

void JsonWriter::Amount(int64_t sats)
{
    // FormatAmount's text: sign, whole coins, '.', 8 decimals.
    Separate();
    constexpr uint64_t COIN = 100'000'000;
    const uint64_t magnitude = sats < 0 ? uint64_t{0} - uint64_t(sats) : uint64_t(sats);
    char buf[32];
    char* p = buf;
    if (sats < 0) *p++ = '-';
    p = std::to_chars(p, buf + sizeof(buf), magnitude / COIN).ptr;
    *p++ = '.';
    uint64_t frac = magnitude % COIN;
    for (int i = 7; i >= 0; --i) {
        p[i] = char('0' + frac % 10);
        frac /= 10;
    }
    m_out.append(buf, p + 8);
}

void JsonWriter::Hex(ByteSpan bytes)
{
    Separate();
    const size_t start = m_out.size();
    m_out.resize(start + 2 + 2 * bytes.size());
    char* p = m_out.data() + start;
    *p++ = '"';
    for (uint8_t b : bytes) {
        *p++ = HEX_DIGITS[b >> 4];
        *p++ = HEX_DIGITS[b & 15];
    }
    *p = '"';
}

void JsonWriter::Hash(const uint256& hash)
{
    Separate();
    const size_t start = m_out.size();
    m_out.resize(start + 66);
    char* p = m_out.data() + start;
    *p++ = '"';
    for (size_t i = 32; i-- > 0;) {
        const uint8_t b = hash.data()[i];
        *p++ = HEX_DIGITS[b >> 4];
        *p++ = HEX_DIGITS[b & 15];
    }
    *p = '"';
}

void JsonWriter::Raw(std::string_view json)
{
    Separate();
    m_out.append(json);
}

UniValue JsonTextValue(std::string json) { return UniValue(UniValue::VNUM, json); }

} // namespace cairn
