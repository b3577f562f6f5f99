// The P2P layer's place in the node: -port/-bind/-listen/-connect/-addnode
// and friends turned into options, and the connection manager and peer
// manager built, started and stopped in the right order.
#ifndef CAIRN_NODE_NET_SETUP_H
#define CAIRN_NODE_NET_SETUP_H

#include "net/connman.h"
#include "net/peer_manager.h"

#include <memory>
#include <string>

namespace cairn {

class ArgsManager;
struct ChainParams;
class ChainstateManager;
class NodeNotifications;

struct NodeP2P {
    std::unique_ptr<PeerManager> peerman;
    std::unique_ptr<ConnMan> connman;
    NodeNotifications* notifications{nullptr};

    NodeP2P() = default;
    NodeP2P(const NodeP2P&) = delete;
    NodeP2P& operator=(const NodeP2P&) = delete;
    ~NodeP2P() { Stop(); }
    /** Joins the network threads and closes every connection; the objects
     *  stay (RPC may still read them) until the NodeP2P goes. */
    void Stop();
};

/** Reads the P2P options and builds (does not start) the managers. False
 *  with a message for the user on a bad option. */
bool SetupP2P(const ArgsManager& args, const ChainParams& params, ChainstateManager& chainman,
              const std::optional<uint256>& minimum_chain_work, NodeP2P& p2p, std::string& error);

/** After the chainstate is loaded: hears validation events, binds, starts the threads. */
bool StartP2P(NodeP2P& p2p, NodeNotifications& notifications, std::string& error);

} // namespace cairn

#endif
