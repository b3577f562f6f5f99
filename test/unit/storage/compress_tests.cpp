// Amount and script compression and the coin record: the values Bitcoin's
// definition gives, every special script form, and clean failures on bad data.
#include "crypto/pubkey.h"
#include "primitives/block.h"
#include "storage/compress.h"
#include "test/util/blkfile.h"
#include "test/util/vectors.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <limits>

using namespace cairn;

namespace {

const std::string G_X = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
const std::string G_Y = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
// -G: same X, Y = p - G_Y (odd).
const std::string NEG_G_Y = "b7c52588d95c3b9aa25b0403f1eef75702e84bb7597aabe663b82f6f04ef2777";

Bytes CompressedScript(const Script& s)
{
    Bytes out;
    VectorWriter w(out);
    SerializeCompressedScript(w, s);
    return out;
}

Script RoundTrip(const Script& s)
{
    Bytes enc = CompressedScript(s);
    Reader r(enc);
    Script back = DeserializeCompressedScript(r);
    BOOST_CHECK(r.empty());
    return back;
}

Script P2PK(const std::string& key_hex)
{
    Script s;
    s << ParseHex(key_hex) << OP_CHECKSIG;
    return s;
}

/** The X of a compressed key that is not on the curve (the first x >= 1
 *  that libsecp256k1 rejects with an 02 prefix). */
Bytes OffCurveX()
{
    for (uint8_t i = 1; i < 255; ++i) {
        Bytes key(33, 0);
        key[0] = 0x02;
        key[32] = i;
        if (!PubKey(key).IsFullyValid()) return Bytes(key.begin() + 1, key.end());
    }
    throw std::runtime_error("no off-curve x found");
}

} // namespace

BOOST_AUTO_TEST_SUITE(compress_tests)

BOOST_AUTO_TEST_CASE(amounts_known_values)
{
    BOOST_CHECK_EQUAL(CompressAmount(0), 0x0U);
    BOOST_CHECK_EQUAL(CompressAmount(1), 0x1U);
    BOOST_CHECK_EQUAL(CompressAmount(COIN / 100), 0x7U);  // 0.01 BTC
    BOOST_CHECK_EQUAL(CompressAmount(COIN), 0x9U);
    BOOST_CHECK_EQUAL(CompressAmount(50 * COIN), 0x32U);  // the first subsidy
    BOOST_CHECK_EQUAL(CompressAmount(21000000 * COIN), 0x1406f40U);
    BOOST_CHECK_EQUAL(CompressAmount(12345678), 0x69f6bbdU);
    for (uint64_t x : {0x0ULL, 0x1ULL, 0x7ULL, 0x9ULL, 0x32ULL, 0x1406f40ULL}) {
        BOOST_CHECK_EQUAL(CompressAmount(DecompressAmount(x)), x);
    }
    BOOST_CHECK_EQUAL(DecompressAmount(0x32), uint64_t(50 * COIN));
}

BOOST_AUTO_TEST_CASE(amounts_round_trip)
{
    // Every amount up to 100000 sat, every power of ten times 1..9 up to
    // MAX_MONEY, and every compressed value up to 100000 (the mapping is a
    // bijection on the integers it covers).
    for (uint64_t n = 0; n <= 100000; ++n) BOOST_REQUIRE_EQUAL(DecompressAmount(CompressAmount(n)), n);
    for (uint64_t p = 1; p <= uint64_t(MAX_MONEY); p *= 10) {
        for (uint64_t m = 1; m <= 9; ++m) BOOST_REQUIRE_EQUAL(DecompressAmount(CompressAmount(m * p)), m * p);
    }
    BOOST_CHECK_EQUAL(DecompressAmount(CompressAmount(uint64_t(MAX_MONEY))), uint64_t(MAX_MONEY));
    for (uint64_t x = 0; x <= 100000; ++x) BOOST_REQUIRE_EQUAL(CompressAmount(DecompressAmount(x)), x);
}

