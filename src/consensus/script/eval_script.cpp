// EvalScript: the opcode loop. Check order matters as much as the checks:
// when a script breaks two rules, the error reported (and so the reject
// reason peers see) is the one Bitcoin Core finds first.
#include "consensus/script/interpreter.h"

#include "consensus/script/script_num.h"
#include "consensus/script/sig_encoding.h"
#include "consensus/script/taproot.h"
#include "crypto/hash.h"
#include "crypto/ripemd160.h"
#include "crypto/sha1.h"
#include "crypto/sha256.h"

#include <algorithm>
#include <cassert>
#include <optional>

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

/** The IF/ELSE nesting, as a count and the depth of the first false branch:
 *  "all true?" is asked at every opcode, so it must not scan, and nesting
 *  costs no allocation. */
class ConditionStack
{
public:
    bool Empty() const { return m_size == 0; }
    bool AllTrue() const { return m_first_false == NONE; }
    void Push(bool value)
    {
        if (m_first_false == NONE && !value) m_first_false = m_size;
        ++m_size;
    }
    void Pop()
    {
        assert(m_size > 0);
        --m_size;
        if (m_first_false == m_size) m_first_false = NONE;
    }
    void ToggleTop()
    {
        assert(m_size > 0);
        if (m_first_false == NONE) {
            m_first_false = m_size - 1; // the top becomes the first false
        } else if (m_first_false == m_size - 1) {
            m_first_false = NONE; // the top was the only false
        }
        // Otherwise a lower branch is false and stays so, whatever the top is.
    }

private:
    static constexpr uint32_t NONE = UINT32_MAX;
    uint32_t m_size{0};
    uint32_t m_first_false{NONE};
};

/** Opcodes removed from the original client in 2010; they fail even in an unexecuted branch. */
bool IsDisabledOpcode(Opcode op)
{
    switch (op) {
    case OP_CAT:
    case OP_SUBSTR:
    case OP_LEFT:
    case OP_RIGHT:
    case OP_INVERT:
    case OP_AND:
    case OP_OR:
    case OP_XOR:
    case OP_2MUL:
    case OP_2DIV:
    case OP_MUL:
    case OP_DIV:
    case OP_MOD:
    case OP_LSHIFT:
    case OP_RSHIFT:
        return true;
    default:
        return false;
    }
}

void SetBool(Bytes& element, bool value)
{
    // Reuses the element's buffer: true is {0x01}, false is empty.
    if (value) {
        element.assign(1, 1);
    } else {
        element.clear();
    }
}

/** The push operation for `data`, as FindAndDelete looks for it, built
 *  without allocating: stack elements are at most 520 bytes. */
class PushPattern
{
public:
    explicit PushPattern(ByteSpan data)
    {
        if (data.size() > MAX_SCRIPT_ELEMENT_SIZE) {
            m_heap = Script().PushData(data).bytes();
            m_span = m_heap;
            return;
        }
        size_t n = 0;
        if (data.size() < OP_PUSHDATA1) {
            m_buf[n++] = uint8_t(data.size());
        } else if (data.size() <= 0xff) {
            m_buf[n++] = OP_PUSHDATA1;
            m_buf[n++] = uint8_t(data.size());
        } else {
            m_buf[n++] = OP_PUSHDATA2;
            m_buf[n++] = uint8_t(data.size());
            m_buf[n++] = uint8_t(data.size() >> 8);
        }
        std::copy(data.begin(), data.end(), m_buf + n);
        m_span = ByteSpan(m_buf, n + data.size());
    }
    ByteSpan span() const { return m_span; }

private:
    uint8_t m_buf[3 + MAX_SCRIPT_ELEMENT_SIZE];
    Bytes m_heap;
    ByteSpan m_span;
};

