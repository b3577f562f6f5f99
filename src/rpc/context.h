// What RPC methods reach: the parts of the running node, owned by node/init
// and lent to the method table for the life of the RPC server.
//
// Parts that a build or a configuration does not have are null (a method
// that needs one throws RPC_CLIENT_P2P_DISABLED, RPC_MISC_ERROR, ...). New
// subsystems (mempool, connection manager, wallets, indexes) add a pointer
// here rather than a parameter to every Register function.
#ifndef CAIRN_RPC_CONTEXT_H
#define CAIRN_RPC_CONTEXT_H

#include "util/chaintype.h"

#include <filesystem>
#include <functional>

namespace cairn {

class AddrMan;
class ArgsManager;
class BanMan;
class ChainstateManager;
class ConnMan;
class FeeEstimator;
class PeerManager;
class TipWatch;
class TxMemPool;

struct RpcContext {
    ChainstateManager* chainman{nullptr};
    const ArgsManager* args{nullptr};
    /** The latest tip, for the waitfor* methods. */
    TipWatch* tip_watch{nullptr};
    /** The P2P layer (null without it): network RPCs. */
    ConnMan* connman{nullptr};
    PeerManager* peerman{nullptr};
    /** Known peer addresses (getnodeaddresses, addpeeraddress) and bans (setban, listbanned). */
    AddrMan* addrman{nullptr};
    BanMan* banman{nullptr};
    /** The transaction pool. */
    TxMemPool* mempool{nullptr};
    /** The fee estimator (estimatesmartfee, estimaterawfee); null if disabled. */
    FeeEstimator* fee_estimator{nullptr};
    ChainType chain{ChainType::MAIN};
    /** <datadir>/<network>. */
    std::filesystem::path datadir;
    /** Asks the node to shut down (stop RPC, -stopatheight). */
    std::function<void()> request_shutdown;
    /** Whether a shutdown was requested (long-running methods poll it). */
    std::function<bool()> shutdown_requested;
};

} // namespace cairn

#endif
