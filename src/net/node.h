// One connection: its socket, the v1 parser, the queue of received messages
// waiting for the message handler, the queue of bytes waiting to be sent,
// and the counters getpeerinfo shows.
//
// Threads: the socket thread owns the parser and reads/writes the socket;
// the message handler pops received messages and pushes replies; RPC reads
// counters. Queues are guarded by their own mutexes (leaf locks); counters
// are atomics or under m_stats_mutex.
#ifndef CAIRN_NET_NODE_H
#define CAIRN_NET_NODE_H

#include "net/net_permissions.h"
#include "net/netaddress.h"
#include "net/transport_v1.h"

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace cairn {

using NodeId = int64_t;

/** Core's connection types (getpeerinfo "connection_type"). */
enum class ConnectionType { INBOUND, OUTBOUND_FULL_RELAY, MANUAL, FEELER, BLOCK_RELAY, ADDR_FETCH };
std::string ConnectionTypeAsString(ConnectionType t);
std::optional<ConnectionType> ConnectionTypeFromString(std::string_view s);

/** -logips: peers' addresses in log lines. */
inline std::atomic<bool> g_log_ips{false};

class Node
{
public:
    Node(NodeId id, int fd, const Service& addr, const Service& addr_bind, ConnectionType type, std::string addr_name,
         const MessageStart& magic, int64_t now, NetPermissionFlags permissions = NetPermissionFlags::None);

    const NodeId id;
    const Service addr;
    const Service addr_bind;
    const ConnectionType conn_type;
    /** What the user typed for a manual connection, else addr as text. */
    const std::string addr_name;
    const int64_t connected_time;
    /** What -whitebind/-whitelist grant this connection (fixed when it is made). */
    const NetPermissionFlags permission_flags;

    bool HasPermission(NetPermissionFlags flag) const { return HasFlag(permission_flags, flag); }
    /** Core's DisconnectMsg: "disconnecting peer=N" (", peeraddr=A:P" with -logips), the tail of every
     *  log line that ends a connection, which tests written for Core look for. */
    std::string DisconnectMsg() const;
    bool IsInbound() const { return conn_type == ConnectionType::INBOUND; }
    bool IsManual() const { return conn_type == ConnectionType::MANUAL; }
    /** Core's ExpectServicesFromConn: connections we made to use the peer
     *  (not feelers, which only test that the address is reachable). */
    bool ExpectServices() const
    {
        return conn_type == ConnectionType::OUTBOUND_FULL_RELAY || conn_type == ConnectionType::BLOCK_RELAY ||
               conn_type == ConnectionType::ADDR_FETCH;
    }

    /** Set by anyone; the socket thread closes the connection soon after. */
    std::atomic<bool> disconnect{false};
    /** Handshake complete (verack received); set by the peer manager. */
    std::atomic<bool> successfully_connected{false};

    // ---- socket thread only ----
    int fd;
    V1Parser parser;

    // ---- received messages, socket thread → message handler ----
    std::mutex m_recv_mutex;
    std::deque<ReceivedMessage> m_process_queue; // guarded by m_recv_mutex
    size_t m_process_queue_bytes{0};             // guarded by m_recv_mutex
    /** The socket thread stops reading while the process queue is over -maxreceivebuffer. */
    std::atomic<bool> pause_recv{false};

    // ---- bytes to send, message handler → socket thread ----
    std::mutex m_send_mutex;
    std::deque<Bytes> m_send_queue; // guarded by m_send_mutex
    size_t m_send_offset{0};        // into m_send_queue.front()
    size_t m_send_queue_bytes{0};
    bool m_socket_closed{false};    // guarded by m_send_mutex: fd is closed, drop sends
    /** Over -maxsendbuffer: the message handler stops processing this peer's messages. */
    std::atomic<bool> pause_send{false};

    // ---- counters ----
    std::atomic<int64_t> last_send{0}; // seconds (mockable clock), 0 = never
    std::atomic<int64_t> last_recv{0};
    std::atomic<uint64_t> bytes_sent{0};
    std::atomic<uint64_t> bytes_recv{0};
    std::mutex m_stats_mutex;
    std::map<std::string, uint64_t> sent_per_msg; // guarded by m_stats_mutex
    std::map<std::string, uint64_t> recv_per_msg; // guarded by m_stats_mutex

    void CountRecv(const std::string& command, size_t bytes);
    void CountSent(const std::string& command, size_t bytes);
};

} // namespace cairn

#endif
