// Transaction encoding: identities, the BIP 144 witness form, and malformed data.
#include "primitives/transaction.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

MutableTransaction Decode(const std::string& hex, bool allow_witness = true)
{
    Bytes raw = ParseHex(hex);
    Reader r(raw);
    MutableTransaction tx = DeserializeMutableTransaction(r, allow_witness);
    if (!r.empty()) throw DeserializeError("trailing data");
    return tx;
}

/** A two-input transaction whose second input carries a witness. */
MutableTransaction WitnessTx()
{
    MutableTransaction mtx;
    mtx.version = 1;
    mtx.vin.resize(2);
    mtx.vin[0].prevout = OutPoint(*uint256::FromHex(std::string(64, 'a')), 0);
    mtx.vin[0].script_sig.PushData(ParseHex("3045022100aa"));
    mtx.vin[0].sequence = 0xffffffee;
    mtx.vin[1].prevout = OutPoint(*uint256::FromHex(std::string(64, 'b')), 1);
    mtx.vin[1].witness.stack = {ParseHex("304402aa01"), ParseHex("02" + std::string(64, 'c')), {}};
    mtx.vout.emplace_back(112340000, Script(ParseHex("76a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac")));
    mtx.vout.emplace_back(223450000, Script(ParseHex("0014" + std::string(40, 'd'))));
    mtx.locktime = 17;
    return mtx;
}

} // namespace

BOOST_AUTO_TEST_SUITE(transaction_tests)

BOOST_AUTO_TEST_CASE(witness_round_trip_and_ids)
{
    MutableTransaction mtx = WitnessTx();
    Transaction tx(mtx);
    BOOST_CHECK(tx.HasWitness());
    Bytes full = SerializeTransactionBytes(tx);
    // BIP 144: version, then the 00 marker and 01 flag.
    BOOST_CHECK_EQUAL(HexStr(ByteSpan(full).subspan(0, 6)), "010000000001");
    MutableTransaction back = Decode(HexStr(full));
    BOOST_CHECK(back.vin == mtx.vin);
    BOOST_CHECK(back.vout == mtx.vout);
    BOOST_CHECK_EQUAL(back.locktime, 17U);
    BOOST_CHECK(SerializeTransactionBytes(back) == full);
    BOOST_CHECK(tx.GetTxid() != tx.GetWtxid());
    BOOST_CHECK(tx.GetTxid() == mtx.GetTxid());
    // The stripped form parses on its own to the same txid and no witness.
    Bytes stripped = SerializeTransactionBytes(tx, false);
    BOOST_CHECK_EQUAL(stripped.size(), tx.GetStrippedSize());
    Transaction tx2(Decode(HexStr(stripped), false));
    BOOST_CHECK(tx2.GetTxid() == tx.GetTxid());
    BOOST_CHECK(!tx2.HasWitness());
    BOOST_CHECK_LT(tx.GetStrippedSize(), tx.GetTotalSize());
}

BOOST_AUTO_TEST_CASE(witness_marker_without_witnesses_is_rejected)
{
    // version, marker 00, flag 01, one input, one output, empty witness, locktime
    std::string tx = "02000000" "0001" "01" + std::string(64, '1') + "00000000" "00" "ffffffff"
                     "01" "0000000000000000" "00" "00" "00000000";
    BOOST_CHECK_EXCEPTION(Decode(tx), DeserializeError,
                          [](const DeserializeError& e) { return std::string(e.what()) == "Superfluous witness record"; });
}

BOOST_AUTO_TEST_CASE(unknown_flags_are_rejected)
{
    std::string tx = "02000000" "0002" "01" + std::string(64, '1') + "00000000" "00" "ffffffff"
                     "01" "0000000000000000" "00" "00000000";
    BOOST_CHECK_EXCEPTION(Decode(tx), DeserializeError, [](const DeserializeError& e) {
        return std::string(e.what()) == "Unknown transaction optional data";
    });
}

BOOST_AUTO_TEST_CASE(huge_counts_do_not_allocate)
{
    // An input count of 2^25 with no data behind it must fail fast, not reserve memory.
    BOOST_CHECK_THROW(Decode("02000000" "fe00000002"), DeserializeError);
    // Over the limit of any length prefix.
    BOOST_CHECK_THROW(Decode("02000000" "ffffffffffffffffff"), DeserializeError);
    // A script length larger than what remains.
    BOOST_CHECK_THROW(Decode("02000000" "01" + std::string(72, '0') + "fdffff"), DeserializeError);
}

BOOST_AUTO_TEST_CASE(compact_size)
{
    for (uint64_t v : {0ULL, 252ULL, 253ULL, 0xffffULL, 0x10000ULL, 0xffffffffULL, 0x100000000ULL}) {
        Bytes b;
        VectorWriter w(b);
        WriteCompactSize(w, v);
        BOOST_CHECK_EQUAL(b.size(), CompactSizeLen(v));
        Reader r(b);
        BOOST_CHECK_EQUAL(r.CompactSize(false), v);
        BOOST_CHECK(r.empty());
    }
    // Non-canonical forms are errors.
    for (const char* hex : {"fdfc00", "fe00ff0000", "fe00000000", "ffffffffff00000000"}) {
        Bytes b = ParseHex(hex);
        Reader r(b);
        BOOST_CHECK_THROW(r.CompactSize(false), DeserializeError);
    }
    Bytes big = ParseHex("fe01000002"); // 0x02000001 > MAX_SERIALIZED_SIZE
    Reader r(big);
    BOOST_CHECK_THROW(r.CompactSize(), DeserializeError);
}

BOOST_AUTO_TEST_CASE(truncation_at_every_byte)
{
    Bytes raw = SerializeTransactionBytes(WitnessTx());
    for (size_t len = 0; len < raw.size(); ++len) {
        Reader r(ByteSpan(raw.data(), len));
        BOOST_CHECK_THROW(DeserializeMutableTransaction(r), DeserializeError);
    }
}

BOOST_AUTO_TEST_SUITE_END()
