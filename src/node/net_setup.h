// The P2P layer's place in the node: -port/-bind/-listen/-connect/-addnode
// and friends turned into options; the address manager (peers.dat), the
// ban list (banlist.json), our own addresses, the connection manager and
// the peer manager built, started and stopped in the right order.
#ifndef CAIRN_NODE_NET_SETUP_H
#define CAIRN_NODE_NET_SETUP_H

#include "net/addrman.h"
#include "net/banman.h"
#include "net/connman.h"
#include "net/local_addresses.h"
#include "net/peer_manager.h"

#include <memory>
#include <string>

namespace cairn {

class ArgsManager;
struct ChainParams;
class ChainstateManager;
class NodeNotifications;
struct RpcContext;
class TxMemPool;

struct NodeP2P {
    // Declared first, so they outlive the managers that use them.
    std::unique_ptr<AddrMan> addrman;
    std::unique_ptr<BanMan> banman;
    std::unique_ptr<LocalAddresses> local;
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

/** Lends the P2P parts to the RPC methods (connman, peerman, addrman, banman). */
void LendP2PToRpc(NodeP2P& p2p, RpcContext& ctx);

/** Transaction relay's pool (before StartP2P; null: no transaction relay).
 *  The pool must outlive the P2P layer or be detached first: Stop() detaches it. */
void SetP2PMempool(NodeP2P& p2p, TxMemPool* mempool);

} // namespace cairn

#endif
