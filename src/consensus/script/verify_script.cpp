// VerifyScript: how an input's scriptSig and witness are checked against the
// output it spends. The layers, in order: scriptSig then scriptPubKey on one
// stack (never concatenated, CVE-2010-5141); a bare witness program; P2SH
// (BIP 16) and a witness program inside it; CLEANSTACK; and no witness
// where none was expected.
#include "consensus/script/interpreter.h"

#include "consensus/script/taproot.h"
#include "crypto/hash.h"
#include "crypto/pubkey.h"
#include "util/serialize.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace cairn {

namespace {

using Stack = std::vector<Bytes>;

bool SetError(ScriptError* error, ScriptError e)
{
    if (error) *error = e;
    return false;
}

bool SetSuccess(ScriptError* error)
{
    if (error) *error = ScriptError::OK;
    return true;
}

/** Pay-to-anchor (OP_1 <0x4e73>): a keyless output for fee bumping, exempt from the upgradability policy. */
bool IsPayToAnchor(int version, ByteSpan program)
{
    return version == 1 && program.size() == 2 && program[0] == 0x4e && program[1] == 0x73;
}

/** The serialized size of the witness stack: the tapscript budget is based on it. */
size_t WitnessSerializedSize(const ScriptWitness& witness)
{
    size_t size = CompactSizeLen(witness.stack.size());
    for (const Bytes& item : witness.stack) size += CompactSizeLen(item.size()) + item.size();
    return size;
}

/** Runs a witness script (or the implied P2WPKH script) on the given
 *  witness elements; segwit scripts must leave exactly one true element. */
bool ExecuteWitnessScript(std::span<const Bytes> items, ByteSpan exec_script, ScriptFlags flags,
                          SigVersion sigversion, const SignatureChecker& checker, ScriptExecutionData& execdata,
                          ScriptError* error)
{
    if (sigversion == SigVersion::TAPSCRIPT) {
        // An OP_SUCCESSx anywhere, even unexecuted, makes the script succeed
        // before any other rule (including element size limits) is applied;
        // only a parse failure earlier in the script takes precedence.
        size_t pc = 0;
        Opcode op;
        ByteSpan data;
        while (pc < exec_script.size()) {
            if (!GetScriptOp(exec_script, pc, op, data)) return SetError(error, ScriptError::BAD_OPCODE);
            if (IsOpSuccess(op)) {
                if (flags & SCRIPT_VERIFY_DISCOURAGE_OP_SUCCESS) {
                    return SetError(error, ScriptError::DISCOURAGE_OP_SUCCESS);
                }
                return SetSuccess(error);
            }
        }
        // Tapscript limits the initial stack too (the altstack is empty here).
        if (items.size() > MAX_STACK_SIZE) return SetError(error, ScriptError::STACK_SIZE);
    }

    for (const Bytes& item : items) {
        if (item.size() > MAX_SCRIPT_ELEMENT_SIZE) return SetError(error, ScriptError::PUSH_SIZE);
    }

    Stack stack(items.begin(), items.end());
    if (!EvalScript(stack, exec_script, flags, checker, sigversion, execdata, error)) return false;

    // Witness scripts have always required a clean stack.
    if (stack.size() != 1) return SetError(error, ScriptError::CLEANSTACK);
    if (!CastToBool(stack.back())) return SetError(error, ScriptError::EVAL_FALSE);
    return true;
}

/** BIP 341: does the output key `program` commit to the leaf through `control`'s path and internal key? */
bool VerifyTaprootCommitment(ByteSpan control, ByteSpan program, const uint256& tapleaf_hash)
{
    assert(control.size() >= TAPROOT_CONTROL_BASE_SIZE);
    assert(program.size() == WITNESS_V1_TAPROOT_SIZE);
    const XOnlyPubKey internal_key{control.subspan(1, TAPROOT_CONTROL_BASE_SIZE - 1)};
    const XOnlyPubKey output_key{program};
    const uint256 merkle_root = ComputeTaprootMerkleRoot(control, tapleaf_hash);
    return output_key.CheckTapTweak(internal_key, merkle_root, control[0] & 1);
}

bool VerifyWitnessProgram(const ScriptWitness& witness, int version, ByteSpan program, ScriptFlags flags,
                          const SignatureChecker& checker, ScriptError* error, bool is_p2sh)
{
    std::span<const Bytes> items{witness.stack};
    ScriptExecutionData execdata;

    if (version == 0) {
        if (program.size() == WITNESS_V0_SCRIPTHASH_SIZE) {
            // P2WSH: the last element is the script, committed to by its SHA-256.
            if (items.empty()) return SetError(error, ScriptError::WITNESS_PROGRAM_WITNESS_EMPTY);
            const Bytes& exec_script = items.back();
            items = items.first(items.size() - 1);
            const uint256 hash = Sha256Single(exec_script);
            if (std::memcmp(hash.data(), program.data(), 32) != 0) {
                return SetError(error, ScriptError::WITNESS_PROGRAM_MISMATCH);
            }
            return ExecuteWitnessScript(items, exec_script, flags, SigVersion::WITNESS_V0, checker, execdata, error);
        }
        if (program.size() == WITNESS_V0_KEYHASH_SIZE) {
            // P2WPKH: exactly a signature and a key, run through the P2PKH script.
            if (items.size() != 2) return SetError(error, ScriptError::WITNESS_PROGRAM_MISMATCH);
            uint8_t exec_script[25] = {OP_DUP, OP_HASH160, 20};
            std::copy(program.begin(), program.end(), exec_script + 3);
            exec_script[23] = OP_EQUALVERIFY;
            exec_script[24] = OP_CHECKSIG;
            return ExecuteWitnessScript(items, exec_script, flags, SigVersion::WITNESS_V0, checker, execdata, error);
        }
        return SetError(error, ScriptError::WITNESS_PROGRAM_WRONG_LENGTH);
    }

    if (version == 1 && program.size() == WITNESS_V1_TAPROOT_SIZE && !is_p2sh) {
        // BIP 341 taproot (never wrapped in P2SH).
        if (!(flags & SCRIPT_VERIFY_TAPROOT)) return SetSuccess(error);
        if (items.empty()) return SetError(error, ScriptError::WITNESS_PROGRAM_WITNESS_EMPTY);
        if (items.size() >= 2 && !items.back().empty() && items.back()[0] == ANNEX_TAG) {
            // The annex: ignored, but signed (through its hash).
            const Bytes& annex = items.back();
            HashWriter h;
            WriteVarBytes(h, annex);
            execdata.annex_hash = h.GetSha256();
            items = items.first(items.size() - 1);
        }
        if (items.size() == 1) {
            // Key path: one signature for the output key itself.
            if (!checker.CheckSchnorrSignature(items.front(), program, SigVersion::TAPROOT, execdata, error)) {
                return false;
            }
            return SetSuccess(error);
        }
        // Script path: ... script control_block.
        const Bytes& control = items.back();
        const Bytes& script = items[items.size() - 2];
        items = items.first(items.size() - 2);
        if (control.size() < TAPROOT_CONTROL_BASE_SIZE || control.size() > TAPROOT_CONTROL_MAX_SIZE ||
            (control.size() - TAPROOT_CONTROL_BASE_SIZE) % TAPROOT_CONTROL_NODE_SIZE != 0) {
            return SetError(error, ScriptError::TAPROOT_WRONG_CONTROL_SIZE);
        }
        const uint8_t leaf_version = control[0] & TAPROOT_LEAF_MASK;
        execdata.tapleaf_hash = ComputeTapleafHash(leaf_version, script);
        if (!VerifyTaprootCommitment(control, program, *execdata.tapleaf_hash)) {
            return SetError(error, ScriptError::WITNESS_PROGRAM_MISMATCH);
        }
        if (leaf_version == TAPROOT_LEAF_TAPSCRIPT) {
            // BIP 342: the signature budget is the whole witness's size, plus a constant.
            execdata.validation_weight_left = int64_t(WitnessSerializedSize(witness)) + VALIDATION_WEIGHT_OFFSET;
            return ExecuteWitnessScript(items, script, flags, SigVersion::TAPSCRIPT, checker, execdata, error);
        }
        // Unknown leaf versions are anyone-can-spend, kept for future soft forks.
        if (flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_TAPROOT_VERSION) {
            return SetError(error, ScriptError::DISCOURAGE_UPGRADABLE_TAPROOT_VERSION);
        }
        return SetSuccess(error);
    }

    if (!is_p2sh && IsPayToAnchor(version, program)) return SetSuccess(error);

    // Unknown versions and sizes are anyone-can-spend, kept for future soft forks.
    if (flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM) {
        return SetError(error, ScriptError::DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM);
    }
    return SetSuccess(error);
}

} // namespace

