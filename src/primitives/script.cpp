#include "primitives/script.h"

namespace cairn {

Bytes ScriptNumEncode(int64_t value)
{
    Bytes out;
    if (value == 0) return out;
    const bool neg = value < 0;
    // Magnitude as unsigned so that INT64_MIN does not overflow.
    uint64_t abs = neg ? ~uint64_t(value) + 1 : uint64_t(value);
    while (abs) {
        out.push_back(uint8_t(abs & 0xff));
        abs >>= 8;
    }
    // The top bit of the last byte is the sign: add a byte when the magnitude uses it.
    if (out.back() & 0x80) {
        out.push_back(neg ? 0x80 : 0);
    } else if (neg) {
        out.back() |= 0x80;
    }
    return out;
}

Script& Script::operator<<(Opcode op)
{
    m_bytes.push_back(op);
    return *this;
}

Script& Script::PushData(ByteSpan data)
{
    const size_t n = data.size();
    if (n < OP_PUSHDATA1) {
        m_bytes.push_back(uint8_t(n));
    } else if (n <= 0xff) {
        m_bytes.push_back(OP_PUSHDATA1);
        m_bytes.push_back(uint8_t(n));
    } else if (n <= 0xffff) {
        m_bytes.push_back(OP_PUSHDATA2);
        m_bytes.push_back(uint8_t(n));
        m_bytes.push_back(uint8_t(n >> 8));
    } else {
        m_bytes.push_back(OP_PUSHDATA4);
        for (int i = 0; i < 4; ++i) m_bytes.push_back(uint8_t(n >> (8 * i)));
    }
    m_bytes.insert(m_bytes.end(), data.begin(), data.end());
    return *this;
}

Script& Script::PushInt(int64_t n)
{
    if (n == -1 || (n >= 1 && n <= 16)) {
        m_bytes.push_back(uint8_t(n + (OP_1 - 1)));
    } else if (n == 0) {
        m_bytes.push_back(OP_0);
    } else {
        PushData(ScriptNumEncode(n));
    }
    return *this;
}

bool GetScriptOp(ByteSpan script, size_t& pc, Opcode& opcode, ByteSpan& data)
{
    opcode = OP_INVALIDOPCODE;
    data = {};
    const size_t end = script.size();
    if (pc >= end) return false;
    uint8_t op = script[pc++];
    if (op <= OP_PUSHDATA4) {
        size_t len;
        if (op < OP_PUSHDATA1) {
            len = op;
        } else if (op == OP_PUSHDATA1) {
            if (end - pc < 1) return false;
            len = script[pc];
            pc += 1;
        } else if (op == OP_PUSHDATA2) {
            if (end - pc < 2) return false;
            len = size_t(script[pc]) | size_t(script[pc + 1]) << 8;
            pc += 2;
        } else {
            if (end - pc < 4) return false;
            len = size_t(script[pc]) | size_t(script[pc + 1]) << 8 | size_t(script[pc + 2]) << 16 |
                  size_t(script[pc + 3]) << 24;
            pc += 4;
        }
        if (end - pc < len) return false;
        data = ByteSpan(script.data() + pc, len);
        pc += len;
    }
    opcode = Opcode(op);
    return true;
}

bool Script::IsPayToScriptHash() const
{
    return m_bytes.size() == 23 && m_bytes[0] == OP_HASH160 && m_bytes[1] == 0x14 && m_bytes[22] == OP_EQUAL;
}

bool Script::IsPayToWitnessScriptHash() const
{
    return m_bytes.size() == 34 && m_bytes[0] == OP_0 && m_bytes[1] == 0x20;
}

bool Script::IsPayToTaproot() const
{
    return m_bytes.size() == 34 && m_bytes[0] == OP_1 && m_bytes[1] == 0x20;
}

bool Script::IsWitnessProgram(int& version, ByteSpan& program) const
{
    if (m_bytes.size() < 4 || m_bytes.size() > 42) return false;
    if (m_bytes[0] != OP_0 && (m_bytes[0] < OP_1 || m_bytes[0] > OP_16)) return false;
    if (size_t(m_bytes[1]) + 2 != m_bytes.size()) return false;
    version = DecodeOpN(Opcode(m_bytes[0]));
    program = ByteSpan(m_bytes.data() + 2, m_bytes.size() - 2);
    return true;
}

bool Script::IsPushOnly(size_t pc) const
{
    Opcode op;
    while (pc < m_bytes.size()) {
        if (!GetOp(pc, op)) return false;
        // OP_RESERVED counts as a push here, as it always has: executing it
        // fails anyway, and the error a script reports depends on this.
        if (op > OP_16) return false;
    }
    return true;
}

bool Script::HasValidOps() const
{
    size_t pc = 0;
    Opcode op;
    ByteSpan data;
    while (pc < m_bytes.size()) {
        if (!GetOp(pc, op, data) || op > MAX_OPCODE || data.size() > MAX_SCRIPT_ELEMENT_SIZE) return false;
    }
    return true;
}

} // namespace cairn
