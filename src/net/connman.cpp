#include "net/connman.h"

#include "net/addrdb.h"
#include "net/addrman.h"
#include "net/banman.h"
#include "net/netgroup.h"
#include "net/sock.h"
#include "net/subnet.h"
#include "crypto/random.h"
#include "crypto/siphash.h"
#include "util/log.h"
#include "util/time.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cairn {

namespace {

/** The socket loop wakes at least this often (ms) for timeouts and disconnections. */
constexpr int SELECT_TIMEOUT_MS = 50;
/** Bytes read from one socket per pass, so one fast peer cannot starve the rest. */
constexpr size_t RECV_CHUNK = 64 * 1024;

void SetThreadName(const char* name)
{
    pthread_setname_np(pthread_self(), name);
}

} // namespace

std::string FormatSubVersion(const std::string& name, const std::string& version,
                             const std::vector<std::string>& comments)
{
    std::string out = "/" + name + ":" + version;
    if (!comments.empty()) {
        out += "(";
        for (size_t i = 0; i < comments.size(); ++i) {
            if (i) out += "; ";
            out += comments[i];
        }
        out += ")";
    }
    return out + "/";
}

ConnMan::ConnMan(ConnManOptions opts, NetEvents& events, AddrMan& addrman, BanMan* banman, LocalAddresses* local)
    : m_opts(std::move(opts)), m_events(events), m_addrman(addrman), m_banman(banman), m_local(local),
      m_upload(m_opts.max_upload_target)
{
    m_network_active = m_opts.network_active;
    m_added_nodes = m_opts.added_nodes;
    m_seed0 = GetRandUint64();
    m_seed1 = GetRandUint64();
}

ConnMan::~ConnMan()
{
    Stop();
}

bool ConnMan::Listen(const Service& bind, NetPermissionFlags flags, std::string& error)
{
    const int fd = CreateListenSocket(bind, error);
    if (fd < 0) return false;
    LogInfo("Bound to {}", bind.ToStringAddrPort());
    m_listen_fds.push_back(fd);
    m_listen_addrs.push_back(bind);
    m_listen_flags.push_back(flags);
    return true;
}

