// The script interpreter on arbitrary scripts, witnesses and flags: it must
// always return a verdict with an error code, never crash or hang.
#include "consensus/script/interpreter.h"
#include "consensus/script/signature_checker.h"
#include "consensus/script/sigops.h"
#include "test/fuzz/fuzz.h"

#include <cstdlib>

using namespace cairn;

FUZZ_TARGET(script_verify)
{
    Reader r(buffer);
    try {
        ScriptFlags flags = r.U32LE() & SCRIPT_VERIFY_ALL;
        if (!IsValidFlagCombination(flags)) return;
        Script script_sig(r.VarBytes());
        Script script_pubkey(r.VarBytes());
        ScriptWitness witness;
        const uint64_t items = r.CompactSize() % 8;
        for (uint64_t i = 0; i < items; ++i) witness.stack.push_back(r.VarBytes());

        // A spending transaction so that signature and lock-time checks run for real.
        MutableTransaction tx;
        tx.vin.resize(1);
        tx.vin[0].script_sig = script_sig;
        tx.vin[0].witness = witness;
        tx.vout.emplace_back(0, Script());
        const Amount amount = 1000;
        PrecomputedTxData txdata(tx, {TxOut(amount, script_pubkey)});
        MutableTransactionSignatureChecker checker(tx, 0, amount, txdata);
        ScriptError error = ScriptError::UNKNOWN_ERROR;
        const bool ok = VerifyScript(script_sig, script_pubkey, &witness, flags, checker, &error);
        if (ok != (error == ScriptError::OK)) std::abort();
        (void)CountWitnessSigOps(script_sig, script_pubkey, &witness, flags);
        (void)GetSigOpCount(script_pubkey, true);
        (void)GetSigOpCount(script_sig, false);
    } catch (const DeserializeError&) {
    }
}
