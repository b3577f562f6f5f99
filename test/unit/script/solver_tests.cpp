// Tests for script/solver.h and script/destination.h: each output template,
// the edges of each, and the destination round trips.
#include "script/destination.h"
#include "script/solver.h"

#include "crypto/key.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace cairn;

namespace {

PubKey MakePubKey(uint8_t seed, bool compressed)
{
    Key key;
    Bytes secret(32, 0);
    secret[31] = seed;
    BOOST_REQUIRE(key.Set(secret, compressed));
    return key.GetPubKey();
}

Script FromHex(const std::string& hex) { return Script(ParseHex(hex)); }

TxoutType Classify(const Script& s)
{
    std::vector<Bytes> sol;
    return Solver(s, sol);
}

Script Multisig(int m, const std::vector<Bytes>& keys, int n)
{
    Script s;
    s.PushInt(m);
    for (const Bytes& k : keys) s.PushData(k);
    s.PushInt(n);
    s << OP_CHECKMULTISIG;
    return s;
}

Bytes KeyBytes(const PubKey& k) { return Bytes(k.begin(), k.end()); }

} // namespace

BOOST_AUTO_TEST_SUITE(solver_tests)

BOOST_AUTO_TEST_CASE(type_names)
{
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::NONSTANDARD), "nonstandard");
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::PUBKEY), "pubkey");
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::PUBKEYHASH), "pubkeyhash");
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::SCRIPTHASH), "scripthash");
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::MULTISIG), "multisig");
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::NULL_DATA), "nulldata");
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::WITNESS_V0_KEYHASH), "witness_v0_keyhash");
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::WITNESS_V0_SCRIPTHASH), "witness_v0_scripthash");
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::WITNESS_V1_TAPROOT), "witness_v1_taproot");
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::WITNESS_UNKNOWN), "witness_unknown");
    BOOST_CHECK_EQUAL(GetTxnOutputType(TxoutType::ANCHOR), "anchor");
}

BOOST_AUTO_TEST_CASE(pubkey_and_hash_templates)
{
    std::vector<Bytes> sol;
    for (bool compressed : {true, false}) {
        const PubKey pk = MakePubKey(1, compressed);
        Script s;
        s.PushData(pk.span());
        s << OP_CHECKSIG;
        BOOST_CHECK(Solver(s, sol) == TxoutType::PUBKEY);
        BOOST_REQUIRE_EQUAL(sol.size(), 1U);
        BOOST_CHECK(sol[0] == KeyBytes(pk));
    }
    // The header must announce the length: an 04 key of 33 bytes is nothing.
    Bytes bad = KeyBytes(MakePubKey(1, true));
    bad[0] = 0x04;
    Script s;
    s.PushData(bad);
    s << OP_CHECKSIG;
    BOOST_CHECK(Solver(s, sol) == TxoutType::NONSTANDARD);
    BOOST_CHECK(sol.empty());
    // Off-curve keys still match: only size and header are looked at.
    Bytes off_curve(33, 0xff);
    off_curve[0] = 0x02;
    s = Script();
    s.PushData(off_curve);
    s << OP_CHECKSIG;
    BOOST_CHECK(Solver(s, sol) == TxoutType::PUBKEY);

    BOOST_CHECK(Solver(FromHex("76a914" + std::string(40, 'a') + "88ac"), sol) == TxoutType::PUBKEYHASH);
    BOOST_CHECK_EQUAL(HexStr(sol.at(0)), std::string(40, 'a'));
    BOOST_CHECK(Solver(FromHex("a914" + std::string(40, 'b') + "87"), sol) == TxoutType::SCRIPTHASH);
    BOOST_CHECK_EQUAL(HexStr(sol.at(0)), std::string(40, 'b'));
    // Near misses.
    BOOST_CHECK(Classify(FromHex("76a914" + std::string(40, 'a') + "88ad")) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(FromHex("76a913" + std::string(38, 'a') + "88ac")) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(FromHex("a914" + std::string(40, 'b') + "88")) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(FromHex("a9144c14" + std::string(40, 'b') + "87")) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(Script()) == TxoutType::NONSTANDARD);
}

