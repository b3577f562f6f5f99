// Tests for crypto/chacha20.h, crypto/poly1305.h and crypto/chacha20poly1305.h.
//
// Vectors: RFC 8439 (sections 2.3.2, 2.4.2, 2.5.2, 2.8.2 and appendix A),
// draft-agl-tls-chacha20poly1305-04 section 7, and the cases Bitcoin Core's
// crypto_tests.cpp adds (32-bit counter overflow, FSChaCha20 and
// FSChaCha20Poly1305, extra Poly1305 and AEAD cases), plus BIP 324's
// packet-encoding vectors (shared/vectors/bips).
#include "crypto/chacha20.h"
#include "crypto/chacha20poly1305.h"
#include "crypto/poly1305.h"
#include "test/util/vectors.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace cairn;

namespace {

/** Byte-wise equality (std::span has no operator==). */
bool SpanEqual(ByteSpan a, ByteSpan b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

std::mt19937_64& Rng()
{
    static std::mt19937_64 rng{0x63686163686132ULL};
    return rng;
}

size_t RandRange(size_t n) { return n == 0 ? 0 : size_t(Rng()() % n); }

Bytes RandBytes(size_t n)
{
    Bytes b(n);
    for (auto& x : b) x = uint8_t(Rng()());
    return b;
}

/** Checks keystream (empty `hex_message`) or encryption output for a key,
 *  nonce and starting block, whole and split into random pieces, and that
 *  Crypt equals XOR with Keystream, also in place. */
void TestChaCha20(const std::string& hex_message, const std::string& hexkey, ChaCha20::Nonce96 nonce, uint32_t seek,
                  const std::string& hexout)
{
    const Bytes key = ParseHex(hexkey);
    const Bytes m = ParseHex(hex_message);
    const Bytes expected = ParseHex(hexout);
    BOOST_REQUIRE(hex_message.empty() || m.size() == expected.size());
    ChaCha20 c{key};
    c.Seek(nonce, seek);
    Bytes out(expected.size());
    if (!hex_message.empty()) {
        c.Crypt(m, out);
    } else {
        c.Keystream(out);
    }
    BOOST_CHECK_EQUAL(HexStr(out), hexout);

    if (!hex_message.empty()) {
        c.Seek(nonce, seek);
        Bytes ks(m.size());
        c.Keystream(ks);
        for (size_t i = 0; i < m.size(); ++i) ks[i] ^= m[i];
        BOOST_CHECK_EQUAL(HexStr(ks), hexout);
        // In place.
        Bytes buf = m;
        c.Seek(nonce, seek);
        c.Crypt(buf, buf);
        BOOST_CHECK_EQUAL(HexStr(buf), hexout);
    }

    // Split into three random pieces, exercising leftover keystream.
    for (int iter = 0; iter < 10; ++iter) {
        size_t lens[3];
        lens[0] = RandRange(expected.size() + 1);
        lens[1] = RandRange(expected.size() - lens[0] + 1);
        lens[2] = expected.size() - lens[0] - lens[1];
        c.Seek(nonce, seek);
        Bytes piecewise(expected.size());
        size_t pos = 0;
        for (size_t len : lens) {
            if (!hex_message.empty()) {
                c.Crypt(ByteSpan{m}.subspan(pos, len), MutableByteSpan{piecewise}.subspan(pos, len));
            } else {
                c.Keystream(MutableByteSpan{piecewise}.subspan(pos, len));
            }
            pos += len;
        }
        BOOST_CHECK_EQUAL(HexStr(piecewise), hexout);
    }
}

void TestPoly1305(const std::string& hexmessage, const std::string& hexkey, const std::string& hextag)
{
    const Bytes key = ParseHex(hexkey);
    const Bytes m = ParseHex(hexmessage);
    uint8_t tag[Poly1305::TAGLEN];
    Poly1305Auth(key, m, tag);
    BOOST_CHECK_EQUAL(HexStr(tag), hextag);
    // Incremental, split at random points.
    for (int splits = 1; splits < 8; ++splits) {
        Poly1305 p{key};
        ByteSpan rest{m};
        for (int s = 0; s < splits; ++s) {
            const size_t now = RandRange(rest.size() + 1);
            p.Update(rest.first(now));
            rest = rest.subspan(now);
        }
        p.Update(rest).Finalize(tag);
        BOOST_CHECK_EQUAL(HexStr(tag), hextag);
    }
}

void TestChaCha20Poly1305(const std::string& plain_hex, const std::string& aad_hex, const std::string& key_hex,
                          AEADChaCha20Poly1305::Nonce96 nonce, const std::string& cipher_hex)
{
    const Bytes plain = ParseHex(plain_hex);
    const Bytes aad = ParseHex(aad_hex);
    const Bytes key = ParseHex(key_hex);
    AEADChaCha20Poly1305 aead{key};
    for (int i = 0; i < 10; ++i) {
        // First whole, then split at a random point.
        const size_t prefix = i == 0 ? plain.size() : RandRange(plain.size() + 1);
        Bytes cipher(plain.size() + AEADChaCha20Poly1305::EXPANSION);
        aead.Encrypt(ByteSpan{plain}.first(prefix), ByteSpan{plain}.subspan(prefix), aad, nonce, cipher);
        BOOST_CHECK_EQUAL(HexStr(cipher), cipher_hex);

        Bytes decrypted(plain.size());
        BOOST_CHECK(aead.Decrypt(cipher, aad, nonce, MutableByteSpan{decrypted}.first(prefix),
                                 MutableByteSpan{decrypted}.subspan(prefix)));
        BOOST_CHECK(decrypted == plain);
    }
    // Keystream starts at block 1.
    Bytes ks(plain.size());
    aead.Keystream(nonce, ks);
    const Bytes expected = ParseHex(cipher_hex);
    for (size_t i = 0; i < plain.size(); ++i) BOOST_CHECK_EQUAL(plain[i] ^ ks[i], expected[i]);

    // Any flipped bit in the ciphertext, tag or aad is rejected and leaves
    // the output buffer alone.
    for (int i = 0; i < 20; ++i) {
        Bytes bad_cipher = expected;
        Bytes bad_aad = aad;
        if (bad_aad.empty() || RandRange(2)) {
            bad_cipher[RandRange(bad_cipher.size())] ^= uint8_t(1 << RandRange(8));
        } else {
            bad_aad[RandRange(bad_aad.size())] ^= uint8_t(1 << RandRange(8));
        }
        Bytes out(plain.size(), 0xAA);
        BOOST_CHECK(!aead.Decrypt(bad_cipher, bad_aad, nonce, out));
        BOOST_CHECK(std::all_of(out.begin(), out.end(), [](uint8_t b) { return b == 0xAA; }));
    }
}

/** FSChaCha20 with `rekey_interval` chunks of `hex_plaintext` agrees with plain
 *  ChaCha20 until the rekey, then gives `ciphertext_after_rotation`. */
void TestFSChaCha20(const std::string& hex_plaintext, const std::string& hexkey, uint32_t rekey_interval,
                    const std::string& ciphertext_after_rotation)
{
    const Bytes key = ParseHex(hexkey);
    const Bytes plain = ParseHex(hex_plaintext);
    FSChaCha20 fsc20{key, rekey_interval};
    ChaCha20 c20{key};
    Bytes fs_out(plain.size()), c_out(plain.size());
    for (uint32_t i = 0; i < rekey_interval; ++i) {
        fsc20.Crypt(plain, fs_out);
        c20.Crypt(plain, c_out);
        BOOST_CHECK(fs_out == c_out);
    }
    // The next chunk is under the new key: the next 32 keystream bytes, with
    // nonce {0, 1} from block 0.
    fsc20.Crypt(plain, fs_out);
    uint8_t new_key[32];
    c20.Keystream(new_key);
    c20.SetKey(new_key);
    c20.Seek({0, 1}, 0);
    c20.Crypt(plain, c_out);
    BOOST_CHECK(fs_out == c_out);
    BOOST_CHECK_EQUAL(HexStr(fs_out), ciphertext_after_rotation);
}

void TestFSChaCha20Poly1305(const std::string& plain_hex, const std::string& aad_hex, const std::string& key_hex,
                            uint64_t msg_idx, const std::string& cipher_hex)
{
    const Bytes plain = ParseHex(plain_hex);
    const Bytes aad = ParseHex(aad_hex);
    const Bytes key = ParseHex(key_hex);
    for (int it = 0; it < 3; ++it) {
        const size_t prefix = it == 0 ? plain.size() : RandRange(plain.size() + 1);
        uint8_t dummy[FSChaCha20Poly1305::EXPANSION] = {};
        FSChaCha20Poly1305 enc{key};
        for (uint64_t i = 0; i < msg_idx; ++i) enc.Encrypt({}, {}, dummy);
        Bytes cipher(plain.size() + FSChaCha20Poly1305::EXPANSION);
        enc.Encrypt(ByteSpan{plain}.first(prefix), ByteSpan{plain}.subspan(prefix), aad, cipher);
        BOOST_CHECK_EQUAL(HexStr(cipher), cipher_hex);

        // The receiver counts packets too, ones that fail to decrypt included.
        FSChaCha20Poly1305 dec{key};
        const uint8_t zero_tag[FSChaCha20Poly1305::EXPANSION] = {};
        for (uint64_t i = 0; i < msg_idx; ++i) dec.Decrypt(zero_tag, {}, {});
        Bytes decrypted(plain.size());
        BOOST_CHECK(dec.Decrypt(cipher, aad, MutableByteSpan{decrypted}.first(prefix),
                                MutableByteSpan{decrypted}.subspan(prefix)));
        BOOST_CHECK(decrypted == plain);
    }
}

std::vector<std::string> Split(const std::string& s, char sep)
{
    std::vector<std::string> out;
    std::string cur;
    std::istringstream ss(s);
    while (std::getline(ss, cur, sep)) {
        if (!cur.empty() && cur.back() == '\r') cur.pop_back();
        out.push_back(cur);
    }
    if (!s.empty() && s.back() == sep) out.emplace_back();
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(chacha20_tests)

BOOST_AUTO_TEST_CASE(chacha20_rfc8439)
{
    // 2.3.2: the block function (nonce 00:00:00:09:00:00:00:4a:00:00:00:00, block 1).
    TestChaCha20("", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", {0x09000000, 0x4a000000}, 1,
                 "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                 "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
    // 2.4.2: encryption ("Ladies and Gentlemen of the class of '99...").
    TestChaCha20("4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
                 "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
                 "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
                 "637265656e20776f756c642062652069742e",
                 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", {0, 0x4a000000}, 1,
                 "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                 "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
                 "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
                 "5af90bbf74a35be6b40b8eedf2785e42874d");
    // The keystream of that example.
    TestChaCha20("", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", {0, 0x4a000000}, 1,
                 "224f51f3401bd9e12fde276fb8631ded8c131f823d2c06e27e4fcaec9ef3cf788a3b0aa372600a92b57974cded2b9334794cb"
                 "a40c63e34cdea212c4cf07d41b769a6749f3f630f4122cafe28ec4dc47e26d4346d70b98c73f3e9c53ac40c5945398b6eda1a"
                 "832c89c167eacd901d7e2bf363");
    // A.1 #1 to #5: the block function.
    TestChaCha20("", "0000000000000000000000000000000000000000000000000000000000000000", {0, 0}, 0,
                 "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                 "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
    TestChaCha20("", "0000000000000000000000000000000000000000000000000000000000000000", {0, 0}, 1,
                 "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
                 "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f");
    TestChaCha20("", "0000000000000000000000000000000000000000000000000000000000000001", {0, 0}, 1,
                 "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
                 "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0");
    TestChaCha20("", "00ff000000000000000000000000000000000000000000000000000000000000", {0, 0}, 2,
                 "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
                 "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096");
    TestChaCha20("", "0000000000000000000000000000000000000000000000000000000000000000", {0, 0x200000000000000}, 0,
                 "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
                 "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d");
    // A.2 #1 to #3: encryption.
    TestChaCha20("0000000000000000000000000000000000000000000000000000000000000000"
                 "0000000000000000000000000000000000000000000000000000000000000000",
                 "0000000000000000000000000000000000000000000000000000000000000000", {0, 0}, 0,
                 "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                 "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
    TestChaCha20("416e79207375626d697373696f6e20746f20746865204945544620696e74656e"
                 "6465642062792074686520436f6e7472696275746f7220666f72207075626c69"
                 "636174696f6e20617320616c6c206f722070617274206f6620616e2049455446"
                 "20496e7465726e65742d4472616674206f722052464320616e6420616e792073"
                 "746174656d656e74206d6164652077697468696e2074686520636f6e74657874"
                 "206f6620616e204945544620616374697669747920697320636f6e7369646572"
                 "656420616e20224945544620436f6e747269627574696f6e222e205375636820"
                 "73746174656d656e747320696e636c756465206f72616c2073746174656d656e"
                 "747320696e20494554462073657373696f6e732c2061732077656c6c20617320"
                 "7772697474656e20616e6420656c656374726f6e696320636f6d6d756e696361"
                 "74696f6e73206d61646520617420616e792074696d65206f7220706c6163652c"
                 "207768696368206172652061646472657373656420746f",
                 "0000000000000000000000000000000000000000000000000000000000000001", {0, 0x200000000000000}, 1,
                 "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec"
                 "2a97948bd3722915c8f3d337f7d370050e9e96d647b7c39f56e031ca5eb6250d"
                 "4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950"
                 "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85a"
                 "d00f8449ed8f72d0d662ab052691ca66424bc86d2df80ea41f43abf937d3259d"
                 "c4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b"
                 "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6c"
                 "cc3aaf9f3979c92b3720fc88dc95ed84a1be059c6499b9fda236e7e818b04b0b"
                 "c39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f"
                 "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e6"
                 "98ced759c3ff9b6477338f3da4f9cd8514ea9982ccafb341b2384dd902f3d1ab"
                 "7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221");
    TestChaCha20("2754776173206272696c6c69672c20616e642074686520736c6974687920746f"
                 "7665730a446964206779726520616e642067696d626c6520696e207468652077"
                 "6162653a0a416c6c206d696d737920776572652074686520626f726f676f7665"
                 "732c0a416e6420746865206d6f6d65207261746873206f757467726162652e",
                 "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0", {0, 0x200000000000000}, 42,
                 "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf"
                 "166d3df2d721caf9b21e5fb14c616871fd84c54f9d65b283196c7fe4f60553eb"
                 "f39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77"
                 "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1");
    // A.4 #1 to #3: Poly1305 key generation (first 32 bytes of block 0).
    TestChaCha20("", "0000000000000000000000000000000000000000000000000000000000000000", {0, 0}, 0,
                 "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7");
    TestChaCha20("", "0000000000000000000000000000000000000000000000000000000000000001", {0, 0x200000000000000}, 0,
                 "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739");
    TestChaCha20("", "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0", {0, 0x200000000000000}, 0,
                 "965e3bc6f9ec7ed9560808f4d229f94b137ff275ca9b3fcbdd59deaad23310ae");
}

BOOST_AUTO_TEST_CASE(chacha20_other_vectors)
{
    // draft-agl-tls-chacha20poly1305-04 section 7 (64-bit nonce layout; the
    // nonce goes in words 14-15).
    TestChaCha20("", "0000000000000000000000000000000000000000000000000000000000000001", {0, 0}, 0,
                 "4540f05a9f1fb296d7736e7b208e3c96eb4fe1834688d2604f450952ed432d41"
                 "bbe2a0b6ea7566d2a5d1e7e20d42af2c53d792b1c43fea817e9ad275ae546963");
    TestChaCha20("", "0000000000000000000000000000000000000000000000000000000000000000", {0, 0x0100000000000000ULL}, 0,
                 "de9cba7bf3d69ef5e786dc63973f653a0b49e015adbff7134fcb7df137821031"
                 "e85a050278a7084527214f73efc7fa5b5277062eb7a0433e445f41e3");
    TestChaCha20("", "0000000000000000000000000000000000000000000000000000000000000000", {0, 1}, 0,
                 "ef3fdfd6c61578fbf5cf35bd3dd33b8009631634d21e42ac33960bd138e50d32"
                 "111e4caf237ee53ca8ad6426194a88545ddc497a0b466e7d6bbdb0041b2f586b");
    TestChaCha20("", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", {0, 0x0706050403020100ULL}, 0,
                 "f798a189f195e66982105ffb640bb7757f579da31602fc93ec01ac56f85ac3c1"
                 "34a4547b733b46413042c9440049176905d3be59ea1c53f15916155c2be8241a"
                 "38008b9a26bc35941e2444177c8ade6689de95264986d95889fb60e84629c9bd"
                 "9a5acb1cc118be563eb9b3a4a472f82e09a7e778492b562ef7130e88dfe031c7"
                 "9db9d4f7c7a899151b9a475032b63fc385245fe054e3dd5a97a5f576fe064025"
                 "d3ce042c566ab2c507b138db853e3d6959660996546cc9c4a6eafdc777c040d7"
                 "0eaf46f76dad3979e5c5360c3317166a1c894c94a371876a94df7628fe4eaaf2"
                 "ccb27d5aaae0ad7ad0f9d4b6ad3b54098746d4524d38407a6deb3ab78fab78c9");
    // Bitcoin Core: the 32-bit block counter overflows into nonce word 13,
    // matching a 64-bit-counter implementation (generated by Core with
    // PyCryptodome's 8-byte-nonce ChaCha20).
    TestChaCha20("", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", {0, 0xdeadbeef12345678}, 0xffffffff,
                 "2d292c880513397b91221c3a647cfb0765a4815894715f411e3df5e0dd0ba9df"
                 "fd565dea5addbdb914208fde7950f23e0385f9a727143f6a6ac51d84b1c0fb3e"
                 "2e3b00b63d6841a1cc6d1538b1d3a74bef1eb2f54c7b7281e36e484dba89b351"
                 "c8f572617e61e342879f211b0e4c515df50ea9d0771518fad96cd0baee62deb6");
}

BOOST_AUTO_TEST_CASE(chacha20_seek64)
{
    const Bytes key = RandBytes(32);
    ChaCha20 a{key}, b{key};
    const uint64_t nonce = 0x0123456789abcdefULL;
    const uint64_t block = 0x00000005fffffffeULL;
    a.Seek64(nonce, block);
    b.Seek({uint32_t(block >> 32), nonce}, uint32_t(block));
    uint8_t x[200], y[200];
    a.Keystream(x);
    b.Keystream(y);
    BOOST_CHECK(SpanEqual(ByteSpan{x}, ByteSpan{y}));
    BOOST_CHECK_THROW(ChaCha20{ByteSpan{key}.first(31)}, std::invalid_argument);
}

// The multi-block (vector) paths against one block at a time, for every
// count up to 20 blocks and across a 32-bit counter wrap inside a batch.
BOOST_AUTO_TEST_CASE(chacha20_multiblock_paths)
{
    for (const uint32_t start : {0u, 7u, 0xfffffff0u, 0xfffffffbu}) {
        for (size_t blocks = 1; blocks <= 20; ++blocks) {
            const Bytes key = RandBytes(32);
            const ChaCha20::Nonce96 nonce{uint32_t(Rng()()), Rng()()};
            ChaCha20Aligned all{key}, one{key};
            all.Seek(nonce, start);
            one.Seek(nonce, start);
            Bytes bulk(64 * blocks), single(64 * blocks);
            all.Keystream(bulk);
            for (size_t i = 0; i < blocks; ++i) one.Keystream(MutableByteSpan{single}.subspan(64 * i, 64));
            BOOST_CHECK(bulk == single);
            // Both continue at the same place.
            uint8_t x[64], y[64];
            all.Keystream(x);
            one.Keystream(y);
            BOOST_CHECK(SpanEqual(ByteSpan{x}, ByteSpan{y}));
            // Crypt on the aligned class, in place.
            const Bytes msg = RandBytes(64 * blocks);
            Bytes c = msg;
            all.Seek(nonce, start);
            all.Crypt(c, c);
            for (size_t i = 0; i < msg.size(); ++i) BOOST_CHECK_EQUAL(c[i], msg[i] ^ single[i]);
        }
    }
    uint8_t odd[65];
    ChaCha20Aligned a{RandBytes(32)};
    BOOST_CHECK_THROW(a.Keystream(odd), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(chacha20_midblock)
{
    const Bytes key(32, 0);
    ChaCha20 c{key};
    uint8_t block[64];
    c.Keystream(block);
    uint8_t b1[5], b2[7], b3[52];
    c = ChaCha20{key};
    c.Keystream(b1);
    c.Keystream(b2);
    c.Keystream(b3);
    BOOST_CHECK(SpanEqual(ByteSpan{block}.first(5), ByteSpan{b1}));
    BOOST_CHECK(SpanEqual(ByteSpan{block}.subspan(5, 7), ByteSpan{b2}));
    BOOST_CHECK(SpanEqual(ByteSpan{block}.last(52), ByteSpan{b3}));
    // Seek drops leftover keystream.
    c.Keystream(b1);
    c.Seek({0, 0}, 0);
    c.Keystream(b1);
    BOOST_CHECK(SpanEqual(ByteSpan{block}.first(5), ByteSpan{b1}));
}

BOOST_AUTO_TEST_CASE(fschacha20)
{
    // Bitcoin Core's vectors.
    TestFSChaCha20("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                   "0000000000000000000000000000000000000000000000000000000000000000", 256,
                   "a93df4ef03011f3db95f60d996e1785df5de38fc39bfcb663a47bb5561928349");
    TestFSChaCha20("01", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 5, "ea");
    TestFSChaCha20("e93fdb5c762804b9a706816aca31e35b11d2aa3080108ef46a5b1f1508819c0a",
                   "8ec4c3ccdaea336bdeb245636970be01266509b33f3d2642504eaf412206207a", 4096,
                   "8bfaa4eacff308fdb4a94a5ff25bd9d0c1f84b77f81239f67ff39d6e1ac280c9");
    // With BIP 324's 3-byte chunks and 224-chunk epochs, the key for epoch
    // e + 1 is exactly the 32 bytes that follow the 672 used in epoch e.
    const Bytes key = RandBytes(32);
    FSChaCha20 fs{key};
    ChaCha20 c{key};
    uint8_t zero[3] = {}, a[3], b[3];
    for (int epoch = 0; epoch < 3; ++epoch) {
        for (int i = 0; i < 224; ++i) {
            fs.Crypt(zero, a);
            c.Keystream(b);
            BOOST_CHECK(SpanEqual(ByteSpan{a}, ByteSpan{b}));
        }
        uint8_t next[32];
        c.Keystream(next);
        c.SetKey(next);
        c.Seek({0, uint64_t(epoch + 1)}, 0);
    }
}

BOOST_AUTO_TEST_CASE(poly1305_vectors)
{
    // RFC 8439 2.5.2.
    TestPoly1305("43727970746f6772617068696320466f72756d2052657365617263682047726f7570",
                 "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
                 "a8061dc1305136c6c22b8baf0c0127a9");
    // RFC 8439 A.3 #1 to #11.
    TestPoly1305("00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                 "000000000000000000000000000000",
                 "0000000000000000000000000000000000000000000000000000000000000000",
                 "00000000000000000000000000000000");
    const std::string ietf_text =
        "416e79207375626d697373696f6e20746f20746865204945544620696e74656e6465642062792074686520436f6e747269627"
        "5746f7220666f72207075626c69636174696f6e20617320616c6c206f722070617274206f6620616e204945544620496e7465"
        "726e65742d4472616674206f722052464320616e6420616e792073746174656d656e74206d6164652077697468696e2074686"
        "520636f6e74657874206f6620616e204945544620616374697669747920697320636f6e7369646572656420616e2022494554"
        "4620436f6e747269627574696f6e222e20537563682073746174656d656e747320696e636c756465206f72616c20737461746"
        "56d656e747320696e20494554462073657373696f6e732c2061732077656c6c206173207772697474656e20616e6420656c65"
        "6374726f6e696320636f6d6d756e69636174696f6e73206d61646520617420616e792074696d65206f7220706c6163652c207"
        "768696368206172652061646472657373656420746f";
    TestPoly1305(ietf_text, "0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e",
                 "36e5f6b5c5e06070f0efca96227a863e");
    TestPoly1305(ietf_text, "36e5f6b5c5e06070f0efca96227a863e00000000000000000000000000000000",
                 "f3477e7cd95417af89a6b8794c310cf0");
    TestPoly1305("2754776173206272696c6c69672c20616e642074686520736c6974687920746f7665730a446964206779726520616e6420676"
                 "96d626c6520696e2074686520776162653a0a416c6c206d696d737920776572652074686520626f726f676f7665732c0a416e"
                 "6420746865206d6f6d65207261746873206f757467726162652e",
                 "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
                 "4541669a7eaaee61e708dc7cbcc5eb62");
    TestPoly1305("ffffffffffffffffffffffffffffffff", "0200000000000000000000000000000000000000000000000000000000000000",
                 "03000000000000000000000000000000");
    TestPoly1305("02000000000000000000000000000000", "02000000000000000000000000000000ffffffffffffffffffffffffffffffff",
                 "03000000000000000000000000000000");
    TestPoly1305("fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff11000000000000000000000000000000",
                 "0100000000000000000000000000000000000000000000000000000000000000",
                 "05000000000000000000000000000000");
    TestPoly1305("fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe01010101010101010101010101010101",
                 "0100000000000000000000000000000000000000000000000000000000000000",
                 "00000000000000000000000000000000");
    TestPoly1305("fdffffffffffffffffffffffffffffff", "0200000000000000000000000000000000000000000000000000000000000000",
                 "faffffffffffffffffffffffffffffff");
    TestPoly1305("e33594d7505e43b900000000000000003394d7505e4379cd01000000000000000000000000000000000000000000000001"
                 "000000000000000000000000000000",
                 "0100000000000000040000000000000000000000000000000000000000000000",
                 "14000000000000005500000000000000");
    TestPoly1305("e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000",
                 "0100000000000000040000000000000000000000000000000000000000000000",
                 "13000000000000000000000000000000");
    // Sparse messages with random keys (Bitcoin Core).
    TestPoly1305("000000000000000000000094000000000000b07c4300000000002c002600d500"
                 "00000000000000000000000000bc58000000000000000000c9000000dd000000"
                 "00000000000000d34c000000000000000000000000f9009100000000000000c2"
                 "4b0000e900000000000000000000000000000000000e00000027000074000000"
                 "0000000003000000000000f1000000000000dce2000000000000003900000000"
                 "0000000000000000000000000000000000000000000000520000000000000000"
                 "000000000000000000000000009500000000000000000000000000cf00826700"
                 "000000a900000000000000000000000000000000000000000079000000000000"
                 "0000de0000004c000000000033000000000000000000000000002800aa000000"
                 "00003300860000e000000000",
                 "6e543496db3cf677592989891ab021f58390feb84fb419fbc7bb516a60bfa302",
                 "7ea80968354d40d9d790b45310caf7f3");
    TestPoly1305("0000005900000000c40000002f00000000000000000000000000000029690000"
                 "0000e8000037000000000000000000000000000b000000000000000000000000"
                 "000000000000000000000000001800006e0000000000a4000000000000000000"
                 "00000000000000004d00000000000000b0000000000000000000005a00000000"
                 "0000000000b7c300000000000000540000000000000000000000000a00000000"
                 "00005b0000000000000000000000000000000000002d00e70000000000000000"
                 "000000000000003400006800d700000000000000000000360000000000000000"
                 "00eb000000000000000000000000000000000000000000000000000028000000"
                 "37000000000000000000000000000000000000000000000000000000008f0000"
                 "000000000000000000000000",
                 "f0b659a4f3143d8a1e1dacb9a409fe7e7cd501dfb58b16a2623046c5d337922a",
                 "0e410fa9d7a40ac582e77546be9a72bb");
    {
        // The tag of the tags of messages of length 0 to 255, each message
        // and key filled with its length (poly1305-donna's self test).
        const Bytes total_key = ParseHex("01020304050607fffefdfcfbfaf9ffffffffffffffffffffffffffff00000000");
        Poly1305 total{total_key};
        for (unsigned i = 0; i < 256; ++i) {
            const Bytes key(32, uint8_t(i));
            const Bytes msg(i, uint8_t(i));
            uint8_t tag[16];
            Poly1305Auth(key, msg, tag);
            total.Update(tag);
        }
        uint8_t total_tag[16];
        total.Finalize(total_tag);
        BOOST_CHECK_EQUAL(HexStr(total_tag), "64afe2e8d6ad7bbdd287f97c44623d39");
    }
}

BOOST_AUTO_TEST_CASE(chacha20poly1305_vectors)
{
    // RFC 8439 2.8.2 (nonce 07:00:00:00:40:41:42:43:44:45:46:47).
    BOOST_CHECK(AEADChaCha20Poly1305::NonceFromBytes(ParseHex("070000004041424344454647")) ==
                (AEADChaCha20Poly1305::Nonce96{7, 0x4746454443424140}));
    TestChaCha20Poly1305("4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
                         "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
                         "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
                         "637265656e20776f756c642062652069742e",
                         "50515253c0c1c2c3c4c5c6c7",
                         "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
                         {7, 0x4746454443424140},
                         "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                         "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                         "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                         "3ff4def08e4b7a9de576d26586cec64b61161ae10b594f09e26a7e902ecbd060"
                         "0691");
    // RFC 8439 A.5 (nonce 00:00:00:00:01:02:03:04:05:06:07:08).
    TestChaCha20Poly1305("496e7465726e65742d4472616674732061726520647261667420646f63756d65"
                         "6e74732076616c696420666f722061206d6178696d756d206f6620736978206d"
                         "6f6e74687320616e64206d617920626520757064617465642c207265706c6163"
                         "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d65"
                         "6e747320617420616e792074696d652e20497420697320696e617070726f7072"
                         "6961746520746f2075736520496e7465726e65742d4472616674732061732072"
                         "65666572656e6365206d6174657269616c206f7220746f206369746520746865"
                         "6d206f74686572207468616e206173202fe2809c776f726b20696e2070726f67"
                         "726573732e2fe2809d",
                         "f33388860000000000004e91",
                         "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
                         {0, 0x0807060504030201},
                         "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
                         "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
                         "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
                         "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
                         "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
                         "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
                         "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
                         "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
                         "a6ad5cb4022b02709beead9d67890cbb22392336fea1851f38");
    // Bitcoin Core: aad and plaintext of multiples of 16 bytes.
    TestChaCha20Poly1305("8d2d6a8befd9716fab35819eaac83b33269afb9f1a00fddf66095a6c0cd91951"
                         "a6b7ad3db580be0674c3f0b55f618e34",
                         "", "72ddc73f07101282bbbcf853b9012a9f9695fc5d36b303a97fd0845d0314e0c3",
                         {0x3432b75f, 0xb3585537eb7f4024},
                         "f760b8224fb2a317b1b07875092606131232a5b86ae142df5df1c846a7f6341a"
                         "f2564483dd77f836be45e6230808ffe402a6f0a3e8be074b3d1f4ea8a7b09451");
    TestChaCha20Poly1305("",
                         "36970d8a704c065de16250c18033de5a400520ac1b5842b24551e5823a3314f3"
                         "946285171e04a81ebfbe3566e312e74ab80e94c7dd2ff4e10de0098a58d0f503",
                         "77adda51d6730b9ad6c995658cbd49f581b2547e7c0c08fcc24ceec797461021",
                         {0x1f90da88, 0x75dafa3ef84471a4}, "aaae5bb81e8407c94b2ae86ae0c7efbe");

    // Size mismatches throw.
    AEADChaCha20Poly1305 aead{RandBytes(32)};
    uint8_t buf[20];
    BOOST_CHECK_THROW(aead.Encrypt(ByteSpan{buf, 5}, {}, {0, 0}, buf), std::invalid_argument);
    BOOST_CHECK_THROW(aead.Decrypt(ByteSpan{buf, 10}, {}, {0, 0}, MutableByteSpan{buf, 1}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(fschacha20poly1305_vectors)
{
    // Bitcoin Core's vectors: packet 500 and packet 60000 of a session.
    TestFSChaCha20Poly1305("d6a4cb04ef0f7c09c1866ed29dc24d820e75b0491032a51b4c3366f9ca35c19e"
                           "a3047ec6be9d45f9637b63e1cf9eb4c2523a5aab7b851ebeba87199db0e839cf"
                           "0d5c25e50168306377aedbe9089fd2463ded88b83211cf51b73b150608cc7a60"
                           "0d0f11b9a742948482e1b109d8faf15b450aa7322e892fa2208c6691e3fecf4c"
                           "711191b14d75a72147",
                           "786cb9b6ebf44288974cf0",
                           "5c9e1c3951a74fba66708bf9d2c217571684556b6a6a3573bff2847d38612654", 500,
                           "9dcebbd3281ea3dd8e9a1ef7d55a97abd6743e56ebc0c190cb2c4e14160b385e"
                           "0bf508dddf754bd02c7c208447c131ce23e47a4a14dfaf5dd8bc601323950f75"
                           "4e05d46e9232f83fc5120fbbef6f5347a826ec79a93820718d4ec7a2b7cfaaa4"
                           "4b21e16d726448b62f803811aff4f6d827ed78e738ce8a507b81a8ae13131192"
                           "8039213de18a5120dc9b7370baca878f50ff254418de3da50c");
    TestFSChaCha20Poly1305("8349b7a2690b63d01204800c288ff1138a1d473c832c90ea8b3fc102d0bb3adc"
                           "44261b247c7c3d6760bfbe979d061c305f46d94c0582ac3099f0bf249f8cb234",
                           "", "3bd2093fcbcb0d034d8c569583c5425c1a53171ea299f8cc3bbf9ae3530adfce", 60000,
                           "30a6757ff8439b975363f166a0fa0e36722ab35936abd704297948f45083f4d4"
                           "99433137ce931f7fca28a0acd3bc30f57b550acbc21cbd45bbef0739d9caf30c"
                           "14b94829deb27f0b1923a2af704ae5d6");
}

// BIP 324 packet encoding. The CSV's ElligatorSwift and ECDH columns are not
// needed here: it also gives the derived keys (mid_initiator_l/_p,
// mid_responder_l/_p), so every row checks the length cipher (FSChaCha20)
// and the packet AEAD (FSChaCha20Poly1305) from those keys, including
// rekeys (packet indices up to 1024) and contents up to 16 MB.
BOOST_AUTO_TEST_CASE(bip324_packet_encoding)
{
    const std::string file = "bips/bip324-packet_encoding_test_vectors.csv";
    const std::vector<std::string> lines = Split(test::ReadVectorFile(file), '\n');
    BOOST_REQUIRE(!lines.empty());
    const std::vector<std::string> header = Split(lines[0], ',');
    size_t cases = 0;
    for (size_t l = 1; l < lines.size(); ++l) {
        if (lines[l].empty()) continue;
        const std::vector<std::string> fields = Split(lines[l], ',');
        BOOST_REQUIRE_EQUAL(fields.size(), header.size());
        std::map<std::string, std::string> row;
        for (size_t i = 0; i < header.size(); ++i) row[header[i]] = fields[i];

        const bool initiating = row.at("in_initiating") == "1";
        const Bytes key_l = ParseHex(row.at(initiating ? "mid_initiator_l" : "mid_responder_l"));
        const Bytes key_p = ParseHex(row.at(initiating ? "mid_initiator_p" : "mid_responder_p"));
        const uint64_t idx = std::stoull(row.at("in_idx"));
        const Bytes piece = ParseHex(row.at("in_contents"));
        const size_t multiply = std::stoull(row.at("in_multiply"));
        Bytes contents;
        contents.reserve(piece.size() * multiply);
        for (size_t i = 0; i < multiply; ++i) contents.insert(contents.end(), piece.begin(), piece.end());
        const Bytes aad = ParseHex(row.at("in_aad"));
        const bool ignore = row.at("in_ignore") == "1";
        BOOST_REQUIRE(contents.size() < (1u << 24));

        // Sender: `idx` empty packets, then the test packet:
        // FSChaCha20(3-byte LE length) || FSChaCha20Poly1305(header || contents).
        FSChaCha20 send_l{key_l};
        FSChaCha20Poly1305 send_p{key_p};
        uint8_t len_plain[3], len_enc[3];
        for (uint64_t i = 0; i < idx; ++i) {
            const uint8_t hdr = 0;
            uint8_t body[1 + FSChaCha20Poly1305::EXPANSION];
            send_p.Encrypt(ByteSpan{&hdr, 1}, {}, body);
            uint8_t zero[3] = {};
            send_l.Crypt(zero, len_enc);
        }
        for (int i = 0; i < 3; ++i) len_plain[i] = uint8_t(contents.size() >> (8 * i));
        const uint8_t hdr = ignore ? 0x80 : 0x00;
        Bytes ciphertext(3 + 1 + contents.size() + FSChaCha20Poly1305::EXPANSION);
        send_l.Crypt(len_plain, MutableByteSpan{ciphertext}.first(3));
        send_p.Encrypt(ByteSpan{&hdr, 1}, contents, aad, MutableByteSpan{ciphertext}.subspan(3));
        const std::string hex = HexStr(ciphertext);
        if (!row.at("out_ciphertext").empty()) BOOST_CHECK_EQUAL(hex, row.at("out_ciphertext"));
        const std::string& ends = row.at("out_ciphertext_endswith");
        if (!ends.empty()) {
            BOOST_REQUIRE(hex.size() >= ends.size());
            BOOST_CHECK_EQUAL(hex.substr(hex.size() - ends.size()), ends);
        }

        // Receiver with the same keys.
        FSChaCha20 recv_l{key_l};
        FSChaCha20Poly1305 recv_p{key_p};
        for (uint64_t i = 0; i < idx; ++i) {
            uint8_t zero[3] = {};
            recv_l.Crypt(zero, len_enc);
            uint8_t dummy[FSChaCha20Poly1305::EXPANSION + 1] = {};
            uint8_t out_hdr;
            recv_p.Decrypt(dummy, {}, MutableByteSpan{&out_hdr, 1});
        }
        uint8_t len_dec[3];
        recv_l.Crypt(ByteSpan{ciphertext}.first(3), len_dec);
        const size_t len = len_dec[0] | (size_t{len_dec[1]} << 8) | (size_t{len_dec[2]} << 16);
        BOOST_REQUIRE_EQUAL(len, contents.size());
        uint8_t out_hdr;
        Bytes out_contents(len);
        BOOST_CHECK(recv_p.Decrypt(ByteSpan{ciphertext}.subspan(3), aad, MutableByteSpan{&out_hdr, 1}, out_contents));
        BOOST_CHECK_EQUAL(out_hdr, hdr);
        BOOST_CHECK(out_contents == contents);
        ++cases;
    }
    BOOST_CHECK_EQUAL(cases, 7u);
    test::ReportCases(file, cases);
}

BOOST_AUTO_TEST_SUITE_END()
