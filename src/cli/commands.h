// The small client-side commands of bitcoin-cli: -generate (getnewaddress,
// then generatetoaddress) and -addrinfo (address counts by network).
// -getinfo and -netinfo have their own files.
#ifndef CAIRN_CLI_COMMANDS_H
#define CAIRN_CLI_COMMANDS_H

#include "cli/rpc_client.h"

#include <string>
#include <vector>

namespace cairn {

/**
 * -generate's arguments for generatetoaddress: [nblocks [maxtries]] becomes
 * nblocks, address[, maxtries] (nblocks defaults to 1). Throws Core's "too
 * many arguments (maximum 2 for nblocks and maxtries)" and "the first
 * argument (number of blocks to generate, default: 1) must be an integer
 * value greater than zero" (for "0").
 */
void SetGenerateToAddressArgs(const std::string& address, std::vector<std::string>& args);

/** Calls generatetoaddress and reports {"address": ..., "blocks": [...]}. */
class GenerateToAddressRequestHandler : public RequestHandler
{
public:
    UniValue PrepareRequest(const std::string& method, const std::vector<std::string>& args) override;
    UniValue ProcessReply(const UniValue& reply) override;

private:
    std::string m_address;
};

/** -addrinfo: getaddrmaninfo summarised as {"addresses_known": {network: n, ..., "total": n}}. */
class AddrinfoRequestHandler : public RequestHandler
{
public:
    UniValue PrepareRequest(const std::string& method, const std::vector<std::string>& args) override;
    UniValue ProcessReply(const UniValue& reply) override;
};

} // namespace cairn

#endif
