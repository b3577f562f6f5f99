// Bitcoin Core's tx_valid.json and tx_invalid.json: whole transactions
// checked input by input. In the current files the flags column of
// tx_valid lists the flags to *exclude* (the transaction must be valid with
// every other flag) and that of tx_invalid the flags to *include*. Both
// files are also held to being minimal: putting back any one excluded flag
// must make a valid transaction invalid, and dropping any one included flag
// must make an invalid one valid.
#include "consensus/script/interpreter.h"
#include "consensus/script/script_flags.h"
#include "consensus/tx_check.h"
#include "script/script_asm.h"
#include "test/unit/consensus/script/script_test_util.h"
#include "test/util/vectors.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

using namespace cairn;
using namespace cairn::test;

namespace {

struct TxCase {
    std::map<OutPoint, TxOut> prevouts;
    TransactionRef tx;
    std::string flags;
    std::string text;
};

/** Parses a row; false for comment rows (a single string, or anything without an inputs array). */
bool ParseTxCase(const UniValue& row, TxCase& c)
{
    if (!row.isArray() || row.size() == 0 || !row[0].isArray()) return false;
    c.text = row.write();
    BOOST_REQUIRE_MESSAGE(row.size() == 3 && row[1].isStr() && row[2].isStr(), "bad test: " << c.text);
    const UniValue& inputs = row[0];
    for (size_t i = 0; i < inputs.size(); ++i) {
        const UniValue& in = inputs[i];
        BOOST_REQUIRE_MESSAGE(in.isArray() && in.size() >= 3 && in.size() <= 4, "bad test: " << c.text);
        const auto hash = uint256::FromHex(in[0].get_str());
        BOOST_REQUIRE_MESSAGE(hash, "bad prevout hash: " << c.text);
        const OutPoint outpoint(*hash, uint32_t(in[1].get_int64()));
        // A missing amount is 0, as in Bitcoin Core's runner.
        const Amount amount = in.size() == 4 ? in[3].get_int64() : 0;
        c.prevouts[outpoint] = TxOut(amount, ParseScript(in[2].get_str()));
    }
    const Bytes raw = ParseHex(row[1].get_str());
    Reader r(raw);
    c.tx = DeserializeTransaction(r);
    BOOST_REQUIRE_MESSAGE(r.empty(), "trailing bytes after transaction: " << c.text);
    c.flags = row[2].get_str();
    return true;
}

ScriptFlags TrimFlags(ScriptFlags flags)
{
    if (!(flags & SCRIPT_VERIFY_P2SH)) flags &= ~SCRIPT_VERIFY_WITNESS;
    if (!(flags & SCRIPT_VERIFY_WITNESS)) flags &= ~SCRIPT_VERIFY_CLEANSTACK;
    return flags;
}

ScriptFlags FillFlags(ScriptFlags flags)
{
    if (flags & SCRIPT_VERIFY_CLEANSTACK) flags |= SCRIPT_VERIFY_WITNESS;
    if (flags & SCRIPT_VERIFY_WITNESS) flags |= SCRIPT_VERIFY_P2SH;
    return flags;
}

/** Each flag taken out of `flags` in turn (then trimmed), keeping only results that differ from `flags`. */
std::set<ScriptFlags> ExcludeIndividualFlags(ScriptFlags flags)
{
    std::set<ScriptFlags> out;
    for (const ScriptFlagName& f : ScriptFlagNames()) {
        const ScriptFlags reduced = TrimFlags(flags & ~f.flag);
        if (reduced != flags) out.insert(reduced);
    }
    return out;
}

/** Verifies every input; true when the outcome is `expect_valid`. Stops at
 *  the first failing input, as a node would. */
bool CheckTxScripts(const TxCase& c, const PrecomputedTxData& txdata, ScriptFlags flags, bool expect_valid,
                    std::string& detail)
{
    const Transaction& tx = *c.tx;
    bool valid = true;
    for (size_t i = 0; i < tx.vin.size() && valid; ++i) {
        const auto it = c.prevouts.find(tx.vin[i].prevout);
        if (it == c.prevouts.end()) {
            detail = "no prevout for input " + std::to_string(i);
            return false;
        }
        const TransactionSignatureChecker checker(tx, unsigned(i), it->second.value, txdata);
        ScriptError err = ScriptError::UNKNOWN_ERROR;
        valid = VerifyScript(tx.vin[i].script_sig, it->second.script_pubkey, &tx.vin[i].witness, flags, checker, &err);
        if (valid != (err == ScriptError::OK)) {
            detail = "result and error disagree on input " + std::to_string(i);
            return false;
        }
        if (!valid) detail = "input " + std::to_string(i) + ": " + ScriptErrorName(err);
    }
    return valid == expect_valid;
}

PrecomputedTxData MakeTxData(const TxCase& c)
{
    std::vector<TxOut> spent;
    for (const TxIn& in : c.tx->vin) {
        const auto it = c.prevouts.find(in.prevout);
        spent.push_back(it == c.prevouts.end() ? TxOut() : it->second);
    }
    return PrecomputedTxData(*c.tx, std::move(spent));
}

} // namespace

BOOST_AUTO_TEST_SUITE(transaction_vectors_tests)

