// The interpreter at its limits and on bad input: sizes, counts, truncated
// pushes, the number encoding, FindAndDelete, sigop counting, and tapscript
// rules that the JSON vectors barely touch (OP_SUCCESSx, the signature
// budget, OP_CHECKSIGADD, OP_CODESEPARATOR positions, the annex, unknown
// key types and leaf versions). Nothing here may crash.
#include "consensus/script/interpreter.h"
#include "consensus/script/script_num.h"
#include "consensus/script/sig_encoding.h"
#include "consensus/script/sigops.h"
#include "consensus/script/taproot.h"
#include "crypto/hash.h"
#include "crypto/key.h"
#include "crypto/pubkey.h"
#include "script/script_asm.h"
#include "test/unit/consensus/script/script_test_util.h"
#include "util/hex.h"
#include "util/serialize.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

namespace {

constexpr ScriptFlags STANDARDISH = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_STRICTENC | SCRIPT_VERIFY_DERSIG |
                                    SCRIPT_VERIFY_LOW_S | SCRIPT_VERIFY_NULLDUMMY | SCRIPT_VERIFY_MINIMALDATA |
                                    SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY | SCRIPT_VERIFY_CHECKSEQUENCEVERIFY |
                                    SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_NULLFAIL | SCRIPT_VERIFY_TAPROOT;

/** Runs a bare script with no transaction behind it. */
ScriptError Eval(const Script& script, SigVersion sigversion = SigVersion::BASE, ScriptFlags flags = 0,
                 std::vector<Bytes> stack = {})
{
    SignatureChecker none;
    ScriptError err = ScriptError::UNKNOWN_ERROR;
    const bool ok = EvalScript(stack, script, flags, none, sigversion, &err);
    BOOST_CHECK_EQUAL(ok, err == ScriptError::OK);
    return err;
}

/** VerifyScript against the script_tests-style transactions, with the spent output known. */
ScriptError Verify(const Script& script_sig, const Script& script_pubkey, const ScriptWitness& witness,
                   ScriptFlags flags, Amount amount = 0)
{
    const MutableTransaction credit = BuildCreditingTransaction(script_pubkey, amount);
    const MutableTransaction spend = BuildSpendingTransaction(script_sig, witness, credit);
    const PrecomputedTxData txdata(spend, {credit.vout[0]});
    const MutableTransactionSignatureChecker checker(spend, 0, amount, txdata);
    ScriptError err = ScriptError::UNKNOWN_ERROR;
    const bool ok = VerifyScript(script_sig, script_pubkey, &witness, flags, checker, &err);
    BOOST_CHECK_EQUAL(ok, err == ScriptError::OK);
    return err;
}

Script Repeat(Opcode op, size_t n)
{
    Script s;
    for (size_t i = 0; i < n; ++i) s << op;
    return s;
}

Key MakeKey(uint8_t fill)
{
    Key k;
    BOOST_REQUIRE(k.Set(Bytes(32, fill), true));
    return k;
}

Bytes XOnly(const Key& k)
{
    const XOnlyPubKey x = k.GetXOnlyPubKey();
    return Bytes(x.span().begin(), x.span().end());
}

/** A taproot output with a single tapscript leaf, and a spend of it whose
 *  witness is built by the caller (which signs with Sign()). */
struct TapscriptSpend {
    Key internal_key = MakeKey(0x42);
    Bytes leaf_script;
    uint8_t leaf_version = TAPROOT_LEAF_TAPSCRIPT;
    Bytes control;
    Script script_pubkey;
    MutableTransaction credit;
    MutableTransaction spend;
    Amount amount = 50000;

    explicit TapscriptSpend(Bytes script, uint8_t version = TAPROOT_LEAF_TAPSCRIPT)
        : leaf_script(std::move(script)), leaf_version(version)
    {
        const uint256 leaf = ComputeTapleafHash(leaf_version, leaf_script);
        const XOnlyPubKey internal = internal_key.GetXOnlyPubKey();
        const auto out = internal.CreateTapTweak(&leaf);
        BOOST_REQUIRE(out);
        control = {uint8_t(leaf_version | (out->second ? 1 : 0))};
        control.insert(control.end(), internal.span().begin(), internal.span().end());
        script_pubkey = Script() << OP_1 << Bytes(out->first.span().begin(), out->first.span().end());
        credit = BuildCreditingTransaction(script_pubkey, amount);
        spend = BuildSpendingTransaction(Script(), ScriptWitness(), credit);
    }

    /** BIP 342 signature of the spend by `key`, for the witness `args` (the
     *  annex, if any, must already be known: it is signed). */
    Bytes Sign(const Key& key, uint8_t hash_type, uint32_t codesep_pos = 0xffffffff,
               const Bytes* annex = nullptr) const
    {
        ScriptExecutionData execdata;
        execdata.tapleaf_hash = ComputeTapleafHash(leaf_version, leaf_script);
        execdata.codeseparator_pos = codesep_pos;
        if (annex) {
            HashWriter h;
            WriteVarBytes(h, *annex);
            execdata.annex_hash = h.GetSha256();
        }
        // Forced: the witness, whose presence would trigger the taproot parts, is not there yet.
        const PrecomputedTxData txdata(spend, {credit.vout[0]}, /*force=*/true);
        uint256 sighash;
        BOOST_REQUIRE(TaprootSignatureHash(sighash, execdata, spend, 0, hash_type, SigVersion::TAPSCRIPT, txdata));
        uint8_t sig[64];
        const uint256 aux;
        BOOST_REQUIRE(key.SignSchnorr(sighash, sig, &aux));
        Bytes out(sig, sig + 64);
        if (hash_type != SIGHASH_DEFAULT) out.push_back(hash_type);
        return out;
    }

