// Tests for script/script_asm.h: asm output (with and without sighash
// decoding), opcode names, the short script notation, and the asm / type /
// address fields of Bitcoin Core's decodescript vectors.
#include "script/script_asm.h"

#include "crypto/hash.h"
#include "crypto/key.h"
#include "script/address.h"
#include "script/destination.h"
#include "script/solver.h"
#include "util/hex.h"

#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>
#include <univalue.h>

#include <stdexcept>
#include <string>

using namespace cairn;

namespace {

std::string Asm(const std::string& hex, bool decode = false) { return ScriptToAsmStr(Script(ParseHex(hex)), decode); }

std::string ParsedHex(const std::string& notation) { return HexStr(ParseScript(notation)); }

} // namespace

BOOST_AUTO_TEST_SUITE(script_asm_tests)

BOOST_AUTO_TEST_CASE(op_names)
{
    BOOST_CHECK_EQUAL(GetOpName(OP_0), "0");
    BOOST_CHECK_EQUAL(GetOpName(OP_1NEGATE), "-1");
    BOOST_CHECK_EQUAL(GetOpName(OP_1), "1");
    BOOST_CHECK_EQUAL(GetOpName(OP_16), "16");
    BOOST_CHECK_EQUAL(GetOpName(OP_RESERVED), "OP_RESERVED");
    BOOST_CHECK_EQUAL(GetOpName(OP_DUP), "OP_DUP");
    BOOST_CHECK_EQUAL(GetOpName(OP_NOP2), "OP_CHECKLOCKTIMEVERIFY");
    BOOST_CHECK_EQUAL(GetOpName(OP_NOP3), "OP_CHECKSEQUENCEVERIFY");
    BOOST_CHECK_EQUAL(GetOpName(OP_NOP10), "OP_NOP10");
    BOOST_CHECK_EQUAL(GetOpName(OP_CHECKSIGADD), "OP_CHECKSIGADD");
    BOOST_CHECK_EQUAL(GetOpName(OP_INVALIDOPCODE), "OP_INVALIDOPCODE");
    BOOST_CHECK_EQUAL(GetOpName(Opcode(0xbb)), "OP_UNKNOWN");
    BOOST_CHECK_EQUAL(GetOpName(Opcode(0x05)), "OP_UNKNOWN");
    BOOST_CHECK_EQUAL(GetOpName(OP_PUSHDATA2), "OP_PUSHDATA2");
    // Every named opcode above the pushes parses back from its own name.
    for (unsigned op = OP_NOP; op <= MAX_OPCODE; ++op) {
        BOOST_CHECK_EQUAL(HexStr(ParseScript(GetOpName(Opcode(op)))), HexStr(Bytes{uint8_t(op)}));
    }
}

BOOST_AUTO_TEST_CASE(asm_format)
{
    const std::string h20(40, 'a');
    BOOST_CHECK_EQUAL(Asm("76a914" + h20 + "88ac"), "OP_DUP OP_HASH160 " + h20 + " OP_EQUALVERIFY OP_CHECKSIG");
    BOOST_CHECK_EQUAL(Asm(""), "");
    // Pushes of up to four bytes print as script numbers, however pushed.
    BOOST_CHECK_EQUAL(Asm("00"), "0");
    BOOST_CHECK_EQUAL(Asm("4c00"), "0");
    BOOST_CHECK_EQUAL(Asm("0100"), "0");
    BOOST_CHECK_EQUAL(Asm("0180"), "0");
    BOOST_CHECK_EQUAL(Asm("0181"), "-1");
    BOOST_CHECK_EQUAL(Asm("4f"), "-1");
    BOOST_CHECK_EQUAL(Asm("0111"), "17");
    BOOST_CHECK_EQUAL(Asm("02eeee"), "-28398");
    BOOST_CHECK_EQUAL(Asm("4d0200ff00"), "255");
    BOOST_CHECK_EQUAL(Asm("04ffffffff"), "-2147483647");
    BOOST_CHECK_EQUAL(Asm("04ffffff7f"), "2147483647");
    BOOST_CHECK_EQUAL(Asm("050000000080"), "0000000080");
    BOOST_CHECK_EQUAL(Asm("5160"), "1 16");
    BOOST_CHECK_EQUAL(Asm("b1b2ba50bbff"),
                      "OP_CHECKLOCKTIMEVERIFY OP_CHECKSEQUENCEVERIFY OP_CHECKSIGADD OP_RESERVED OP_UNKNOWN "
                      "OP_INVALIDOPCODE");
    // A push running past the end.
    BOOST_CHECK_EQUAL(Asm("6a02ee"), "OP_RETURN [error]");
    BOOST_CHECK_EQUAL(Asm("4c"), "[error]");
    BOOST_CHECK_EQUAL(Asm("514d01"), "1 [error]");
    BOOST_CHECK_EQUAL(Asm("4e01000000"), "[error]");
    BOOST_CHECK_EQUAL(Asm("4e0100000000"), "0");
    BOOST_CHECK_EQUAL(Asm("0501020304"), "[error]");
}