/** ECDSA OP_CHECKSIG semantics for legacy and segwit v0 scripts. */
bool EvalChecksigPreTapscript(ByteSpan sig, ByteSpan pubkey, ByteSpan script_code, ScriptFlags flags,
                              const SignatureChecker& checker, SigVersion sigversion, ScriptError* error,
                              bool& success)
{
    assert(sigversion == SigVersion::BASE || sigversion == SigVersion::WITNESS_V0);
    // Legacy signatures could not sign over themselves, so the original client
    // deleted the signature from the scriptCode before hashing; segwit does not.
    Bytes edited;
    if (sigversion == SigVersion::BASE) {
        if (FindAndDelete(script_code, PushPattern(sig).span(), edited) > 0) {
            if (flags & SCRIPT_VERIFY_CONST_SCRIPTCODE) return SetError(error, ScriptError::SIG_FINDANDDELETE);
            script_code = edited;
        }
    }
    if (!CheckSignatureEncoding(sig, flags, error) || !CheckPubKeyEncoding(pubkey, flags, sigversion, error)) {
        return false;
    }
    success = checker.CheckEcdsaSignature(sig, pubkey, script_code, sigversion);
    if (!success && (flags & SCRIPT_VERIFY_NULLFAIL) && !sig.empty()) {
        return SetError(error, ScriptError::SIG_NULLFAIL);
    }
    return true;
}

/** BIP 342 OP_CHECKSIG/OP_CHECKSIGVERIFY/OP_CHECKSIGADD semantics. The order
 *  is consensus: the budget is charged first, unknown key types succeed
 *  (upgrade hook), an empty signature is a plain "false", and any other
 *  failing signature aborts the script. */
bool EvalChecksigTapscript(ByteSpan sig, ByteSpan pubkey, ScriptExecutionData& execdata, ScriptFlags flags,
                           const SignatureChecker& checker, SigVersion sigversion, ScriptError* error,
                           bool& success)
{
    assert(sigversion == SigVersion::TAPSCRIPT);
    success = !sig.empty();
    if (success) {
        // Every non-empty signature is paid for from the witness-size budget,
        // including those under unknown key types.
        execdata.validation_weight_left -= VALIDATION_WEIGHT_PER_SIGOP_PASSED;
        if (execdata.validation_weight_left < 0) return SetError(error, ScriptError::TAPSCRIPT_VALIDATION_WEIGHT);
    }
    if (pubkey.empty()) return SetError(error, ScriptError::TAPSCRIPT_EMPTY_PUBKEY);
    if (pubkey.size() == 32) {
        if (success && !checker.CheckSchnorrSignature(sig, pubkey, sigversion, execdata, error)) return false;
    } else if (flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_PUBKEYTYPE) {
        // Unknown key types are left for future soft forks: valid, but not relayed.
        return SetError(error, ScriptError::DISCOURAGE_UPGRADABLE_PUBKEYTYPE);
    }
    return true;
}

bool EvalChecksig(ByteSpan sig, ByteSpan pubkey, ByteSpan script_code, ScriptExecutionData& execdata,
                  ScriptFlags flags, const SignatureChecker& checker, SigVersion sigversion, ScriptError* error,
                  bool& success)
{
    switch (sigversion) {
    case SigVersion::BASE:
    case SigVersion::WITNESS_V0:
        return EvalChecksigPreTapscript(sig, pubkey, script_code, flags, checker, sigversion, error, success);
    case SigVersion::TAPSCRIPT:
        return EvalChecksigTapscript(sig, pubkey, execdata, flags, checker, sigversion, error, success);
    case SigVersion::TAPROOT:
        break; // key-path spends run no script
    }
    assert(false);
    return false;
}

} // namespace

bool CastToBool(ByteSpan value)
{
    for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] != 0) {
            // Negative zero: only the sign bit, in the last byte.
            return !(i == value.size() - 1 && value[i] == 0x80);
        }
    }
    return false;
}

