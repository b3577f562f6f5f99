#include "crypto/lax_der.h"

#include <cstring>

namespace cairn {
namespace {

/** Reads a length byte and, for the long form, the length bytes after it.
 *  Returns false if they run past the end or do not fit in a size_t. */
bool ReadLength(ByteSpan der, size_t& pos, size_t& len)
{
    if (pos >= der.size()) return false;
    const uint8_t first = der[pos++];
    if (!(first & 0x80)) {
        len = first;
        return true;
    }
    size_t count = first & 0x7f;
    if (count > der.size() - pos) return false;
    while (count > 0 && der[pos] == 0) {
        ++pos;
        --count;
    }
    if (count >= sizeof(size_t)) return false;
    len = 0;
    for (; count > 0; --count) len = (len << 8) | der[pos++];
    return true;
}

/** Reads one 0x02-tagged integer, returning where its content starts. */
bool ReadInteger(ByteSpan der, size_t& pos, ByteSpan& value)
{
    if (pos >= der.size() || der[pos] != 0x02) return false;
    ++pos;
    size_t len;
    if (!ReadLength(der, pos, len)) return false;
    if (len > der.size() - pos) return false;
    value = der.subspan(pos, len);
    pos += len;
    return true;
}

/** Right-aligns the unsigned value into 32 bytes; false if it needs more. */
bool ToScalar(ByteSpan value, uint8_t out[32])
{
    while (!value.empty() && value[0] == 0) value = value.subspan(1);
    if (value.size() > 32) return false;
    std::memset(out, 0, 32 - value.size());
    if (!value.empty()) std::memcpy(out + 32 - value.size(), value.data(), value.size());
    return true;
}

} // namespace

bool ParseDerLax(ByteSpan der, uint8_t out_rs[64])
{
    size_t pos = 0;
    if (pos >= der.size() || der[pos] != 0x30) return false;
    ++pos;
    // The sequence length is skipped, not checked against what follows.
    if (pos >= der.size()) return false;
    const uint8_t seq_len = der[pos++];
    if (seq_len & 0x80) {
        const size_t count = seq_len & 0x7f;
        if (count > der.size() - pos) return false;
        pos += count;
    }

    ByteSpan r, s;
    if (!ReadInteger(der, pos, r) || !ReadInteger(der, pos, s)) return false;

    if (!ToScalar(r, out_rs) || !ToScalar(s, out_rs + 32)) std::memset(out_rs, 0, 64);
    return true;
}

} // namespace cairn
