// The JSON encoders behind getblock, getrawtransaction, decoderawtransaction
// and decodescript, checked against values Bitcoin Core prints: BIP 380's
// checksum vectors, Core's own decodescript vectors (rpc_decodescript.json)
// and real mainnet transactions whose expected fields were derived
// independently (txid by double SHA-256, addresses by Base58Check,
// checksums by BIP 380's reference algorithm).
#include "rpc/request.h"
#include "rpc/tx_json.h"
#include "script/descriptor_checksum.h"
#include "script/infer_descriptor.h"
#include "util/hex.h"

#include "test/util/chain_builder.h"
#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace cairn;

namespace {

MutableTransaction DecodeOrFail(const std::string& hex)
{
    MutableTransaction mtx;
    BOOST_REQUIRE(DecodeHexTx(mtx, hex));
    return mtx;
}

// Mainnet block 170: the first transaction between people (Satoshi to Hal
// Finney), spending a P2PK coinbase output to two P2PK outputs.
const std::string TX_170 =
    "0100000001c997a5e56e104102fa209c6a852dd90660a20b2d9c352423edce25857fcd3704000000004847304402204e45e16932b8af514961"
    "a1d3a1a25fdf3f4f7732e9d624c6c61548ab5fb8cd410220181522ec8eca07de4860a4acdd12909d831cc56cbbac4622082221a8768d1d0901"
    "ffffffff0200ca9a3b00000000434104ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df"
    "5f142c21c1b7303b8a0626f1baded5c72a704f7e6cd84cac00286bee0000000043410411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1"
    "482ecad7b148a6909a5cb2e0eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3ac00000000";

// Mainnet block 413567, transaction 1: P2PKH to two P2PKH outputs, with a locktime.
const std::string TX_413567_1 =
    "0100000001fd2668efa598aa3c7d65bd09e32b1508e3c053de2084277181ec59a196d81d4b010000006b483045022100a6eab718e32230f658"
    "5b2696199f5122d83154fb5757a30878153a87e1bf1ff8022012032b4c20e6a435af0d528f175179f16e80090fbe2c3df5d871474135bce5da"
    "0121032784bf76a1613195ed68c1096e486694f121adad9cb424bb81c9311c1664c160feffffff0260787e03000000001976a91488a97d7677"
    "af08bd495e2cd909de2c0fdaaaa74088ac50347402000000001976a9142ddb601a9de840d8cb893fbeecb57ea2b0f67dfa88ac434f0600";

} // namespace

BOOST_AUTO_TEST_SUITE(tx_json_tests)

BOOST_AUTO_TEST_CASE(descriptor_checksum_bip380)
{
    // The BIP's examples.
    BOOST_CHECK_EQUAL(DescriptorChecksum("raw(deadbeef)"), "89f8spxm");
    BOOST_CHECK_EQUAL(DescriptorChecksum("addr(mkmZxiEcEd8ZqjQWVZuC6so5dFMKEFpN2j)"), "02wpgw69");
    BOOST_CHECK_EQUAL(AddDescriptorChecksum("raw(deadbeef)"), "raw(deadbeef)#89f8spxm");
    // One changed character changes the checksum.
    BOOST_CHECK_NE(DescriptorChecksum("raw(deadbeee)"), "89f8spxm");
    // Characters outside the descriptor set have no checksum.
    BOOST_CHECK_EQUAL(DescriptorChecksum("raw(deadbeef)\n"), "");
    BOOST_CHECK_EQUAL(DescriptorChecksum("pk(\xc3\xa9)"), "");
    BOOST_CHECK_EQUAL(AddDescriptorChecksum(std::string("raw(\0)", 6)), "");
    // Every character of the set is accepted, including the last ones of each group.
    BOOST_CHECK_EQUAL(DescriptorChecksum("0123456789()[],'/*abcdefgh@:$%{}").size(), 8U);
    BOOST_CHECK_EQUAL(DescriptorChecksum("IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ").size(), 8U);
    BOOST_CHECK_EQUAL(DescriptorChecksum("").size(), 8U);
}

