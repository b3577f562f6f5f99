// Tests for crypto/siphash.h: the SipHash-2-4 reference vectors, and the
// fixed-size fast paths against the generic hasher.
#include "crypto/siphash.h"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace cairn;

namespace {

// Key 00 01 .. 0f, as two little-endian words.
constexpr uint64_t K0 = 0x0706050403020100;
constexpr uint64_t K1 = 0x0f0e0d0c0b0a0908;

// SipHash-2-4 of the messages 00, 00 01, ..., 00 01 .. 3e (index = length),
// from the SipHash paper's reference vectors.
constexpr uint64_t REFERENCE[64] = {
    0x726fdb47dd0e0e31, 0x74f839c593dc67fd, 0x0d6c8009d9a94f5a, 0x85676696d7fb7e2d,
    0xcf2794e0277187b7, 0x18765564cd99a68d, 0xcbc9466e58fee3ce, 0xab0200f58b01d137,
    0x93f5f5799a932462, 0x9e0082df0ba9e4b0, 0x7a5dbbc594ddb9f3, 0xf4b32f46226bada7,
    0x751e8fbc860ee5fb, 0x14ea5627c0843d90, 0xf723ca908e7af2ee, 0xa129ca6149be45e5,
    0x3f2acc7f57c29bdb, 0x699ae9f52cbe4794, 0x4bc1b3f0968dd39c, 0xbb6dc91da77961bd,
    0xbed65cf21aa2ee98, 0xd0f2cbb02e3b67c7, 0x93536795e3a33e88, 0xa80c038ccd5ccec8,
    0xb8ad50c6f649af94, 0xbce192de8a85b8ea, 0x17d835b85bbb15f3, 0x2f2e6163076bcfad,
    0xde4daaaca71dc9a5, 0xa6a2506687956571, 0xad87a3535c49ef28, 0x32d892fad841c342,
    0x7127512f72f27cce, 0xa7f32346f95978e3, 0x12e0b01abb051238, 0x15e034d40fa197ae,
    0x314dffbe0815a3b4, 0x027990f029623981, 0xcadcd4e59ef40c4d, 0x9abfd8766a33735c,
    0x0e3ea96b5304a7d0, 0xad0c42d6fc585992, 0x187306c89bc215a9, 0xd4a60abcf3792b95,
    0xf935451de4f21df2, 0xa9538f0419755787, 0xdb9acddff56ca510, 0xd06c98cd5c0975eb,
    0xe612a3cb9ecba951, 0xc766e62cfcadaf96, 0xee64435a9752fe72, 0xa192d576b245165a,
    0x0a8787bf8ecb74b2, 0x81b3e73d20b49b6f, 0x7fa8220ba3b2ecea, 0x245731c13ca42499,
    0xb78dbfaf3a8d83bd, 0xea1ad565322a1a0b, 0x60e61c23a3795013, 0x6606d7e446282b93,
    0x6ca4ecb15c5f91e1, 0x9f626da15c9625f3, 0xe51b38608ef25f57, 0x958a324ceb064572,
};

} // namespace

BOOST_AUTO_TEST_SUITE(siphash_tests)

BOOST_AUTO_TEST_CASE(reference_vectors)
{
    uint8_t msg[64];
    for (int i = 0; i < 64; ++i) msg[i] = uint8_t(i);
    for (size_t len = 0; len < 64; ++len) {
        BOOST_TEST(SipHasher(K0, K1).Write({msg, len}).Finalize() == REFERENCE[len], "length " << len);
        // Byte by byte, and with Finalize() in between (it must not disturb the state).
        SipHasher h(K0, K1);
        for (size_t i = 0; i < len; ++i) {
            h.Write({msg + i, 1});
            if (i < 63) BOOST_TEST(h.Finalize() == REFERENCE[i + 1]);
        }
        BOOST_TEST(h.Finalize() == REFERENCE[len]);
    }
}

BOOST_AUTO_TEST_CASE(write_uint64_is_eight_le_bytes)
{
    uint8_t msg[64];
    for (int i = 0; i < 64; ++i) msg[i] = uint8_t(i);
    // Aligned: whole words.
    BOOST_TEST(SipHasher(K0, K1).Write(0x0706050403020100).Finalize() == REFERENCE[8]);
    BOOST_TEST(SipHasher(K0, K1).Write(0x0706050403020100).Write(0x0f0e0d0c0b0a0908).Finalize() == REFERENCE[16]);
    // Unaligned: after 3 bytes.
    BOOST_TEST(SipHasher(K0, K1).Write({msg, 3}).Write(0x0a09080706050403).Finalize() == REFERENCE[11]);
}

BOOST_AUTO_TEST_CASE(uint256_fast_paths_match_generic)
{
    std::mt19937_64 rng(5);
    for (int i = 0; i < 1000; ++i) {
        const uint64_t k0 = rng(), k1 = rng();
        uint256 h;
        for (uint8_t& b : h) b = uint8_t(rng());
        BOOST_TEST(SipHashUint256(k0, k1, h) == SipHasher(k0, k1).Write(h.span()).Finalize());
        const uint32_t extra = uint32_t(rng());
        const uint8_t extra_le[4] = {uint8_t(extra), uint8_t(extra >> 8), uint8_t(extra >> 16), uint8_t(extra >> 24)};
        BOOST_TEST(SipHashUint256Extra(k0, k1, h, extra) ==
                   SipHasher(k0, k1).Write(h.span()).Write(extra_le).Finalize());
    }
}

BOOST_AUTO_TEST_SUITE_END()