    ScriptError Run(std::vector<Bytes> args, ScriptFlags flags = STANDARDISH, const Bytes* annex = nullptr)
    {
        ScriptWitness w;
        w.stack = std::move(args);
        w.stack.push_back(leaf_script);
        w.stack.push_back(control);
        if (annex) w.stack.push_back(*annex);
        spend.vin[0].witness = w;
        const PrecomputedTxData txdata(spend, {credit.vout[0]});
        const MutableTransactionSignatureChecker checker(spend, 0, amount, txdata);
        ScriptError err = ScriptError::UNKNOWN_ERROR;
        const bool ok = VerifyScript(spend.vin[0].script_sig, script_pubkey, &spend.vin[0].witness, flags, checker, &err);
        BOOST_CHECK_EQUAL(ok, err == ScriptError::OK);
        return err;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(interpreter_edge_tests)

BOOST_AUTO_TEST_CASE(script_size_limit)
{
    // 10,000 bytes is allowed, 10,001 is not: checked before anything runs.
    // (Pushes in an unexecuted branch fill the space without filling the stack.)
    Script big;
    big << OP_0 << OP_IF;
    big.Append(Bytes(MAX_SCRIPT_SIZE - 4, OP_0));
    big << OP_ENDIF << OP_1;
    BOOST_CHECK_EQUAL(big.size(), MAX_SCRIPT_SIZE);
    BOOST_CHECK(Eval(big) == ScriptError::OK);
    Script too_big = big;
    too_big << OP_NOP;
    BOOST_CHECK(Eval(too_big) == ScriptError::SCRIPT_SIZE);
    BOOST_CHECK(Eval(too_big, SigVersion::WITNESS_V0) == ScriptError::SCRIPT_SIZE);
    // Even a script that would fail at its first byte reports its size first.
    Script bad = too_big;
    bad.bytes()[0] = OP_RETURN;
    BOOST_CHECK(Eval(bad) == ScriptError::SCRIPT_SIZE);
    // Tapscript has no size limit.
    BOOST_CHECK(Eval(too_big, SigVersion::TAPSCRIPT) == ScriptError::OK);
    // As a scriptPubKey and as a P2WSH witness script.
    BOOST_CHECK(Verify(Script(), too_big, {}, STANDARDISH) == ScriptError::SCRIPT_SIZE);
    ScriptWitness w;
    w.stack.push_back(too_big.bytes());
    const uint256 h = Sha256Single(too_big);
    BOOST_CHECK(Verify(Script(), Script() << OP_0 << Bytes(h.begin(), h.end()), w, STANDARDISH) ==
                ScriptError::SCRIPT_SIZE);
}

BOOST_AUTO_TEST_CASE(push_size_limit)
{
    const Bytes max(MAX_SCRIPT_ELEMENT_SIZE, 0x42);
    const Bytes over(MAX_SCRIPT_ELEMENT_SIZE + 1, 0x42);
    BOOST_CHECK(Eval(Script() << max << OP_DROP << OP_1) == ScriptError::OK);
    BOOST_CHECK(Eval(Script() << over << OP_DROP << OP_1) == ScriptError::PUSH_SIZE);
    // Also when not executed, and with PUSHDATA4 of a size that would not fit in the script.
    BOOST_CHECK(Eval(Script() << OP_0 << OP_IF << over << OP_ENDIF << OP_1) == ScriptError::PUSH_SIZE);
    // Results of operations are not limited (only pushes and witness elements are).
    BOOST_CHECK(Eval(Script() << max << OP_SIZE << OP_NIP) == ScriptError::OK);
    // Witness elements over 520 bytes fail P2WSH.
    const Script ws = Script() << OP_DROP << OP_1;
    const uint256 h = Sha256Single(ws);
    ScriptWitness w;
    w.stack = {over, ws.bytes()};
    BOOST_CHECK(Verify(Script(), Script() << OP_0 << Bytes(h.begin(), h.end()), w, STANDARDISH) ==
                ScriptError::PUSH_SIZE);
    w.stack = {max, ws.bytes()};
    BOOST_CHECK(Verify(Script(), Script() << OP_0 << Bytes(h.begin(), h.end()), w, STANDARDISH) == ScriptError::OK);
}

BOOST_AUTO_TEST_CASE(truncated_pushes)
{
    for (const char* hex : {"01", "02ab", "4c", "4c01", "4d", "4d01", "4d0100", "4e", "4e010000", "4e01000000",
                            "4b" /* 75 bytes promised, none given */, "51 4c05 0102"}) {
        std::string h = hex;
        h.erase(std::remove(h.begin(), h.end(), ' '), h.end());
        const Script s(ParseHex(h));
        BOOST_CHECK_MESSAGE(Eval(s) == ScriptError::BAD_OPCODE, hex);
        BOOST_CHECK(Eval(s, SigVersion::TAPSCRIPT) == ScriptError::BAD_OPCODE);
        // A truncated push in an unexecuted branch still fails.
        Script in_branch = Script() << OP_0 << OP_IF;
        in_branch.Append(s.span());
        BOOST_CHECK(Eval(in_branch) == ScriptError::BAD_OPCODE);
    }
    // A PUSHDATA4 claiming 4 GB must not allocate or read past the end.
    BOOST_CHECK(Eval(Script(ParseHex("4effffffff00"))) == ScriptError::BAD_OPCODE);
    // Sigop counting stops at the truncation.
    BOOST_CHECK_EQUAL(GetSigOpCount(ParseHex("acac4c"), true), 2U);
    BOOST_CHECK_EQUAL(GetSigOpCount(ParseHex("ac4c05ac"), false), 1U);
}

BOOST_AUTO_TEST_CASE(stack_size_limit)
{
    // 1000 elements are fine, the 1001st fails, counting the altstack too.
    Script s = Repeat(OP_1, MAX_STACK_SIZE);
    BOOST_CHECK(Eval(s) == ScriptError::OK);
    s << OP_1;
    BOOST_CHECK(Eval(s) == ScriptError::STACK_SIZE);
    // (In tapscript, which has no operation limit to get in the way.)
    Script alt = Repeat(OP_1, 500);
    for (int i = 0; i < 500; ++i) alt << OP_1 << OP_TOALTSTACK;
    BOOST_CHECK(Eval(alt, SigVersion::TAPSCRIPT) == ScriptError::OK);
    alt << OP_1;
    BOOST_CHECK(Eval(alt, SigVersion::TAPSCRIPT) == ScriptError::STACK_SIZE);
    // A duplicating operation that crosses the limit.
    Script dup = Repeat(OP_1, MAX_STACK_SIZE - 1);
    dup << OP_2DUP;
    BOOST_CHECK(Eval(dup) == ScriptError::STACK_SIZE);
    // In tapscript the initial (witness) stack is limited as well.
    TapscriptSpend t(Script().PushInt(1).bytes()); // leaf "1": leaves the witness elements below
    BOOST_CHECK(t.Run(std::vector<Bytes>(MAX_STACK_SIZE + 1)) == ScriptError::STACK_SIZE);
    // Within the limit it runs, and then fails CLEANSTACK.
    BOOST_CHECK(t.Run(std::vector<Bytes>(10)) == ScriptError::CLEANSTACK);
    BOOST_CHECK(t.Run({}) == ScriptError::OK);
}

BOOST_AUTO_TEST_CASE(op_count_limit)
{
    BOOST_CHECK(Eval(Repeat(OP_NOP, MAX_OPS_PER_SCRIPT) << OP_1) == ScriptError::OK);
    BOOST_CHECK(Eval(Repeat(OP_NOP, MAX_OPS_PER_SCRIPT + 1) << OP_1) == ScriptError::OP_COUNT);
    // Pushes and OP_1..OP_16 are free; unexecuted operations count.
    Script s = Repeat(OP_16, 300);
    for (int i = 0; i < 300; ++i) s << OP_DROP;
    BOOST_CHECK(Eval(s << OP_1) == ScriptError::OP_COUNT);
    Script unexecuted = Script() << OP_0 << OP_IF;
    unexecuted.Append(Repeat(OP_NOP, MAX_OPS_PER_SCRIPT - 1).span());
    unexecuted << OP_ENDIF << OP_1;
    BOOST_CHECK(Eval(unexecuted) == ScriptError::OP_COUNT); // IF and ENDIF count too: 202
    // CHECKMULTISIG counts its keys: 0-of-16 with N NOPs before it is N + 1 + 16 operations.
    auto multisig_after = [](size_t nops) {
        Script s = Repeat(OP_NOP, nops);
        s << OP_0 << OP_0; // dummy, no signatures
        for (int i = 0; i < 16; ++i) s << OP_0; // keys
        return s << OP_16 << OP_CHECKMULTISIG;
    };
    BOOST_CHECK(Eval(multisig_after(184)) == ScriptError::OK);
    BOOST_CHECK(Eval(multisig_after(185)) == ScriptError::OP_COUNT);
    // Tapscript has no operation limit.
    BOOST_CHECK(Eval(Repeat(OP_NOP, 5000) << OP_1, SigVersion::TAPSCRIPT) == ScriptError::OK);
}

BOOST_AUTO_TEST_CASE(checkmultisig_edges)
{
    // Too many keys, more signatures than keys, negative counts.
    BOOST_CHECK(Eval(Script() << OP_0 << OP_0 << ScriptNumEncode(21) << OP_CHECKMULTISIG) ==
                ScriptError::PUBKEY_COUNT);
    BOOST_CHECK(Eval(Script() << OP_0 << OP_1NEGATE << OP_CHECKMULTISIG) == ScriptError::PUBKEY_COUNT);
    BOOST_CHECK(Eval(Script() << OP_0 << OP_2 << OP_0 << OP_CHECKMULTISIG) == ScriptError::SIG_COUNT);
    BOOST_CHECK(Eval(Script() << OP_0 << OP_1NEGATE << OP_0 << OP_CHECKMULTISIG) == ScriptError::SIG_COUNT);
    // The dummy element must exist.
    BOOST_CHECK(Eval(Script() << OP_0 << OP_0 << OP_CHECKMULTISIG) == ScriptError::INVALID_STACK_OPERATION);
    BOOST_CHECK(Eval(Script() << OP_0 << OP_0 << OP_0 << OP_CHECKMULTISIG << OP_NOT) == ScriptError::OK);
    BOOST_CHECK(Eval(Script() << OP_1 << OP_0 << OP_0 << OP_CHECKMULTISIG << OP_NOT, SigVersion::BASE,
                     SCRIPT_VERIFY_NULLDUMMY) == ScriptError::SIG_NULLDUMMY);
    // Not in tapscript.
    BOOST_CHECK(Eval(Script() << OP_0 << OP_0 << OP_0 << OP_CHECKMULTISIG, SigVersion::TAPSCRIPT) ==
                ScriptError::TAPSCRIPT_CHECKMULTISIG);
    // OP_CHECKSIGADD is not a legacy opcode.
    BOOST_CHECK(Eval(Script() << OP_0 << OP_0 << OP_0 << OP_CHECKSIGADD) == ScriptError::BAD_OPCODE);
    BOOST_CHECK(Eval(Script() << OP_0 << OP_IF << OP_CHECKSIGADD << OP_ENDIF << OP_1) == ScriptError::OK);
}

BOOST_AUTO_TEST_CASE(script_numbers)
{
    BOOST_CHECK(ScriptNum::Decode(Bytes{}, true)->value() == 0);
    BOOST_CHECK(ScriptNum::Decode(Bytes{0x81}, true)->value() == -1);
    BOOST_CHECK(ScriptNum::Decode(Bytes{0xff, 0x00}, true)->value() == 255);
    BOOST_CHECK(ScriptNum::Decode(Bytes{0xff, 0x80}, true)->value() == -255);
    BOOST_CHECK(ScriptNum::Decode(Bytes{0xff, 0xff, 0xff, 0x7f}, true)->value() == 0x7fffffff);
    BOOST_CHECK(ScriptNum::Decode(Bytes{0xff, 0xff, 0xff, 0xff}, true)->value() == -0x7fffffff);
    BOOST_CHECK(!ScriptNum::Decode(Bytes{0, 0, 0, 0, 1}, false));
    BOOST_CHECK(ScriptNum::Decode(Bytes{0, 0, 0, 0, 1}, false, 5)->value() == int64_t(1) << 32);
    // Non-minimal forms, including negative zero.
    for (const Bytes& b : {Bytes{0x00}, Bytes{0x80}, Bytes{0x01, 0x00}, Bytes{0x01, 0x80}, Bytes{0x7f, 0x00}}) {
        BOOST_CHECK(!ScriptNum::Decode(b, true));
        BOOST_CHECK(ScriptNum::Decode(b, false));
    }
    BOOST_CHECK(ScriptNum::Decode(Bytes{0x80}, false)->value() == 0);
    // Round trips through the encoder.
    for (int64_t v : {int64_t(0), int64_t(1), int64_t(-1), int64_t(127), int64_t(128), int64_t(-128), int64_t(255),
                      int64_t(256), int64_t(0x7fffffff), -int64_t(0x7fffffff), int64_t(1) << 38}) {
        const Bytes e = ScriptNumEncode(v);
        BOOST_CHECK(ScriptNum::IsMinimal(e));
        BOOST_CHECK_EQUAL(ScriptNum::Decode(e, true, 8)->value(), v);
    }
    BOOST_CHECK_EQUAL(ScriptNum(int64_t(1) << 40).GetInt(), INT_MAX);
    BOOST_CHECK_EQUAL(ScriptNum(-(int64_t(1) << 40)).GetInt(), INT_MIN);
    // Results may exceed 4 bytes but cannot be used as operands again.
    const Bytes max4{0xff, 0xff, 0xff, 0x7f};
    BOOST_CHECK(Eval(Script() << max4 << max4 << OP_ADD << OP_SIZE << OP_5 << OP_EQUALVERIFY << OP_DROP << OP_1) ==
                ScriptError::OK);
    BOOST_CHECK(Eval(Script() << max4 << max4 << OP_ADD << OP_1ADD) == ScriptError::UNKNOWN_ERROR);
    // Negative zero is false, anywhere in a number's length.
    BOOST_CHECK(!CastToBool(Bytes{0x80}));
    BOOST_CHECK(!CastToBool(Bytes{0x00, 0x00, 0x80}));
    BOOST_CHECK(CastToBool(Bytes{0x80, 0x00}));
    BOOST_CHECK(CastToBool(Bytes{0x00, 0x01}));
    BOOST_CHECK(!CastToBool(Bytes{}));
}

BOOST_AUTO_TEST_CASE(find_and_delete)
{
    auto fad = [](const std::string& script_hex, const std::string& pattern_hex, const std::string& expect_hex,
                  int expect_count) {
        const Bytes script = ParseHex(script_hex);
        Bytes out = script;
        const int n = FindAndDelete(script, ParseHex(pattern_hex), out);
        BOOST_CHECK_EQUAL(n, expect_count);
        BOOST_CHECK_MESSAGE(HexStr(out) == expect_hex, script_hex << " - " << pattern_hex << " = " << HexStr(out));
    };
    fad("", "", "", 0);
    fad("0302ff03", "", "0302ff03", 0);
    fad("0302ff030302ff03", "0302ff03", "", 2);
    fad("0302ff030302ff03", "02", "0302ff030302ff03", 0); // only whole operations, at operation boundaries
    fad("0302ff030302ff03", "ff", "0302ff030302ff03", 0);
    fad("0302ff030302ff03", "03", "02ff0302ff03", 2); // a 3-byte push "02ff03": the pattern 03 is an op boundary
    fad("02", "02", "", 1); // truncated script: matched before parsing fails
    fad("0201020102", "0201", "02", 2); // the tail (truncated) is kept
    fad("0302ff03ab", "0302ff03", "ab", 1);
    fad("ab0302ff03", "0302ff03", "ab", 1);
    fad("00ab00", "00", "ab", 2);      // an empty signature pattern is OP_0: deletes every OP_0
    fad("4c00ab", "00", "4c00ab", 0);  // a non-minimal push is not the same bytes
    fad("0100ab0100", "0100", "ab", 2);
    fad("ac4c01acac", "acac", "ac4c01acac", 0); // inside a push is never a boundary
}

BOOST_AUTO_TEST_CASE(sigop_counting)
{
    const Bytes key(33, 0x02);
    BOOST_CHECK_EQUAL(GetSigOpCount(Script() << OP_CHECKSIG << OP_CHECKSIGVERIFY, false), 2U);
    const Script multi = Script() << OP_2 << key << key << key << OP_3 << OP_CHECKMULTISIG;
    BOOST_CHECK_EQUAL(GetSigOpCount(multi, false), 20U);
    BOOST_CHECK_EQUAL(GetSigOpCount(multi, true), 3U);
    BOOST_CHECK_EQUAL(GetSigOpCount(Script() << key << OP_CHECKMULTISIGVERIFY, true), 20U); // no OP_n before it
    BOOST_CHECK_EQUAL(GetSigOpCount(Script() << OP_CHECKSIGADD, true), 0U);

    const uint160 h = Hash160(multi);
    const Script p2sh = Script() << OP_HASH160 << Bytes(h.begin(), h.end()) << OP_EQUAL;
    BOOST_CHECK_EQUAL(GetP2SHSigOpCount(p2sh, Script() << OP_0 << multi.bytes()), 3U);
    BOOST_CHECK_EQUAL(GetP2SHSigOpCount(p2sh, Script() << OP_NOP << multi.bytes()), 0U); // not push-only
    BOOST_CHECK_EQUAL(GetP2SHSigOpCount(p2sh, Script() << multi.bytes() << OP_1), 0U);   // last push is OP_1
    BOOST_CHECK_EQUAL(GetP2SHSigOpCount(multi, Script()), 3U); // not P2SH: the script itself, accurately

    // Witness sigops.
    const uint256 wsh = Sha256Single(multi);
    const Script p2wsh = Script() << OP_0 << Bytes(wsh.begin(), wsh.end());
    ScriptWitness w;
    w.stack = {Bytes{}, multi.bytes()};
    const ScriptFlags flags = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS;
    BOOST_CHECK_EQUAL(CountWitnessSigOps(Script(), p2wsh, &w, flags), 3U);
    BOOST_CHECK_EQUAL(CountWitnessSigOps(Script(), p2wsh, &w, SCRIPT_VERIFY_P2SH), 0U);
    BOOST_CHECK_EQUAL(CountWitnessSigOps(Script(), p2wsh, nullptr, flags), 0U);
    const Script p2wpkh = Script() << OP_0 << Bytes(20, 1);
    BOOST_CHECK_EQUAL(CountWitnessSigOps(Script(), p2wpkh, nullptr, flags), 1U);
    // P2SH-wrapped.
    const uint160 h2 = Hash160(p2wsh);
    const Script p2sh_p2wsh = Script() << OP_HASH160 << Bytes(h2.begin(), h2.end()) << OP_EQUAL;
    BOOST_CHECK_EQUAL(CountWitnessSigOps(Script() << p2wsh.bytes(), p2sh_p2wsh, &w, flags), 3U);
    BOOST_CHECK_EQUAL(CountWitnessSigOps(Script() << OP_NOP << p2wsh.bytes(), p2sh_p2wsh, &w, flags), 0U);
    // Taproot counts nothing (its budget is per input).
    BOOST_CHECK_EQUAL(CountWitnessSigOps(Script(), Script() << OP_1 << Bytes(32, 1), &w, flags), 0U);

    // Transaction level: legacy counts scale by 4, witness ones do not.
    MutableTransaction mtx;
    mtx.vin.resize(2);
    mtx.vin[0].prevout = OutPoint(uint256::ONE, 0);
    mtx.vin[1].prevout = OutPoint(uint256::ONE, 1);
    mtx.vin[0].script_sig = Script() << OP_0 << multi.bytes();
    mtx.vin[1].witness = w;
    mtx.vout.emplace_back(1, Script() << OP_CHECKSIG);
    const Transaction tx(mtx);
    const std::vector<TxOut> spent{TxOut(1, p2sh), TxOut(1, p2wsh)};
    BOOST_CHECK_EQUAL(GetLegacySigOpCount(tx), 1U); // the output; a push hides the redeem script's ops
    BOOST_CHECK_EQUAL(GetP2SHSigOpCount(tx, spent), 3U);
    BOOST_CHECK_EQUAL(GetTransactionSigOpCost(tx, spent, flags), 4 + 12 + 3);
    BOOST_CHECK_EQUAL(GetTransactionSigOpCost(tx, spent, 0), 4);
}

BOOST_AUTO_TEST_CASE(signature_encodings)
{
    // BIP 66 examples: the shortest valid signature, and breaking each rule in turn.
    const Bytes good = ParseHex("3006020101020101" "01");
    BOOST_CHECK(IsValidSignatureEncoding(good));
    BOOST_CHECK(!IsValidSignatureEncoding(ParseHex("3006020101020101")));   // too short (no hash type)
    BOOST_CHECK(!IsValidSignatureEncoding(ParseHex("310602010102010101"))); // not a compound
    BOOST_CHECK(!IsValidSignatureEncoding(ParseHex("300702010102010101"))); // wrong total length
    BOOST_CHECK(!IsValidSignatureEncoding(ParseHex("300602018102010101"))); // negative R
    BOOST_CHECK(!IsValidSignatureEncoding(ParseHex("30070202000102010101"))); // padded R
    BOOST_CHECK(IsValidSignatureEncoding(ParseHex("30070202008102010101")));  // needed padding
    BOOST_CHECK(!IsValidSignatureEncoding(ParseHex("300602000201010101")));   // empty R... wrong lengths
    BOOST_CHECK(!IsValidSignatureEncoding(Bytes(74, 0x30)));
    BOOST_CHECK(IsDefinedHashtypeSignature(ParseHex("81")));
    BOOST_CHECK(!IsDefinedHashtypeSignature(ParseHex("84")));
    BOOST_CHECK(!IsDefinedHashtypeSignature(ParseHex("00")));
    BOOST_CHECK(!IsDefinedHashtypeSignature({}));
    ScriptError err = ScriptError::OK;
    BOOST_CHECK(CheckSignatureEncoding({}, SCRIPT_VERIFY_STRICTENC | SCRIPT_VERIFY_LOW_S, &err));
    BOOST_CHECK(!CheckSignatureEncoding(ParseHex("3006020101020101" "04"), SCRIPT_VERIFY_STRICTENC, &err));
    BOOST_CHECK(err == ScriptError::SIG_HASHTYPE);
    BOOST_CHECK(CheckSignatureEncoding(ParseHex("3006020101020101" "04"), SCRIPT_VERIFY_DERSIG, &err));
    BOOST_CHECK(!CheckSignatureEncoding(ParseHex("300602010102010101ff"), SCRIPT_VERIFY_DERSIG, &err));
    BOOST_CHECK(err == ScriptError::SIG_DER);
    // Keys: hybrid keys are neither compressed nor uncompressed.
    Bytes hybrid(65, 0);
    hybrid[0] = 0x06;
    BOOST_CHECK(!CheckPubKeyEncoding(hybrid, SCRIPT_VERIFY_STRICTENC, SigVersion::BASE, &err));
    BOOST_CHECK(err == ScriptError::PUBKEYTYPE);
    BOOST_CHECK(CheckPubKeyEncoding(hybrid, 0, SigVersion::BASE, &err));
    Bytes uncompressed(65, 0);
    uncompressed[0] = 0x04;
    BOOST_CHECK(CheckPubKeyEncoding(uncompressed, SCRIPT_VERIFY_WITNESS_PUBKEYTYPE, SigVersion::BASE, &err));
    BOOST_CHECK(!CheckPubKeyEncoding(uncompressed, SCRIPT_VERIFY_WITNESS_PUBKEYTYPE, SigVersion::WITNESS_V0, &err));
    BOOST_CHECK(err == ScriptError::WITNESS_PUBKEYTYPE);
}

BOOST_AUTO_TEST_CASE(conditionals)
{
    BOOST_CHECK(Eval(Script() << OP_1 << OP_IF << OP_0 << OP_IF << OP_ELSE << OP_ENDIF << OP_ELSE << OP_ENDIF << OP_1) ==
                ScriptError::OK);
    BOOST_CHECK(Eval(Script() << OP_ELSE) == ScriptError::UNBALANCED_CONDITIONAL);
    BOOST_CHECK(Eval(Script() << OP_ENDIF) == ScriptError::UNBALANCED_CONDITIONAL);
    BOOST_CHECK(Eval(Script() << OP_1 << OP_IF) == ScriptError::UNBALANCED_CONDITIONAL);
    BOOST_CHECK(Eval(Script() << OP_IF) == ScriptError::UNBALANCED_CONDITIONAL);
    // Multiple ELSEs toggle back and forth.
    BOOST_CHECK(Eval(Script() << OP_1 << OP_IF << OP_ELSE << OP_RETURN << OP_ELSE << OP_ENDIF << OP_1) ==
                ScriptError::OK);
    BOOST_CHECK(Eval(Script() << OP_0 << OP_IF << OP_ELSE << OP_ELSE << OP_RETURN << OP_ENDIF << OP_1) ==
                ScriptError::OK);
    // A false outer branch keeps the inner ones off whatever the inner toggles do.
    BOOST_CHECK(Eval(Script() << OP_0 << OP_IF << OP_1 << OP_IF << OP_ELSE << OP_RETURN << OP_ELSE << OP_RETURN
                              << OP_ENDIF << OP_ENDIF << OP_1) == ScriptError::OK);
    // OP_VERIF fails even unexecuted; OP_VER does not.
    BOOST_CHECK(Eval(Script() << OP_0 << OP_IF << OP_VERIF << OP_ENDIF << OP_1) == ScriptError::BAD_OPCODE);
    BOOST_CHECK(Eval(Script() << OP_0 << OP_IF << OP_VER << OP_ENDIF << OP_1) == ScriptError::OK);
    // Disabled opcodes fail even unexecuted.
    BOOST_CHECK(Eval(Script() << OP_0 << OP_IF << OP_CAT << OP_ENDIF << OP_1) == ScriptError::DISABLED_OPCODE);
    // MINIMALIF: witness v0 with the flag, tapscript always, legacy never.
    const Script two_if = Script() << OP_IF << OP_1 << OP_ELSE << OP_1 << OP_ENDIF;
    BOOST_CHECK(Eval(two_if, SigVersion::BASE, SCRIPT_VERIFY_MINIMALIF, std::vector<Bytes>{Bytes{2}}) == ScriptError::OK);
    BOOST_CHECK(Eval(two_if, SigVersion::WITNESS_V0, 0, std::vector<Bytes>{Bytes{2}}) == ScriptError::OK);
    BOOST_CHECK(Eval(two_if, SigVersion::WITNESS_V0, SCRIPT_VERIFY_MINIMALIF, std::vector<Bytes>{Bytes{2}}) == ScriptError::MINIMALIF);
    BOOST_CHECK(Eval(two_if, SigVersion::WITNESS_V0, SCRIPT_VERIFY_MINIMALIF, std::vector<Bytes>{Bytes{1, 0}}) == ScriptError::MINIMALIF);
    BOOST_CHECK(Eval(two_if, SigVersion::WITNESS_V0, SCRIPT_VERIFY_MINIMALIF, std::vector<Bytes>{Bytes{1}}) == ScriptError::OK);
    BOOST_CHECK(Eval(two_if, SigVersion::TAPSCRIPT, 0, std::vector<Bytes>{Bytes{2}}) == ScriptError::TAPSCRIPT_MINIMALIF);
    BOOST_CHECK(Eval(two_if, SigVersion::TAPSCRIPT, 0, std::vector<Bytes>{Bytes{0}}) == ScriptError::TAPSCRIPT_MINIMALIF);
    BOOST_CHECK(Eval(two_if, SigVersion::TAPSCRIPT, 0, std::vector<Bytes>{Bytes{}}) == ScriptError::OK);
    // Deep nesting costs nothing extra and unwinds exactly.
    Script deep;
    for (int i = 0; i < 99; ++i) deep << OP_1 << OP_IF;
    deep << OP_1;
    for (int i = 0; i < 99; ++i) deep << OP_ENDIF;
    BOOST_CHECK(Eval(deep) == ScriptError::OK);
}

BOOST_AUTO_TEST_CASE(codeseparator_in_legacy)
{
    BOOST_CHECK(Eval(Script() << OP_CODESEPARATOR << OP_1) == ScriptError::OK);
    BOOST_CHECK(Eval(Script() << OP_CODESEPARATOR << OP_1, SigVersion::BASE, SCRIPT_VERIFY_CONST_SCRIPTCODE) ==
                ScriptError::OP_CODESEPARATOR);
    // Even unexecuted; but not in segwit.
    BOOST_CHECK(Eval(Script() << OP_0 << OP_IF << OP_CODESEPARATOR << OP_ENDIF << OP_1, SigVersion::BASE,
                     SCRIPT_VERIFY_CONST_SCRIPTCODE) == ScriptError::OP_CODESEPARATOR);
    BOOST_CHECK(Eval(Script() << OP_CODESEPARATOR << OP_1, SigVersion::WITNESS_V0, SCRIPT_VERIFY_CONST_SCRIPTCODE) ==
                ScriptError::OK);
}

BOOST_AUTO_TEST_CASE(witness_program_rules)
{
    const ScriptFlags flags = STANDARDISH;
    // Unknown versions are anyone-can-spend unless discouraged.
    const Script v2 = Script() << OP_2 << Bytes(32, 7);
    BOOST_CHECK(Verify(Script(), v2, {}, flags) == ScriptError::OK);
    BOOST_CHECK(Verify(Script(), v2, {}, flags | SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM) ==
                ScriptError::DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM);
    // Pay-to-anchor is exempt from that policy, but only bare.
    const Script anchor = Script() << OP_1 << ParseHex("4e73");
    BOOST_CHECK(Verify(Script(), anchor, {}, flags | SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM) ==
                ScriptError::OK);
    // v0 must be 20 or 32 bytes.
    BOOST_CHECK(Verify(Script(), Script() << OP_0 << Bytes(21, 7), {}, flags) ==
                ScriptError::WITNESS_PROGRAM_WRONG_LENGTH);
    // A scriptSig next to a witness program is malleable.
    BOOST_CHECK(Verify(Script() << OP_1, v2, {}, flags) == ScriptError::WITNESS_MALLEATED);
    // A witness where none is expected.
    ScriptWitness w;
    w.stack = {Bytes{1}};
    BOOST_CHECK(Verify(Script(), Script() << OP_1, w, flags) == ScriptError::WITNESS_UNEXPECTED);
    BOOST_CHECK(Verify(Script(), Script() << OP_1, w, SCRIPT_VERIFY_P2SH) == ScriptError::OK);
    // Taproot with an empty witness, and taproot without the flag.
    const Script p2tr = Script() << OP_1 << Bytes(32, 7);
    BOOST_CHECK(Verify(Script(), p2tr, {}, flags) == ScriptError::WITNESS_PROGRAM_WITNESS_EMPTY);
    BOOST_CHECK(Verify(Script(), p2tr, {}, flags & ~SCRIPT_VERIFY_TAPROOT) == ScriptError::OK);
    // Key path: signature sizes and hash types are checked before anything else.
    ScriptWitness kp;
    kp.stack = {Bytes(63, 1)};
    BOOST_CHECK(Verify(Script(), p2tr, kp, flags) == ScriptError::SCHNORR_SIG_SIZE);
    kp.stack = {Bytes(65, 1)};
    kp.stack[0][64] = 0;
    BOOST_CHECK(Verify(Script(), p2tr, kp, flags) == ScriptError::SCHNORR_SIG_HASHTYPE);
    kp.stack[0][64] = 4;
    BOOST_CHECK(Verify(Script(), p2tr, kp, flags) == ScriptError::SCHNORR_SIG_HASHTYPE);
    kp.stack[0][64] = SIGHASH_SINGLE; // no output at index 0? there is one: a bad signature then
    BOOST_CHECK(Verify(Script(), p2tr, kp, flags) == ScriptError::SCHNORR_SIG);
    kp.stack = {Bytes(64, 1)};
    BOOST_CHECK(Verify(Script(), p2tr, kp, flags) == ScriptError::SCHNORR_SIG);
    // An annex alone is not a key-path spend: the "signature" is then the annex-less stack.
    kp.stack = {Bytes(64, 1), Bytes{ANNEX_TAG}};
    BOOST_CHECK(Verify(Script(), p2tr, kp, flags) == ScriptError::SCHNORR_SIG);
    // Wrapped in P2SH, v1 is not taproot: anyone-can-spend (or discouraged).
    const uint160 h = Hash160(p2tr);
    const Script p2sh = Script() << OP_HASH160 << Bytes(h.begin(), h.end()) << OP_EQUAL;
    BOOST_CHECK(Verify(Script() << p2tr.bytes(), p2sh, kp, flags) == ScriptError::OK);
    BOOST_CHECK(Verify(Script() << p2tr.bytes(), p2sh, kp, flags | SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM) ==
                ScriptError::DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM);
    // The P2SH scriptSig must be exactly the canonical push of the program.
    BOOST_CHECK(Verify(Script() << OP_PUSHDATA1 << Bytes{uint8_t(p2tr.size())} << OP_NOP, p2sh, kp, flags) !=
                ScriptError::OK);
    Script noncanonical;
    noncanonical << OP_PUSHDATA1;
    noncanonical.Append(Bytes{uint8_t(p2tr.size())});
    noncanonical.Append(p2tr.span());
    BOOST_CHECK(Verify(noncanonical, p2sh, kp, flags) == ScriptError::MINIMALDATA); // caught first, by policy
    BOOST_CHECK(Verify(noncanonical, p2sh, kp, flags & ~SCRIPT_VERIFY_MINIMALDATA) ==
                ScriptError::WITNESS_MALLEATED_P2SH);
}

BOOST_AUTO_TEST_CASE(tapscript_signatures)
{
    const Key k1 = MakeKey(1), k2 = MakeKey(2), k3 = MakeKey(3);
    // <k1> CHECKSIG
    {
        TapscriptSpend t((Script() << XOnly(k1) << OP_CHECKSIG).bytes());
        for (uint8_t ht : {uint8_t(SIGHASH_DEFAULT), uint8_t(SIGHASH_ALL), uint8_t(SIGHASH_NONE),
                           uint8_t(SIGHASH_SINGLE), uint8_t(0x81), uint8_t(0x82), uint8_t(0x83)}) {
            BOOST_CHECK_MESSAGE(t.Run({t.Sign(k1, ht)}) == ScriptError::OK, "hash type " << int(ht));
        }
        BOOST_CHECK(t.Run({t.Sign(k2, SIGHASH_DEFAULT)}) == ScriptError::SCHNORR_SIG);
        // An empty signature is a plain "false".
        BOOST_CHECK(t.Run(std::vector<Bytes>{Bytes{}}) == ScriptError::EVAL_FALSE);
        // A signature made for the key path (no leaf data) does not work here.
        Bytes sig = t.Sign(k1, SIGHASH_ALL);
        sig.back() = 0x84;
        BOOST_CHECK(t.Run({sig}) == ScriptError::SCHNORR_SIG_HASHTYPE);
        // The annex is signed.
        const Bytes annex{ANNEX_TAG, 1, 2, 3};
        BOOST_CHECK(t.Run({t.Sign(k1, SIGHASH_DEFAULT, 0xffffffff, &annex)}, STANDARDISH, &annex) == ScriptError::OK);
        BOOST_CHECK(t.Run({t.Sign(k1, SIGHASH_DEFAULT)}, STANDARDISH, &annex) == ScriptError::SCHNORR_SIG);
        // A wrong control block.
        t.control.push_back(0);
        BOOST_CHECK(t.Run({t.Sign(k1, SIGHASH_DEFAULT)}) == ScriptError::TAPROOT_WRONG_CONTROL_SIZE);
        t.control.pop_back();
        t.control[5] ^= 1;
        BOOST_CHECK(t.Run({t.Sign(k1, SIGHASH_DEFAULT)}) == ScriptError::WITNESS_PROGRAM_MISMATCH);
        t.control[5] ^= 1;
        t.control[0] ^= 1; // wrong parity
        BOOST_CHECK(t.Run({t.Sign(k1, SIGHASH_DEFAULT)}) == ScriptError::WITNESS_PROGRAM_MISMATCH);
    }
    // 2-of-3 with OP_CHECKSIGADD: <k1> CHECKSIG <k2> CHECKSIGADD <k3> CHECKSIGADD 2 NUMEQUAL
    {
        TapscriptSpend t((Script() << XOnly(k1) << OP_CHECKSIG << XOnly(k2) << OP_CHECKSIGADD << XOnly(k3)
                                   << OP_CHECKSIGADD << OP_2 << OP_NUMEQUAL)
                             .bytes());
        // Witness order is reversed: the first key's signature is on top.
        BOOST_CHECK(t.Run({t.Sign(k3, 0), {}, t.Sign(k1, 0)}) == ScriptError::OK);
        BOOST_CHECK(t.Run({t.Sign(k3, 0), t.Sign(k2, 0), {}}) == ScriptError::OK);
        BOOST_CHECK(t.Run({{}, {}, t.Sign(k1, 0)}) == ScriptError::EVAL_FALSE);
        BOOST_CHECK(t.Run({t.Sign(k3, 0), t.Sign(k2, 0), t.Sign(k1, 0)}) == ScriptError::EVAL_FALSE);
        BOOST_CHECK(t.Run({t.Sign(k2, 0), {}, t.Sign(k1, 0)}) == ScriptError::SCHNORR_SIG);
    }
    // OP_CODESEPARATOR: the signature commits to the position of the last one executed.
    {
        TapscriptSpend t((Script() << OP_CODESEPARATOR << XOnly(k1) << OP_CODESEPARATOR << OP_CHECKSIG).bytes());
        BOOST_CHECK(t.Run({t.Sign(k1, 0, 2)}) == ScriptError::OK); // opcode positions 0, 1 (push), 2
        BOOST_CHECK(t.Run({t.Sign(k1, 0, 0)}) == ScriptError::SCHNORR_SIG);
        BOOST_CHECK(t.Run({t.Sign(k1, 0)}) == ScriptError::SCHNORR_SIG);
    }
    // Unknown key types succeed (upgrade hook) unless discouraged; empty keys fail.
    {
        TapscriptSpend t((Script() << Bytes(33, 2) << OP_CHECKSIG).bytes());
        BOOST_CHECK(t.Run({Bytes(64, 1)}) == ScriptError::OK);
        BOOST_CHECK(t.Run({Bytes(64, 1)}, STANDARDISH | SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE) ==
                    ScriptError::DISCOURAGE_UPGRADABLE_PUBKEYTYPE);
        BOOST_CHECK(t.Run(std::vector<Bytes>{Bytes{}}) == ScriptError::EVAL_FALSE);
        TapscriptSpend e((Script() << OP_0 << OP_CHECKSIG).bytes());
        BOOST_CHECK(e.Run(std::vector<Bytes>{Bytes{}}) == ScriptError::TAPSCRIPT_EMPTY_PUBKEY);
    }
}

BOOST_AUTO_TEST_CASE(tapscript_validation_weight)
{
    const Key k1 = MakeKey(1);
    // n signature checks with unknown-type keys (each passes without a real
    // signature): the budget is the witness size + 50, 50 per non-empty signature.
    auto script_for = [](int n) {
        Script s;
        for (int i = 0; i < n; ++i) s << Bytes(1, 0x42) << OP_CHECKSIGVERIFY; // 1-byte key: unknown type
        s << OP_1;
        return s.bytes();
    };
    for (int n : {1, 2, 5, 10}) {
        TapscriptSpend t(script_for(n));
        std::vector<Bytes> sigs(n, Bytes(1, 1)); // 1-byte "signatures": non-empty, so charged
        // Witness: n * 2 bytes + script + control block + counts. Compute the budget exactly.
        ScriptWitness w;
        w.stack = sigs;
        w.stack.push_back(t.leaf_script);
        w.stack.push_back(t.control);
        size_t size = CompactSizeLen(w.stack.size());
        for (const Bytes& b : w.stack) size += CompactSizeLen(b.size()) + b.size();
        const int64_t budget = int64_t(size) + VALIDATION_WEIGHT_OFFSET;
        const bool fits = budget - 50 * n >= 0;
        BOOST_CHECK_MESSAGE((t.Run(sigs) == ScriptError::OK) == fits, "n=" << n);
        if (!fits) BOOST_CHECK(t.Run(sigs) == ScriptError::TAPSCRIPT_VALIDATION_WEIGHT);
        // Padding the witness with an annex raises the budget.
        const Bytes annex = [&] { Bytes a(50 * n, 0); a[0] = ANNEX_TAG; return a; }();
        BOOST_CHECK(t.Run(sigs, STANDARDISH, &annex) == ScriptError::OK);
    }
    // Many signatures in a small witness run out of budget.
    TapscriptSpend t(script_for(10));
    BOOST_CHECK(t.Run(std::vector<Bytes>(10, Bytes(1, 1))) == ScriptError::TAPSCRIPT_VALIDATION_WEIGHT);
    // Empty signatures cost nothing.
    Script cheap;
    for (int i = 0; i < 100; ++i) cheap << OP_0 << XOnly(k1) << OP_CHECKSIG << OP_DROP;
    cheap << OP_1;
    TapscriptSpend c(cheap.bytes());
    BOOST_CHECK(c.Run({}) == ScriptError::OK);
}

BOOST_AUTO_TEST_CASE(tapscript_op_success_and_leaf_versions)
{
    // OP_SUCCESSx anywhere (even unexecuted, even after a would-be failure) succeeds.
    for (uint8_t op : {uint8_t(80), uint8_t(98), uint8_t(126), uint8_t(137), uint8_t(187), uint8_t(254)}) {
        Bytes script{OP_RETURN, op};
        TapscriptSpend t(script);
        BOOST_CHECK_MESSAGE(t.Run({}) == ScriptError::OK, int(op));
        BOOST_CHECK(t.Run({}, STANDARDISH | SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS) == ScriptError::DISCOURAGE_OP_SUCCESS);
        // Even with oversized witness elements and more than 1000 of them.
        BOOST_CHECK(t.Run(std::vector<Bytes>(1001, Bytes(600, 0))) == ScriptError::OK);
    }
    // ...but not after a truncated push, which is found first.
    TapscriptSpend broken(Bytes{OP_PUSHDATA1, 5, 1, 0x50});
    BOOST_CHECK(broken.Run({}) == ScriptError::BAD_OPCODE);
    // OP_SUCCESS inside a push is just data.
    TapscriptSpend data(Bytes{1, 0x50, OP_DROP, OP_1});
    BOOST_CHECK(data.Run({}) == ScriptError::OK);
    BOOST_CHECK(!IsOpSuccess(OP_CHECKSIGADD));
    BOOST_CHECK(IsOpSuccess(OP_CAT));

    // Unknown leaf versions are anyone-can-spend unless discouraged.
    TapscriptSpend v((Script() << OP_RETURN).bytes(), 0xc2);
    BOOST_CHECK(v.Run({}) == ScriptError::OK);
    BOOST_CHECK(v.Run({}, STANDARDISH | SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION) ==
                ScriptError::DISCOURAGE_UPGRADABLE_TAPROOT_VERSION);
}

BOOST_AUTO_TEST_CASE(locktime_checks)
{
    // CLTV and CSV against a transaction; the operand is up to 5 bytes and must be non-negative.
    auto run = [](const Script& spk, uint32_t tx_version, uint32_t locktime, uint32_t sequence) {
        MutableTransaction credit = BuildCreditingTransaction(spk, 0);
        MutableTransaction spend = BuildSpendingTransaction(Script(), {}, credit);
        spend.version = tx_version;
        spend.locktime = locktime;
        spend.vin[0].sequence = sequence;
        const PrecomputedTxData txdata(spend, {credit.vout[0]});
        const MutableTransactionSignatureChecker checker(spend, 0, 0, txdata);
        ScriptError err;
        VerifyScript(Script(), spk, nullptr, STANDARDISH, checker, &err);
        return err;
    };
    const Script cltv100 = Script().PushInt(100) << OP_CHECKLOCKTIMEVERIFY;
    BOOST_CHECK(run(cltv100, 2, 100, 0) == ScriptError::OK);
    BOOST_CHECK(run(cltv100, 2, 99, 0) == ScriptError::UNSATISFIED_LOCKTIME);
    BOOST_CHECK(run(cltv100, 2, 100, TxIn::SEQUENCE_FINAL) == ScriptError::UNSATISFIED_LOCKTIME);
    BOOST_CHECK(run(cltv100, 2, 500000000, 0) == ScriptError::UNSATISFIED_LOCKTIME); // height vs time
    const Script cltv_time = Script().PushInt(4000000000LL) << OP_CHECKLOCKTIMEVERIFY; // 5 bytes
    BOOST_CHECK(run(cltv_time, 2, 4000000000U, 0) == ScriptError::OK);
    BOOST_CHECK(run(Script().PushInt(-1) << OP_CHECKLOCKTIMEVERIFY, 2, 0, 0) == ScriptError::NEGATIVE_LOCKTIME);
    BOOST_CHECK(run(Script() << Bytes(6, 1) << OP_CHECKLOCKTIMEVERIFY, 2, 0, 0) == ScriptError::UNKNOWN_ERROR);

    const Script csv10 = Script().PushInt(10) << OP_CHECKSEQUENCEVERIFY;
    BOOST_CHECK(run(csv10, 2, 0, 10) == ScriptError::OK);
    BOOST_CHECK(run(csv10, 2, 0, 9) == ScriptError::UNSATISFIED_LOCKTIME);
    BOOST_CHECK(run(csv10, 1, 0, 10) == ScriptError::UNSATISFIED_LOCKTIME);          // version 1
    BOOST_CHECK(run(csv10, 0xffffffff, 0, 10) == ScriptError::OK);                   // version compared unsigned
    BOOST_CHECK(run(csv10, 2, 0, 10 | (1U << 31)) == ScriptError::UNSATISFIED_LOCKTIME); // input opted out
    BOOST_CHECK(run(csv10, 2, 0, 10 | TxIn::SEQUENCE_LOCKTIME_TYPE_FLAG) == ScriptError::UNSATISFIED_LOCKTIME);
    // An operand with the disable flag is a NOP.
    BOOST_CHECK(run(Script().PushInt(int64_t(1) << 31) << OP_CHECKSEQUENCEVERIFY, 1, 0, 0) == ScriptError::OK);
}

BOOST_AUTO_TEST_SUITE_END()