bool ConnMan::Start(std::string& error)
{
    // -whitebind sockets are required like -bind ones; their peers get the entry's permissions.
    std::vector<std::pair<Service, NetPermissionFlags>> required;
    for (const Service& bind : m_opts.binds) required.emplace_back(bind, NetPermissionFlags::None);
    for (const WhitebindPermission& wb : m_opts.whitebinds) required.emplace_back(wb.service, wb.flags);
    for (const auto& [bind, flags] : required) {
        std::string err;
        if (!Listen(bind, flags, err)) {
            error = err;
            for (int f : m_listen_fds) CloseSocket(f);
            m_listen_fds.clear();
            m_listen_addrs.clear();
            m_listen_flags.clear();
            return false;
        }
    }
    for (const Service& bind : m_opts.binds_optional) {
        std::string err;
        if (!Listen(bind, NetPermissionFlags::None, err)) LogInfo("{}", err);
    }
    if (pipe2(m_wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        error = "pipe() failed";
        return false;
    }
    m_interrupt = false;
    m_started = true;
    m_last_dump = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (m_opts.use_addrman_outgoing && !m_opts.datadir.empty()) {
        m_anchors = ReadAnchors(m_opts.datadir / "anchors.dat", m_opts.magic);
        if (m_anchors.size() > MAX_BLOCK_RELAY_ONLY_ANCHORS) m_anchors.resize(MAX_BLOCK_RELAY_ONLY_ANCHORS);
        LogInfo("{} block-relay-only anchors will be tried for connections.", m_anchors.size());
    }
    m_socket_thread = std::thread([this] { ThreadSocketHandler(); });
    m_msghand_thread = std::thread([this] { ThreadMessageHandler(); });
    m_addcon_thread = std::thread([this] { ThreadOpenConnections(); });
    // As Core: DNS seeding depends on -dnsseed alone (its default is off with -connect).
    if (!m_opts.dns_seed) {
        LogInfo("DNS seeding disabled");
    } else {
        m_dnsseed_thread = std::thread([this] { ThreadDnsSeed(); });
    }
    if (m_opts.use_addrman_outgoing) m_opencon_thread = std::thread([this] { ThreadOpenAutoConnections(); });
    return true;
}

void ConnMan::Stop()
{
    if (!m_started) return;
    m_interrupt = true;
    WakeSocketHandler();
    WakeMessageHandler();
    {
        std::lock_guard lock(m_added_mutex);
        m_addcon_wake = true;
    }
    m_addcon_cv.notify_all();
    {
        std::lock_guard lock(m_interrupt_mutex);
    }
    m_interrupt_cv.notify_all();
    if (m_addcon_thread.joinable()) m_addcon_thread.join();
    if (m_opencon_thread.joinable()) m_opencon_thread.join();
    if (m_dnsseed_thread.joinable()) m_dnsseed_thread.join();
    if (m_msghand_thread.joinable()) m_msghand_thread.join();
    if (m_socket_thread.joinable()) m_socket_thread.join();
    for (int fd : m_listen_fds) CloseSocket(fd);
    m_listen_fds.clear();
    m_listen_flags.clear();
    // Only a clean shutdown writes the anchors: the block-relay-only peers we still have.
    if (m_opts.use_addrman_outgoing && !m_opts.datadir.empty()) {
        std::vector<AddrEntry> anchors = GetCurrentBlockRelayOnlyConns();
        if (anchors.size() > MAX_BLOCK_RELAY_ONLY_ANCHORS) anchors.resize(MAX_BLOCK_RELAY_ONLY_ANCHORS);
        DumpAnchors(m_opts.datadir / "anchors.dat", m_opts.magic, anchors);
    }
    std::vector<std::shared_ptr<Node>> all;
    {
        std::lock_guard lock(m_nodes_mutex);
        all = std::move(m_nodes);
        all.insert(all.end(), m_nodes_disconnected.begin(), m_nodes_disconnected.end());
        m_nodes.clear();
        m_nodes_disconnected.clear();
    }
    for (const auto& node : all) {
        {
            std::lock_guard lock(node->m_send_mutex);
            if (!node->m_socket_closed) CloseSocket(node->fd);
            node->m_socket_closed = true;
        }
        m_events.FinalizeNode(*node);
    }
    CloseSocket(m_wake_pipe[0]);
    CloseSocket(m_wake_pipe[1]);
    m_wake_pipe[0] = m_wake_pipe[1] = -1;
    DumpAddresses();
    m_started = false;
}

void ConnMan::WakeSocketHandler()
{
    if (m_wake_pipe[1] >= 0) {
        const char c = 0;
        [[maybe_unused]] ssize_t n = write(m_wake_pipe[1], &c, 1);
    }
}

void ConnMan::WakeMessageHandler()
{
    {
        std::lock_guard lock(m_msgproc_mutex);
        m_msgproc_wake = true;
    }
    m_msgproc_cv.notify_one();
}

// ---- sending ----

void ConnMan::PushMessage(Node& node, const std::string& command, ByteSpan payload)
{
    Bytes msg = FrameMessage(m_opts.magic, command, payload);
    LogDebug(LogCategory::NET, "sending {} ({} bytes) peer={}", command, payload.size(), node.id);
    node.CountSent(command, msg.size());
    bool left_over;
    {
        std::lock_guard lock(node.m_send_mutex);
        if (node.m_socket_closed) return;
        const bool was_empty = node.m_send_queue.empty();
        node.m_send_queue_bytes += msg.size();
        node.m_send_queue.push_back(std::move(msg));
        // Optimistic write: most messages leave at once, without a trip through the socket thread.
        if (was_empty) SendQueued(node);
        left_over = !node.m_send_queue.empty();
    }
    if (left_over) WakeSocketHandler();
}

void ConnMan::SendQueued(Node& node)
{
    while (!node.m_send_queue.empty()) {
        const Bytes& front = node.m_send_queue.front();
        const ssize_t n = send(node.fd, front.data() + node.m_send_offset, front.size() - node.m_send_offset,
                               MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                LogDebug(LogCategory::NET, "socket send error for peer={}: {}", node.id, std::strerror(errno));
                node.disconnect = true;
            }
            break;
        }
        node.bytes_sent += uint64_t(n);
        m_total_sent += uint64_t(n);
        m_upload.RecordBytesSent(uint64_t(n), GetTime());
        node.last_send = GetTime();
        node.m_send_offset += size_t(n);
        node.m_send_queue_bytes -= size_t(n);
        if (node.m_send_offset < front.size()) break; // the kernel's buffer is full
        node.m_send_queue.pop_front();
        node.m_send_offset = 0;
    }
    node.pause_send = node.m_send_queue_bytes > m_opts.max_send_buffer;
}

