// The connection manager: sockets and threads, nothing about what messages
// mean (that is the peer manager's job, reached through NetEvents).
//
// Threads (see doc/design/p2p.md): `net` polls every socket, `addcon` opens
// -connect/-addnode connections with retries, `msghand` lets the peer
// manager process one message per peer per pass, round-robin.
#ifndef CAIRN_NET_CONNMAN_H
#define CAIRN_NET_CONNMAN_H

#include "net/node.h"
#include "net/protocol.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cairn {

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
};

inline constexpr int DEFAULT_MAX_PEER_CONNECTIONS = 125;
inline constexpr size_t DEFAULT_MAX_RECEIVE_BUFFER = 5000; // ×1000 bytes
inline constexpr size_t DEFAULT_MAX_SEND_BUFFER = 1000;    // ×1000 bytes
inline constexpr int DEFAULT_PEER_CONNECT_TIMEOUT = 60;    // seconds
inline constexpr int DEFAULT_CONNECT_TIMEOUT = 5000;       // milliseconds
/** Core's TIMEOUT_INTERVAL: silence for this long (seconds) ends a connection. */
inline constexpr int64_t TIMEOUT_INTERVAL = 20 * 60;
inline constexpr int MAX_ADDNODE_CONNECTIONS = 8;

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
    uint64_t local_services{NODE_NETWORK | NODE_WITNESS};
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
    ConnMan(ConnManOptions opts, NetEvents& events);
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
    bool DisconnectNode(const std::string& addr);
    bool DisconnectNode(NodeId id);

    // ---- information ----
    enum class Direction { ALL, IN, OUT };
    size_t GetNodeCount(Direction d) const;
    std::vector<std::shared_ptr<Node>> GetNodes() const;
    void ForEachNode(const std::function<void(Node&)>& fn) const;
    uint64_t GetTotalBytesRecv() const { return m_total_recv; }
    uint64_t GetTotalBytesSent() const { return m_total_sent; }
    uint64_t GetLocalServices() const { return m_opts.local_services; }
    bool GetNetworkActive() const { return m_network_active; }
    void SetNetworkActive(bool active);
    const std::vector<Service>& GetListenAddresses() const { return m_listen_addrs; }
    bool IsListening() const { return !m_listen_fds.empty(); }
    const MessageStart& Magic() const { return m_opts.magic; }
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

    void AcceptConnection(int listen_fd);
    void ReadFromNode(const std::shared_ptr<Node>& node);
    /** Writes what it can; call with node.m_send_mutex held. */
    void SendQueued(Node& node);
    void InactivityCheck(Node& node, int64_t now);
    void DisconnectNodes();
    std::shared_ptr<Node> AddNodeForSocket(int fd, const Service& addr, ConnectionType type, const std::string& name);
    bool AlreadyConnected(const std::string& name, const std::optional<Service>& addr) const;
    void WakeSocketHandler();

    ConnManOptions m_opts;
    NetEvents& m_events;

    std::vector<int> m_listen_fds;
    std::vector<Service> m_listen_addrs;
    int m_wake_pipe[2]{-1, -1};

    mutable std::mutex m_nodes_mutex;
    std::vector<std::shared_ptr<Node>> m_nodes;              // guarded by m_nodes_mutex
    std::vector<std::shared_ptr<Node>> m_nodes_disconnected; // guarded by m_nodes_mutex; finalized by msghand
    std::map<NodeId, uint64_t> m_local_nonces;               // guarded by m_nodes_mutex
    std::atomic<NodeId> m_next_id{0};

    mutable std::mutex m_discouraged_mutex;
    std::set<NetAddr> m_discouraged; // guarded by m_discouraged_mutex; bounded, forgets all when full

    mutable std::mutex m_added_mutex;
    std::vector<std::string> m_added_nodes; // guarded by m_added_mutex
    std::condition_variable m_addcon_cv;
    bool m_addcon_wake{false};              // guarded by m_added_mutex

    std::mutex m_msgproc_mutex;
    std::condition_variable m_msgproc_cv;
    bool m_msgproc_wake{false}; // guarded by m_msgproc_mutex

    std::atomic<bool> m_interrupt{false};
    std::atomic<bool> m_network_active{true};
    std::atomic<uint64_t> m_total_recv{0};
    std::atomic<uint64_t> m_total_sent{0};
    std::thread m_socket_thread, m_msghand_thread, m_addcon_thread;
    bool m_started{false};
};

/** BIP 14 user agent: "/Cairn:<version>(<c1>; <c2>)/". */
std::string FormatSubVersion(const std::string& name, const std::string& version,
                             const std::vector<std::string>& comments);

} // namespace cairn

#endif
