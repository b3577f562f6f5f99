// Block RPCs: headers, blocks and their statistics (help category "blockchain").
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/server.h"

namespace cairn {

void RegisterBlockRpcCommands(RpcTable& table, RpcContext& ctx)
{
    (void)table;
    (void)ctx;
}

} // namespace cairn