// ---- the socket thread ----

void ConnMan::ThreadSocketHandler()
{
    SetThreadName("net");
    std::vector<pollfd> fds;
    std::vector<std::shared_ptr<Node>> polled;
    while (!m_interrupt) {
        DisconnectNodes();
        fds.clear();
        polled.clear();
        fds.push_back({m_wake_pipe[0], POLLIN, 0});
        for (int fd : m_listen_fds) fds.push_back({fd, POLLIN, 0});
        const size_t first_node = fds.size();
        for (const auto& node : GetNodes()) {
            if (node->disconnect) continue;
            short events = 0;
            if (!node->pause_recv) events |= POLLIN;
            {
                std::lock_guard lock(node->m_send_mutex);
                if (!node->m_send_queue.empty()) events |= POLLOUT;
            }
            fds.push_back({node->fd, events, 0});
            polled.push_back(node);
        }
        const int rc = poll(fds.data(), fds.size(), SELECT_TIMEOUT_MS);
        if (m_interrupt) break;
        if (rc > 0) {
            if (fds[0].revents & POLLIN) {
                char buf[64];
                while (read(m_wake_pipe[0], buf, sizeof(buf)) > 0) {
                }
            }
            for (size_t i = 1; i < first_node; ++i) {
                if (fds[i].revents & POLLIN) AcceptConnection(fds[i].fd, m_listen_flags[i - 1]);
            }
            for (size_t i = 0; i < polled.size(); ++i) {
                const pollfd& p = fds[first_node + i];
                Node& node = *polled[i];
                if (p.revents & POLLOUT) {
                    std::lock_guard lock(node.m_send_mutex);
                    if (!node.m_socket_closed) SendQueued(node);
                }
                if (p.revents & (POLLIN | POLLERR | POLLHUP)) ReadFromNode(polled[i]);
            }
        }
        const int64_t now = GetTime();
        for (const auto& node : polled) InactivityCheck(*node, now);
    }
}

void ConnMan::ReadFromNode(const std::shared_ptr<Node>& node)
{
    uint8_t buf[RECV_CHUNK];
    const ssize_t n = recv(node->fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n == 0) {
        if (!node->disconnect) LogDebug(LogCategory::NET, "socket closed for peer={}", node->id);
        node->disconnect = true;
        return;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            if (!node->disconnect) LogDebug(LogCategory::NET, "socket recv error for peer={}: {}", node->id, std::strerror(errno));
            node->disconnect = true;
        }
        return;
    }
    node->bytes_recv += uint64_t(n);
    m_total_recv += uint64_t(n);
    node->last_recv = GetTime();
    std::vector<ReceivedMessage> msgs;
    std::string error;
    const bool ok = node->parser.Feed({buf, size_t(n)}, msgs, error);
    bool queued = false;
    {
        std::lock_guard lock(node->m_recv_mutex);
        for (ReceivedMessage& m : msgs) {
            if (m.rejected) {
                // Core drops such a message but keeps the peer.
                LogDebug(LogCategory::NET, "Header error: bad checksum or message type ({}, {} bytes), peer={}",
                         m.command, m.payload.size(), node->id);
                node->CountRecv(MSG_TYPE_OTHER, m.raw_size);
                continue;
            }
            node->CountRecv(m.command, m.raw_size);
            node->m_process_queue_bytes += m.raw_size;
            node->m_process_queue.push_back(std::move(m));
            queued = true;
        }
        node->pause_recv = node->m_process_queue_bytes > m_opts.max_receive_buffer;
    }
    if (!ok) {
        LogDebug(LogCategory::NET, "{}, peer={}", error, node->id);
        node->disconnect = true;
    }
    if (queued) WakeMessageHandler();
}

bool ConnMan::ShouldRunInactivityChecks(const Node& node, int64_t now) const
{
    // Core's: strictly after -peertimeout (tests with mock time start nodes with a huge one).
    return node.connected_time + m_opts.peer_timeout < now;
}

