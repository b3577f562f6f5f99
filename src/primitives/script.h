// Script as data: the opcode numbers, a byte container, and the parsing of
// one operation at a time. What scripts *mean* lives in consensus/script/.
#ifndef CAIRN_PRIMITIVES_SCRIPT_H
#define CAIRN_PRIMITIVES_SCRIPT_H

#include "util/span.h"

#include <cstdint>
#include <vector>

namespace cairn {

/** Consensus limits on scripts (BIP 16/141/342 and the original client). */
inline constexpr size_t MAX_SCRIPT_ELEMENT_SIZE = 520;
inline constexpr int MAX_OPS_PER_SCRIPT = 201;
inline constexpr int MAX_PUBKEYS_PER_MULTISIG = 20;
inline constexpr size_t MAX_SCRIPT_SIZE = 10000;
inline constexpr size_t MAX_STACK_SIZE = 1000;
/** nLockTime values below this are block heights, above it unix times. */
inline constexpr uint32_t LOCKTIME_THRESHOLD = 500000000;

enum Opcode : uint8_t {
    OP_0 = 0x00, OP_FALSE = OP_0,
    OP_PUSHDATA1 = 0x4c, OP_PUSHDATA2 = 0x4d, OP_PUSHDATA4 = 0x4e,
    OP_1NEGATE = 0x4f, OP_RESERVED = 0x50,
    OP_1 = 0x51, OP_TRUE = OP_1, OP_2, OP_3, OP_4, OP_5, OP_6, OP_7, OP_8,
    OP_9, OP_10, OP_11, OP_12, OP_13, OP_14, OP_15, OP_16,
    // control
    OP_NOP = 0x61, OP_VER, OP_IF, OP_NOTIF, OP_VERIF, OP_VERNOTIF, OP_ELSE, OP_ENDIF,
    OP_VERIFY, OP_RETURN,
    // stack
    OP_TOALTSTACK = 0x6b, OP_FROMALTSTACK, OP_2DROP, OP_2DUP, OP_3DUP, OP_2OVER, OP_2ROT,
    OP_2SWAP, OP_IFDUP, OP_DEPTH, OP_DROP, OP_DUP, OP_NIP, OP_OVER, OP_PICK, OP_ROLL,
    OP_ROT, OP_SWAP, OP_TUCK,
    // splice
    OP_CAT = 0x7e, OP_SUBSTR, OP_LEFT, OP_RIGHT, OP_SIZE,
    // bit logic
    OP_INVERT = 0x83, OP_AND, OP_OR, OP_XOR, OP_EQUAL, OP_EQUALVERIFY, OP_RESERVED1, OP_RESERVED2,
    // numeric
    OP_1ADD = 0x8b, OP_1SUB, OP_2MUL, OP_2DIV, OP_NEGATE, OP_ABS, OP_NOT, OP_0NOTEQUAL,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_LSHIFT, OP_RSHIFT,
    OP_BOOLAND, OP_BOOLOR, OP_NUMEQUAL, OP_NUMEQUALVERIFY, OP_NUMNOTEQUAL,
    OP_LESSTHAN, OP_GREATERTHAN, OP_LESSTHANOREQUAL, OP_GREATERTHANOREQUAL,
    OP_MIN, OP_MAX, OP_WITHIN,
    // crypto
    OP_RIPEMD160 = 0xa6, OP_SHA1, OP_SHA256, OP_HASH160, OP_HASH256, OP_CODESEPARATOR,
    OP_CHECKSIG, OP_CHECKSIGVERIFY, OP_CHECKMULTISIG, OP_CHECKMULTISIGVERIFY,
    // expansion
    OP_NOP1 = 0xb0, OP_CHECKLOCKTIMEVERIFY, OP_CHECKSEQUENCEVERIFY, OP_NOP4, OP_NOP5,
    OP_NOP6, OP_NOP7, OP_NOP8, OP_NOP9, OP_NOP10,
    OP_NOP2 = OP_CHECKLOCKTIMEVERIFY, OP_NOP3 = OP_CHECKSEQUENCEVERIFY,
    // tapscript (BIP 342)
    OP_CHECKSIGADD = 0xba,
    OP_INVALIDOPCODE = 0xff,
};

/** Largest opcode with a meaning; higher numbers fail when executed. */
inline constexpr uint8_t MAX_OPCODE = OP_NOP10;

/** Minimal encoding of an integer as a script number (little-endian, sign bit in the last byte). */
Bytes ScriptNumEncode(int64_t value);

/** Reads the operation at `pc` of any byte string, advancing it; the parser
 *  behind Script::GetOp, usable on a span so that the interpreter never has
 *  to copy a script to walk it. On a truncated push it returns false with
 *  `pc` left past whatever it managed to read (opcode and length bytes):
 *  legacy signature hashing depends on exactly where it stops. */
bool GetScriptOp(ByteSpan script, size_t& pc, Opcode& opcode, ByteSpan& data);

/** A script: a byte string with helpers to build it and to walk its operations. */
class Script
{
public:
    Script() = default;
    explicit Script(Bytes bytes) : m_bytes(std::move(bytes)) {}
    Script(ByteSpan bytes) : m_bytes(bytes.begin(), bytes.end()) {}
    template <typename It> Script(It first, It last) : m_bytes(first, last) {}