BOOST_AUTO_TEST_CASE(multisig_template)
{
    const Bytes k1 = KeyBytes(MakePubKey(1, true));
    const Bytes k2 = KeyBytes(MakePubKey(2, false));
    const Bytes k3 = KeyBytes(MakePubKey(3, true));
    std::vector<Bytes> sol;

    BOOST_CHECK(Solver(Multisig(2, {k1, k2, k3}, 3), sol) == TxoutType::MULTISIG);
    BOOST_REQUIRE_EQUAL(sol.size(), 5U);
    BOOST_CHECK(sol[0] == Bytes{2});
    BOOST_CHECK(sol[1] == k1 && sol[2] == k2 && sol[3] == k3);
    BOOST_CHECK(sol[4] == Bytes{3});

    BOOST_CHECK(Classify(Multisig(1, {k1}, 1)) == TxoutType::MULTISIG);
    BOOST_CHECK(Classify(Multisig(3, {k1, k2}, 2)) == TxoutType::NONSTANDARD);  // m > n
    BOOST_CHECK(Classify(Multisig(0, {k1}, 1)) == TxoutType::NONSTANDARD);      // m = 0
    BOOST_CHECK(Classify(Multisig(0, {}, 0)) == TxoutType::NONSTANDARD);        // no keys
    BOOST_CHECK(Classify(Multisig(1, {}, 0)) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(Multisig(1, {k1, k2}, 3)) == TxoutType::NONSTANDARD);  // n disagrees
    BOOST_CHECK(Classify(Multisig(1, {k1, k2}, 1)) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(Multisig(1, {k1, Bytes(32, 2)}, 2)) == TxoutType::NONSTANDARD); // bad key size
    Bytes k_bad_header = k1;
    k_bad_header[0] = 0x05;
    BOOST_CHECK(Classify(Multisig(1, {k1, k_bad_header}, 2)) == TxoutType::NONSTANDARD);

    // Anything after OP_CHECKMULTISIG, or a different final op.
    Script extra = Multisig(1, {k1}, 1);
    extra << OP_NOP;
    BOOST_CHECK(Classify(extra) == TxoutType::NONSTANDARD);
    Script verify = Multisig(1, {k1}, 1);
    verify.bytes().back() = OP_CHECKMULTISIGVERIFY;
    BOOST_CHECK(Classify(verify) == TxoutType::NONSTANDARD);

    // Up to 20 keys: counts above 16 are pushed as numbers.
    std::vector<Bytes> many;
    for (int i = 0; i < 21; ++i) many.push_back(KeyBytes(MakePubKey(uint8_t(i + 1), true)));
    for (int n : {16, 17, 20}) {
        const std::vector<Bytes> keys(many.begin(), many.begin() + n);
        BOOST_CHECK(Solver(Multisig(n, keys, n), sol) == TxoutType::MULTISIG);
        BOOST_CHECK(sol.front() == Bytes{uint8_t(n)} && sol.back() == Bytes{uint8_t(n)});
        BOOST_CHECK_EQUAL(sol.size(), size_t(n) + 2);
    }
    BOOST_CHECK(Classify(Multisig(1, many, 21)) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(Multisig(21, many, 21)) == TxoutType::NONSTANDARD);

    // A count that is not minimally pushed does not count.
    Script nonminimal;
    nonminimal.Append(Bytes{0x01, 0x01}); // 1 as a data push instead of OP_1
    nonminimal.PushData(k1);
    nonminimal << OP_1 << OP_CHECKMULTISIG;
    BOOST_CHECK(Classify(nonminimal) == TxoutType::NONSTANDARD);
    Script pushdata_count;
    pushdata_count << OP_1;
    pushdata_count.PushData(k1);
    pushdata_count.Append(Bytes{OP_PUSHDATA1, 0x01, 0x01});
    pushdata_count << OP_CHECKMULTISIG;
    BOOST_CHECK(Classify(pushdata_count) == TxoutType::NONSTANDARD);
    Script padded_count;
    padded_count << OP_1;
    for (int i = 0; i < 17; ++i) padded_count.PushData(many[i]);
    padded_count.Append(Bytes{0x02, 0x11, 0x00}); // 17 with a needless zero byte
    padded_count << OP_CHECKMULTISIG;
    BOOST_CHECK(Classify(padded_count) == TxoutType::NONSTANDARD);

    // GetScriptForMultisig builds exactly the template.
    const std::vector<PubKey> pks{MakePubKey(1, true), MakePubKey(2, false), MakePubKey(3, true)};
    BOOST_CHECK(GetScriptForMultisig(2, pks) == Multisig(2, {k1, k2, k3}, 3));
    std::vector<PubKey> pks17;
    for (int i = 0; i < 17; ++i) pks17.push_back(MakePubKey(uint8_t(i + 1), true));
    const Script s17 = GetScriptForMultisig(17, pks17);
    BOOST_CHECK(Classify(s17) == TxoutType::MULTISIG);
    BOOST_CHECK_EQUAL(s17[0], 0x01);
    BOOST_CHECK_EQUAL(s17[1], 17);
}