void ConnMan::InactivityCheck(Node& node, int64_t now)
{
    if (node.disconnect) return;
    if (!ShouldRunInactivityChecks(node, now)) return;
    const int64_t last_send = node.last_send, last_recv = node.last_recv;
    if (last_recv == 0 || last_send == 0) {
        LogDebug(LogCategory::NET, "socket no message in first {} seconds{}{}, {}", m_opts.peer_timeout,
                 last_recv == 0 ? ", never received from peer" : "", last_send == 0 ? ", never sent to peer" : "",
                 node.DisconnectMsg());
        node.disconnect = true;
    } else if (now > last_send + TIMEOUT_INTERVAL) {
        LogDebug(LogCategory::NET, "socket sending timeout: {}s, {}", now - last_send, node.DisconnectMsg());
        node.disconnect = true;
    } else if (now > last_recv + TIMEOUT_INTERVAL) {
        LogDebug(LogCategory::NET, "socket receive timeout: {}s, {}", now - last_recv, node.DisconnectMsg());
        node.disconnect = true;
    } else if (!node.successfully_connected) {
        LogDebug(LogCategory::NET, "version handshake timeout, {}", node.DisconnectMsg());
        node.disconnect = true;
    }
}

void ConnMan::DisconnectNodes()
{
    std::vector<std::shared_ptr<Node>> gone;
    {
        std::lock_guard lock(m_nodes_mutex);
        if (!m_network_active) {
            for (const auto& node : m_nodes) node->disconnect = true;
        }
        auto it = std::partition(m_nodes.begin(), m_nodes.end(), [](const auto& n) { return !n->disconnect; });
        gone.assign(it, m_nodes.end());
        m_nodes.erase(it, m_nodes.end());
    }
    if (gone.empty()) return;
    for (const auto& node : gone) {
        LogDebug(LogCategory::NET, "Disconnecting peer={}", node->id);
        std::lock_guard lock(node->m_send_mutex);
        CloseSocket(node->fd);
        node->m_socket_closed = true;
        node->m_send_queue.clear();
        node->m_send_queue_bytes = 0;
    }
    {
        std::lock_guard lock(m_nodes_mutex);
        m_nodes_disconnected.insert(m_nodes_disconnected.end(), gone.begin(), gone.end());
    }
    WakeMessageHandler();
}

void ConnMan::AcceptConnection(int listen_fd, NetPermissionFlags flags)
{
    Service peer;
    const int fd = AcceptSocket(listen_fd, peer);
    if (fd < 0) return;
    // The socket's -whitebind permissions, those of matching -whitelist entries, then the defaults.
    const NetPermissionFlags permissions = PermissionsForPeer(flags, peer, m_opts.whitelist_inbound,
                                                              m_opts.whitelist_relay, m_opts.whitelist_forcerelay);
    const bool noban = HasFlag(permissions, NetPermissionFlags::NoBan);
    if (!m_network_active) {
        LogInfo("connection from {} dropped (not accepting new connections)", peer.ToStringAddrPort());
        CloseSocket(fd);
        return;
    }
    const int automatic = m_opts.max_connections;
    const int full_relay = std::min(MAX_OUTBOUND_FULL_RELAY_CONNECTIONS, automatic);
    const int block_relay = std::min(MAX_BLOCK_RELAY_ONLY_CONNECTIONS, automatic - full_relay);
    const int max_inbound = std::max(0, automatic - (full_relay + block_relay + MAX_FEELER_CONNECTIONS));
    const int inbound = int(GetNodeCount(Direction::IN));
    if (!noban && IsBanned(peer)) {
        LogDebug(LogCategory::NET, "connection from {} dropped (banned)", peer.ToStringAddrPort());
        CloseSocket(fd);
        return;
    }
    // Discouraged addresses only get a slot while plenty are free, as in Core.
    const bool discouraged = IsDiscouraged(peer);
    if (!noban && inbound + 1 >= max_inbound && discouraged) {
        LogDebug(LogCategory::NET, "connection from {} dropped (discouraged)", peer.ToStringAddrPort());
        CloseSocket(fd);
        return;
    }
    if (inbound >= max_inbound && !AttemptToEvictConnection()) {
        LogDebug(LogCategory::NET, "failed to find an eviction candidate - connection dropped (full)");
        CloseSocket(fd);
        return;
    }
    auto node = AddNodeForSocket(fd, peer, ConnectionType::INBOUND, "", permissions);
    if (discouraged) {
        std::lock_guard lock(m_nodes_mutex);
        m_prefer_evict.insert(node->id);
    }
    LogDebug(LogCategory::NET, "connection from {} accepted, peer={}", peer.ToStringAddrPort(), node->id);
}

