// Bitcoin's network serialization: little-endian integers, CompactSize
// lengths, and the bounds-checked reader that every decoder goes through.
//
// Writers are any type with `void Write(ByteSpan)` (a byte vector, a hasher,
// a size counter), so an object is hashed without first being copied.
#ifndef CAIRN_UTIL_SERIALIZE_H
#define CAIRN_UTIL_SERIALIZE_H

#include "util/span.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace cairn {

/** Largest length prefix accepted when reading: no message or block comes near it. */
inline constexpr uint64_t MAX_SERIALIZED_SIZE = 0x02000000;

/** Thrown by Reader on truncated, oversized or non-canonical data. */
class DeserializeError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/** Appends to a byte vector. */
class VectorWriter
{
public:
    explicit VectorWriter(Bytes& out) : m_out(out) {}
    void Write(ByteSpan b) { m_out.insert(m_out.end(), b.begin(), b.end()); }

private:
    Bytes& m_out;
};

/** Counts bytes without storing them. */
class SizeCounter
{
public:
    void Write(ByteSpan b) { m_size += b.size(); }
    size_t size() const { return m_size; }

private:
    size_t m_size{0};
};

template <typename W> void WriteU8(W& w, uint8_t v) { w.Write({&v, 1}); }
template <typename W> void WriteU16LE(W& w, uint16_t v)
{
    uint8_t b[2] = {uint8_t(v), uint8_t(v >> 8)};
    w.Write(b);
}
template <typename W> void WriteU32LE(W& w, uint32_t v)
{
    uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
    w.Write(b);
}
template <typename W> void WriteU64LE(W& w, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = uint8_t(v >> (8 * i));
    w.Write(b);
}
template <typename W> void WriteCompactSize(W& w, uint64_t n)
{
    if (n < 253) {
        WriteU8(w, uint8_t(n));
    } else if (n <= 0xffff) {
        WriteU8(w, 253);
        WriteU16LE(w, uint16_t(n));
    } else if (n <= 0xffffffff) {
        WriteU8(w, 254);
        WriteU32LE(w, uint32_t(n));
    } else {
        WriteU8(w, 255);
        WriteU64LE(w, n);
    }
}
/** A length-prefixed byte string. */
template <typename W> void WriteVarBytes(W& w, ByteSpan b)
{
    WriteCompactSize(w, b.size());
    w.Write(b);
}

inline size_t CompactSizeLen(uint64_t n)
{
    return n < 253 ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

/** Reads from a byte span; every read is bounds-checked and throws DeserializeError. */
class Reader
{
public:
    explicit Reader(ByteSpan data) : m_data(data) {}

    size_t remaining() const { return m_data.size() - m_pos; }
    bool empty() const { return m_pos == m_data.size(); }
    size_t pos() const { return m_pos; }

    ByteSpan ReadBytes(size_t n)
    {
        if (n > remaining()) throw DeserializeError("end of data");
        ByteSpan out = m_data.subspan(m_pos, n);
        m_pos += n;
        return out;
    }
    void ReadInto(uint8_t* out, size_t n)
    {
        ByteSpan b = ReadBytes(n);
        if (n) std::memcpy(out, b.data(), n);
    }
    uint8_t U8() { return ReadBytes(1)[0]; }
    uint16_t U16LE()
    {
        ByteSpan b = ReadBytes(2);
        return uint16_t(b[0] | b[1] << 8);
    }
    uint32_t U32LE()
    {
        ByteSpan b = ReadBytes(4);
        return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
    }
    uint64_t U64LE()
    {
        ByteSpan b = ReadBytes(8);
        uint64_t v = 0;
        for (int i = 7; i >= 0; --i) v = v << 8 | b[i];
        return v;
    }
    /** A CompactSize; non-canonical encodings are rejected, and so are values
     *  above MAX_SERIALIZED_SIZE when range_check is set (lengths, counts). */
    uint64_t CompactSize(bool range_check = true)
    {
        uint8_t first = U8();
        uint64_t n;
        if (first < 253) {
            n = first;
        } else if (first == 253) {
            n = U16LE();
            if (n < 253) throw DeserializeError("non-canonical ReadCompactSize()");
        } else if (first == 254) {
            n = U32LE();
            if (n < 0x10000) throw DeserializeError("non-canonical ReadCompactSize()");
        } else {
            n = U64LE();
            if (n < 0x100000000ULL) throw DeserializeError("non-canonical ReadCompactSize()");
        }
        if (range_check && n > MAX_SERIALIZED_SIZE) throw DeserializeError("ReadCompactSize(): size too large");
        return n;
    }
    /** A length-prefixed byte string. The length is checked against what is left
     *  before allocating, so a lying prefix cannot make us allocate. */
    Bytes VarBytes()
    {
        uint64_t n = CompactSize();
        ByteSpan b = ReadBytes(n);
        return Bytes(b.begin(), b.end());
    }

private:
    ByteSpan m_data;
    size_t m_pos{0};
};

} // namespace cairn

#endif