BOOST_AUTO_TEST_CASE(infer_descriptor_core_vectors)
{
    // Bitcoin Core's decodescript results on regtest: "desc" (and, for the
    // P2WSH wrapping, segwit.desc) must match character for character.
    UniValue tests;
    BOOST_REQUIRE(tests.read(test::ReadVectorFile("core/rpc_decodescript.json")));
    size_t cases = 0;
    for (size_t i = 0; i < tests.size(); ++i) {
        const UniValue& row = tests[i];
        const Script script(ParseHex(row[0].get_str()));
        const UniValue& exp = row[1];
        BOOST_TEST_CONTEXT("script " << row[0].get_str())
        {
            BOOST_CHECK_EQUAL(InferDescriptorString(script, ChainType::REGTEST), find_value(exp, "desc").get_str());
            const UniValue got = ScriptPubKeyToJSON(script, ChainType::REGTEST, /*include_hex=*/false);
            BOOST_CHECK_EQUAL(got.write(), [&] {
                // Core's member order: asm, desc, address, type.
                UniValue want(UniValue::VOBJ);
                want.pushKV("asm", find_value(exp, "asm"));
                want.pushKV("desc", find_value(exp, "desc"));
                if (!find_value(exp, "address").isNull()) want.pushKV("address", find_value(exp, "address"));
                want.pushKV("type", find_value(exp, "type"));
                return want.write();
            }());
            const UniValue& segwit = find_value(exp, "segwit");
            if (!segwit.isNull()) {
                BOOST_CHECK_EQUAL(InferP2WSHDescriptorString(script, ChainType::REGTEST), find_value(segwit, "desc").get_str());
            }
        }
        ++cases;
    }
    BOOST_CHECK_EQUAL(cases, 10U);
    test::ReportCases("core/rpc_decodescript.json (desc)", cases);
}

BOOST_AUTO_TEST_CASE(infer_descriptor_forms)
{
    const std::string g1 = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    const std::string g2 = "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5";
    auto infer = [](const std::string& hex, ChainType chain = ChainType::MAIN) {
        return InferDescriptorString(Script(ParseHex(hex)), chain);
    };
    // P2PK: pk() with the key as written.
    BOOST_CHECK_EQUAL(infer("21" + g1 + "ac"), "pk(" + g1 + ")#gn28ywm7");
    // Bare multisig: multi(k,...) in script order.
    BOOST_CHECK_EQUAL(infer("5121" + g1 + "21" + g2 + "52ae"), "multi(1," + g1 + "," + g2 + ")#l5sy3u48");
    // A hybrid key (0x06) has no descriptor form: raw().
    const std::string hybrid = "410679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1"
                               "108a8fd17b448a68554199c47d08ffb10d4b8ac";
    BOOST_CHECK_EQUAL(infer(hybrid), "raw(" + hybrid + ")#qhj9gd8d");
    // P2PKH of G: the well-known address of private key 1.
    BOOST_CHECK(infer("76a914751e76e8199196d454941c45d1b3a323f1433bd688ac").starts_with("addr(1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH)#"));
    // The P2WSH descriptor of a known multisig witness script.
    BOOST_CHECK_EQUAL(InferP2WSHDescriptorString(Script(ParseHex("5121" + g1 + "21" + g2 + "52ae")), ChainType::MAIN),
                      "wsh(multi(1," + g1 + "," + g2 + "))#25mv9evd");
    // Every descriptor carries a valid checksum of what precedes it.
    const std::string d = infer("6a0401020304");
    BOOST_CHECK_EQUAL(d, "raw(6a0401020304)#" + DescriptorChecksum("raw(6a0401020304)"));
}

