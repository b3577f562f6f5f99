// Numbers as Script sees them: little-endian, sign in the top bit of the last
// byte, at most 4 bytes as operands (5 for lock times), results unbounded up
// to int64. Arithmetic happens on int64_t, where 4-byte operands cannot
// overflow; only decoding can fail.
#ifndef CAIRN_CONSENSUS_SCRIPT_SCRIPT_NUM_H
#define CAIRN_CONSENSUS_SCRIPT_SCRIPT_NUM_H

#include "primitives/script.h"
#include "util/span.h"

#include <climits>
#include <cstdint>
#include <optional>

namespace cairn {

class ScriptNum
{
public:
    /** Operand size for arithmetic opcodes. */
    static constexpr size_t DEFAULT_MAX_SIZE = 4;
    /** OP_CHECKLOCKTIMEVERIFY and OP_CHECKSEQUENCEVERIFY take 5 bytes so that
     *  lock times up to 2^39-1 (beyond uint32) stay expressible. */
    static constexpr size_t LOCKTIME_MAX_SIZE = 5;

    constexpr explicit ScriptNum(int64_t value) : m_value(value) {}

    /** True when `bytes` has no removable high byte (which also rules out negative zero, 0x80). */
    static constexpr bool IsMinimal(ByteSpan bytes)
    {
        if (bytes.empty()) return true;
        // The top byte may be zero (apart from the sign bit) only if it exists to
        // hold the sign bit clear of a magnitude byte that has its top bit set.
        if ((bytes.back() & 0x7f) == 0) {
            if (bytes.size() <= 1 || (bytes[bytes.size() - 2] & 0x80) == 0) return false;
        }
        return true;
    }

    /** Decodes a stack element; nullopt when it is longer than max_size or, with
     *  require_minimal (MINIMALDATA), not minimally encoded. Both make the script fail. */
    static constexpr std::optional<ScriptNum> Decode(ByteSpan bytes, bool require_minimal,
                                                     size_t max_size = DEFAULT_MAX_SIZE)
    {
        if (bytes.size() > max_size) return std::nullopt;
        if (require_minimal && !IsMinimal(bytes)) return std::nullopt;
        if (bytes.empty()) return ScriptNum{0};
        uint64_t magnitude = 0;
        for (size_t i = 0; i < bytes.size(); ++i) magnitude |= uint64_t(bytes[i]) << (8 * i);
        const uint64_t sign_bit = uint64_t(0x80) << (8 * (bytes.size() - 1));
        if (magnitude & sign_bit) return ScriptNum{-int64_t(magnitude & ~sign_bit)};
        return ScriptNum{int64_t(magnitude)};
    }

    constexpr int64_t value() const { return m_value; }
    /** The value clamped to the int range: how counts and stack indexes are read. */
    constexpr int GetInt() const
    {
        if (m_value > INT_MAX) return INT_MAX;
        if (m_value < INT_MIN) return INT_MIN;
        return int(m_value);
    }
    Bytes Encode() const { return ScriptNumEncode(m_value); }

private:
    int64_t m_value;
};

} // namespace cairn

#endif