    // Building
    Script& operator<<(Opcode op);
    /** Pushes data with the smallest push opcode that fits (never OP_n). */
    Script& PushData(ByteSpan data);
    Script& operator<<(ByteSpan data) { return PushData(data); }
    Script& operator<<(const Bytes& data) { return PushData(data); }
    /** Pushes an integer the way the original client did: OP_0, OP_1NEGATE, OP_1..OP_16, else a number push. */
    Script& PushInt(int64_t n);
    Script& Append(ByteSpan raw)
    {
        m_bytes.insert(m_bytes.end(), raw.begin(), raw.end());
        return *this;
    }

    // Parsing
    /** Reads the operation at `pc`, advancing it. Returns false (with opcode
     *  OP_INVALIDOPCODE) at the end or on a push that runs past the end. */
    bool GetOp(size_t& pc, Opcode& opcode, ByteSpan& data) const { return GetScriptOp(m_bytes, pc, opcode, data); }
    bool GetOp(size_t& pc, Opcode& opcode) const
    {
        ByteSpan d;
        return GetOp(pc, opcode, d);
    }

    // Templates that consensus itself recognises
    bool IsPayToScriptHash() const;
    bool IsPayToWitnessScriptHash() const;
    bool IsPayToTaproot() const;
    /** BIP 141: a 1-byte version push (OP_0, OP_1..OP_16) then one 2..40-byte push, nothing else. */
    bool IsWitnessProgram(int& version, ByteSpan& program) const;
    /** Only push operations (OP_1NEGATE..OP_16 count as pushes), from `start` on. */
    bool IsPushOnly(size_t start = 0) const;
    /** Provably unspendable: starts with OP_RETURN or is larger than MAX_SCRIPT_SIZE. */
    bool IsUnspendable() const
    {
        return (!m_bytes.empty() && m_bytes[0] == OP_RETURN) || m_bytes.size() > MAX_SCRIPT_SIZE;
    }
    /** All opcodes are known and all pushes complete. */
    bool HasValidOps() const;

    // Container access
    const Bytes& bytes() const { return m_bytes; }
    Bytes& bytes() { return m_bytes; }
    size_t size() const { return m_bytes.size(); }
    bool empty() const { return m_bytes.empty(); }
    const uint8_t* data() const { return m_bytes.data(); }
    uint8_t operator[](size_t i) const { return m_bytes[i]; }
    auto begin() const { return m_bytes.begin(); }
    auto end() const { return m_bytes.end(); }
    ByteSpan span() const { return m_bytes; }
    operator ByteSpan() const { return m_bytes; }
    void clear() { m_bytes.clear(); }

    friend bool operator==(const Script&, const Script&) = default;
    friend auto operator<=>(const Script& a, const Script& b) { return a.m_bytes <=> b.m_bytes; }

private:
    Bytes m_bytes;
};

/** OP_0 -> 0, OP_1..OP_16 -> 1..16. */
inline int DecodeOpN(Opcode op) { return op == OP_0 ? 0 : int(op) - int(OP_1) + 1; }
inline Opcode EncodeOpN(int n) { return n == 0 ? OP_0 : Opcode(int(OP_1) + n - 1); }

/** The witness stack of one input. */
struct ScriptWitness {
    std::vector<Bytes> stack;
    bool IsNull() const { return stack.empty(); }
    friend bool operator==(const ScriptWitness&, const ScriptWitness&) = default;
};

} // namespace cairn

#endif
