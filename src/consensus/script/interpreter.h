// The script interpreter: EvalScript runs one script on a stack;
// VerifyScript decides whether an input's scriptSig and witness satisfy the
// scriptPubKey it spends (P2SH, segwit v0, taproot and tapscript included).
// Every rule, limit and error mirrors Bitcoin Core, because a block must be
// valid here exactly when it is valid there.
#ifndef CAIRN_CONSENSUS_SCRIPT_INTERPRETER_H
#define CAIRN_CONSENSUS_SCRIPT_INTERPRETER_H

#include "consensus/script/script_error.h"
#include "consensus/script/script_flags.h"
#include "consensus/script/sighash.h"
#include "consensus/script/signature_checker.h"
#include "primitives/script.h"
#include "util/span.h"

#include <vector>

namespace cairn {

/** Script truth: any non-zero byte, except that a lone sign bit at the end (negative zero) is false. */
bool CastToBool(ByteSpan value);

/** MINIMALDATA: `data` was pushed with the shortest opcode that can push it. */
bool CheckMinimalPush(ByteSpan data, Opcode opcode);

/** Legacy scriptCode editing: removes every occurrence of `pattern` (a whole
 *  push operation) that starts on an operation boundary of `script`. Returns
 *  the number removed; `out` receives the edited script only when that is
 *  not zero. */
int FindAndDelete(ByteSpan script, ByteSpan pattern, Bytes& out);

/** BIP 141: a version push (OP_0, OP_1..OP_16) then one 2-40-byte push, nothing else. */
bool IsWitnessProgram(ByteSpan script, int& version, ByteSpan& program);

/** Runs `script` on `stack`. False, with *error set, as soon as a rule is
 *  broken; on success the stack holds whatever the script left. */
bool EvalScript(std::vector<Bytes>& stack, ByteSpan script, ScriptFlags flags, const SignatureChecker& checker,
                SigVersion sigversion, ScriptExecutionData& execdata, ScriptError* error = nullptr);
bool EvalScript(std::vector<Bytes>& stack, ByteSpan script, ScriptFlags flags, const SignatureChecker& checker,
                SigVersion sigversion, ScriptError* error = nullptr);

/** Does `script_sig` (with `witness`, which may be null) satisfy
 *  `script_pubkey` under `flags`? `flags` must satisfy
 *  IsValidFlagCombination. *error is OK on success, else the first rule
 *  broken. */
bool VerifyScript(const Script& script_sig, const Script& script_pubkey, const ScriptWitness* witness,
                  ScriptFlags flags, const SignatureChecker& checker, ScriptError* error = nullptr);

} // namespace cairn

#endif