BOOST_AUTO_TEST_CASE(asm_sighash_decode)
{
    Key key;
    Bytes secret(32, 0);
    secret[31] = 42;
    BOOST_REQUIRE(key.Set(secret, true));
    Bytes der;
    BOOST_REQUIRE(key.SignEcdsa(Hash256(AsBytes("cairn")), der));
    const std::string pub = HexStr(key.GetPubKey().span());

    const std::pair<uint8_t, const char*> types[] = {
        {0x01, "[ALL]"}, {0x02, "[NONE]"}, {0x03, "[SINGLE]"},
        {0x81, "[ALL|ANYONECANPAY]"}, {0x82, "[NONE|ANYONECANPAY]"}, {0x83, "[SINGLE|ANYONECANPAY]"},
    };
    for (const auto& [type, suffix] : types) {
        Bytes sig = der;
        sig.push_back(type);
        Script s;
        s.PushData(sig);
        s.PushData(key.GetPubKey().span());
        BOOST_CHECK_EQUAL(ScriptToAsmStr(s, true), HexStr(der) + suffix + " " + pub);
        BOOST_CHECK_EQUAL(ScriptToAsmStr(s, false), HexStr(sig) + " " + pub);
    }
    // Undefined hash types, broken DER and unspendable scripts stay hex.
    for (uint8_t type : {0x00, 0x04, 0x41, 0x80, 0x84}) {
        Bytes sig = der;
        sig.push_back(type);
        Script s;
        s.PushData(sig);
        BOOST_CHECK_EQUAL(ScriptToAsmStr(s, true), HexStr(sig));
    }
    Bytes bad = der;
    bad.push_back(0x01);
    bad[0] = 0x31;
    Script s;
    s.PushData(bad);
    BOOST_CHECK_EQUAL(ScriptToAsmStr(s, true), HexStr(bad));
    Bytes padded = der;
    padded.push_back(0x01);
    padded[1] = uint8_t(padded[1] + 1); // total length no longer matches
    s = Script();
    s.PushData(padded);
    BOOST_CHECK_EQUAL(ScriptToAsmStr(s, true), HexStr(padded));
    Bytes sig = der;
    sig.push_back(0x01);
    s = Script();
    s << OP_RETURN;
    s.PushData(sig);
    BOOST_CHECK_EQUAL(ScriptToAsmStr(s, true), "OP_RETURN " + HexStr(sig));
}

BOOST_AUTO_TEST_CASE(parse_notation)
{
    BOOST_CHECK_EQUAL(ParsedHex(""), "");
    BOOST_CHECK_EQUAL(ParsedHex("  \t\n "), "");
    BOOST_CHECK_EQUAL(ParsedHex("0 -1 1 16 17 -2 1000"), "004f51600111018202e803");
    BOOST_CHECK_EQUAL(ParsedHex("4294967295"), "05ffffffff00");
    BOOST_CHECK_EQUAL(ParsedHex("-4294967295"), "05ffffffff80");
    BOOST_CHECK_EQUAL(ParsedHex("DUP HASH160 0x14 0x" + std::string(40, 'a') + " EQUALVERIFY OP_CHECKSIG"),
                      "76a914" + std::string(40, 'a') + "88ac");
    BOOST_CHECK_EQUAL(ParsedHex("'Az' ''"), "02417a00");
    BOOST_CHECK_EQUAL(ParsedHex("0x4c01 0x07"), "4c0107");
    BOOST_CHECK_EQUAL(ParsedHex("RESERVED OP_NOP1 CHECKLOCKTIMEVERIFY CHECKSEQUENCEVERIFY NOP10"), "50b0b1b2b9");
    for (const char* bad : {"4294967296", "-4294967296", "99999999999999999999", "FOO", "0x", "0xabc", "0xzz",
                            "NOP2", "CHECKSIGADD", "OP_1", "TRUE", "'a b'", "1 2 3 x"}) {
        BOOST_CHECK_THROW(ParseScript(bad), std::runtime_error);
    }
}

