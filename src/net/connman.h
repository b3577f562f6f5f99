// The connection manager: sockets and threads, nothing about what messages
// mean (that is the peer manager's job, reached through NetEvents).
//
// Threads (see doc/design/p2p.md): `net` polls every socket, `addcon` opens
// -connect/-addnode connections with retries (and writes peers.dat and the
// ban list every 15 minutes), `msghand` lets the peer manager process one
// message per peer per pass, round-robin, `opencon` opens automatic
// outbound connections from the address manager (full-relay, block-relay-
// only, feelers, anchors, -seednode) and `dnsseed` asks the DNS seeds.
// The automatic parts live in connman_outbound.cpp.
#ifndef CAIRN_NET_CONNMAN_H
#define CAIRN_NET_CONNMAN_H

#include "net/eviction.h"
#include "net/messages.h"
#include "net/net_permissions.h"
#include "net/node.h"
#include "net/protocol.h"
#include "net/proxy.h"
#include "net/upload_target.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cairn {

class AddrMan;
class BanMan;
class LocalAddresses;
class SubNet;

/** What the connection manager asks of the protocol layer. All calls come
 *  from the message-handler thread, so per-peer state needs no other lock
 *  against itself. */
class NetEvents
{
public:
    virtual ~NetEvents() = default;
    virtual void InitializeNode(Node& node) = 0;
    virtual void FinalizeNode(Node& node) = 0;
    /** Handles at most one message; returns true if more work is waiting. */
    virtual bool ProcessMessages(Node& node) = 0;
    virtual void SendMessages(Node& node) = 0;
    /** Called at the top of each message-handler pass (queued validation events). */
    virtual void ProcessEvents() = 0;
    /** Whether our tip is recent enough that NODE_NETWORK_LIMITED peers can serve us (any thread). */
    virtual bool TipIsRecent() const { return true; }
    /** What inbound eviction weighs for a peer (any thread); false if unknown. */
    virtual bool GetEvictionInputs(NodeId id, EvictionInputs& out) const
    {
        (void)id;
        (void)out;
        return false;
    }
};

inline constexpr int DEFAULT_MAX_PEER_CONNECTIONS = 125;
inline constexpr size_t DEFAULT_MAX_RECEIVE_BUFFER = 5000; // ×1000 bytes
inline constexpr size_t DEFAULT_MAX_SEND_BUFFER = 1000;    // ×1000 bytes
inline constexpr int DEFAULT_PEER_CONNECT_TIMEOUT = 60;    // seconds
inline constexpr int DEFAULT_CONNECT_TIMEOUT = 5000;       // milliseconds
/** Core's TIMEOUT_INTERVAL: silence for this long (seconds) ends a connection. */
inline constexpr int64_t TIMEOUT_INTERVAL = 20 * 60;
inline constexpr int MAX_ADDNODE_CONNECTIONS = 8;
/** Core's automatic outbound slots. */
inline constexpr int MAX_OUTBOUND_FULL_RELAY_CONNECTIONS = 8;
inline constexpr int MAX_BLOCK_RELAY_ONLY_CONNECTIONS = 2;
inline constexpr int MAX_FEELER_CONNECTIONS = 1;
/** Block-relay-only peers remembered in anchors.dat. */
inline constexpr size_t MAX_BLOCK_RELAY_ONLY_ANCHORS = 2;
/** Seconds between peers.dat writes (Core's DUMP_PEERS_INTERVAL). */
inline constexpr int64_t DUMP_PEERS_INTERVAL = 15 * 60;
inline constexpr bool DEFAULT_DNSSEED = true;
inline constexpr bool DEFAULT_FIXEDSEEDS = true;
inline constexpr bool DEFAULT_FORCEDNSSEED = false;