BOOST_AUTO_TEST_CASE(tx_valid)
{
    const UniValue tests = ReadJsonVectors("core/tx_valid.json");
    TestRng rng(0x7a11d);
    size_t cases = 0;
    for (size_t idx = 0; idx < tests.size(); ++idx) {
        TxCase c;
        if (!ParseTxCase(tests[idx], c)) continue;
        ++cases;

        TxValidationState state;
        BOOST_CHECK_MESSAGE(CheckTransaction(*c.tx, state) && state.IsValid(),
                            "CheckTransaction: " << state.ToString() << ": " << c.text);

        const auto excluded = ParseScriptFlags(c.flags);
        BOOST_REQUIRE_MESSAGE(excluded, "bad flags: " << c.text);
        const ScriptFlags flags = SCRIPT_VERIFY_ALL & ~*excluded;
        BOOST_CHECK_MESSAGE(flags == FillFlags(flags), "inconsistent flags: " << c.text);

        const PrecomputedTxData txdata = MakeTxData(c);
        std::string detail;
        BOOST_CHECK_MESSAGE(CheckTxScripts(c, txdata, flags, true, detail),
                            "failed (" << detail << ") with " << FormatScriptFlags(flags) << ": " << c.text);

        // Removing flags never invalidates a valid transaction.
        for (const ScriptFlagName& f : ScriptFlagNames()) {
            const ScriptFlags fewer = TrimFlags(SCRIPT_VERIFY_ALL & ~(*excluded | f.flag));
            BOOST_CHECK_MESSAGE(CheckTxScripts(c, txdata, fewer, true, detail),
                                "failed (" << detail << ") without " << f.name << ": " << c.text);
            const ScriptFlags random = TrimFlags(SCRIPT_VERIFY_ALL & ~(*excluded | rng.Bits(21)));
            BOOST_CHECK_MESSAGE(CheckTxScripts(c, txdata, random, true, detail),
                                "failed (" << detail << ") with " << FormatScriptFlags(random) << ": " << c.text);
        }

        // Each excluded flag is needed: putting it back makes the transaction invalid.
        for (const ScriptFlags fewer_excluded : ExcludeIndividualFlags(*excluded)) {
            const ScriptFlags more = SCRIPT_VERIFY_ALL & ~fewer_excluded;
            BOOST_CHECK_MESSAGE(CheckTxScripts(c, txdata, more, false, detail),
                                "still valid with " << FormatScriptFlags(more) << ": " << c.text);
        }
    }
    ReportCases("core/tx_valid.json", cases);
    BOOST_CHECK_EQUAL(cases, 121U); // every case of the file
}

BOOST_AUTO_TEST_CASE(tx_invalid)
{
    const UniValue tests = ReadJsonVectors("core/tx_invalid.json");
    TestRng rng(0xbad7);
    size_t cases = 0;
    for (size_t idx = 0; idx < tests.size(); ++idx) {
        TxCase c;
        if (!ParseTxCase(tests[idx], c)) continue;
        ++cases;

        TxValidationState state;
        if (!CheckTransaction(*c.tx, state) || !state.IsValid()) {
            BOOST_CHECK_MESSAGE(c.flags == "BADTX", "fails CheckTransaction (" << state.ToString()
                                                                               << ") but not marked BADTX: " << c.text);
            continue;
        }
        BOOST_CHECK_MESSAGE(c.flags != "BADTX", "marked BADTX but passes CheckTransaction: " << c.text);
        if (c.flags == "BADTX") continue;

        const auto included = ParseScriptFlags(c.flags);
        BOOST_REQUIRE_MESSAGE(included, "bad flags: " << c.text);
        const ScriptFlags flags = *included;
        BOOST_CHECK_MESSAGE(flags == FillFlags(flags), "inconsistent flags: " << c.text);

        const PrecomputedTxData txdata = MakeTxData(c);
        std::string detail;
        BOOST_CHECK_MESSAGE(CheckTxScripts(c, txdata, flags, false, detail),
                            "passed with " << FormatScriptFlags(flags) << ": " << c.text);

        // Adding flags never validates an invalid transaction.
        for (const ScriptFlagName& f : ScriptFlagNames()) {
            const ScriptFlags more = FillFlags(flags | f.flag);
            BOOST_CHECK_MESSAGE(CheckTxScripts(c, txdata, more, false, detail),
                                "passed with " << f.name << " added: " << c.text);
            const ScriptFlags random = FillFlags(flags | rng.Bits(21));
            BOOST_CHECK_MESSAGE(CheckTxScripts(c, txdata, random, false, detail),
                                "passed with " << FormatScriptFlags(random) << ": " << c.text);
        }

        // Each listed flag is needed: without it the transaction is valid.
        for (const ScriptFlags fewer : ExcludeIndividualFlags(flags)) {
            BOOST_CHECK_MESSAGE(CheckTxScripts(c, txdata, fewer, true, detail),
                                "still invalid (" << detail << ") with " << FormatScriptFlags(fewer) << ": "
                                                  << c.text);
        }
    }
    ReportCases("core/tx_invalid.json", cases);
    BOOST_CHECK_EQUAL(cases, 93U); // every case of the file
}

BOOST_AUTO_TEST_SUITE_END()
