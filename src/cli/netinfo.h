// -netinfo: bitcoin-cli's peer connections dashboard, built from one batch of
// getpeerinfo and getnetworkinfo. A server without those RPCs gets its error
// back (error code -32601, "Method not found"), as bitcoin-cli reports it.
#ifndef CAIRN_CLI_NETINFO_H
#define CAIRN_CLI_NETINFO_H

#include "cli/rpc_client.h"
#include "util/chaintype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cairn {

/** The highest -netinfo level (4: peers listing with addresses and versions). */
inline constexpr uint8_t NETINFO_MAX_LEVEL = 4;

/** The text of "cairn-cli -netinfo help". */
std::string NetinfoHelp();

class NetinfoRequestHandler : public RequestHandler
{
public:
    static constexpr int ID_PEERINFO = 0;
    static constexpr int ID_NETWORKINFO = 1;

    explicit NetinfoRequestHandler(ChainType chain) : m_chain(chain) {}
    UniValue PrepareRequest(const std::string& method, const std::vector<std::string>& args) override;
    UniValue ProcessReply(const UniValue& batch_in) override;

private:
    ChainType m_chain;
    uint8_t m_level{0};
    bool m_outbound_only{false};
};

} // namespace cairn

#endif
