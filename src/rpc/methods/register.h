// One Register*RpcCommands function per `help` category file in this
// folder; RegisterAllRpcCommands (table.cpp) calls them all.
#ifndef CAIRN_RPC_METHODS_REGISTER_H
#define CAIRN_RPC_METHODS_REGISTER_H

#include <filesystem>

namespace cairn {

class ChainstateManager;
class RpcTable;

/** help, stop, uptime, getrpcinfo, logging, getmemoryinfo; echo, echojson (hidden). */
void RegisterControlRpcCommands(RpcTable& table);

/** getblockcount, getbestblockhash, getblockhash, getdifficulty, getblockchaininfo (blockchain.cpp). */
void RegisterBlockchainRpcCommands(RpcTable& table, ChainstateManager& chainman, const std::filesystem::path& blocks_dir);

/** Every method Cairn serves. */
void RegisterAllRpcCommands(RpcTable& table, ChainstateManager& chainman, const std::filesystem::path& blocks_dir);

} // namespace cairn

#endif