BOOST_AUTO_TEST_CASE(parse_script_tests_vectors)
{
    // Every script in Core's interpreter vectors is written in this notation.
    const std::string path = "core/script_tests.json";
    UniValue tests;
    BOOST_REQUIRE(tests.read(test::ReadVectorFile(path)));
    size_t cases = 0;
    for (size_t i = 0; i < tests.size(); ++i) {
        const UniValue& row = tests[i];
        if (row.size() < 4) continue; // comment
        const size_t first = row[0].isArray() ? 1 : 0;
        for (size_t j = first; j < first + 2; ++j) {
            // The interpreter test fills this placeholder in with a computed key.
            std::string text = row[j].get_str();
            const std::string placeholder = "#TAPROOTOUTPUT#";
            if (const size_t at = text.find(placeholder); at != std::string::npos) {
                text.replace(at, placeholder.size(), "0x" + std::string(64, '0'));
            }
            BOOST_CHECK_NO_THROW(ParseScript(text));
        }
        ++cases;
    }
    BOOST_CHECK_EQUAL(cases, 1213U);
    test::ReportCases(path + " (parsing only)", cases);
}

BOOST_AUTO_TEST_CASE(decodescript_vectors)
{
    // decodescript on regtest: asm, type, address, and the P2SH / P2WSH wrappings.
    const ChainType chain = ChainType::REGTEST;
    const std::string path = "core/rpc_decodescript.json";
    UniValue tests;
    BOOST_REQUIRE(tests.read(test::ReadVectorFile(path)));
    size_t cases = 0;
    for (size_t i = 0; i < tests.size(); ++i) {
        const UniValue& row = tests[i];
        BOOST_REQUIRE_EQUAL(row.size(), 2U);
        const Script script(ParseHex(row[0].get_str()));
        const UniValue& exp = row[1];
        BOOST_TEST_CONTEXT("script " << row[0].get_str())
        {
            BOOST_CHECK_EQUAL(ScriptToAsmStr(script), find_value(exp, "asm").get_str());
            std::vector<Bytes> sol;
            BOOST_CHECK_EQUAL(GetTxnOutputType(Solver(script, sol)), find_value(exp, "type").get_str());
            Destination dest;
            const bool has_address = ExtractDestination(script, dest);
            const UniValue& address = find_value(exp, "address");
            BOOST_CHECK_EQUAL(has_address, !address.isNull());
            if (has_address) BOOST_CHECK_EQUAL(EncodeDestination(dest, chain), address.get_str());
            const UniValue& p2sh = find_value(exp, "p2sh");
            if (!p2sh.isNull()) BOOST_CHECK_EQUAL(EncodeDestination(ScriptHash(script), chain), p2sh.get_str());
            const UniValue& segwit = find_value(exp, "segwit");
            if (!segwit.isNull()) {
                const Script wsh = GetScriptForDestination(WitnessV0ScriptHash(script));
                BOOST_CHECK_EQUAL(HexStr(wsh), find_value(segwit, "hex").get_str());
                BOOST_CHECK_EQUAL(ScriptToAsmStr(wsh), find_value(segwit, "asm").get_str());
                BOOST_CHECK_EQUAL(GetTxnOutputType(Solver(wsh, sol)), find_value(segwit, "type").get_str());
                BOOST_CHECK_EQUAL(EncodeDestination(WitnessV0ScriptHash(script), chain),
                                  find_value(segwit, "address").get_str());
                BOOST_CHECK_EQUAL(EncodeDestination(ScriptHash(wsh), chain),
                                  find_value(segwit, "p2sh-segwit").get_str());
            }
        }
        ++cases;
    }
    BOOST_CHECK_EQUAL(cases, 10U);
    test::ReportCases(path, cases);
}

BOOST_AUTO_TEST_SUITE_END()
