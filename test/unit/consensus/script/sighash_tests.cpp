// Legacy signature hashes against Bitcoin Core's sighash.json (random
// transactions, scripts and 32-bit hash types, quirks included), plus the
// BIP 143 examples and the SIGHASH_SINGLE bug.
#include "consensus/script/sighash.h"
#include "consensus/tx_check.h"
#include "test/unit/consensus/script/script_test_util.h"
#include "test/util/vectors.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

namespace {

MutableTransaction TxFromHex(std::string_view hex)
{
    const Bytes raw = ParseHex(hex);
    Reader r(raw);
    MutableTransaction tx = DeserializeMutableTransaction(r);
    BOOST_REQUIRE(r.empty());
    return tx;
}

} // namespace

BOOST_AUTO_TEST_SUITE(sighash_tests)

BOOST_AUTO_TEST_CASE(sighash_json_vectors)
{
    const UniValue tests = ReadJsonVectors("core/sighash.json");
    size_t cases = 0;
    for (size_t idx = 0; idx < tests.size(); ++idx) {
        const UniValue& row = tests[idx];
        if (row.size() == 1) continue; // the format description
        BOOST_REQUIRE_MESSAGE(row.size() == 5, "bad test: " << row.write());
        ++cases;
        const MutableTransaction mtx = TxFromHex(row[0].get_str());
        const Bytes script_code = ParseHex(row[1].get_str());
        const unsigned int in = unsigned(row[2].get_int64());
        const int32_t hash_type = int32_t(row[3].get_int64());
        const std::string expected = row[4].get_str();

        const Transaction tx(mtx);
        TxValidationState state;
        BOOST_CHECK_MESSAGE(CheckTransaction(tx, state) && state.IsValid(), "CheckTransaction: " << row.write());

        // Both transaction types must hash alike.
        const uint256 h = LegacySignatureHash(script_code, tx, in, hash_type);
        const uint256 hm = LegacySignatureHash(script_code, mtx, in, hash_type);
        BOOST_CHECK_MESSAGE(h.GetHex() == expected, "got " << h.GetHex() << ": " << row.write());
        BOOST_CHECK(h == hm);
        BOOST_CHECK(SignatureHash(script_code, tx, in, hash_type, 0, SigVersion::BASE) == h);
    }
    ReportCases("core/sighash.json", cases);
    BOOST_CHECK_EQUAL(cases, 500U);
}

BOOST_AUTO_TEST_CASE(sighash_single_without_output_is_one)
{
    MutableTransaction tx;
    tx.vin.resize(2);
    tx.vout.resize(1);
    tx.vout[0] = TxOut(1, Script());
    const Bytes code{OP_1};
    BOOST_CHECK(LegacySignatureHash(code, tx, 1, SIGHASH_SINGLE) == uint256::ONE);
    BOOST_CHECK(LegacySignatureHash(code, tx, 1, SIGHASH_SINGLE | SIGHASH_ANYONECANPAY) == uint256::ONE);
    BOOST_CHECK(LegacySignatureHash(code, tx, 0, SIGHASH_SINGLE) != uint256::ONE);
    // BIP 143 has no such bug: the output hash is simply zero.
    BOOST_CHECK(SegwitV0SignatureHash(code, tx, 1, SIGHASH_SINGLE, 0, nullptr) != uint256::ONE);
}

// The examples of BIP 143 (native P2WPKH, P2SH-P2WPKH): the preimage hashes given in the BIP.
BOOST_AUTO_TEST_CASE(bip143_examples)
{
    {
        const MutableTransaction tx = TxFromHex(
            "0100000002fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000000000eeffffffef51e1b804cc"
            "89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37d"
            "f378db99f66f85c95a783a76ac7a6d5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac"
            "11000000");
        const Bytes script_code = ParseHex("76a9141d0f172a0ecb48aee1be1f2687d2963ae33f71a188ac");
        const PrecomputedTxData txdata(tx, {}, /*force=*/true);
        const uint256 h = SegwitV0SignatureHash(script_code, tx, 1, SIGHASH_ALL, 600000000, &txdata);
        BOOST_CHECK_EQUAL(HexStr(h.span()), "c37af31116d1b27caf68aae9e3ac82f1477929014d5b917657d0eb49478cb670");
        BOOST_CHECK(SegwitV0SignatureHash(script_code, tx, 1, SIGHASH_ALL, 600000000, nullptr) == h);
        BOOST_CHECK_EQUAL(HexStr(txdata.hash_prevouts.span()),
                          "96b827c8483d4e9b96712b6713a7b68d6e8003a781feba36c31143470b4efd37");
        BOOST_CHECK_EQUAL(HexStr(txdata.hash_sequence.span()),
                          "52b0a642eea2fb7ae638c36f6252b6750293dbe574a806984b8e4d8548339a3b");
        BOOST_CHECK_EQUAL(HexStr(txdata.hash_outputs.span()),
                          "863ef3e1a92afbfdb97f31ad0fc7683ee943e9abcf2501590ff8f6551f47e5e5");
    }
    {
        const MutableTransaction tx = TxFromHex(
            "0100000001db6b1b20aa0fd7b23880be2ecbd4a98130974cf4748fb66092ac4d3ceb1a54770100000000feffffff02b8b4eb0b00"
            "0000001976a914a457b684d7f0d539a46a45bbc043f35b59d0d96388ac0008af2f000000001976a914fd270b1ee6abcaea97fea7"
            "ad0402e8bd8ad6d77c88ac92040000");
        const Bytes script_code = ParseHex("76a91479091972186c449eb1ded22b78e40d009bdf008988ac");
        const PrecomputedTxData txdata(tx, {}, /*force=*/true);
        const uint256 h = SegwitV0SignatureHash(script_code, tx, 0, SIGHASH_ALL, 1000000000, &txdata);
        BOOST_CHECK_EQUAL(HexStr(h.span()), "64f3b0f4dd2bb3aa1ce8566d220cc74dda9df97d8490cc81d89d735c92e59fb6");
    }
}

BOOST_AUTO_TEST_CASE(precompute_only_what_is_used)
{
    MutableTransaction tx;
    tx.vin.resize(1);
    tx.vout.emplace_back(1, Script());
    {
        const PrecomputedTxData txdata(tx);
        BOOST_CHECK(!txdata.bip143_ready);
        BOOST_CHECK(!txdata.bip341_ready);
    }
    tx.vin[0].witness.stack.push_back({1});
    {
        const PrecomputedTxData txdata(tx);
        BOOST_CHECK(txdata.bip143_ready);
        BOOST_CHECK(!txdata.bip341_ready);
    }
    {
        const Bytes key(32, 0x11);
        const PrecomputedTxData txdata(tx, {TxOut(5, Script() << OP_1 << key)});
        BOOST_CHECK(!txdata.bip143_ready);
        BOOST_CHECK(txdata.bip341_ready);
    }
}

BOOST_AUTO_TEST_SUITE_END()
