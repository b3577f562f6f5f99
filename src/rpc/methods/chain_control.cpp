// RPCs that steer or wait on the active chain (help category "blockchain").
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/server.h"

namespace cairn {

void RegisterChainControlRpcCommands(RpcTable& table, RpcContext& ctx)
{
    (void)table;
    (void)ctx;
}

} // namespace cairn