bool CheckMinimalPush(ByteSpan data, Opcode opcode)
{
    assert(opcode <= OP_PUSHDATA4);
    if (data.empty()) return opcode == OP_0;
    if (data.size() == 1 && data[0] >= 1 && data[0] <= 16) return false; // OP_1..OP_16
    if (data.size() == 1 && data[0] == 0x81) return false;                 // OP_1NEGATE
    if (data.size() <= 75) return opcode == data.size();                   // direct push
    if (data.size() <= 255) return opcode == OP_PUSHDATA1;
    if (data.size() <= 65535) return opcode == OP_PUSHDATA2;
    return true;
}

namespace {
/** Visits each operation boundary of `script` once, skipping matches of
 *  `pattern` there (consecutive ones included), and reports each kept range
 *  [from, to) to `keep`. Returns the number of matches. */
template <typename Keep> int ScanForPattern(ByteSpan script, ByteSpan pattern, Keep&& keep)
{
    int found = 0;
    size_t pc = 0;
    size_t kept_from = 0;
    Opcode op;
    ByteSpan data;
    do {
        keep(kept_from, pc);
        while (script.size() - pc >= pattern.size() &&
               std::equal(pattern.begin(), pattern.end(), script.begin() + pc)) {
            pc += pattern.size();
            ++found;
        }
        kept_from = pc;
    } while (GetScriptOp(script, pc, op, data));
    // Whatever could not be parsed (a truncated push) is kept as it is.
    keep(kept_from, script.size());
    return found;
}
} // namespace

int FindAndDelete(ByteSpan script, ByteSpan pattern, Bytes& out)
{
    if (pattern.empty()) return 0;
    // Nearly always nothing matches: find out without copying anything.
    const int found = ScanForPattern(script, pattern, [](size_t, size_t) {});
    if (found == 0) return 0;
    Bytes result;
    result.reserve(script.size());
    ScanForPattern(script, pattern, [&](size_t from, size_t to) {
        result.insert(result.end(), script.begin() + from, script.begin() + to);
    });
    out = std::move(result);
    return found;
}

bool EvalScript(Stack& stack, ByteSpan script, ScriptFlags flags, const SignatureChecker& checker,
                SigVersion sigversion, ScriptError* error)
{
    ScriptExecutionData execdata;
    return EvalScript(stack, script, flags, checker, sigversion, execdata, error);
}

