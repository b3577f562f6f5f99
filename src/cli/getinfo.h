// -getinfo: bitcoin-cli's human-readable summary of a node, built from one
// batch of getnetworkinfo, getblockchaininfo, getwalletinfo and getbalances
// (plus listwallets/getbalances per wallet when several are loaded).
//
// Cairn serves the wallet and network RPCs only when those layers are built;
// a server without them still gets a summary: the wallet lines are left out
// (as bitcoin-cli does for a node without a wallet) and, when getnetworkinfo
// is missing, its fields print "n/a" and the warnings come from
// getblockchaininfo.
#ifndef CAIRN_CLI_GETINFO_H
#define CAIRN_CLI_GETINFO_H

#include "cli/rpc_client.h"

#include <univalue.h>

#include <string>
#include <vector>

namespace cairn {

class GetinfoRequestHandler : public RequestHandler
{
public:
    static constexpr int ID_NETWORKINFO = 0;
    static constexpr int ID_BLOCKCHAININFO = 1;
    static constexpr int ID_WALLETINFO = 2;
    static constexpr int ID_BALANCES = 3;

    UniValue PrepareRequest(const std::string& method, const std::vector<std::string>& args) override;
    UniValue ProcessReply(const UniValue& batch_in) override;
};

/** With several wallets loaded (and no -rpcwallet), adds "balances":
 *  {wallet: trusted balance} to the -getinfo result. */
void AddWalletBalances(const RpcClientContext& ctx, UniValue& result);

/** Bitcoin Core's text rendering of the -getinfo result object; `color`
 *  adds ANSI colors. */
std::string FormatGetInfo(const UniValue& result, bool color);

/** -color: "always", "never", or "auto" (color when stdout is a terminal).
 *  Throws "Invalid value for -color option. Valid values: always, auto, never." */
bool ShouldColorize(const ArgsManager& args);

} // namespace cairn

#endif
