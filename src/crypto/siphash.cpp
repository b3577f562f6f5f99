#include "crypto/siphash.h"

#include <cstring>

namespace cairn {
namespace {

uint64_t Rotl(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

inline void SipRound(uint64_t& v0, uint64_t& v1, uint64_t& v2, uint64_t& v3)
{
    v0 += v1; v1 = Rotl(v1, 13); v1 ^= v0; v0 = Rotl(v0, 32);
    v2 += v3; v3 = Rotl(v3, 16); v3 ^= v2;
    v0 += v3; v3 = Rotl(v3, 21); v3 ^= v0;
    v2 += v1; v1 = Rotl(v1, 17); v1 ^= v2; v2 = Rotl(v2, 32);
}

/** The "-2" of SipHash-2-4: two rounds per message word. */
inline void Compress(uint64_t (&v)[4], uint64_t m)
{
    v[3] ^= m;
    SipRound(v[0], v[1], v[2], v[3]);
    SipRound(v[0], v[1], v[2], v[3]);
    v[0] ^= m;
}

/** The "-4": four rounds after the last word. */
inline uint64_t Finish(uint64_t (&v)[4])
{
    v[2] ^= 0xff;
    for (int i = 0; i < 4; ++i) SipRound(v[0], v[1], v[2], v[3]);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

inline void InitState(uint64_t (&v)[4], uint64_t k0, uint64_t k1)
{
    // "somepseudorandomlygeneratedbytes", per the paper.
    v[0] = k0 ^ 0x736f6d6570736575;
    v[1] = k1 ^ 0x646f72616e646f6d;
    v[2] = k0 ^ 0x6c7967656e657261;
    v[3] = k1 ^ 0x7465646279746573;
}

uint64_t ReadLE64(const uint8_t* p)
{
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v; // little-endian hosts only (checked in configure)
}

} // namespace

SipHasher::SipHasher(uint64_t k0, uint64_t k1) { InitState(m_v, k0, k1); }

SipHasher& SipHasher::Write(uint64_t v)
{
    if (m_count % 8 != 0) {
        uint8_t bytes[8];
        std::memcpy(bytes, &v, 8);
        return Write(bytes);
    }
    Compress(m_v, v);
    m_count += 8;
    return *this;
}

SipHasher& SipHasher::Write(ByteSpan data)
{
    const auto add_byte = [this](uint8_t b) {
        m_tail |= uint64_t{b} << (8 * (m_count % 8));
        if (++m_count % 8 == 0) {
            Compress(m_v, m_tail);
            m_tail = 0;
        }
    };
    size_t i = 0;
    // Top up a partial word byte by byte, then take whole words directly.
    while (i < data.size() && m_count % 8 != 0) add_byte(data[i++]);
    for (; i + 8 <= data.size(); i += 8, m_count += 8) Compress(m_v, ReadLE64(data.data() + i));
    while (i < data.size()) add_byte(data[i++]);
    return *this;
}

uint64_t SipHasher::Finalize() const
{
    uint64_t v[4] = {m_v[0], m_v[1], m_v[2], m_v[3]};
    Compress(v, m_tail | (m_count << 56));
    return Finish(v);
}

uint64_t SipHashUint256(uint64_t k0, uint64_t k1, const uint256& h)
{
    uint64_t v[4];
    InitState(v, k0, k1);
    for (int i = 0; i < 4; ++i) Compress(v, ReadLE64(h.data() + 8 * i));
    Compress(v, uint64_t{32} << 56);
    return Finish(v);
}

uint64_t SipHashUint256Extra(uint64_t k0, uint64_t k1, const uint256& h, uint32_t extra)
{
    uint64_t v[4];
    InitState(v, k0, k1);
    for (int i = 0; i < 4; ++i) Compress(v, ReadLE64(h.data() + 8 * i));
    Compress(v, (uint64_t{36} << 56) | extra);
    return Finish(v);
}

} // namespace cairn
