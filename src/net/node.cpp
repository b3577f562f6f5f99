#include "net/node.h"

#include <algorithm>

namespace cairn {

std::string ConnectionTypeAsString(ConnectionType t)
{
    switch (t) {
    case ConnectionType::INBOUND: return "inbound";
    case ConnectionType::OUTBOUND_FULL_RELAY: return "outbound-full-relay";
    case ConnectionType::MANUAL: return "manual";
    case ConnectionType::FEELER: return "feeler";
    case ConnectionType::BLOCK_RELAY: return "block-relay-only";
    case ConnectionType::ADDR_FETCH: return "addr-fetch";
    }
    return "";
}

std::optional<ConnectionType> ConnectionTypeFromString(std::string_view s)
{
    for (ConnectionType t : {ConnectionType::INBOUND, ConnectionType::OUTBOUND_FULL_RELAY, ConnectionType::MANUAL,
                             ConnectionType::FEELER, ConnectionType::BLOCK_RELAY, ConnectionType::ADDR_FETCH}) {
        if (ConnectionTypeAsString(t) == s) return t;
    }
    return std::nullopt;
}

Node::Node(NodeId id_in, int fd_in, const Service& addr_in, const Service& addr_bind_in, ConnectionType type,
           std::string addr_name_in, const MessageStart& magic, int64_t now, NetPermissionFlags permissions)
    : id(id_in), addr(addr_in), addr_bind(addr_bind_in), conn_type(type),
      addr_name(addr_name_in.empty() ? addr_in.ToStringAddrPort() : std::move(addr_name_in)), connected_time(now),
      permission_flags(permissions), fd(fd_in), parser(magic)
{
    // Every known message type starts at 0 so getpeerinfo lists what Core lists.
    for (const std::string& t : AllMessageTypes()) {
        sent_per_msg[t] = 0;
        recv_per_msg[t] = 0;
    }
    sent_per_msg[MSG_TYPE_OTHER] = 0;
    recv_per_msg[MSG_TYPE_OTHER] = 0;
}

void Node::CountRecv(const std::string& command, size_t bytes)
{
    std::lock_guard lock(m_stats_mutex);
    auto it = recv_per_msg.find(command);
    if (it == recv_per_msg.end()) it = recv_per_msg.find(MSG_TYPE_OTHER);
    it->second += bytes;
}

void Node::CountSent(const std::string& command, size_t bytes)
{
    std::lock_guard lock(m_stats_mutex);
    auto it = sent_per_msg.find(command);
    if (it == sent_per_msg.end()) it = sent_per_msg.find(MSG_TYPE_OTHER);
    it->second += bytes;
}

std::string Node::DisconnectMsg() const
{
    std::string msg = "disconnecting peer=" + std::to_string(id);
    if (g_log_ips) msg += ", peeraddr=" + addr.ToStringAddrPort();
    return msg;
}

} // namespace cairn