std::shared_ptr<Node> ConnMan::AddNodeForSocket(int fd, const Service& addr, ConnectionType type,
                                                const std::string& name, NetPermissionFlags permissions)
{
    auto node = std::make_shared<Node>(m_next_id++, fd, addr, GetLocalService(fd), type, name, m_opts.magic,
                                       GetTime(), permissions);
    m_events.InitializeNode(*node);
    {
        std::lock_guard lock(m_nodes_mutex);
        m_nodes.push_back(node);
    }
    WakeSocketHandler();
    WakeMessageHandler();
    return node;
}

// ---- the message handler thread ----

void ConnMan::ThreadMessageHandler()
{
    SetThreadName("msghand");
    while (!m_interrupt) {
        std::vector<std::shared_ptr<Node>> finished;
        {
            std::lock_guard lock(m_nodes_mutex);
            finished.swap(m_nodes_disconnected);
            for (const auto& node : finished) {
                m_local_nonces.erase(node->id);
                m_prefer_evict.erase(node->id);
            }
        }
        for (const auto& node : finished) m_events.FinalizeNode(*node);
        m_events.ProcessEvents();

        bool more_work = false;
        for (const auto& node : GetNodes()) {
            if (node->disconnect) continue;
            const bool more = m_events.ProcessMessages(*node);
            more_work |= more && !node->pause_send;
            if (m_interrupt) return;
            m_events.SendMessages(*node);
        }
        std::unique_lock lock(m_msgproc_mutex);
        if (!more_work) {
            m_msgproc_cv.wait_for(lock, std::chrono::milliseconds(100), [this] { return m_msgproc_wake; });
        }
        m_msgproc_wake = false;
    }
}

// ---- outbound connections ----

