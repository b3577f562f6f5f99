// Util RPCs: addresses, descriptors, messages (help category "util").
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/server.h"

namespace cairn {

void RegisterUtilRpcCommands(RpcTable& table, RpcContext& ctx)
{
    (void)table;
    (void)ctx;
}

} // namespace cairn