BOOST_AUTO_TEST_CASE(script_p2pkh_and_p2sh)
{
    const Bytes hash = ParseHex("00112233445566778899aabbccddeeff00112233");
    Script p2pkh;
    p2pkh << OP_DUP << OP_HASH160 << hash << OP_EQUALVERIFY << OP_CHECKSIG;
    BOOST_CHECK_EQUAL(HexStr(CompressedScript(p2pkh)), "00" + HexStr(hash));
    BOOST_CHECK(RoundTrip(p2pkh) == p2pkh);

    Script p2sh;
    p2sh << OP_HASH160 << hash << OP_EQUAL;
    BOOST_CHECK_EQUAL(HexStr(CompressedScript(p2sh)), "01" + HexStr(hash));
    BOOST_CHECK(RoundTrip(p2sh) == p2sh);

    // Near misses are stored whole: a 19-byte hash, a different final opcode.
    Script short_hash;
    short_hash << OP_HASH160 << Bytes(19, 7) << OP_EQUAL;
    BOOST_CHECK(!CompressScript(short_hash));
    Script wrong_op;
    wrong_op << OP_HASH160 << hash << OP_EQUALVERIFY;
    BOOST_CHECK(!CompressScript(wrong_op));
    BOOST_CHECK(RoundTrip(wrong_op) == wrong_op);
}

BOOST_AUTO_TEST_CASE(script_p2pk_compressed)
{
    for (const char* prefix : {"02", "03"}) {
        Script s = P2PK(prefix + G_X);
        BOOST_CHECK_EQUAL(HexStr(CompressedScript(s)), prefix + G_X);
        BOOST_CHECK(RoundTrip(s) == s);
    }
    // A compressed key need not be on the curve to use the short form: the
    // bytes are kept as they are, so it round-trips all the same.
    Script off = P2PK("02" + HexStr(OffCurveX()));
    BOOST_CHECK(RoundTrip(off) == off);
}

BOOST_AUTO_TEST_CASE(script_p2pk_uncompressed)
{
    // G has an even Y: form 4. -G has an odd Y: form 5.
    Script even = P2PK("04" + G_X + G_Y);
    BOOST_CHECK_EQUAL(HexStr(CompressedScript(even)), "04" + G_X);
    BOOST_CHECK(RoundTrip(even) == even);
    Script odd = P2PK("04" + G_X + NEG_G_Y);
    BOOST_CHECK_EQUAL(HexStr(CompressedScript(odd)), "05" + G_X);
    BOOST_CHECK(RoundTrip(odd) == odd);

    // A 65-byte key that is not on the curve cannot be rebuilt from X: it is
    // stored whole (67 + 6 = 73 = 0x49 as the length code).
    std::string bad_y = G_Y;
    bad_y[63] = bad_y[63] == '0' ? '1' : '0';
    Script bad = P2PK("04" + G_X + bad_y);
    BOOST_CHECK(!CompressScript(bad));
    Bytes enc = CompressedScript(bad);
    BOOST_CHECK_EQUAL(enc.size(), 1 + 67U);
    BOOST_CHECK_EQUAL(enc[0], 0x49);
    BOOST_CHECK(RoundTrip(bad) == bad);

    // Hybrid keys (06/07) have no short form.
    Script hybrid = P2PK("06" + G_X + G_Y);
    BOOST_CHECK(!CompressScript(hybrid));
    BOOST_CHECK(RoundTrip(hybrid) == hybrid);
}

BOOST_AUTO_TEST_CASE(script_invalid_pubkey_fails_cleanly)
{
    // Forms 4 and 5 carry an X from which Y is recomputed: an X that is not
    // on the curve can only come from corrupt data and must throw, not crash.
    const Bytes x = OffCurveX();
    for (uint8_t form : {4, 5}) {
        Bytes enc(1 + x.size());
        enc[0] = form;
        std::copy(x.begin(), x.end(), enc.begin() + 1);
        Reader r(enc);
        BOOST_CHECK_EXCEPTION(DeserializeCompressedScript(r), DeserializeError, [](const DeserializeError& e) {
            return std::string(e.what()).find("not on the curve") != std::string::npos;
        });
    }
    // A special form cut short.
    Bytes cut = ParseHex("00" + std::string(38, '1'));
    Reader r(cut);
    BOOST_CHECK_THROW(DeserializeCompressedScript(r), DeserializeError);
}

