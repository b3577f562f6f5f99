// Bitcoin Core's script_tests.json: every case, the exact error, and the
// same result with flags taken away from a passing case or added to a
// failing one.
#include "consensus/script/interpreter.h"
#include "consensus/script/script_error.h"
#include "consensus/script/script_flags.h"
#include "consensus/script/taproot.h"
#include "crypto/pubkey.h"
#include "script/script_asm.h"
#include "test/unit/consensus/script/script_test_util.h"
#include "test/util/vectors.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <optional>

using namespace cairn;
using namespace cairn::test;

namespace {

/** BIP 341's provably unspendable internal key H (nothing-up-my-sleeve). */
const char* const NUMS_H = "50929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0";

struct ScriptCase {
    ScriptWitness witness;
    Amount amount{0};
    Script script_sig;
    Script script_pubkey;
    ScriptFlags flags{0};
    ScriptError expected{ScriptError::OK};
};

/** Reads one row. Witness rows start with [items..., amount]; tapscript rows
 *  use "#SCRIPT# <notation>" for the leaf, "#CONTROLBLOCK#" for its control
 *  block (a one-leaf tree under NUMS_H) and "#TAPROOTOUTPUT#" in the
 *  scriptPubKey for the resulting output key. */
ScriptCase ParseCase(const UniValue& row)
{
    ScriptCase c;
    size_t pos = 0;
    std::optional<XOnlyPubKey> output_key;
    if (row[0].isArray()) {
        const UniValue& wit = row[0];
        BOOST_REQUIRE(wit.size() >= 1);
        for (size_t i = 0; i + 1 < wit.size(); ++i) {
            const std::string item = wit[i].get_str();
            static const std::string SCRIPT_TAG = "#SCRIPT#";
            if (item.starts_with(SCRIPT_TAG)) {
                c.witness.stack.push_back(ParseScript(item.substr(SCRIPT_TAG.size())).bytes());
            } else if (item == "#CONTROLBLOCK#") {
                BOOST_REQUIRE(!c.witness.stack.empty());
                const uint256 leaf = ComputeTapleafHash(TAPROOT_LEAF_TAPSCRIPT, c.witness.stack.back());
                const XOnlyPubKey internal{ParseHex(NUMS_H)};
                const auto tweaked = internal.CreateTapTweak(&leaf);
                BOOST_REQUIRE(tweaked);
                output_key = tweaked->first;
                Bytes control{uint8_t(TAPROOT_LEAF_TAPSCRIPT | (tweaked->second ? 1 : 0))};
                control.insert(control.end(), internal.span().begin(), internal.span().end());
                c.witness.stack.push_back(std::move(control));
            } else {
                c.witness.stack.push_back(ParseHex(item));
            }
        }
        c.amount = ParseBtcAmount(wit[wit.size() - 1].getValStr());
        ++pos;
    }
    c.script_sig = ParseScript(row[pos++].get_str());
    std::string spk = row[pos++].get_str();
    static const std::string OUTPUT_TAG = "#TAPROOTOUTPUT#";
    if (const size_t at = spk.find(OUTPUT_TAG); at != std::string::npos) {
        BOOST_REQUIRE(output_key);
        spk.replace(at, OUTPUT_TAG.size(), "0x" + HexStr(output_key->span()));
    }
    c.script_pubkey = ParseScript(spk);
    const auto flags = ParseScriptFlags(row[pos++].get_str());
    BOOST_REQUIRE_MESSAGE(flags, "unknown flag in " << row.write());
    c.flags = *flags;
    const auto expected = ParseScriptErrorName(row[pos++].get_str());
    BOOST_REQUIRE_MESSAGE(expected, "unknown error name in " << row.write());
    c.expected = *expected;
    return c;
}

ScriptError Run(const ScriptCase& c, const MutableTransaction& spend, const PrecomputedTxData& txdata,
                ScriptFlags flags, bool& ok)
{
    MutableTransactionSignatureChecker checker(spend, 0, c.amount, txdata);
    ScriptError err = ScriptError::UNKNOWN_ERROR;
    ok = VerifyScript(c.script_sig, c.script_pubkey, &c.witness, flags, checker, &err);
    return err;
}

} // namespace

BOOST_AUTO_TEST_SUITE(script_tests)