BOOST_AUTO_TEST_CASE(null_data_template)
{
    BOOST_CHECK(Classify(FromHex("6a")) == TxoutType::NULL_DATA);
    BOOST_CHECK(Classify(FromHex("6a00")) == TxoutType::NULL_DATA);
    BOOST_CHECK(Classify(FromHex("6a04deadbeef")) == TxoutType::NULL_DATA);
    BOOST_CHECK(Classify(FromHex("6a4f5160")) == TxoutType::NULL_DATA);   // -1, 1, 16
    BOOST_CHECK(Classify(FromHex("6a50")) == TxoutType::NULL_DATA);       // OP_RESERVED counts as a push
    Script big;
    big << OP_RETURN;
    big.PushData(Bytes(200, 0x42)); // size is policy's business, not the template's
    BOOST_CHECK(Classify(big) == TxoutType::NULL_DATA);
    BOOST_CHECK(Classify(FromHex("6a76")) == TxoutType::NONSTANDARD);     // OP_DUP
    BOOST_CHECK(Classify(FromHex("6a61")) == TxoutType::NONSTANDARD);     // OP_NOP
    BOOST_CHECK(Classify(FromHex("6a02ee")) == TxoutType::NONSTANDARD);   // truncated push
    BOOST_CHECK(Classify(FromHex("006a")) == TxoutType::NONSTANDARD);     // OP_RETURN not first
}