BOOST_AUTO_TEST_CASE(script_other)
{
    // Anything else: VARINT(size + 6) then the bytes.
    Script empty;
    BOOST_CHECK_EQUAL(HexStr(CompressedScript(empty)), "06");
    BOOST_CHECK(RoundTrip(empty) == empty);

    Script p2wpkh;
    p2wpkh << OP_0 << Bytes(20, 0xab);
    BOOST_CHECK_EQUAL(HexStr(CompressedScript(p2wpkh)), "1c" + HexStr(p2wpkh.span())); // 22 + 6
    BOOST_CHECK(RoundTrip(p2wpkh) == p2wpkh);

    Script big(Bytes(MAX_SCRIPT_SIZE + 1, OP_NOP));
    Bytes enc = CompressedScript(big);
    BOOST_CHECK_EQUAL(HexStr(ByteSpan(enc).first(2)), "cd17"); // VARINT(10007)
    BOOST_CHECK(RoundTrip(big) == big);

    // A length that runs past the data throws before allocating.
    Bytes lying = ParseHex("8efefefe7f00");
    Reader r(lying);
    BOOST_CHECK_THROW(DeserializeCompressedScript(r), DeserializeError);
}

BOOST_AUTO_TEST_CASE(coin_records)
{
    Script p2sh;
    p2sh << OP_HASH160 << Bytes(20, 0x11) << OP_EQUAL;
    Coin coin(TxOut(50 * COIN, p2sh), 1000, true);
    Bytes enc;
    VectorWriter w(enc);
    SerializeCoin(w, coin);
    // VARINT(2001) = 8e 51, VARINT(0x32) = 32, then 01 + hash.
    BOOST_CHECK_EQUAL(HexStr(enc), "8e5132" "01" + std::string(40, '1'));
    Reader r(enc);
    BOOST_CHECK(DeserializeCoin(r) == coin);
    BOOST_CHECK(r.empty());

    // Height at the top of its 31 bits, not a coinbase.
    Coin high(TxOut(1, Script()), 0x7fffffff, false);
    Bytes enc2;
    VectorWriter w2(enc2);
    SerializeCoin(w2, high);
    Reader r2(enc2);
    Coin back = DeserializeCoin(r2);
    BOOST_CHECK_EQUAL(back.height, 0x7fffffffU);
    BOOST_CHECK(!back.coinbase);
    BOOST_CHECK(back == high);

    // An amount that does not fit in int64 only comes from corrupt data.
    Bytes huge;
    VectorWriter w3(huge);
    WriteVarInt(w3, 2U);
    WriteVarInt(w3, CompressAmount(10000000000000000000ULL)); // 10^19 > INT64_MAX
    WriteU8(w3, 6);
    Reader r3(huge);
    BOOST_CHECK_THROW(DeserializeCoin(r3), DeserializeError);

    // Truncation anywhere fails cleanly.
    for (size_t len = 0; len < enc.size(); ++len) {
        Reader rt(ByteSpan(enc).first(len));
        BOOST_CHECK_THROW(DeserializeCoin(rt), DeserializeError);
    }
}

BOOST_AUTO_TEST_CASE(mainnet_coinbase_outputs)
{
    // The coinbases of blocks 1-255 pay to uncompressed P2PK keys: each must
    // take the 33-byte short form and come back byte for byte.
    auto raws = test::SplitBlkFile(test::ReadBzip2VectorFile("blocks/mainnet-1-255.blk.bz2"), test::MAINNET_MAGIC);
    BOOST_REQUIRE_EQUAL(raws.size(), 255U);
    size_t checked = 0;
    for (const Bytes& raw : raws) {
        Reader r(raw);
        Block block = DeserializeBlock(r);
        for (const TxOut& out : block.vtx[0]->vout) {
            Coin coin(out, 1, true);
            Bytes enc;
            VectorWriter w(enc);
            SerializeCoin(w, coin);
            BOOST_REQUIRE_EQUAL(enc.size(), 1U + 1U + 33U); // code, amount, form + X
            Reader rd(enc);
            BOOST_REQUIRE(DeserializeCoin(rd) == coin);
            ++checked;
        }
    }
    BOOST_CHECK_GE(checked, 255U);
}

BOOST_AUTO_TEST_SUITE_END()
