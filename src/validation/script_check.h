// One input's script verification, queued on the check pool.
#ifndef CAIRN_VALIDATION_SCRIPT_CHECK_H
#define CAIRN_VALIDATION_SCRIPT_CHECK_H

#include "consensus/script/script_error.h"
#include "consensus/script/script_flags.h"
#include "consensus/script/sighash.h"
#include "primitives/transaction.h"
#include "validation/check_queue.h"

#include <optional>
#include <string>
#include <utility>

namespace cairn {

class SignatureCache;

/** A failure: the script error and a note saying which input. */
using ScriptFailure = std::pair<ScriptError, std::string>;

struct ScriptCheck {
    TxOut spent;                      // the output being spent
    const Transaction* tx{nullptr};   // owned by the block being connected
    unsigned int input{0};
    ScriptFlags flags{0};
    const PrecomputedTxData* txdata{nullptr};
    SignatureCache* cache{nullptr};
    bool store_in_cache{false};

    std::optional<ScriptFailure> operator()() const;
};

using ScriptCheckQueue = CheckQueue<ScriptCheck, ScriptFailure>;
using ScriptCheckControl = CheckQueueControl<ScriptCheck, ScriptFailure>;

} // namespace cairn

#endif