BOOST_AUTO_TEST_CASE(witness_templates)
{
    std::vector<Bytes> sol;
    BOOST_CHECK(Solver(FromHex("0014" + std::string(40, '1')), sol) == TxoutType::WITNESS_V0_KEYHASH);
    BOOST_CHECK_EQUAL(HexStr(sol.at(0)), std::string(40, '1'));
    BOOST_CHECK(Solver(FromHex("0020" + std::string(64, '2')), sol) == TxoutType::WITNESS_V0_SCRIPTHASH);
    BOOST_CHECK(Solver(FromHex("5120" + std::string(64, '3')), sol) == TxoutType::WITNESS_V1_TAPROOT);
    BOOST_CHECK_EQUAL(HexStr(sol.at(0)), std::string(64, '3'));
    BOOST_CHECK(Solver(FromHex("51024e73"), sol) == TxoutType::ANCHOR);
    BOOST_CHECK(sol.empty());
    BOOST_CHECK(Solver(FromHex("51024e74"), sol) == TxoutType::WITNESS_UNKNOWN);
    BOOST_REQUIRE_EQUAL(sol.size(), 2U);
    BOOST_CHECK(sol[0] == Bytes{1});
    BOOST_CHECK_EQUAL(HexStr(sol[1]), "4e74");
    BOOST_CHECK(Classify(FromHex("52024e73")) == TxoutType::WITNESS_UNKNOWN); // anchor is v1 only
    BOOST_CHECK(Solver(FromHex("6028" + std::string(80, '4')), sol) == TxoutType::WITNESS_UNKNOWN);
    BOOST_CHECK(sol.at(0) == Bytes{16});
    BOOST_CHECK(Classify(FromHex("5121" + std::string(66, '3'))) == TxoutType::WITNESS_UNKNOWN);
    // v0 of another size can never be spent.
    BOOST_CHECK(Classify(FromHex("0015" + std::string(42, '1'))) == TxoutType::NONSTANDARD);
    // Not witness programs: too long, too short, PUSHDATA1, length mismatch, OP_1NEGATE.
    BOOST_CHECK(Classify(FromHex("5129" + std::string(82, '4'))) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(FromHex("510101")) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(FromHex("514c02" "4e73")) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(FromHex("51034e73")) == TxoutType::NONSTANDARD);
    BOOST_CHECK(Classify(FromHex("4f024e73")) == TxoutType::NONSTANDARD);
}

BOOST_AUTO_TEST_CASE(destinations_round_trip)
{
    const PubKey pk = MakePubKey(7, true);
    const Script redeem = FromHex("51");
    const std::vector<Destination> with_address{
        PKHash(pk),
        ScriptHash(redeem),
        WitnessV0KeyHash(pk),
        WitnessV0ScriptHash(redeem),
        WitnessV1Taproot(XOnlyPubKey(pk)),
        PayToAnchor(),
        WitnessUnknown(2, Bytes{0xaa, 0xbb}),
        WitnessUnknown(16, Bytes(40, 0xcc)),
    };
    for (const Destination& d : with_address) {
        BOOST_CHECK(IsValidDestination(d));
        const Script s = GetScriptForDestination(d);
        Destination back;
        BOOST_CHECK(ExtractDestination(s, back));
        BOOST_CHECK(back == d);
    }
    BOOST_CHECK_EQUAL(HexStr(GetScriptForDestination(PKHash(pk))), "76a914" + HexStr(pk.GetID().span()) + "88ac");
    BOOST_CHECK_EQUAL(HexStr(GetScriptForDestination(PayToAnchor())), "51024e73");

    // P2PK: a destination, but no address.
    Script p2pk;
    p2pk.PushData(pk.span());
    p2pk << OP_CHECKSIG;
    Destination d;
    BOOST_CHECK(!ExtractDestination(p2pk, d));
    BOOST_REQUIRE(std::holds_alternative<PubKeyDestination>(d));
    BOOST_CHECK(std::get<PubKeyDestination>(d).pubkey == pk);
    BOOST_CHECK(!IsValidDestination(d));
    BOOST_CHECK(GetScriptForDestination(d) == p2pk);

    // Multisig, OP_RETURN, nonstandard: NoDestination carrying the script.
    for (const Script& s : {GetScriptForMultisig(1, {pk}), FromHex("6a0401020304"), FromHex("ac"), Script()}) {
        BOOST_CHECK(!ExtractDestination(s, d));
        BOOST_REQUIRE(std::holds_alternative<NoDestination>(d));
        BOOST_CHECK(GetScriptForDestination(d) == s);
        BOOST_CHECK(!IsValidDestination(d));
    }
    BOOST_CHECK(Destination() == Destination(NoDestination()));
    BOOST_CHECK(Destination(PKHash(pk)) != Destination(WitnessV0KeyHash(pk)));
}

BOOST_AUTO_TEST_SUITE_END()
