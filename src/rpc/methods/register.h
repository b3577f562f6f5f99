// One Register*RpcCommands function per file in this folder; each file holds
// the methods of one job within a `help` category. RegisterAllRpcCommands
// (table.cpp) calls them all.
#ifndef CAIRN_RPC_METHODS_REGISTER_H
#define CAIRN_RPC_METHODS_REGISTER_H

namespace cairn {

class RpcTable;
struct RpcContext;

/** help, stop, uptime, getrpcinfo, logging, getmemoryinfo; echo, echojson (hidden). */
void RegisterControlRpcCommands(RpcTable& table);

/** getblockcount, getbestblockhash, getblockhash, getdifficulty, getblockchaininfo. */
void RegisterBlockchainRpcCommands(RpcTable& table, RpcContext& ctx);
/** getblockheader, getblock, getchaintips, getchaintxstats, getblockstats (blocks.cpp). */
void RegisterBlockRpcCommands(RpcTable& table, RpcContext& ctx);
/** gettxout, gettxoutsetinfo (txoutset.cpp). */
void RegisterTxOutSetRpcCommands(RpcTable& table, RpcContext& ctx);
/** scantxoutset (scantxoutset.cpp). */
void RegisterScanTxOutSetRpcCommands(RpcTable& table, RpcContext& ctx);
/** verifychain, invalidateblock, reconsiderblock, preciousblock,
 *  waitfornewblock, waitforblock, waitforblockheight, getdeploymentinfo,
 *  syncwithvalidationinterfacequeue (chain_control.cpp). */
void RegisterChainControlRpcCommands(RpcTable& table, RpcContext& ctx);
/** pruneblockchain (pruning.cpp). */
void RegisterPruningRpcCommands(RpcTable& table, RpcContext& ctx);
/** getrawtransaction, decoderawtransaction, decodescript (rawtransaction.cpp). */
void RegisterRawTransactionRpcCommands(RpcTable& table, RpcContext& ctx);
/** createrawtransaction, combinerawtransaction, signrawtransactionwithkey (rawtransaction_build.cpp). */
void RegisterRawTransactionBuildRpcCommands(RpcTable& table, RpcContext& ctx);
/** validateaddress, createmultisig, getdescriptorinfo, deriveaddresses, verifymessage,
 *  signmessagewithprivkey, getindexinfo (util.cpp). */
void RegisterUtilRpcCommands(RpcTable& table, RpcContext& ctx);
/** getmininginfo, getnetworkhashps, submitblock, submitheader; generatetoaddress,
 *  generatetodescriptor, generateblock; generate, setmocktime (hidden) (mining.cpp). */
void RegisterMiningRpcCommands(RpcTable& table, RpcContext& ctx);
/** getblocktemplate (blocktemplate.cpp); called by RegisterMiningRpcCommands. */
void RegisterBlockTemplateRpcCommands(RpcTable& table, RpcContext& ctx);
/** prioritisetransaction, getprioritisedtransactions (mining_priority.cpp); called by
 *  RegisterMiningRpcCommands. */
void RegisterMiningPriorityRpcCommands(RpcTable& table, RpcContext& ctx);
/** getnetworkinfo, getpeerinfo, getconnectioncount, ... (network.cpp). */
void RegisterNetworkRpcCommands(RpcTable& table, RpcContext& ctx);

/** getrawmempool, getmempoolinfo, getmempoolentry, getmempoolancestors,
 *  getmempooldescendants, gettxspendingprevout, savemempool (mempool.cpp). */
void RegisterMempoolRpcCommands(RpcTable& table, RpcContext& ctx);
/** sendrawtransaction, testmempoolaccept, submitpackage (rawtransaction_submit.cpp). */
void RegisterRawTransactionSubmitRpcCommands(RpcTable& table, RpcContext& ctx);

/** estimatesmartfee; estimaterawfee (hidden) (fees.cpp). */
void RegisterFeeRpcCommands(RpcTable& table, RpcContext& ctx);

/** Every method Cairn serves. */
void RegisterAllRpcCommands(RpcTable& table, RpcContext& ctx);

} // namespace cairn

#endif