BOOST_AUTO_TEST_CASE(tx_json_p2pk_block_170)
{
    const Transaction tx(DecodeOrFail(TX_170));
    TxJsonOptions options;
    options.include_hex = false;
    const UniValue j = TxToJSON(tx, ChainType::MAIN, options);
    BOOST_CHECK_EQUAL(find_value(j, "txid").get_str(), "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16");
    BOOST_CHECK_EQUAL(find_value(j, "hash").get_str(), find_value(j, "txid").get_str());
    BOOST_CHECK_EQUAL(find_value(j, "size").getValStr(), "275");
    BOOST_CHECK_EQUAL(find_value(j, "vsize").getValStr(), "275");
    BOOST_CHECK_EQUAL(find_value(j, "weight").getValStr(), "1100");
    BOOST_CHECK(find_value(j, "hex").isNull());
    BOOST_CHECK(find_value(j, "fee").isNull());
    const UniValue& in = find_value(j, "vin")[0];
    // The signature's hash type shows as [ALL], the byte itself dropped.
    BOOST_CHECK_EQUAL(find_value(find_value(in, "scriptSig"), "asm").get_str(),
                      "304402204e45e16932b8af514961a1d3a1a25fdf3f4f7732e9d624c6c61548ab5fb8cd410220181522ec8eca07de4860a4"
                      "acdd12909d831cc56cbbac4622082221a8768d1d09[ALL]");
    BOOST_CHECK(find_value(in, "txinwitness").isNull());
    BOOST_CHECK_EQUAL(find_value(in, "sequence").getValStr(), "4294967295");
    const UniValue& out0 = find_value(j, "vout")[0];
    BOOST_CHECK_EQUAL(find_value(out0, "value").getValStr(), "10.00000000");
    const UniValue& spk = find_value(out0, "scriptPubKey");
    // P2PK: a descriptor but no address; keys in order asm, desc, hex, type.
    BOOST_CHECK_EQUAL(spk.getKeys().size(), 4U);
    BOOST_CHECK_EQUAL(spk.getKeys()[1], "desc");
    BOOST_CHECK(find_value(spk, "address").isNull());
    BOOST_CHECK_EQUAL(find_value(spk, "type").get_str(), "pubkey");
    BOOST_CHECK_EQUAL(find_value(spk, "desc").get_str(),
                      "pk(04ae1a62fe09c5f51b13905f07f06b99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7"
                      "303b8a0626f1baded5c72a704f7e6cd84c)#hsw9ejus");
    BOOST_CHECK_EQUAL(find_value(find_value(j, "vout")[1], "value").getValStr(), "40.00000000");
}

BOOST_AUTO_TEST_CASE(tx_json_p2pkh_exact)
{
    // The whole object, byte for byte, as Core's decoderawtransaction prints it.
    const Transaction tx(DecodeOrFail(TX_413567_1));
    TxJsonOptions options;
    options.include_hex = false;
    const std::string expected =
        R"({"txid":"f1bd8c6e99baddc7b5ba7882f89a578549a669e5764801d8a0084aee9183ee11",)"
        R"("hash":"f1bd8c6e99baddc7b5ba7882f89a578549a669e5764801d8a0084aee9183ee11",)"
        R"("version":1,"size":226,"vsize":226,"weight":904,"locktime":413507,)"
        R"("vin":[{"txid":"4b1dd896a159ec8171278420de53c0e308152be309bd657d3caa98a5ef6826fd","vout":1,)"
        R"("scriptSig":{"asm":"3045022100a6eab718e32230f6585b2696199f5122d83154fb5757a30878153a87e1bf1ff8022012032b4c20e6a435af0d528f175179f16e80090fbe2c3df5d871474135bce5da[ALL] 032784bf76a1613195ed68c1096e486694f121adad9cb424bb81c9311c1664c160",)"
        R"("hex":"483045022100a6eab718e32230f6585b2696199f5122d83154fb5757a30878153a87e1bf1ff8022012032b4c20e6a435af0d528f175179f16e80090fbe2c3df5d871474135bce5da0121032784bf76a1613195ed68c1096e486694f121adad9cb424bb81c9311c1664c160"},)"
        R"("sequence":4294967294}],)"
        R"("vout":[{"value":0.58620000,"n":0,"scriptPubKey":{"asm":"OP_DUP OP_HASH160 88a97d7677af08bd495e2cd909de2c0fdaaaa740 OP_EQUALVERIFY OP_CHECKSIG",)"
        R"("desc":"addr(1DTbwU5DFCtUfRB2sWfmAnmknPGrcz6VmF)#mwnepyd3","hex":"76a91488a97d7677af08bd495e2cd909de2c0fdaaaa74088ac",)"
        R"("address":"1DTbwU5DFCtUfRB2sWfmAnmknPGrcz6VmF","type":"pubkeyhash"}},)"
        R"({"value":0.41170000,"n":1,"scriptPubKey":{"asm":"OP_DUP OP_HASH160 2ddb601a9de840d8cb893fbeecb57ea2b0f67dfa OP_EQUALVERIFY OP_CHECKSIG",)"
        R"("desc":"addr(15BUD6xqgWH3hvuAutdSWmE9TH2b9wtMtx)#fn9zuvpf","hex":"76a9142ddb601a9de840d8cb893fbeecb57ea2b0f67dfa88ac",)"
        R"("address":"15BUD6xqgWH3hvuAutdSWmE9TH2b9wtMtx","type":"pubkeyhash"}}]})";
    BOOST_CHECK_EQUAL(TxToJSON(tx, ChainType::MAIN, options).write(), expected);
    // With hex: appended last, the transaction as given.
    BOOST_CHECK_EQUAL(find_value(TxToJSON(tx, ChainType::MAIN), "hex").get_str(), TX_413567_1);
    BOOST_CHECK_EQUAL(EncodeHexTx(tx), TX_413567_1);
}