bool EvalScript(Stack& stack, ByteSpan script, ScriptFlags flags, const SignatureChecker& checker,
                SigVersion sigversion, ScriptExecutionData& execdata, ScriptError* error)
{
    SetError(error, ScriptError::UNKNOWN_ERROR);
    // Tapscript replaced the size and opcode-count limits by the signature budget.
    const bool legacy_limits = sigversion == SigVersion::BASE || sigversion == SigVersion::WITNESS_V0;
    if (legacy_limits && script.size() > MAX_SCRIPT_SIZE) return SetError(error, ScriptError::SCRIPT_SIZE);

    const bool require_minimal = flags & SCRIPT_VERIFY_MINIMALDATA;
    const size_t end = script.size();
    size_t pc = 0;
    size_t code_begin = 0; // scriptCode starts after the last executed OP_CODESEPARATOR
    uint32_t opcode_pos = 0;
    int op_count = 0;
    ConditionStack exec;
    Stack altstack;
    execdata.codeseparator_pos = 0xffffffff;

    auto top = [&stack](int i) -> Bytes& { return stack[stack.size() + i]; };
    auto num = [require_minimal](ByteSpan v, size_t max_size = ScriptNum::DEFAULT_MAX_SIZE) {
        return ScriptNum::Decode(v, require_minimal, max_size);
    };

    try {
        for (; pc < end; ++opcode_pos) {
            const bool executing = exec.AllTrue();
            Opcode op;
            ByteSpan push;
            if (!GetScriptOp(script, pc, op, push)) return SetError(error, ScriptError::BAD_OPCODE);
            if (push.size() > MAX_SCRIPT_ELEMENT_SIZE) return SetError(error, ScriptError::PUSH_SIZE);
            // Counted whether executed or not; pushes (and OP_1..OP_16) are free.
            if (legacy_limits && op > OP_16 && ++op_count > MAX_OPS_PER_SCRIPT) {
                return SetError(error, ScriptError::OP_COUNT);
            }
            if (IsDisabledOpcode(op)) return SetError(error, ScriptError::DISABLED_OPCODE);
            if (op == OP_CODESEPARATOR && sigversion == SigVersion::BASE && (flags & SCRIPT_VERIFY_CONST_SCRIPTCODE)) {
                return SetError(error, ScriptError::OP_CODESEPARATOR);
            }

            if (executing && op <= OP_PUSHDATA4) {
                if (require_minimal && !CheckMinimalPush(push, op)) return SetError(error, ScriptError::MINIMALDATA);
                stack.emplace_back(push.begin(), push.end());
            } else if (executing || (OP_IF <= op && op <= OP_ENDIF)) {
                // Conditionals are looked at even in unexecuted branches, to
                // track nesting. OP_VERIF and OP_VERNOTIF sit in that range and
                // so fail wherever they appear.
                switch (op) {
                // Push value
                case OP_1NEGATE:
                case OP_1: case OP_2: case OP_3: case OP_4: case OP_5: case OP_6: case OP_7: case OP_8:
                case OP_9: case OP_10: case OP_11: case OP_12: case OP_13: case OP_14: case OP_15: case OP_16:
                    stack.push_back(ScriptNumEncode(int(op) - int(OP_1 - 1)));
                    break;

                // Control
                case OP_NOP:
                    break;

                case OP_CHECKLOCKTIMEVERIFY: {
                    if (!(flags & SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY)) break; // still NOP2
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    // Five bytes: times beyond 2^31 must stay expressible.
                    const auto lock_time = num(top(-1), ScriptNum::LOCKTIME_MAX_SIZE);
                    if (!lock_time) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    if (lock_time->value() < 0) return SetError(error, ScriptError::NEGATIVE_LOCKTIME);
                    if (!checker.CheckLockTime(lock_time->value())) {
                        return SetError(error, ScriptError::UNSATISFIED_LOCKTIME);
                    }
                    break;
                }

                case OP_CHECKSEQUENCEVERIFY: {
                    if (!(flags & SCRIPT_VERIFY_CHECKSEQUENCEVERIFY)) break; // still NOP3
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    const auto sequence = num(top(-1), ScriptNum::LOCKTIME_MAX_SIZE);
                    if (!sequence) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    if (sequence->value() < 0) return SetError(error, ScriptError::NEGATIVE_LOCKTIME);
                    // With the disable bit the operand means nothing yet: a NOP, for future use.
                    if (sequence->value() & TxIn::SEQUENCE_LOCKTIME_DISABLE_FLAG) break;
                    if (!checker.CheckSequence(sequence->value())) {
                        return SetError(error, ScriptError::UNSATISFIED_LOCKTIME);
                    }
                    break;
                }

                case OP_NOP1: case OP_NOP4: case OP_NOP5: case OP_NOP6:
                case OP_NOP7: case OP_NOP8: case OP_NOP9: case OP_NOP10:
                    if (flags & SCRIPT_VERIFY_DISCOURAGE_UPGRADABLE_NOPS) {
                        return SetError(error, ScriptError::DISCOURAGE_UPGRADABLE_NOPS);
                    }
                    break;

                case OP_IF:
                case OP_NOTIF: {
                    bool value = false;
                    if (executing) {
                        if (stack.empty()) return SetError(error, ScriptError::UNBALANCED_CONDITIONAL);
                        const Bytes& cond = top(-1);
                        const bool minimal = cond.size() == 0 || (cond.size() == 1 && cond[0] == 1);
                        if (sigversion == SigVersion::TAPSCRIPT && !minimal) {
                            return SetError(error, ScriptError::TAPSCRIPT_MINIMALIF);
                        }
                        if (sigversion == SigVersion::WITNESS_V0 && (flags & SCRIPT_VERIFY_MINIMALIF) && !minimal) {
                            return SetError(error, ScriptError::MINIMALIF);
                        }
                        value = CastToBool(cond);
                        if (op == OP_NOTIF) value = !value;
                        stack.pop_back();
                    }
                    exec.Push(value);
                    break;
                }

                case OP_ELSE:
                    if (exec.Empty()) return SetError(error, ScriptError::UNBALANCED_CONDITIONAL);
                    exec.ToggleTop();
                    break;

                case OP_ENDIF:
                    if (exec.Empty()) return SetError(error, ScriptError::UNBALANCED_CONDITIONAL);
                    exec.Pop();
                    break;

                case OP_VERIFY:
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    if (!CastToBool(top(-1))) return SetError(error, ScriptError::VERIFY);
                    stack.pop_back();
                    break;

                case OP_RETURN:
                    return SetError(error, ScriptError::OP_RETURN);

                // Stack operations
                case OP_TOALTSTACK:
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    altstack.push_back(std::move(top(-1)));
                    stack.pop_back();
                    break;

                case OP_FROMALTSTACK:
                    if (altstack.empty()) return SetError(error, ScriptError::INVALID_ALTSTACK_OPERATION);
                    stack.push_back(std::move(altstack.back()));
                    altstack.pop_back();
                    break;

                case OP_2DROP:
                    if (stack.size() < 2) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    stack.pop_back();
                    stack.pop_back();
                    break;

                case OP_2DUP: {
                    if (stack.size() < 2) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    Bytes a = top(-2), b = top(-1); // copies first: push_back may reallocate
                    stack.push_back(std::move(a));
                    stack.push_back(std::move(b));
                    break;
                }

                case OP_3DUP: {
                    if (stack.size() < 3) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    Bytes a = top(-3), b = top(-2), c = top(-1);
                    stack.push_back(std::move(a));
                    stack.push_back(std::move(b));
                    stack.push_back(std::move(c));
                    break;
                }

                case OP_2OVER: {
                    if (stack.size() < 4) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    Bytes a = top(-4), b = top(-3);
                    stack.push_back(std::move(a));
                    stack.push_back(std::move(b));
                    break;
                }

                case OP_2ROT:
                    // x1 x2 x3 x4 x5 x6 -> x3 x4 x5 x6 x1 x2
                    if (stack.size() < 6) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    std::rotate(stack.end() - 6, stack.end() - 4, stack.end());
                    break;

                case OP_2SWAP:
                    if (stack.size() < 4) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    std::swap(top(-4), top(-2));
                    std::swap(top(-3), top(-1));
                    break;

                case OP_IFDUP: {
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    if (CastToBool(top(-1))) {
                        Bytes copy = top(-1);
                        stack.push_back(std::move(copy));
                    }
                    break;
                }

                case OP_DEPTH:
                    stack.push_back(ScriptNumEncode(int64_t(stack.size())));
                    break;

                case OP_DROP:
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    stack.pop_back();
                    break;

                case OP_DUP: {
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    Bytes copy = top(-1);
                    stack.push_back(std::move(copy));
                    break;
                }

                case OP_NIP:
                    if (stack.size() < 2) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    stack.erase(stack.end() - 2);
                    break;

                case OP_OVER: {
                    if (stack.size() < 2) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    Bytes copy = top(-2);
                    stack.push_back(std::move(copy));
                    break;
                }

                case OP_PICK:
                case OP_ROLL: {
                    // (xn ... x2 x1 x0 n -- xn ... x2 x1 x0 xn)
                    if (stack.size() < 2) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    const auto arg = num(top(-1));
                    if (!arg) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    const int n = arg->GetInt();
                    stack.pop_back();
                    if (n < 0 || n >= int(stack.size())) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    if (op == OP_ROLL) {
                        std::rotate(stack.end() - n - 1, stack.end() - n, stack.end());
                    } else {
                        Bytes copy = top(-n - 1);
                        stack.push_back(std::move(copy));
                    }
                    break;
                }

                case OP_ROT:
                    // x1 x2 x3 -> x2 x3 x1
                    if (stack.size() < 3) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    std::rotate(stack.end() - 3, stack.end() - 2, stack.end());
                    break;

                case OP_SWAP:
                    if (stack.size() < 2) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    std::swap(top(-2), top(-1));
                    break;

                case OP_TUCK: {
                    // x1 x2 -> x2 x1 x2
                    if (stack.size() < 2) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    Bytes copy = top(-1);
                    stack.insert(stack.end() - 2, std::move(copy));
                    break;
                }

                case OP_SIZE:
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    stack.push_back(ScriptNumEncode(int64_t(top(-1).size())));
                    break;

                // Bitwise logic
                case OP_EQUAL:
                case OP_EQUALVERIFY: {
                    if (stack.size() < 2) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    const bool equal = top(-2) == top(-1);
                    stack.pop_back();
                    SetBool(top(-1), equal);
                    if (op == OP_EQUALVERIFY) {
                        if (!equal) return SetError(error, ScriptError::EQUALVERIFY);
                        stack.pop_back();
                    }
                    break;
                }

                // Numeric
                case OP_1ADD: case OP_1SUB: case OP_NEGATE: case OP_ABS: case OP_NOT: case OP_0NOTEQUAL: {
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    const auto arg = num(top(-1));
                    if (!arg) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    // Operands are at most 4 bytes, so none of these can overflow int64.
                    int64_t v = arg->value();
                    switch (op) {
                    case OP_1ADD: v += 1; break;
                    case OP_1SUB: v -= 1; break;
                    case OP_NEGATE: v = -v; break;
                    case OP_ABS: if (v < 0) v = -v; break;
                    case OP_NOT: v = v == 0; break;
                    case OP_0NOTEQUAL: v = v != 0; break;
                    default: assert(false);
                    }
                    top(-1) = ScriptNumEncode(v);
                    break;
                }

                case OP_ADD: case OP_SUB: case OP_BOOLAND: case OP_BOOLOR: case OP_NUMEQUAL: case OP_NUMEQUALVERIFY:
                case OP_NUMNOTEQUAL: case OP_LESSTHAN: case OP_GREATERTHAN: case OP_LESSTHANOREQUAL:
                case OP_GREATERTHANOREQUAL: case OP_MIN: case OP_MAX: {
                    if (stack.size() < 2) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    const auto arg1 = num(top(-2));
                    if (!arg1) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    const auto arg2 = num(top(-1));
                    if (!arg2) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    const int64_t a = arg1->value(), b = arg2->value();
                    int64_t r = 0;
                    switch (op) {
                    case OP_ADD: r = a + b; break;
                    case OP_SUB: r = a - b; break;
                    case OP_BOOLAND: r = a != 0 && b != 0; break;
                    case OP_BOOLOR: r = a != 0 || b != 0; break;
                    case OP_NUMEQUAL: r = a == b; break;
                    case OP_NUMEQUALVERIFY: r = a == b; break;
                    case OP_NUMNOTEQUAL: r = a != b; break;
                    case OP_LESSTHAN: r = a < b; break;
                    case OP_GREATERTHAN: r = a > b; break;
                    case OP_LESSTHANOREQUAL: r = a <= b; break;
                    case OP_GREATERTHANOREQUAL: r = a >= b; break;
                    case OP_MIN: r = a < b ? a : b; break;
                    case OP_MAX: r = a > b ? a : b; break;
                    default: assert(false);
                    }
                    stack.pop_back();
                    top(-1) = ScriptNumEncode(r);
                    if (op == OP_NUMEQUALVERIFY) {
                        if (!CastToBool(top(-1))) return SetError(error, ScriptError::NUMEQUALVERIFY);
                        stack.pop_back();
                    }
                    break;
                }

                case OP_WITHIN: {
                    // (x min max -- min <= x < max)
                    if (stack.size() < 3) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    const auto x = num(top(-3));
                    if (!x) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    const auto lo = num(top(-2));
                    if (!lo) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    const auto hi = num(top(-1));
                    if (!hi) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    const bool within = lo->value() <= x->value() && x->value() < hi->value();
                    stack.pop_back();
                    stack.pop_back();
                    SetBool(top(-1), within);
                    break;
                }

                // Crypto
                case OP_RIPEMD160: case OP_SHA1: case OP_SHA256: case OP_HASH160: case OP_HASH256: {
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    Bytes& v = top(-1);
                    uint8_t out[32];
                    size_t out_len = 32;
                    if (op == OP_RIPEMD160) {
                        Ripemd160().Write(v).Finalize(out);
                        out_len = Ripemd160::OUTPUT_SIZE;
                    } else if (op == OP_SHA1) {
                        Sha1().Write(v).Finalize(out);
                        out_len = Sha1::OUTPUT_SIZE;
                    } else if (op == OP_SHA256) {
                        Sha256().Write(v).Finalize(out);
                    } else if (op == OP_HASH160) {
                        const uint160 h = Hash160(v);
                        std::copy(h.begin(), h.end(), out);
                        out_len = uint160::size();
                    } else {
                        const uint256 h = Hash256(v);
                        std::copy(h.begin(), h.end(), out);
                    }
                    v.assign(out, out + out_len);
                    break;
                }

                case OP_CODESEPARATOR:
                    // Later signatures sign only the script after this point.
                    code_begin = pc;
                    execdata.codeseparator_pos = opcode_pos;
                    break;

                case OP_CHECKSIG:
                case OP_CHECKSIGVERIFY: {
                    if (stack.size() < 2) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    bool success = true;
                    if (!EvalChecksig(top(-2), top(-1), script.subspan(code_begin), execdata, flags, checker,
                                      sigversion, error, success)) {
                        return false;
                    }
                    stack.pop_back();
                    SetBool(top(-1), success);
                    if (op == OP_CHECKSIGVERIFY) {
                        if (!success) return SetError(error, ScriptError::CHECKSIGVERIFY);
                        stack.pop_back();
                    }
                    break;
                }

                case OP_CHECKSIGADD: {
                    // (sig n pubkey -- n + success)
                    if (legacy_limits) return SetError(error, ScriptError::BAD_OPCODE);
                    if (stack.size() < 3) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    const auto n = num(top(-2));
                    if (!n) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    bool success = true;
                    if (!EvalChecksig(top(-3), top(-1), script.subspan(code_begin), execdata, flags, checker,
                                      sigversion, error, success)) {
                        return false;
                    }
                    stack.pop_back();
                    stack.pop_back();
                    top(-1) = ScriptNumEncode(n->value() + (success ? 1 : 0));
                    break;
                }

                case OP_CHECKMULTISIG:
                case OP_CHECKMULTISIGVERIFY: {
                    if (sigversion == SigVersion::TAPSCRIPT) return SetError(error, ScriptError::TAPSCRIPT_CHECKMULTISIG);
                    // ([dummy] [sig ...] num_of_signatures [pubkey ...] num_of_pubkeys -- bool)
                    int i = 1;
                    if (int(stack.size()) < i) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    const auto keys_arg = num(top(-i));
                    if (!keys_arg) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    int keys_count = keys_arg->GetInt();
                    if (keys_count < 0 || keys_count > MAX_PUBKEYS_PER_MULTISIG) {
                        return SetError(error, ScriptError::PUBKEY_COUNT);
                    }
                    // Each key counts as an operation.
                    op_count += keys_count;
                    if (op_count > MAX_OPS_PER_SCRIPT) return SetError(error, ScriptError::OP_COUNT);
                    int ikey = ++i;
                    // Elements from here down are cleaned up; the first keys_count + 2 are not signatures.
                    int ikey2 = keys_count + 2;
                    i += keys_count;
                    if (int(stack.size()) < i) return SetError(error, ScriptError::INVALID_STACK_OPERATION);

                    const auto sigs_arg = num(top(-i));
                    if (!sigs_arg) return SetError(error, ScriptError::UNKNOWN_ERROR);
                    int sigs_count = sigs_arg->GetInt();
                    if (sigs_count < 0 || sigs_count > keys_count) return SetError(error, ScriptError::SIG_COUNT);
                    int isig = ++i;
                    i += sigs_count;
                    if (int(stack.size()) < i) return SetError(error, ScriptError::INVALID_STACK_OPERATION);

                    ByteSpan script_code = script.subspan(code_begin);
                    Bytes edited;
                    if (sigversion == SigVersion::BASE) {
                        // All signatures are deleted before any is checked.
                        for (int k = 0; k < sigs_count; ++k) {
                            Bytes next;
                            if (FindAndDelete(script_code, PushPattern(top(-isig - k)).span(), next) > 0) {
                                if (flags & SCRIPT_VERIFY_CONST_SCRIPTCODE) {
                                    return SetError(error, ScriptError::SIG_FINDANDDELETE);
                                }
                                edited = std::move(next);
                                script_code = edited;
                            }
                        }
                    }

                    bool success = true;
                    while (success && sigs_count > 0) {
                        const Bytes& sig = top(-isig);
                        const Bytes& pubkey = top(-ikey);
                        // Encodings are checked only for the pairs actually tried.
                        if (!CheckSignatureEncoding(sig, flags, error) ||
                            !CheckPubKeyEncoding(pubkey, flags, sigversion, error)) {
                            return false;
                        }
                        if (checker.CheckEcdsaSignature(sig, pubkey, script_code, sigversion)) {
                            ++isig;
                            --sigs_count;
                        }
                        ++ikey;
                        --keys_count;
                        // More signatures left than keys: no way to succeed.
                        if (sigs_count > keys_count) success = false;
                    }

                    // Pop everything but the dummy; with NULLFAIL, a failure leaves
                    // every signature empty.
                    while (i-- > 1) {
                        if (!success && (flags & SCRIPT_VERIFY_NULLFAIL) && !ikey2 && !top(-1).empty()) {
                            return SetError(error, ScriptError::SIG_NULLFAIL);
                        }
                        if (ikey2 > 0) --ikey2;
                        stack.pop_back();
                    }
                    // The original client popped one element too many; it has
                    // to be there, and BIP 147 makes it empty.
                    if (stack.empty()) return SetError(error, ScriptError::INVALID_STACK_OPERATION);
                    if ((flags & SCRIPT_VERIFY_NULLDUMMY) && !top(-1).empty()) {
                        return SetError(error, ScriptError::SIG_NULLDUMMY);
                    }
                    SetBool(top(-1), success);
                    if (op == OP_CHECKMULTISIGVERIFY) {
                        if (!success) return SetError(error, ScriptError::CHECKMULTISIGVERIFY);
                        stack.pop_back();
                    }
                    break;
                }

                default:
                    return SetError(error, ScriptError::BAD_OPCODE);
                }
            }

            if (stack.size() + altstack.size() > MAX_STACK_SIZE) return SetError(error, ScriptError::STACK_SIZE);
        }
    } catch (...) {
        // Only allocation can throw here.
        return SetError(error, ScriptError::UNKNOWN_ERROR);
    }

    if (!exec.Empty()) return SetError(error, ScriptError::UNBALANCED_CONDITIONAL);
    return SetSuccess(error);
}

} // namespace cairn
