#include "validation/script_check.h"

#include "consensus/script/interpreter.h"
#include "validation/sig_cache.h"

namespace cairn {

std::optional<ScriptFailure> ScriptCheck::operator()() const
{
    const TxIn& in = tx->vin[input];
    CachingTransactionSignatureChecker checker(*tx, input, spent.value, *txdata, cache, store_in_cache);
    ScriptError error = ScriptError::UNKNOWN_ERROR;
    if (VerifyScript(in.script_sig, spent.script_pubkey, &in.witness, flags, checker, &error)) return std::nullopt;
    return ScriptFailure{error, "input " + std::to_string(input) + " of " + tx->GetTxid().GetHex() + " (wtxid " +
                                    tx->GetWtxid().GetHex() + "), spending " + in.prevout.ToString()};
}

} // namespace cairn