void ConnMan::ThreadOpenConnections()
{
    SetThreadName("addcon");
    while (!m_interrupt) {
        bool tried = false;
        if (m_network_active) {
            for (const std::string& dest : m_opts.connect) {
                if (m_interrupt) return;
                if (!AlreadyConnected(dest, std::nullopt)) OpenConnection(dest, ConnectionType::MANUAL);
            }
            for (const AddedNodeInfo& info : GetAddedNodeInfo()) {
                if (m_interrupt) return;
                if (info.connected) continue;
                tried = true;
                OpenConnection(info.added_node, ConnectionType::MANUAL);
            }
        }
        // As Core: -connect peers are retried quickly; added nodes every 2 s
        // until an attempt was made, then every 60 s.
        MaybeDumpAddresses();
        const auto wait = !m_opts.connect.empty() ? std::chrono::milliseconds(500)
                          : tried                 ? std::chrono::milliseconds(60'000)
                                                  : std::chrono::milliseconds(2'000);
        std::unique_lock lock(m_added_mutex);
        m_addcon_cv.wait_for(lock, wait, [this] { return m_addcon_wake || m_interrupt.load(); });
        m_addcon_wake = false;
    }
}

bool ConnMan::AlreadyConnected(const std::string& name, const std::optional<Service>& addr) const
{
    std::lock_guard lock(m_nodes_mutex);
    for (const auto& node : m_nodes) {
        if (node->disconnect) continue;
        if (node->addr_name == name) return true;
        if (addr && node->addr == *addr) return true;
    }
    return false;
}

bool ConnMan::OpenConnection(const std::string& dest, ConnectionType type)
{
    if (m_interrupt || !m_network_active) return false;
    if (AlreadyConnected(dest, std::nullopt)) return false;
    // As Core: with a proxy for names, a name is never looked up here but sent to the proxy
    // (ConnectOutbound); a .onion name always goes to the onion proxy.
    std::string host;
    std::optional<uint16_t> port;
    const bool onion_name = SplitHostPort(dest, host, port) && IsOnionName(host);
    const bool name_proxy = m_opts.proxies.name_proxy.has_value();
    // A v3 onion name parses as an onion address; any other .onion name still goes to the onion proxy.
    std::optional<Service> addr = LookupService(dest, m_opts.default_port, m_opts.allow_dns && !name_proxy && !onion_name);
    if (!addr && !onion_name && !name_proxy) {
        LogDebug(LogCategory::NET, "Cannot resolve {}", dest);
        return false;
    }
    if (addr && AlreadyConnected(dest, *addr)) return false;
    LogDebug(LogCategory::NET, "trying v1 connection {} lastseen=0.0hrs", dest);
    bool proxy_failed = false;
    const int fd = ConnectOutbound(addr, dest, proxy_failed);
    if (fd < 0) return false;
    // A proxied name has no address of its own (Core's invalid CService).
    const Service peer_addr = addr.value_or(Service{});
    // As Core: "out" -whitelist entries apply to manual connections only, never to automatic ones.
    const NetPermissionFlags permissions =
        type == ConnectionType::MANUAL ? PermissionsForPeer(NetPermissionFlags::None, peer_addr, m_opts.whitelist_outbound,
                                                            m_opts.whitelist_relay, m_opts.whitelist_forcerelay)
                                       : NetPermissionFlags::None;
    auto node = AddNodeForSocket(fd, peer_addr, type, dest, permissions);
    LogDebug(LogCategory::NET, "Added connection peer={}", node->id);
    return true;
}

bool ConnMan::AddConnection(const std::string& dest, ConnectionType type)
{
    std::optional<int> max_of_type;
    if (type == ConnectionType::OUTBOUND_FULL_RELAY) max_of_type = MaxFullRelay();
    if (type == ConnectionType::BLOCK_RELAY) max_of_type = MaxBlockRelay();
    if (type == ConnectionType::INBOUND || type == ConnectionType::MANUAL) return false;
    int of_type = 0, automatic = 0;
    {
        std::lock_guard lock(m_nodes_mutex);
        for (const auto& node : m_nodes) {
            of_type += node->conn_type == type;
            automatic += node->conn_type != ConnectionType::INBOUND && node->conn_type != ConnectionType::MANUAL;
        }
    }
    if (max_of_type && of_type >= *max_of_type) return false;
    if (automatic >= MaxAutomaticOutbound()) return false;
    return OpenConnection(dest, type);
}

bool ConnMan::AddNode(const std::string& dest)
{
    {
        // As Core: the same text, or the same numeric address written another way ("127.1" is 127.0.0.1).
        const std::optional<Service> resolved = LookupNumeric(dest, m_opts.default_port);
        std::lock_guard lock(m_added_mutex);
        for (const std::string& added : m_added_nodes) {
            if (added == dest) return false;
            if (resolved && LookupNumeric(added, m_opts.default_port) == resolved) return false;
        }
        m_added_nodes.push_back(dest);
        m_addcon_wake = true;
    }
    m_addcon_cv.notify_all();
    return true;
}

bool ConnMan::RemoveAddedNode(const std::string& dest)
{
    std::lock_guard lock(m_added_mutex);
    auto it = std::find(m_added_nodes.begin(), m_added_nodes.end(), dest);
    if (it == m_added_nodes.end()) return false;
    m_added_nodes.erase(it);
    return true;
}

std::vector<AddedNodeInfo> ConnMan::GetAddedNodeInfo() const
{
    std::vector<std::string> added;
    {
        std::lock_guard lock(m_added_mutex);
        added = m_added_nodes;
    }
    std::vector<AddedNodeInfo> out;
    std::lock_guard lock(m_nodes_mutex);
    for (const std::string& dest : added) {
        AddedNodeInfo info;
        info.added_node = dest;
        const auto numeric = ParseService(dest, m_opts.default_port);
        for (const auto& node : m_nodes) {
            if (node->disconnect) continue;
            if (node->addr_name == dest || (numeric && node->addr == *numeric)) {
                info.connected = true;
                info.resolved = node->addr;
                info.inbound = node->IsInbound();
                break;
            }
        }
        out.push_back(std::move(info));
    }
    return out;
}

bool ConnMan::DisconnectNode(const std::string& addr)
{
    const auto parsed = ParseService(addr, m_opts.default_port);
    bool found = false;
    std::lock_guard lock(m_nodes_mutex);
    for (const auto& node : m_nodes) {
        if (node->addr_name == addr || (parsed && node->addr == *parsed)) {
            node->disconnect = true;
            found = true;
        }
    }
    return found;
}

bool ConnMan::DisconnectNode(const SubNet& subnet)
{
    bool found = false;
    std::lock_guard lock(m_nodes_mutex);
    for (const auto& node : m_nodes) {
        if (subnet.Match(node->addr)) {
            LogDebug(LogCategory::NET, "disconnect by subnet{} matched peer={}; disconnecting", "", node->id);
            node->disconnect = true;
            found = true;
        }
    }
    return found;
}

bool ConnMan::DisconnectNode(const NetAddr& addr)
{
    return DisconnectNode(SubNet(addr));
}

bool ConnMan::IsBanned(const NetAddr& addr) const
{
    return m_banman && m_banman->IsBanned(addr);
}

bool ConnMan::DisconnectNode(NodeId id)
{
    std::lock_guard lock(m_nodes_mutex);
    for (const auto& node : m_nodes) {
        if (node->id == id) {
            node->disconnect = true;
            return true;
        }
    }
    return false;
}

size_t ConnMan::GetNodeCount(Direction d) const
{
    std::lock_guard lock(m_nodes_mutex);
    size_t n = 0;
    for (const auto& node : m_nodes) {
        if (d == Direction::ALL || (d == Direction::IN) == node->IsInbound()) ++n;
    }
    return n;
}

std::vector<std::shared_ptr<Node>> ConnMan::GetNodes() const
{
    std::lock_guard lock(m_nodes_mutex);
    return m_nodes;
}

void ConnMan::ForEachNode(const std::function<void(Node&)>& fn) const
{
    for (const auto& node : GetNodes()) {
        if (!node->disconnect) fn(*node);
    }
}

void ConnMan::SetNetworkActive(bool active)
{
    LogInfo("SetNetworkActive: {}", active ? "true" : "false");
    m_network_active = active;
    WakeSocketHandler();
}

bool ConnMan::PollMessage(Node& node, ReceivedMessage& out, bool& more)
{
    bool resume = false;
    {
        std::lock_guard lock(node.m_recv_mutex);
        if (node.m_process_queue.empty()) return false;
        out = std::move(node.m_process_queue.front());
        node.m_process_queue.pop_front();
        node.m_process_queue_bytes -= out.raw_size;
        const bool paused = node.pause_recv;
        node.pause_recv = node.m_process_queue_bytes > m_opts.max_receive_buffer;
        resume = paused && !node.pause_recv;
        more = !node.m_process_queue.empty();
    }
    if (resume) WakeSocketHandler();
    return true;
}

void ConnMan::Discourage(const NetAddr& addr)
{
    if (m_banman) return m_banman->Discourage(addr);
    std::lock_guard lock(m_discouraged_mutex);
    // Core keeps a rolling bloom filter of 50,000; a set forgotten when full is as bounded.
    if (m_discouraged.size() >= 50'000) m_discouraged.clear();
    m_discouraged.insert(addr);
}

bool ConnMan::IsDiscouraged(const NetAddr& addr) const
{
    if (m_banman) return m_banman->IsDiscouraged(addr);
    std::lock_guard lock(m_discouraged_mutex);
    return m_discouraged.count(addr) > 0;
}

int64_t ConnMan::GetMaxOutboundTimeLeftInCycle() const
{
    return m_upload.TimeLeftInCycle(GetTime());
}

bool ConnMan::OutboundTargetReached(bool historical) const
{
    return m_upload.TargetReached(historical, GetTime());
}

bool ConnMan::CheckIncomingNonce(uint64_t nonce) const
{
    std::lock_guard lock(m_nodes_mutex);
    for (const auto& node : m_nodes) {
        if (node->successfully_connected || node->IsInbound()) continue;
        auto it = m_local_nonces.find(node->id);
        if (it != m_local_nonces.end() && it->second == nonce) return false;
    }
    return true;
}

void ConnMan::RecordLocalNonce(NodeId id, uint64_t nonce)
{
    std::lock_guard lock(m_nodes_mutex);
    m_local_nonces[id] = nonce;
}

} // namespace cairn