BOOST_AUTO_TEST_CASE(tx_json_witness_fee_prevout)
{
    // A P2WPKH spend: witness shown, vsize = ceil(weight / 4), and with the
    // spent coins a fee and (verbosity 3 style) the prevout.
    const Key key = test::TestKey(7);
    MutableTransaction funding;
    funding.vin.resize(1);
    funding.vout.emplace_back(50000, test::P2WPKHScript(key));
    const test::Utxo utxo = test::OutputOf(funding);
    MutableTransaction spend = test::SpendTo(utxo, test::OpTrueScript(), 49000);
    test::SignTransaction(spend, {utxo}, {key});
    const Transaction tx(spend);

    const std::vector<Coin> spent{Coin(utxo.out, 120, /*cb=*/true)};
    TxJsonOptions options;
    options.spent = &spent;
    options.verbosity = TxVerbosity::SHOW_DETAILS_AND_PREVOUT;
    const UniValue j = TxToJSON(tx, ChainType::REGTEST, options);

    const int64_t weight = int64_t(tx.GetStrippedSize()) * 3 + int64_t(tx.GetTotalSize());
    BOOST_CHECK_EQUAL(find_value(j, "weight").getValStr(), std::to_string(weight));
    BOOST_CHECK_EQUAL(find_value(j, "vsize").getValStr(), std::to_string((weight + 3) / 4));
    BOOST_CHECK_NE(find_value(j, "hash").get_str(), find_value(j, "txid").get_str());
    const UniValue& in = find_value(j, "vin")[0];
    // Member order: txid, vout, scriptSig, txinwitness, prevout, sequence.
    const std::vector<std::string> keys{"txid", "vout", "scriptSig", "txinwitness", "prevout", "sequence"};
    BOOST_CHECK(in.getKeys() == keys);
    BOOST_CHECK_EQUAL(find_value(in, "txinwitness").size(), 2U);
    BOOST_CHECK_EQUAL(find_value(find_value(in, "scriptSig"), "asm").get_str(), "");
    const UniValue& prevout = find_value(in, "prevout");
    BOOST_CHECK_EQUAL(prevout.write(), [&] {
        UniValue p(UniValue::VOBJ);
        p.pushKV("generated", true);
        p.pushKV("height", 120);
        p.pushKV("value", ValueFromAmount(50000));
        p.pushKV("scriptPubKey", ScriptPubKeyToJSON(utxo.out.script_pubkey, ChainType::REGTEST));
        return p.write();
    }());
    BOOST_CHECK(find_value(find_value(prevout, "scriptPubKey"), "address").get_str().starts_with("bcrt1q"));
    BOOST_CHECK_EQUAL(find_value(j, "fee").getValStr(), "0.00001000");
    // fee comes after vout and before hex.
    const std::vector<std::string> top = j.getKeys();
    BOOST_CHECK_EQUAL(top[top.size() - 2], "fee");
    BOOST_CHECK_EQUAL(top.back(), "hex");

    // Verbosity 2 style: the fee but no prevout.
    options.verbosity = TxVerbosity::SHOW_DETAILS;
    const UniValue j2 = TxToJSON(tx, ChainType::REGTEST, options);
    BOOST_CHECK(find_value(find_value(j2, "vin")[0], "prevout").isNull());
    BOOST_CHECK_EQUAL(find_value(j2, "fee").getValStr(), "0.00001000");
}

