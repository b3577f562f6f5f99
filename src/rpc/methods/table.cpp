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

#include "rpc/server.h"

namespace cairn {

void RegisterAllRpcCommands(RpcTable& table, ChainstateManager& chainman, const std::filesystem::path& blocks_dir)
{
    RegisterControlRpcCommands(table);
    RegisterBlockchainRpcCommands(table, chainman, blocks_dir);
}

} // namespace cairn
