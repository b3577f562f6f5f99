// Every RPC method and the file it lives in. Keep this table and
// RegisterAllRpcCommands in step when adding a method or a category file.
//
// | method        | category | file                        |
// |---------------|----------|-----------------------------|
// | getmemoryinfo | control  | rpc/methods/control.cpp     |
// | getrpcinfo    | control  | rpc/methods/control.cpp     |
// | help          | control  | rpc/methods/control.cpp     |
// | logging       | control  | rpc/methods/control.cpp     |
// | stop          | control  | rpc/methods/control.cpp     |
// | uptime        | control  | rpc/methods/control.cpp     |
// | echo          | hidden   | rpc/methods/control.cpp     |
// | echojson      | hidden   | rpc/methods/control.cpp     |
// | getbestblockhash  | blockchain | rpc/methods/blockchain.cpp |
// | getblockchaininfo | blockchain | rpc/methods/blockchain.cpp |
// | getblockcount     | blockchain | rpc/methods/blockchain.cpp |
// | getblockhash      | blockchain | rpc/methods/blockchain.cpp |
// | getdifficulty     | blockchain | rpc/methods/blockchain.cpp |
//
// To come, one file per category: more of blockchain.cpp, mining.cpp, network.cpp,
// rawtransactions.cpp, util.cpp (and the wallet's own in wallet/).
#include "rpc/methods/register.h"

#include "rpc/context.h"
#include "rpc/server.h"

namespace cairn {

void RegisterAllRpcCommands(RpcTable& table, RpcContext& ctx)
{
    RegisterControlRpcCommands(table);
    RegisterBlockchainRpcCommands(table, ctx);
    RegisterBlockRpcCommands(table, ctx);
    RegisterTxOutSetRpcCommands(table, ctx);
    RegisterChainControlRpcCommands(table, ctx);
    RegisterRawTransactionRpcCommands(table, ctx);
    RegisterRawTransactionBuildRpcCommands(table, ctx);
    RegisterUtilRpcCommands(table, ctx);
    RegisterMiningRpcCommands(table, ctx);
    RegisterNetworkRpcCommands(table, ctx);
}

} // namespace cairn