struct ConnManOptions {
    MessageStart magic{};
    uint16_t default_port{0};
    std::vector<Service> binds;
    /** Listened on if possible (the IPv6 wildcard when no -bind is given). */
    std::vector<Service> binds_optional;
    /** -connect: only these, retried forever. */
    std::vector<std::string> connect;
    /** -addnode at start-up (the addnode RPC adds more). */
    std::vector<std::string> added_nodes;
    int max_connections{DEFAULT_MAX_PEER_CONNECTIONS};
    size_t max_receive_buffer{DEFAULT_MAX_RECEIVE_BUFFER * 1000};
    size_t max_send_buffer{DEFAULT_MAX_SEND_BUFFER * 1000};
    int peer_timeout{DEFAULT_PEER_CONNECT_TIMEOUT};
    int connect_timeout_ms{DEFAULT_CONNECT_TIMEOUT};
    bool network_active{true};
    bool allow_dns{true};
    uint64_t local_services{NODE_NETWORK | NODE_NETWORK_LIMITED | NODE_WITNESS};
    /** No -connect: automatic outbound connections from the address manager. */
    bool use_addrman_outgoing{true};
    /** -seednode: addr-fetch connections (connect, getaddr, disconnect). */
    std::vector<std::string> seed_nodes;
    /** The network's DNS seeds; asked when -dnsseed (dns_seed) and addresses are few. */
    std::vector<std::string> dns_seeds;
    bool dns_seed{DEFAULT_DNSSEED};
    bool force_dns_seed{DEFAULT_FORCEDNSSEED};
    /** -fixedseeds: add the chain's fixed seeds (net/fixed_seeds.h, chain known from `magic`) for the reachable
     *  networks the address manager has nothing of, at once when -dnsseed=0 and no -seednode/-addnode, else
     *  after 60 seconds (doc/design/p2p.md). */
    bool fixed_seeds{DEFAULT_FIXEDSEEDS};
    /** The network datadir for peers.dat, anchors.dat and the ban list; empty: no files (tests). */
    std::filesystem::path datadir;
    /** -whitebind: more listening sockets, whose inbound peers get the entry's permissions. */
    std::vector<WhitebindPermission> whitebinds;
    /** -whitelist entries for inbound peers, and ("out") for manual outbound connections only, as Core. */
    std::vector<WhitelistPermission> whitelist_inbound;
    std::vector<WhitelistPermission> whitelist_outbound;
    /** -whitelistrelay / -whitelistforcerelay: what an entry without permissions grants besides noban and mempool. */
    bool whitelist_relay{DEFAULT_WHITELISTRELAY};
    bool whitelist_forcerelay{DEFAULT_WHITELISTFORCERELAY};
    /** -maxuploadtarget in bytes per 24 hours; 0: no limit. */
    uint64_t max_upload_target{0};
    /** -proxy / -onion: SOCKS5 proxies by network and for host names (proxy.h). */
    ProxyConfig proxies;
};

/** One entry of getaddednodeinfo. */
struct AddedNodeInfo {
    std::string added_node;
    bool connected{false};
    Service resolved;
    bool inbound{false};
};

class ConnMan
{
public:
    /** addrman must outlive the ConnMan; banman and local may be null. */
    ConnMan(ConnManOptions opts, NetEvents& events, AddrMan& addrman, BanMan* banman = nullptr,
            LocalAddresses* local = nullptr);
    ~ConnMan();
    ConnMan(const ConnMan&) = delete;
    ConnMan& operator=(const ConnMan&) = delete;

    /** Opens the listening sockets and starts the threads. */
    bool Start(std::string& error);
    /** Stops the threads and closes every connection (idempotent). */
    void Stop();

    /** Frames and queues a message; any thread. */
    void PushMessage(Node& node, const std::string& command, ByteSpan payload);

    // ---- manual connections (RPC) ----
    /** addnode add: false if already added. */
    bool AddNode(const std::string& node);
    /** addnode remove: false if not added. */
    bool RemoveAddedNode(const std::string& node);
    std::vector<AddedNodeInfo> GetAddedNodeInfo() const;
    /** Connects now (addnode onetry, addconnection). False if it failed or already connected. */
    bool OpenConnection(const std::string& dest, ConnectionType type);
    /** addconnection (regtest): an automatic connection type opened by hand,
     *  refused (false) when its kind or the automatic slots are full, as
     *  opencon would count them (Core's AddConnection). */
    bool AddConnection(const std::string& dest, ConnectionType type);
    bool DisconnectNode(const std::string& addr);
    bool DisconnectNode(NodeId id);
    /** Every peer in the subnet / at this address (setban). */
    bool DisconnectNode(const SubNet& subnet);
    bool DisconnectNode(const NetAddr& addr);

    // ---- addresses (connman_outbound.cpp) ----
    /** Known addresses without banned or discouraged ones (getnodeaddresses). */
    std::vector<AddrEntry> GetAddresses(size_t max_addresses, size_t max_pct, std::optional<Network> network,
                                        bool filtered = true) const;
    /** The getaddr answer for this peer: one cached list per network and local socket,
     *  renewed after 21 to 27 hours (Core's privacy measure). */
    std::vector<AddrEntry> GetAddressesCached(const Node& requestor, size_t max_addresses, size_t max_pct);
    /** Writes peers.dat and the ban list now. */
    void DumpAddresses();
    AddrMan& GetAddrMan() { return m_addrman; }
    LocalAddresses* GetLocalAddresses() { return m_local; }
    /** Whether a peer comes from a banned subnet (any thread). */
    bool IsBanned(const NetAddr& addr) const;

