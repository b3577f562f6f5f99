// Why a script failed. The set, and the human text of each, are Bitcoin
// Core's: the text goes into reject reasons that peers and RPC users see
// ("block-script-verify-flag-failed (<text>)"), so it must not drift.
#ifndef CAIRN_CONSENSUS_SCRIPT_SCRIPT_ERROR_H
#define CAIRN_CONSENSUS_SCRIPT_SCRIPT_ERROR_H

#include <optional>
#include <string>
#include <string_view>

namespace cairn {

enum class ScriptError {
    OK = 0,
    UNKNOWN_ERROR,
    EVAL_FALSE,
    OP_RETURN,

    // Limits
    SCRIPT_SIZE,
    PUSH_SIZE,
    OP_COUNT,
    STACK_SIZE,
    SIG_COUNT,
    PUBKEY_COUNT,

    // Failed verify operations
    VERIFY,
    EQUALVERIFY,
    CHECKMULTISIGVERIFY,
    CHECKSIGVERIFY,
    NUMEQUALVERIFY,

    // Logical and other errors
    BAD_OPCODE,
    DISABLED_OPCODE,
    INVALID_STACK_OPERATION,
    INVALID_ALTSTACK_OPERATION,
    UNBALANCED_CONDITIONAL,

    // CHECKLOCKTIMEVERIFY and CHECKSEQUENCEVERIFY
    NEGATIVE_LOCKTIME,
    UNSATISFIED_LOCKTIME,

    // Malleability
    SIG_HASHTYPE,
    SIG_DER,
    MINIMALDATA,
    SIG_PUSHONLY,
    SIG_HIGH_S,
    SIG_NULLDUMMY,
    PUBKEYTYPE,
    CLEANSTACK,
    MINIMALIF,
    SIG_NULLFAIL,

    // Softfork safeness
    DISCOURAGE_UPGRADABLE_NOPS,
    DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM,
    DISCOURAGE_UPGRADABLE_TAPROOT_VERSION,
    DISCOURAGE_OP_SUCCESS,
    DISCOURAGE_UPGRADABLE_PUBKEYTYPE,

    // Segregated witness
    WITNESS_PROGRAM_WRONG_LENGTH,
    WITNESS_PROGRAM_WITNESS_EMPTY,
    WITNESS_PROGRAM_MISMATCH,
    WITNESS_MALLEATED,
    WITNESS_MALLEATED_P2SH,
    WITNESS_UNEXPECTED,
    WITNESS_PUBKEYTYPE,

    // Taproot
    SCHNORR_SIG_SIZE,
    SCHNORR_SIG_HASHTYPE,
    SCHNORR_SIG,
    TAPROOT_WRONG_CONTROL_SIZE,
    TAPSCRIPT_VALIDATION_WEIGHT,
    TAPSCRIPT_CHECKMULTISIG,
    TAPSCRIPT_MINIMALIF,
    TAPSCRIPT_EMPTY_PUBKEY,

    // Constant scriptCode
    OP_CODESEPARATOR,
    SIG_FINDANDDELETE,
};

/** Number of ScriptError values (they are dense from OK). */
inline constexpr int SCRIPT_ERROR_COUNT = int(ScriptError::SIG_FINDANDDELETE) + 1;

/** Bitcoin Core's description, e.g. "Script failed an OP_VERIFY operation". */
std::string ScriptErrorString(ScriptError error);

/** The short name used by the script test vectors ("EVAL_FALSE", "NULLFAIL", ...). */
std::string ScriptErrorName(ScriptError error);
/** Inverse of ScriptErrorName. */
std::optional<ScriptError> ParseScriptErrorName(std::string_view name);

} // namespace cairn

#endif
