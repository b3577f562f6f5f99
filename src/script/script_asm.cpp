#include "script/script_asm.h"

#include "consensus/script/script_num.h"
#include "consensus/script/sig_encoding.h"
#include "util/hex.h"
#include "util/strencodings.h"

#include <map>
#include <stdexcept>

namespace cairn {

namespace {

/** "[ALL]" etc. for the six defined legacy hash types, else "". */
std::string SighashSuffix(uint8_t type)
{
    const bool acp = type & 0x80;
    std::string base;
    switch (type & 0x7f) {
    case 1: base = "ALL"; break;
    case 2: base = "NONE"; break;
    case 3: base = "SINGLE"; break;
    default: return "";
    }
    return "[" + base + (acp ? "|ANYONECANPAY" : "") + "]";
}

const std::map<std::string, Opcode, std::less<>>& OpcodesByName()
{
    static const std::map<std::string, Opcode, std::less<>> names = [] {
        std::map<std::string, Opcode, std::less<>> m;
        // Pushes and small numbers are written as numbers or data, so only
        // OP_RESERVED and the ops from OP_NOP up have names here.
        for (unsigned op = 0; op <= MAX_OPCODE; ++op) {
            if (op < OP_NOP && op != OP_RESERVED) continue;
            const std::string name = GetOpName(Opcode(op));
            if (name == "OP_UNKNOWN") continue;
            m.emplace(name, Opcode(op));
            if (name.starts_with("OP_")) m.emplace(name.substr(3), Opcode(op));
        }
        return m;
    }();
    return names;
}

bool IsDecimal(std::string_view w)
{
    if (!w.empty() && w.front() == '-') w.remove_prefix(1);
    if (w.empty()) return false;
    for (char c : w) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

} // namespace

std::string GetOpName(Opcode op)
{
    switch (op) {
    case OP_0: return "0";
    case OP_PUSHDATA1: return "OP_PUSHDATA1";
    case OP_PUSHDATA2: return "OP_PUSHDATA2";
    case OP_PUSHDATA4: return "OP_PUSHDATA4";
    case OP_1NEGATE: return "-1";
    case OP_RESERVED: return "OP_RESERVED";
    case OP_1: case OP_2: case OP_3: case OP_4: case OP_5: case OP_6: case OP_7: case OP_8:
    case OP_9: case OP_10: case OP_11: case OP_12: case OP_13: case OP_14: case OP_15: case OP_16:
        return std::to_string(DecodeOpN(op));
    case OP_NOP: return "OP_NOP";
    case OP_VER: return "OP_VER";
    case OP_IF: return "OP_IF";
    case OP_NOTIF: return "OP_NOTIF";
    case OP_VERIF: return "OP_VERIF";
    case OP_VERNOTIF: return "OP_VERNOTIF";
    case OP_ELSE: return "OP_ELSE";
    case OP_ENDIF: return "OP_ENDIF";
    case OP_VERIFY: return "OP_VERIFY";
    case OP_RETURN: return "OP_RETURN";
    case OP_TOALTSTACK: return "OP_TOALTSTACK";
    case OP_FROMALTSTACK: return "OP_FROMALTSTACK";
    case OP_2DROP: return "OP_2DROP";
    case OP_2DUP: return "OP_2DUP";
    case OP_3DUP: return "OP_3DUP";
    case OP_2OVER: return "OP_2OVER";
    case OP_2ROT: return "OP_2ROT";
    case OP_2SWAP: return "OP_2SWAP";
    case OP_IFDUP: return "OP_IFDUP";
    case OP_DEPTH: return "OP_DEPTH";
    case OP_DROP: return "OP_DROP";
    case OP_DUP: return "OP_DUP";
    case OP_NIP: return "OP_NIP";
    case OP_OVER: return "OP_OVER";
    case OP_PICK: return "OP_PICK";
    case OP_ROLL: return "OP_ROLL";
    case OP_ROT: return "OP_ROT";
    case OP_SWAP: return "OP_SWAP";
    case OP_TUCK: return "OP_TUCK";
    case OP_CAT: return "OP_CAT";
    case OP_SUBSTR: return "OP_SUBSTR";
    case OP_LEFT: return "OP_LEFT";
    case OP_RIGHT: return "OP_RIGHT";
    case OP_SIZE: return "OP_SIZE";
    case OP_INVERT: return "OP_INVERT";
    case OP_AND: return "OP_AND";
    case OP_OR: return "OP_OR";
    case OP_XOR: return "OP_XOR";
    case OP_EQUAL: return "OP_EQUAL";
    case OP_EQUALVERIFY: return "OP_EQUALVERIFY";
    case OP_RESERVED1: return "OP_RESERVED1";
    case OP_RESERVED2: return "OP_RESERVED2";
    case OP_1ADD: return "OP_1ADD";
    case OP_1SUB: return "OP_1SUB";
    case OP_2MUL: return "OP_2MUL";
    case OP_2DIV: return "OP_2DIV";
    case OP_NEGATE: return "OP_NEGATE";
    case OP_ABS: return "OP_ABS";
    case OP_NOT: return "OP_NOT";
    case OP_0NOTEQUAL: return "OP_0NOTEQUAL";
    case OP_ADD: return "OP_ADD";
    case OP_SUB: return "OP_SUB";
    case OP_MUL: return "OP_MUL";
    case OP_DIV: return "OP_DIV";
    case OP_MOD: return "OP_MOD";
    case OP_LSHIFT: return "OP_LSHIFT";
    case OP_RSHIFT: return "OP_RSHIFT";
    case OP_BOOLAND: return "OP_BOOLAND";
    case OP_BOOLOR: return "OP_BOOLOR";
    case OP_NUMEQUAL: return "OP_NUMEQUAL";
    case OP_NUMEQUALVERIFY: return "OP_NUMEQUALVERIFY";
    case OP_NUMNOTEQUAL: return "OP_NUMNOTEQUAL";
    case OP_LESSTHAN: return "OP_LESSTHAN";
    case OP_GREATERTHAN: return "OP_GREATERTHAN";
    case OP_LESSTHANOREQUAL: return "OP_LESSTHANOREQUAL";
    case OP_GREATERTHANOREQUAL: return "OP_GREATERTHANOREQUAL";
    case OP_MIN: return "OP_MIN";
    case OP_MAX: return "OP_MAX";
    case OP_WITHIN: return "OP_WITHIN";
    case OP_RIPEMD160: return "OP_RIPEMD160";
    case OP_SHA1: return "OP_SHA1";
    case OP_SHA256: return "OP_SHA256";
    case OP_HASH160: return "OP_HASH160";
    case OP_HASH256: return "OP_HASH256";
    case OP_CODESEPARATOR: return "OP_CODESEPARATOR";
    case OP_CHECKSIG: return "OP_CHECKSIG";
    case OP_CHECKSIGVERIFY: return "OP_CHECKSIGVERIFY";
    case OP_CHECKMULTISIG: return "OP_CHECKMULTISIG";
    case OP_CHECKMULTISIGVERIFY: return "OP_CHECKMULTISIGVERIFY";
    case OP_NOP1: return "OP_NOP1";
    case OP_CHECKLOCKTIMEVERIFY: return "OP_CHECKLOCKTIMEVERIFY";
    case OP_CHECKSEQUENCEVERIFY: return "OP_CHECKSEQUENCEVERIFY";
    case OP_NOP4: return "OP_NOP4";
    case OP_NOP5: return "OP_NOP5";
    case OP_NOP6: return "OP_NOP6";
    case OP_NOP7: return "OP_NOP7";
    case OP_NOP8: return "OP_NOP8";
    case OP_NOP9: return "OP_NOP9";
    case OP_NOP10: return "OP_NOP10";
    case OP_CHECKSIGADD: return "OP_CHECKSIGADD";
    case OP_INVALIDOPCODE: return "OP_INVALIDOPCODE";
    default: return "OP_UNKNOWN";
    }
}

std::string ScriptToAsmStr(const Script& script, bool attempt_sighash_decode)
{
    std::string out;
    size_t pc = 0;
    Opcode op;
    ByteSpan data;
    while (pc < script.size()) {
        if (!out.empty()) out += ' ';
        if (!script.GetOp(pc, op, data)) {
            out += "[error]";
            break;
        }
        if (op > OP_PUSHDATA4) {
            out += GetOpName(op);
        } else if (data.size() <= 4) {
            // What the bytes would mean as a number, minimal or not.
            out += std::to_string(ScriptNum::Decode(data, /*require_minimal=*/false)->value());
        } else if (attempt_sighash_decode && !script.IsUnspendable() && IsValidSignatureEncoding(data) &&
                   IsDefinedHashtypeSignature(data)) {
            // Data that happens to look like a signature in an OP_RETURN
            // output is left alone by the IsUnspendable() test above.
            out += HexStr(data.first(data.size() - 1)) + SighashSuffix(data.back());
        } else {
            out += HexStr(data);
        }
    }
    return out;
}

Script ParseScript(std::string_view s)
{
    Script result;
    size_t i = 0;
    while (i < s.size()) {
        const size_t end = std::min(s.find_first_of(" \t\n", i), s.size());
        const std::string_view w = s.substr(i, end - i);
        i = end + 1;
        if (w.empty()) continue;

        if (IsDecimal(w)) {
            int64_t n;
            // Beyond +-0xffffffff a number cannot be a valid script number
            // operand (at most 4 bytes), so the notation refuses it.
            if (!ParseInt64(w, &n) || n > int64_t{0xffffffff} || n < -int64_t{0xffffffff}) {
                throw std::runtime_error(
                    "script parse error: decimal numeric value only allowed in the range -0xFFFFFFFF...0xFFFFFFFF");
            }
            result.PushInt(n);
        } else if (w.size() > 2 && w.starts_with("0x") && IsHex(w.substr(2))) {
            result.Append(ParseHex(w.substr(2)));
        } else if (w.size() >= 2 && w.front() == '\'' && w.back() == '\'') {
            result.PushData(AsBytes(w.substr(1, w.size() - 2)));
        } else {
            const auto& names = OpcodesByName();
            const auto it = names.find(w);
            if (it == names.end()) throw std::runtime_error("script parse error: unknown opcode");
            result << it->second;
        }
    }
    return result;
}

} // namespace cairn