    // ---- information ----
    enum class Direction { ALL, IN, OUT };
    size_t GetNodeCount(Direction d) const;
    std::vector<std::shared_ptr<Node>> GetNodes() const;
    /** Core's: whether the connection is older than -peertimeout, after which it may be timed out (seconds). */
    bool ShouldRunInactivityChecks(const Node& node, int64_t now) const;
    void ForEachNode(const std::function<void(Node&)>& fn) const;
    uint64_t GetTotalBytesRecv() const { return m_total_recv; }
    uint64_t GetTotalBytesSent() const { return m_total_sent; }

    // ---- -maxuploadtarget (upload_target.h; getnettotals, serving blocks and mempool) ----
    uint64_t GetMaxOutboundTarget() const { return m_upload.Target(); }
    int64_t GetMaxOutboundTimeframe() const { return UploadTarget::Timeframe(); }
    int64_t GetMaxOutboundTimeLeftInCycle() const;
    /** With `historical`: blocks older than a week are no longer served (to peers without download). */
    bool OutboundTargetReached(bool historical) const;
    uint64_t GetOutboundTargetBytesLeft() const { return m_upload.BytesLeftInCycle(); }
    uint64_t GetLocalServices() const { return m_opts.local_services; }
    bool GetNetworkActive() const { return m_network_active; }
    void SetNetworkActive(bool active);

    // ---- extra outbound peers (PeerManager decides, opencon opens, PeerManager drops the surplus) ----
    /** Our tip looks stale: one full-relay connection beyond the 8 may be
     *  opened, in the feeler's slot (Core's SetTryNewOutboundPeer). */
    void SetTryNewOutboundPeer(bool flag);
    bool GetTryNewOutboundPeer() const { return m_try_new_outbound_peer; }
    /** After the initial sync: an extra block-relay-only connection every
     *  ~5 minutes, to hear of blocks that some partition hides from us. */
    void StartExtraBlockRelayPeers();
    /** Connected full-relay (resp. block-relay-only) outbound peers beyond the target. */
    int GetExtraFullOutboundCount() const;
    int GetExtraBlockRelayCount() const;
    /** Whether another full-relay or manual outbound peer is on `net` (Core's
     *  MultipleManualOrFullOutboundConns: the only one is never dropped). */
    bool MultipleManualOrFullOutboundConns(Network net) const;
    const std::vector<Service>& GetListenAddresses() const { return m_listen_addrs; }
    bool IsListening() const { return !m_listen_fds.empty(); }
    const MessageStart& Magic() const { return m_opts.magic; }
    /** -proxy / -onion as configured (getnetworkinfo). */
    const ProxyConfig& GetProxies() const { return m_opts.proxies; }
    /** Nonces of our version messages, to detect connecting to ourselves. */
    bool CheckIncomingNonce(uint64_t nonce) const;
    void RecordLocalNonce(NodeId id, uint64_t nonce);

    /** Wakes the message handler (new messages, validation events). */
    void WakeMessageHandler();

    /** Pops the next received message of `node` (message handler). `more`
     *  tells whether others are waiting. */
    bool PollMessage(Node& node, ReceivedMessage& out, bool& more);

    // ---- discouragement (misbehaving peers' addresses) ----
    void Discourage(const NetAddr& addr);
    bool IsDiscouraged(const NetAddr& addr) const;

private:
    void ThreadSocketHandler();
    void ThreadMessageHandler();
    void ThreadOpenConnections();

    // automatic outbound connections (connman_outbound.cpp)
    void ThreadOpenAutoConnections();
    void ThreadDnsSeed();
    void MaybeDumpAddresses();
    bool OpenAutoConnection(const AddrEntry& addr, ConnectionType type, bool count_failures);
    /** Core's ConnectNode socket part: to `target` (through its network's proxy, if any), else to the
     *  host name in `dest` through the name proxy (or, for a .onion name, the onion proxy), never
     *  resolved here. Returns the fd or -1; `proxy_failed` when the proxy itself was unreachable. */
    int ConnectOutbound(const std::optional<Service>& target, const std::string& dest, bool& proxy_failed);
    void ProcessAddrFetch();
    int GetFullOutboundConnCount() const;
    std::vector<AddrEntry> GetCurrentBlockRelayOnlyConns() const;
    bool AlreadyConnectedToAddress(const Service& addr) const;
    bool AddedNodesContain(const Service& addr) const;
    bool IsLocalAddress(const Service& addr) const;
    /** Waits up to `ms` unless interrupted; false when interrupted. */
    bool InterruptibleSleep(int64_t ms);
    /** Picks a peer to drop for a new inbound one; false if all are protected. */
    bool AttemptToEvictConnection();

