// Fixed-size opaque blobs (160 and 256 bits) used for hashes.
//
// Bytes are stored in the order they are serialized (little-endian for
// numbers); the hex form, like Bitcoin's, prints them reversed.
#ifndef CAIRN_UTIL_UINT256_H
#define CAIRN_UTIL_UINT256_H

#include "util/span.h"

#include <array>
#include <compare>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cairn {

template <size_t BITS>
class BaseBlob
{
public:
    static constexpr size_t WIDTH = BITS / 8;

    constexpr BaseBlob() : m_data{} {}
    explicit BaseBlob(ByteSpan bytes)
    {
        if (bytes.size() != WIDTH) throw std::invalid_argument("BaseBlob: wrong length");
        std::memcpy(m_data.data(), bytes.data(), WIDTH);
    }

    bool IsNull() const
    {
        for (uint8_t b : m_data) if (b) return false;
        return true;
    }
    void SetNull() { m_data.fill(0); }

    /** Hex of the bytes in reverse order (the way block and tx hashes are shown). */
    std::string GetHex() const;
    /** Parses exactly 2*WIDTH hex digits, reversed; nullopt on anything else. */
    static std::optional<BaseBlob> FromHex(std::string_view hex);

    uint8_t* data() { return m_data.data(); }
    const uint8_t* data() const { return m_data.data(); }
    static constexpr size_t size() { return WIDTH; }
    uint8_t* begin() { return m_data.data(); }
    uint8_t* end() { return m_data.data() + WIDTH; }
    const uint8_t* begin() const { return m_data.data(); }
    const uint8_t* end() const { return m_data.data() + WIDTH; }
    ByteSpan span() const { return {m_data.data(), WIDTH}; }

    /** The first 8 bytes as a little-endian integer: a cheap hash-table key. */
    uint64_t GetUint64(int pos = 0) const
    {
        uint64_t v;
        std::memcpy(&v, m_data.data() + pos * 8, 8);
        return v; // little-endian hosts only (checked in configure)
    }

    friend bool operator==(const BaseBlob& a, const BaseBlob& b) { return a.m_data == b.m_data; }
    friend std::strong_ordering operator<=>(const BaseBlob& a, const BaseBlob& b)
    {
        int c = std::memcmp(a.m_data.data(), b.m_data.data(), WIDTH);
        return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
    }

protected:
    std::array<uint8_t, WIDTH> m_data;
};

class uint160 : public BaseBlob<160>
{
public:
    using BaseBlob<160>::BaseBlob;
    uint160(const BaseBlob<160>& b) : BaseBlob<160>(b) {}
};

class uint256 : public BaseBlob<256>
{
public:
    using BaseBlob<256>::BaseBlob;
    uint256(const BaseBlob<256>& b) : BaseBlob<256>(b) {}
    static const uint256 ZERO;
    static const uint256 ONE;
};

} // namespace cairn

#endif