BOOST_AUTO_TEST_CASE(decode_hex_tx_rules)
{
    MutableTransaction mtx;
    BOOST_CHECK(!DecodeHexTx(mtx, ""));
    BOOST_CHECK(!DecodeHexTx(mtx, "zz"));
    BOOST_CHECK(!DecodeHexTx(mtx, TX_170 + "0"));  // odd length
    BOOST_CHECK(!DecodeHexTx(mtx, TX_170 + "00")); // trailing byte
    BOOST_CHECK(!DecodeHexTx(mtx, TX_170.substr(0, TX_170.size() - 2)));
    BOOST_CHECK(DecodeHexTx(mtx, TX_170, /*try_no_witness=*/true, /*try_witness=*/false));
    BOOST_CHECK(DecodeHexTx(mtx, TX_170, /*try_no_witness=*/false, /*try_witness=*/true));

    // A witness transaction decodes only when the witness form is allowed.
    const Key key = test::TestKey(3);
    MutableTransaction funding;
    funding.vin.resize(1);
    funding.vout.emplace_back(1000, test::P2WPKHScript(key));
    const test::Utxo utxo = test::OutputOf(funding);
    MutableTransaction spend = test::SpendTo(utxo, test::OpTrueScript());
    test::SignTransaction(spend, {utxo}, {key});
    const std::string hex = HexStr(SerializeTransactionBytes(spend));
    BOOST_CHECK(DecodeHexTx(mtx, hex));
    BOOST_CHECK(mtx.HasWitness());
    BOOST_CHECK(!DecodeHexTx(mtx, hex, /*try_no_witness=*/true, /*try_witness=*/false));

    // No inputs, one output: legacy reads it as such; the extended form sees a
    // marker and flag 0x01 and fails, so the legacy reading wins.
    MutableTransaction empty;
    empty.vout.emplace_back(0x42, Script());
    const std::string empty_hex = HexStr(SerializeTransactionBytes(empty, false));
    BOOST_REQUIRE(DecodeHexTx(mtx, empty_hex));
    BOOST_CHECK(mtx.vin.empty());
    BOOST_CHECK_EQUAL(mtx.vout.size(), 1U);
    BOOST_CHECK(!DecodeHexTx(mtx, empty_hex, /*try_no_witness=*/false, /*try_witness=*/true));
}

BOOST_AUTO_TEST_CASE(parse_verbosity)
{
    BOOST_CHECK_EQUAL(ParseVerbosity(UniValue(), 1, true), 1);
    BOOST_CHECK_EQUAL(ParseVerbosity(UniValue(true), 0, true), 1);
    BOOST_CHECK_EQUAL(ParseVerbosity(UniValue(false), 1, true), 0);
    BOOST_CHECK_EQUAL(ParseVerbosity(UniValue(3), 0, true), 3);
    try {
        ParseVerbosity(UniValue(true), 0, false);
        BOOST_ERROR("no throw");
    } catch (const RpcError& e) {
        BOOST_CHECK_EQUAL(e.Code(), RPC_TYPE_ERROR);
        BOOST_CHECK_EQUAL(e.what(), std::string("Verbosity was boolean but only integer allowed"));
    }
    BOOST_CHECK_THROW(ParseVerbosity(UniValue("2"), 0, true), RpcError);
}

BOOST_AUTO_TEST_CASE(difficulty)
{
    // Genesis bits: difficulty exactly 1; regtest's 0x207fffff: 4.656542373906925e-10 in Core.
    BOOST_CHECK_EQUAL(DoubleValue(GetDifficulty(0x1d00ffff)).getValStr(), "1");
    BOOST_CHECK_EQUAL(DoubleValue(GetDifficulty(0x207fffff)).getValStr(), "4.656542373906925e-10");
    // Block 413567's bits 0x18058436: difficulty 199312067531.243 (getblock on mainnet).
    BOOST_CHECK_EQUAL(DoubleValue(GetDifficulty(0x18058436)).getValStr(), "199312067531.243");
}

BOOST_AUTO_TEST_SUITE_END()