    /** `flags`: the listening socket's (-whitebind) permissions. */
    void AcceptConnection(int listen_fd, NetPermissionFlags flags);
    /** Opens one listening socket; false (with `error`) if it cannot. */
    bool Listen(const Service& bind, NetPermissionFlags flags, std::string& error);
    void ReadFromNode(const std::shared_ptr<Node>& node);
    /** Writes what it can; call with node.m_send_mutex held. */
    void SendQueued(Node& node);
    void InactivityCheck(Node& node, int64_t now);
    void DisconnectNodes();
    std::shared_ptr<Node> AddNodeForSocket(int fd, const Service& addr, ConnectionType type, const std::string& name,
                                           NetPermissionFlags permissions = NetPermissionFlags::None);
    bool AlreadyConnected(const std::string& name, const std::optional<Service>& addr) const;
    void WakeSocketHandler();

    ConnManOptions m_opts;
    NetEvents& m_events;
    AddrMan& m_addrman;
    BanMan* const m_banman;
    LocalAddresses* const m_local;
    /** Keys for keyed network groups (eviction) and the getaddr cache ids. */
    uint64_t m_seed0{0}, m_seed1{0};

    std::vector<int> m_listen_fds;
    std::vector<Service> m_listen_addrs;
    std::vector<NetPermissionFlags> m_listen_flags; // parallel to m_listen_fds
    int m_wake_pipe[2]{-1, -1};

    mutable std::mutex m_nodes_mutex;
    std::vector<std::shared_ptr<Node>> m_nodes;              // guarded by m_nodes_mutex
    std::vector<std::shared_ptr<Node>> m_nodes_disconnected; // guarded by m_nodes_mutex; finalized by msghand
    std::map<NodeId, uint64_t> m_local_nonces;               // guarded by m_nodes_mutex
    std::atomic<NodeId> m_next_id{0};

    mutable std::mutex m_discouraged_mutex;
    std::set<NetAddr> m_discouraged; // guarded by m_discouraged_mutex; only without a BanMan (bounded)
    std::set<NodeId> m_prefer_evict; // guarded by m_nodes_mutex: discouraged inbound peers

    // ---- automatic connections (opencon and dnsseed threads) ----
    std::vector<AddrEntry> m_anchors;        // opencon only
    std::mutex m_addr_fetch_mutex;
    std::deque<std::string> m_addr_fetches;  // guarded by m_addr_fetch_mutex
    struct CachedAddrResponse {
        std::vector<AddrEntry> addrs;
        int64_t expiration_us{0};
    };
    std::map<uint64_t, CachedAddrResponse> m_addr_response_caches; // msghand only
    std::mutex m_interrupt_mutex;
    std::condition_variable m_interrupt_cv;
    int64_t m_last_dump{0}; // addcon only: steady seconds of the last peers.dat write

    mutable std::mutex m_added_mutex;
    std::vector<std::string> m_added_nodes; // guarded by m_added_mutex
    std::condition_variable m_addcon_cv;
    bool m_addcon_wake{false};              // guarded by m_added_mutex

    std::mutex m_msgproc_mutex;
    std::condition_variable m_msgproc_cv;
    bool m_msgproc_wake{false}; // guarded by m_msgproc_mutex

    std::atomic<bool> m_interrupt{false};
    std::atomic<bool> m_network_active{true};
    std::atomic<bool> m_try_new_outbound_peer{false};
    std::atomic<bool> m_start_extra_block_relay_peers{false};
    /** Targets for automatic outbound connections (8 full-relay, 2
     *  block-relay-only, 1 feeler), lowered to fit -maxconnections. */
    int MaxFullRelay() const;
    int MaxBlockRelay() const;
    int MaxAutomaticOutbound() const;
    int CountConnected(ConnectionType type) const;
    std::atomic<uint64_t> m_total_recv{0};
    std::atomic<uint64_t> m_total_sent{0};
    UploadTarget m_upload{0};
    std::thread m_socket_thread, m_msghand_thread, m_addcon_thread, m_opencon_thread, m_dnsseed_thread;
    bool m_started{false};
};

/** BIP 14 user agent: "/Cairn:<version>(<c1>; <c2>)/". */
std::string FormatSubVersion(const std::string& name, const std::string& version,
                             const std::vector<std::string>& comments);

} // namespace cairn

#endif
