// The outcome of a validation step: valid, or invalid with a result that
// says whose fault it is and Bitcoin Core's reject-reason token.
#ifndef CAIRN_CONSENSUS_VALIDATION_STATE_H
#define CAIRN_CONSENSUS_VALIDATION_STATE_H

#include <string>

namespace cairn {

/** Why a transaction failed; distinguishes consensus from policy failures
 *  so that relay can decide whether to punish the sender. */
enum class TxResult {
    UNSET,
    CONSENSUS,           // invalid by consensus rules
    RECENT_CONSENSUS_CHANGE,
    INPUTS_NOT_STANDARD,
    NOT_STANDARD,
    MISSING_INPUTS,
    PREMATURE_SPEND,
    WITNESS_MUTATED,
    WITNESS_STRIPPED,
    CONFLICT,
    MEMPOOL_POLICY,
    NO_MEMPOOL,
    RECONSIDERABLE,
    UNKNOWN,
};

enum class BlockResult {
    UNSET,
    CONSENSUS,
    RECENT_CONSENSUS_CHANGE,
    CACHED_INVALID,
    INVALID_HEADER,  // bad proof of work or timestamp
    MUTATED,         // the data does not match the committed hashes: another copy may be fine
    MISSING_PREV,
    INVALID_PREV,
    TIME_FUTURE,
    CHECKPOINT,
    HEADER_LOW_WORK,
};

template <typename Result>
class ValidationState
{
public:
    bool Invalid(Result result, std::string reject_reason, std::string debug = {})
    {
        m_mode = Mode::INVALID;
        m_result = result;
        m_reject_reason = std::move(reject_reason);
        m_debug = std::move(debug);
        return false;
    }
    bool Error(std::string reject_reason)
    {
        if (m_mode == Mode::VALID) m_reject_reason = std::move(reject_reason);
        m_mode = Mode::ERROR;
        return false;
    }
    bool IsValid() const { return m_mode == Mode::VALID; }
    bool IsInvalid() const { return m_mode == Mode::INVALID; }
    /** An internal failure (I/O, out of memory): nobody's fault, do not cache as invalid. */
    bool IsError() const { return m_mode == Mode::ERROR; }
    Result GetResult() const { return m_result; }
    const std::string& GetRejectReason() const { return m_reject_reason; }
    const std::string& GetDebugMessage() const { return m_debug; }
    /** "reason" or "reason, debug" as Bitcoin Core prints it. */
    std::string ToString() const
    {
        if (IsValid()) return "Valid";
        return m_debug.empty() ? m_reject_reason : m_reject_reason + ", " + m_debug;
    }

private:
    enum class Mode { VALID, INVALID, ERROR } m_mode{Mode::VALID};
    Result m_result{Result::UNSET};
    std::string m_reject_reason;
    std::string m_debug;
};

using TxValidationState = ValidationState<TxResult>;
using BlockValidationState = ValidationState<BlockResult>;

} // namespace cairn

#endif
