// Mining RPCs (help categories "mining" and "generating").
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/server.h"

namespace cairn {

void RegisterMiningRpcCommands(RpcTable& table, RpcContext& ctx)
{
    (void)table;
    (void)ctx;
}

} // namespace cairn
