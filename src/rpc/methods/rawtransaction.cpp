// Raw transaction lookup and decoding (help category "rawtransactions").
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/server.h"

namespace cairn {

void RegisterRawTransactionRpcCommands(RpcTable& table, RpcContext& ctx)
{
    (void)table;
    (void)ctx;
}

} // namespace cairn
