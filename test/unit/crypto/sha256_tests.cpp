// Tests for crypto/sha256.h: FIPS 180-4 examples on every implementation,
// and every implementation (including the batched double hash) against the
// portable one on random data.
#include "crypto/sha256.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <random>
#include <string>
#include <vector>

using namespace cairn;

namespace {

/** Puts the automatic choice back, whatever a test forced. */
struct RestoreAutoDetect {
    ~RestoreAutoDetect() { Sha256AutoDetect(); }
};

/** The implementations this build and CPU can run; portable first. */
std::vector<Sha256Impl> AvailableImpls()
{
    std::vector<Sha256Impl> out;
    for (Sha256Impl impl : {Sha256Impl::PORTABLE, Sha256Impl::AVX2, Sha256Impl::SHANI}) {
        const std::string name = Sha256AutoDetect(impl);
        if (name.empty()) continue;
        BOOST_TEST_MESSAGE("sha256 implementation available: " << name);
        out.push_back(impl);
    }
    return out;
}

std::string HexSha256(ByteSpan data)
{
    uint8_t out[Sha256::OUTPUT_SIZE];
    Sha256().Write(data).Finalize(out);
    return HexStr(out);
}

Bytes RandomBytes(std::mt19937_64& rng, size_t n)
{
    Bytes b(n);
    for (uint8_t& x : b) x = uint8_t(rng());
    return b;
}

/** Double SHA-256 of each 64-byte block through the plain hasher. */
Bytes ReferenceD64(const Bytes& in)
{
    Bytes out(in.size() / 2);
    for (size_t i = 0; i < in.size() / 64; ++i) {
        uint8_t first[32];
        Sha256().Write({in.data() + 64 * i, 64}).Finalize(first);
        Sha256().Write(first).Finalize(out.data() + 32 * i);
    }
    return out;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(sha256_tests, RestoreAutoDetect)

BOOST_AUTO_TEST_CASE(fips_180_examples_every_implementation)
{
    const std::string m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    const std::string m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    for (Sha256Impl impl : AvailableImpls()) {
        BOOST_TEST_CONTEXT(Sha256AutoDetect(impl))
        {
            BOOST_TEST(HexSha256(AsBytes("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
            BOOST_TEST(HexSha256(AsBytes("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            BOOST_TEST(HexSha256(AsBytes(m448)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
            BOOST_TEST(HexSha256(AsBytes(m896)) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");

            // One million 'a', fed in uneven pieces so the buffering is exercised.
            const std::string chunk(997, 'a');
            Sha256 sha;
            size_t left = 1000000;
            while (left > 0) {
                const size_t n = std::min(left, chunk.size());
                sha.Write(AsBytes(std::string_view(chunk).substr(0, n)));
                left -= n;
            }
            uint8_t out[32];
            sha.Finalize(out);
            BOOST_TEST(HexStr(out) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        }
    }
}

BOOST_AUTO_TEST_CASE(padding_boundaries)
{
    // Lengths around 55/56/64 bytes change how many padding blocks follow.
    // Each must equal the digest of the same bytes written one at a time.
    std::mt19937_64 rng(1);
    const Bytes data = RandomBytes(rng, 200);
    for (size_t len = 0; len <= data.size(); ++len) {
        Sha256 bytewise;
        for (size_t i = 0; i < len; ++i) bytewise.Write({&data[i], 1});
        uint8_t a[32];
        bytewise.Finalize(a);
        BOOST_TEST(HexStr(a) == HexSha256({data.data(), len}), "length " << len);
    }
}

BOOST_AUTO_TEST_CASE(writes_split_at_every_offset)
{
    std::mt19937_64 rng(2);
    const Bytes data = RandomBytes(rng, 300);
    const std::string whole = HexSha256(data);
    for (size_t i = 0; i <= data.size(); ++i) {
        for (size_t j = i; j <= data.size(); j += 7) {
            uint8_t out[32];
            Sha256()
                .Write({data.data(), i})
                .Write({data.data() + i, j - i})
                .Write({data.data() + j, data.size() - j})
                .Finalize(out);
            BOOST_TEST(HexStr(out) == whole, "split at " << i << "," << j);
        }
    }
}

BOOST_AUTO_TEST_CASE(reset_and_copy)
{
    Sha256 sha;
    sha.Write(AsBytes("something else"));
    sha.Reset().Write(AsBytes("abc"));
    Sha256 copy = sha; // a midstate copy continues independently
    uint8_t out[32];
    sha.Finalize(out);
    BOOST_TEST(HexStr(out) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    copy.Write(AsBytes("dbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    copy.Finalize(out);
    BOOST_TEST(HexStr(out) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

BOOST_AUTO_TEST_CASE(every_implementation_matches_portable)
{
    std::mt19937_64 rng(3);
    std::vector<Bytes> messages;
    for (size_t len = 0; len < 300; ++len) messages.push_back(RandomBytes(rng, len));
    messages.push_back(RandomBytes(rng, 100000));

    Sha256AutoDetect(Sha256Impl::PORTABLE);
    std::vector<std::string> expected;
    for (const Bytes& m : messages) expected.push_back(HexSha256(m));

    for (Sha256Impl impl : AvailableImpls()) {
        const std::string name = Sha256AutoDetect(impl);
        for (size_t i = 0; i < messages.size(); ++i) {
            BOOST_TEST(HexSha256(messages[i]) == expected[i], name << ", length " << messages[i].size());
        }
    }
}

BOOST_AUTO_TEST_CASE(d64_every_implementation_and_count)
{
    std::mt19937_64 rng(4);
    for (Sha256Impl impl : AvailableImpls()) {
        for (size_t blocks = 0; blocks <= 17; ++blocks) {
            const Bytes in = RandomBytes(rng, 64 * blocks);
            Sha256AutoDetect(Sha256Impl::PORTABLE);
            const Bytes expected = ReferenceD64(in);

            const std::string name = Sha256AutoDetect(impl);
            Bytes out(32 * blocks);
            Sha256D64(out.data(), in.data(), blocks);
            BOOST_TEST(HexStr(out) == HexStr(expected), name << ", " << blocks << " blocks");

            // In place, as merkle levels are hashed.
            Bytes inplace = in;
            Sha256D64(inplace.data(), inplace.data(), blocks);
            BOOST_TEST(HexStr({inplace.data(), 32 * blocks}) == HexStr(expected), name << ", in place, " << blocks);
        }
    }
}

BOOST_AUTO_TEST_CASE(autodetect_names)
{
    BOOST_TEST(Sha256AutoDetect(Sha256Impl::PORTABLE) == "portable");
    const std::string chosen = Sha256AutoDetect();
    BOOST_TEST_MESSAGE("sha256 autodetect: " << chosen);
    BOOST_TEST(!chosen.empty());
    // AUTO picks the first available of SHA-NI, AVX2, portable.
    const std::string shani = Sha256AutoDetect(Sha256Impl::SHANI);
    const std::string avx2 = Sha256AutoDetect(Sha256Impl::AVX2);
    BOOST_TEST(chosen == (!shani.empty() ? shani : !avx2.empty() ? avx2 : std::string("portable")));
}

BOOST_AUTO_TEST_SUITE_END()