BOOST_AUTO_TEST_CASE(script_json_vectors)
{
    const UniValue tests = ReadJsonVectors("core/script_tests.json");
    BOOST_REQUIRE(tests.isArray());
    TestRng rng(0x5c1e7e575);
    size_t cases = 0;
    for (size_t idx = 0; idx < tests.size(); ++idx) {
        const UniValue& row = tests[idx];
        BOOST_REQUIRE_MESSAGE(row.isArray(), "script_tests.json row " << idx << " is not an array");
        const size_t fields = row.size() - (row.size() > 0 && row[0].isArray() ? 1 : 0);
        if (row.size() == 1 && row[0].isStr()) continue; // a comment
        // Anything else that is not a full case is a broken vector, never skipped.
        BOOST_REQUIRE_MESSAGE(fields >= 4, "script_tests.json row " << idx << " is malformed: " << row.write());
        ++cases;
        const std::string text = row.write();

        ScriptCase c;
        try {
            c = ParseCase(row);
        } catch (const std::exception& e) {
            BOOST_ERROR("cannot parse " << text << ": " << e.what());
            continue;
        }
        // As in Bitcoin Core's runner: CLEANSTACK is only defined together with P2SH and WITNESS.
        ScriptFlags flags = c.flags;
        if (flags & SCRIPT_VERIFY_CLEANSTACK) flags |= SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS;

        const MutableTransaction credit = BuildCreditingTransaction(c.script_pubkey, c.amount);
        const MutableTransaction spend = BuildSpendingTransaction(c.script_sig, c.witness, credit);
        const PrecomputedTxData txdata(spend, {credit.vout[0]});

        const bool expect_ok = c.expected == ScriptError::OK;
        bool ok = false;
        const ScriptError err = Run(c, spend, txdata, flags, ok);
        BOOST_CHECK_MESSAGE(ok == expect_ok && err == c.expected,
                            "got " << ScriptErrorName(err) << ", expected " << ScriptErrorName(c.expected)
                                   << " with " << FormatScriptFlags(flags) << ": " << text);

        // Soft-fork safety: fewer flags never fail a passing script, more
        // flags never pass a failing one. (Core's runner draws from the low
        // 16 flags; all 21 are drawn here.)
        for (int i = 0; i < 16; ++i) {
            const ScriptFlags extra = rng.Bits(21);
            const ScriptFlags combined = expect_ok ? (flags & ~extra) : (flags | extra);
            if (!IsValidFlagCombination(combined)) continue;
            bool ok2 = false;
            const ScriptError err2 = Run(c, spend, txdata, combined, ok2);
            BOOST_CHECK_MESSAGE(ok2 == expect_ok, "result changed to " << ScriptErrorName(err2) << " with flags "
                                                                       << FormatScriptFlags(combined) << ": "
                                                                       << text);
        }
    }
    ReportCases("core/script_tests.json", cases);
    BOOST_CHECK_EQUAL(cases, 1213U); // every case of the file, so a truncated file fails
}

BOOST_AUTO_TEST_CASE(error_names_round_trip)
{
    for (int i = 0; i < SCRIPT_ERROR_COUNT; ++i) {
        const ScriptError e = ScriptError(i);
        BOOST_CHECK(ParseScriptErrorName(ScriptErrorName(e)) == e);
        BOOST_CHECK(!ScriptErrorString(e).empty());
    }
    BOOST_CHECK_EQUAL(ScriptErrorString(ScriptError::EVAL_FALSE),
                      "Script evaluated without error but finished with a false/empty top stack element");
    BOOST_CHECK_EQUAL(ScriptErrorName(ScriptError::SIG_NULLFAIL), "NULLFAIL");
    BOOST_CHECK_EQUAL(ScriptErrorString(ScriptError::UNKNOWN_ERROR), "unknown error");
}

BOOST_AUTO_TEST_CASE(flag_names)
{
    BOOST_CHECK_EQUAL(SCRIPT_VERIFY_P2SH, 1U);
    BOOST_CHECK_EQUAL(SCRIPT_VERIFY_WITNESS, 1U << 11);
    BOOST_CHECK_EQUAL(SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE, 1U << 20);
    BOOST_CHECK(ParseScriptFlags("NONE") == SCRIPT_VERIFY_NONE);
    BOOST_CHECK(ParseScriptFlags("") == SCRIPT_VERIFY_NONE);
    BOOST_CHECK(ParseScriptFlags("P2SH,WITNESS") == (SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS));
    BOOST_CHECK(!ParseScriptFlags("P2SH,BOGUS"));
    BOOST_CHECK_EQUAL(FormatScriptFlags(SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_STRICTENC), "P2SH,STRICTENC");
    BOOST_CHECK_EQUAL(FormatScriptFlags(SCRIPT_VERIFY_NONE), "NONE");
    ScriptFlags all = 0;
    for (const ScriptFlagName& f : ScriptFlagNames()) {
        BOOST_CHECK(ParseScriptFlags(f.name) == f.flag);
        all |= f.flag;
    }
    BOOST_CHECK_EQUAL(all, SCRIPT_VERIFY_ALL);
    BOOST_CHECK(ParseScriptFlags(FormatScriptFlags(all)) == all);
    BOOST_CHECK(!IsValidFlagCombination(SCRIPT_VERIFY_WITNESS));
    BOOST_CHECK(!IsValidFlagCombination(SCRIPT_VERIFY_CLEANSTACK | SCRIPT_VERIFY_P2SH));
    BOOST_CHECK(IsValidFlagCombination(SCRIPT_VERIFY_CLEANSTACK | SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS));
}

BOOST_AUTO_TEST_SUITE_END()
