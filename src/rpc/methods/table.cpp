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
// | mockscheduler | hidden   | rpc/methods/control.cpp     |
// | getbestblockhash  | blockchain | rpc/methods/blockchain.cpp |
// | getblockchaininfo | blockchain | rpc/methods/blockchain.cpp |
// | getblockcount     | blockchain | rpc/methods/blockchain.cpp |
// | getblockhash      | blockchain | rpc/methods/blockchain.cpp |
// | getdifficulty     | blockchain | rpc/methods/blockchain.cpp |
// | getblock          | blockchain | rpc/methods/blocks.cpp |
// | getblockheader    | blockchain | rpc/methods/blocks.cpp |
// | getblockstats     | blockchain | rpc/methods/blocks.cpp |
// | getchaintips      | blockchain | rpc/methods/blocks.cpp |
// | getchaintxstats   | blockchain | rpc/methods/blocks.cpp |
// | gettxout          | blockchain | rpc/methods/txoutset.cpp |
// | gettxoutsetinfo   | blockchain | rpc/methods/txoutset.cpp |
// | getdeploymentinfo | blockchain | rpc/methods/chain_control.cpp |
// | preciousblock     | blockchain | rpc/methods/chain_control.cpp |
// | verifychain       | blockchain | rpc/methods/chain_control.cpp |
// | invalidateblock   | hidden     | rpc/methods/chain_control.cpp |
// | reconsiderblock   | hidden     | rpc/methods/chain_control.cpp |
// | syncwithvalidationinterfacequeue | hidden | rpc/methods/chain_control.cpp |
// | waitforblock       | blockchain | rpc/methods/chain_control.cpp |
// | waitforblockheight | blockchain | rpc/methods/chain_control.cpp |
// | waitfornewblock    | blockchain | rpc/methods/chain_control.cpp |
// | decoderawtransaction | rawtransactions | rpc/methods/rawtransaction.cpp |
// | decodescript         | rawtransactions | rpc/methods/rawtransaction.cpp |
// | getrawtransaction    | rawtransactions | rpc/methods/rawtransaction.cpp |
// | combinerawtransaction     | rawtransactions | rpc/methods/rawtransaction_build.cpp |
// | createrawtransaction      | rawtransactions | rpc/methods/rawtransaction_build.cpp |
// | signrawtransactionwithkey | rawtransactions | rpc/methods/rawtransaction_build.cpp |
// | scantxoutset         | blockchain | rpc/methods/scantxoutset.cpp |
// | getmempoolancestors   | blockchain | rpc/methods/mempool.cpp |
// | getmempooldescendants | blockchain | rpc/methods/mempool.cpp |
// | getmempoolentry       | blockchain | rpc/methods/mempool.cpp |
// | getmempoolinfo        | blockchain | rpc/methods/mempool.cpp |
// | getrawmempool         | blockchain | rpc/methods/mempool.cpp |
// | gettxspendingprevout  | blockchain | rpc/methods/mempool.cpp |
// | savemempool           | blockchain | rpc/methods/mempool.cpp |
// | sendrawtransaction | rawtransactions | rpc/methods/rawtransaction_submit.cpp |
// | submitpackage      | rawtransactions | rpc/methods/rawtransaction_submit.cpp |
// | testmempoolaccept  | rawtransactions | rpc/methods/rawtransaction_submit.cpp |
// | createmultisig         | util | rpc/methods/util.cpp |
// | deriveaddresses        | util | rpc/methods/util.cpp |
// | getdescriptorinfo      | util | rpc/methods/util.cpp |
// | getindexinfo           | util | rpc/methods/util.cpp |
// | signmessagewithprivkey | util | rpc/methods/util.cpp |
// | validateaddress        | util | rpc/methods/util.cpp |
// | verifymessage          | util | rpc/methods/util.cpp |
// | getmininginfo        | mining     | rpc/methods/mining.cpp |
// | getnetworkhashps     | mining     | rpc/methods/mining.cpp |
// | submitblock          | mining     | rpc/methods/mining.cpp |
// | submitheader         | mining     | rpc/methods/mining.cpp |
// | getblocktemplate     | mining     | rpc/methods/blocktemplate.cpp |
// | getprioritisedtransactions | mining | rpc/methods/mining_priority.cpp |
// | prioritisetransaction      | mining | rpc/methods/mining_priority.cpp |
// | generateblock        | generating | rpc/methods/mining.cpp |
// | generatetoaddress    | generating | rpc/methods/mining.cpp |
// | generatetodescriptor | generating | rpc/methods/mining.cpp |
// | generate             | hidden     | rpc/methods/mining.cpp |
// | setmocktime          | hidden     | rpc/methods/mining.cpp |
// | estimatesmartfee     | util       | rpc/methods/fees.cpp |
// | estimaterawfee       | hidden     | rpc/methods/fees.cpp |
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
    RegisterScanTxOutSetRpcCommands(table, ctx);
    RegisterChainControlRpcCommands(table, ctx);
    RegisterPruningRpcCommands(table, ctx);
    RegisterRawTransactionRpcCommands(table, ctx);
    RegisterRawTransactionBuildRpcCommands(table, ctx);
    RegisterUtilRpcCommands(table, ctx);
    RegisterMiningRpcCommands(table, ctx);
    RegisterNetworkRpcCommands(table, ctx);
    RegisterMempoolRpcCommands(table, ctx);
    RegisterRawTransactionSubmitRpcCommands(table, ctx);
    RegisterFeeRpcCommands(table, ctx);
}

} // namespace cairn