bool IsWitnessProgram(ByteSpan script, int& version, ByteSpan& program)
{
    if (script.size() < 4 || script.size() > 42) return false;
    if (script[0] != OP_0 && (script[0] < OP_1 || script[0] > OP_16)) return false;
    if (size_t(script[1]) + 2 != script.size()) return false;
    version = DecodeOpN(Opcode(script[0]));
    program = script.subspan(2);
    return true;
}

bool VerifyScript(const Script& script_sig, const Script& script_pubkey, const ScriptWitness* witness,
                  ScriptFlags flags, const SignatureChecker& checker, ScriptError* error)
{
    static const ScriptWitness empty_witness;
    if (witness == nullptr) witness = &empty_witness;
    bool had_witness = false;

    SetError(error, ScriptError::UNKNOWN_ERROR);

    if ((flags & SCRIPT_VERIFY_SIGPUSHONLY) && !script_sig.IsPushOnly()) {
        return SetError(error, ScriptError::SIG_PUSHONLY);
    }

    // The scriptSig runs first and the scriptPubKey sees the stack it left.
    Stack stack;
    if (!EvalScript(stack, script_sig, flags, checker, SigVersion::BASE, error)) return false;
    const bool p2sh = (flags & SCRIPT_VERIFY_P2SH) && script_pubkey.IsPayToScriptHash();
    Stack stack_copy;
    if (p2sh) stack_copy = stack;
    if (!EvalScript(stack, script_pubkey, flags, checker, SigVersion::BASE, error)) return false;
    if (stack.empty() || !CastToBool(stack.back())) return SetError(error, ScriptError::EVAL_FALSE);

    int version;
    ByteSpan program;
    if ((flags & SCRIPT_VERIFY_WITNESS) && IsWitnessProgram(script_pubkey, version, program)) {
        had_witness = true;
        // Anything in the scriptSig could be changed by anyone: it must be empty.
        if (!script_sig.empty()) return SetError(error, ScriptError::WITNESS_MALLEATED);
        if (!VerifyWitnessProgram(*witness, version, program, flags, checker, error, /*is_p2sh=*/false)) {
            return false;
        }
        // The witness program's own stack was judged; skip CLEANSTACK on this one.
        stack.resize(1);
    }

    if (p2sh) {
        // BIP 16: the scriptSig must be pushes only, and its last push is the
        // redeem script, run on the rest of the scriptSig's stack.
        if (!script_sig.IsPushOnly()) return SetError(error, ScriptError::SIG_PUSHONLY);
        std::swap(stack, stack_copy);
        // Not empty: the P2SH scriptPubKey (HASH160 <h> EQUAL) consumed an element and succeeded.
        assert(!stack.empty());
        const Bytes redeem_script = std::move(stack.back());
        stack.pop_back();
        if (!EvalScript(stack, redeem_script, flags, checker, SigVersion::BASE, error)) return false;
        if (stack.empty() || !CastToBool(stack.back())) return SetError(error, ScriptError::EVAL_FALSE);

        if ((flags & SCRIPT_VERIFY_WITNESS) && IsWitnessProgram(redeem_script, version, program)) {
            had_witness = true;
            // P2SH-wrapped segwit: the scriptSig must be exactly the one canonical push of the program.
            const Script expected = Script().PushData(redeem_script);
            if (script_sig != expected) return SetError(error, ScriptError::WITNESS_MALLEATED_P2SH);
            if (!VerifyWitnessProgram(*witness, version, program, flags, checker, error, /*is_p2sh=*/true)) {
                return false;
            }
            stack.resize(1);
        }
    }

    // Only now: without P2SH the scriptSig's pushes would still be on the stack.
    if (flags & SCRIPT_VERIFY_CLEANSTACK) {
        if (stack.size() != 1) return SetError(error, ScriptError::CLEANSTACK);
    }

    if ((flags & SCRIPT_VERIFY_WITNESS) && !had_witness && !witness->IsNull()) {
        return SetError(error, ScriptError::WITNESS_UNEXPECTED);
    }
    return SetSuccess(error);
}

} // namespace cairn
