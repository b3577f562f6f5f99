#include "rpc/methods/descriptor_args.h"

#include "rpc/protocol.h"
#include "rpc/request.h"
#include "rpc/util.h"

#include <limits>

namespace cairn {

std::pair<int64_t, int64_t> ParseDescriptorRange(const UniValue& value)
{
    constexpr int64_t MIN = std::numeric_limits<int64_t>::min();
    constexpr int64_t MAX = std::numeric_limits<int64_t>::max();
    int64_t low = 0;
    int64_t high = 0;
    if (value.isNum()) {
        high = IntFromValue(value, MIN, MAX);
    } else if (value.isArray() && value.size() == 2 && value[0].isNum() && value[1].isNum()) {
        low = IntFromValue(value[0], MIN, MAX);
        high = IntFromValue(value[1], MIN, MAX);
        if (low > high) {
            throw RpcError(RPC_INVALID_PARAMETER, "Range specified as [begin,end] must not have begin after end");
        }
    } else {
        throw RpcError(RPC_INVALID_PARAMETER, "Range must be specified as end or as [begin,end]");
    }
    if (low < 0) throw RpcError(RPC_INVALID_PARAMETER, "Range should be greater or equal than 0");
    if ((high >> 31) != 0) throw RpcError(RPC_INVALID_PARAMETER, "End of range is too high");
    if (high >= low + 1000000) throw RpcError(RPC_INVALID_PARAMETER, "Range is too large");
    return {low, high};
}

} // namespace cairn
