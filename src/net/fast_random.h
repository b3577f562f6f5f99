// A fast, non-cryptographic random generator (xoshiro256++) seeded from the
// OS, for the many small random choices of the P2P layer: address-manager
// buckets, shuffles, timers. Core uses its FastRandomContext the same way.
// Keys and nonces still come from crypto/random.h.
//
// Not thread-safe: each owner keeps its own, under its own lock.
#ifndef CAIRN_NET_FAST_RANDOM_H
#define CAIRN_NET_FAST_RANDOM_H

#include "crypto/random.h"

#include <cmath>
#include <cstdint>
#include <utility>

namespace cairn {

class FastRandom
{
public:
    /** Deterministic with a fixed seed (tests), else seeded from the OS. */
    explicit FastRandom(bool deterministic = false)
    {
        uint64_t seed[4];
        if (deterministic) {
            for (int i = 0; i < 4; ++i) seed[i] = 0x9e3779b97f4a7c15ULL * uint64_t(i + 1);
        } else {
            GetRandBytes({reinterpret_cast<uint8_t*>(seed), sizeof(seed)});
        }
        for (int i = 0; i < 4; ++i) m_s[i] = seed[i] | (i == 0); // never all zero
    }

    uint64_t rand64()
    {
        const uint64_t result = Rotl(m_s[0] + m_s[3], 23) + m_s[0];
        const uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = Rotl(m_s[3], 45);
        return result;
    }
    /** Uniform in [0, range); 0 when range is 0. */
    uint64_t randrange(uint64_t range)
    {
        if (range <= 1) return 0;
        // Rejection sampling keeps it unbiased.
        const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
        uint64_t v;
        do {
            v = rand64();
        } while (v >= limit);
        return v % range;
    }
    uint64_t randbits(int bits) { return bits >= 64 ? rand64() : rand64() >> (64 - bits); }
    bool randbool() { return rand64() >> 63; }
    /** Exponentially distributed with this mean (Poisson-process timers), same unit as the mean. */
    int64_t rand_exp(int64_t mean)
    {
        // 53 random bits in (0, 1]; -ln of it is exponential with mean 1.
        const double u = double((rand64() >> 11) + 1) * 0x1.0p-53;
        return int64_t(-std::log(u) * double(mean) + 0.5);
    }
    template <typename It> void shuffle(It first, It last)
    {
        for (auto n = last - first; n > 1; --n) {
            auto j = randrange(uint64_t(n));
            std::swap(first[n - 1], first[j]);
        }
    }

private:
    static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_s[4];
};

} // namespace cairn

#endif
