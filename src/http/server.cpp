#include "http/server.h"

#include "util/log.h"
#include "util/strencodings.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <event2/util.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace cairn {

namespace {

void SetThreadName(const std::string& name)
{
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

void LibeventLog(int severity, const char* msg)
{
    if (severity >= EVENT_LOG_WARN) {
        LogInfo("libevent: {}", msg);
    } else {
        LogDebug(LogCategory::LIBEVENT, "libevent: {}", msg);
    }
}

/** libevent's locking must be on before the first event_base is made, so
 *  that event_active and evbuffer calls from other threads are safe. */
void InitLibeventOnce()
{
    static std::once_flag once;
    std::call_once(once, [] {
        evthread_use_pthreads();
        event_set_log_callback(&LibeventLog);
        UpdateHttpServerLogging(Logger::Instance().Enabled(LogCategory::LIBEVENT));
    });
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

/** The peer of a connection: its address bytes (4 or 16; IPv4-mapped IPv6
 *  unmapped) and "addr:port" text. False when it cannot be had. */
bool PeerOf(evhttp_connection* conn, std::vector<uint8_t>& addr, std::string& text)
{
    if (!conn) return false;
    bufferevent* bev = evhttp_connection_get_bufferevent(conn);
    if (!bev) return false;
    const evutil_socket_t fd = bufferevent_getfd(bev);
    if (fd < 0) return false;
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return false;
    char buf[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
        const auto* b = reinterpret_cast<const uint8_t*>(&sin->sin_addr);
        addr.assign(b, b + 4);
        inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
        text = fmt::format("{}:{}", buf, ntohs(sin->sin_port));
        return true;
    }
    if (ss.ss_family == AF_INET6) {
        const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
        const auto* b = reinterpret_cast<const uint8_t*>(&sin6->sin6_addr);
        static const uint8_t MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (std::memcmp(b, MAPPED, 12) == 0) {
            addr.assign(b + 12, b + 16);
            inet_ntop(AF_INET, b + 12, buf, sizeof(buf));
            text = fmt::format("{}:{}", buf, ntohs(sin6->sin6_port));
        } else {
            addr.assign(b, b + 16);
            inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
            text = fmt::format("[{}]:{}", buf, ntohs(sin6->sin6_port));
        }
        return true;
    }
    return false;
}

/** Splits "host", "host:port", "[v6]" or "[v6]:port" (a bare IPv6 address
 *  with several colons is all host). False for a port that is not 1-65535. */
bool SplitHostPort(std::string_view in, std::string& host, uint16_t& port)
{
    std::string_view h = in;
    const size_t colon = in.rfind(':');
    const bool bracketed = !in.empty() && in.front() == '[';
    // A port is present if there is a colon and either the host is bracketed
    // (the colon follows ']') or it is the only colon.
    if (colon != std::string_view::npos &&
        ((bracketed && colon > 0 && in[colon - 1] == ']') || (!bracketed && in.find(':') == colon))) {
        const std::string_view p = in.substr(colon + 1);
        uint32_t value = 0;
        if (!ParseUInt32(p, &value) || value == 0 || value > 65535 || p.front() == '+') return false;
        port = static_cast<uint16_t>(value);
        h = in.substr(0, colon);
    }
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    host = std::string(h);
    return true;
}

} // namespace

void UpdateHttpServerLogging(bool enable)
{
    event_enable_debug_logging(enable ? EVENT_DBG_ALL : EVENT_DBG_NONE);
}

// ---------------------------------------------------------------------------
// Endpoints and subnets

std::optional<std::vector<std::pair<std::string, uint16_t>>> RpcBindEndpoints(
    const std::vector<std::string>& rpcbind, bool have_rpcallowip, uint16_t port,
    std::vector<std::string>& warnings, std::string& error)
{
    std::vector<std::pair<std::string, uint16_t>> endpoints;
    if (!have_rpcallowip || rpcbind.empty()) {
        endpoints.emplace_back("::1", port);
        endpoints.emplace_back("127.0.0.1", port);
        if (have_rpcallowip) {
            warnings.emplace_back("option -rpcallowip was specified without -rpcbind; this doesn't usually make sense");
        }
        if (!rpcbind.empty()) {
            warnings.emplace_back("option -rpcbind was ignored because -rpcallowip was not specified, refusing to allow everyone to connect");
        }
        return endpoints;
    }
    for (const std::string& b : rpcbind) {
        std::string host;
        uint16_t p = port;
        if (!SplitHostPort(b, host, p)) {
            error = fmt::format("Invalid port specified in -rpcbind: '{}'", b);
            return std::nullopt;
        }
        endpoints.emplace_back(host, p);
    }
    return endpoints;
}

std::optional<HttpSubnet> HttpSubnet::Parse(std::string_view text)
{
    HttpSubnet s;
    const size_t slash = text.find('/');
    const std::string ip(text.substr(0, slash));
    uint8_t addr[16] = {};
    size_t len;
    if (inet_pton(AF_INET, ip.c_str(), addr) == 1) {
        len = 4;
    } else if (inet_pton(AF_INET6, ip.c_str(), addr) == 1) {
        len = 16;
        s.m_v6 = true;
    } else {
        return std::nullopt;
    }
    if (slash == std::string_view::npos) {
        std::memset(s.m_mask, 0xff, len);
    } else {
        const std::string suffix(text.substr(slash + 1));
        uint32_t bits = 0;
        if (!suffix.empty() && suffix.find_first_not_of("0123456789") == std::string::npos) {
            if (!ParseUInt32(suffix, &bits) || bits > len * 8) return std::nullopt;
            for (size_t i = 0; i < len; ++i) {
                const uint32_t here = std::min<uint32_t>(8, bits);
                s.m_mask[i] = static_cast<uint8_t>(here == 0 ? 0 : (0xff << (8 - here)) & 0xff);
                bits -= here;
            }
        } else {
            // A netmask of the same family, which must be contiguous ones.
            if (inet_pton(len == 4 ? AF_INET : AF_INET6, suffix.c_str(), s.m_mask) != 1) return std::nullopt;
            bool zero_seen = false;
            for (size_t i = 0; i < len * 8; ++i) {
                const bool one = s.m_mask[i / 8] & (0x80 >> (i % 8));
                if (one && zero_seen) return std::nullopt;
                if (!one) zero_seen = true;
            }
        }
    }
    for (size_t i = 0; i < len; ++i) s.m_net[i] = addr[i] & s.m_mask[i];
    return s;
}

bool HttpSubnet::Match(const uint8_t* addr, size_t len) const
{
    uint8_t a[16];
    static const uint8_t MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (len == 16 && std::memcmp(addr, MAPPED, 12) == 0) {
        std::memcpy(a, addr + 12, 4);
        len = 4;
    } else {
        std::memcpy(a, addr, std::min<size_t>(len, 16));
    }
    if (len != (m_v6 ? 16u : 4u)) return false;
    for (size_t i = 0; i < len; ++i) {
        if ((a[i] & m_mask[i]) != m_net[i]) return false;
    }
    return true;
}

std::string HttpSubnet::ToString() const
{
    const size_t len = m_v6 ? 16 : 4;
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(m_v6 ? AF_INET6 : AF_INET, m_net, buf, sizeof(buf));
    int bits = 0;
    for (size_t i = 0; i < len; ++i) bits += __builtin_popcount(m_mask[i]);
    return fmt::format("{}/{}", buf, bits);
}

std::string_view HttpMethodName(HttpMethod m)
{
    switch (m) {
    case HttpMethod::GET: return "GET";
    case HttpMethod::POST: return "POST";
    case HttpMethod::HEAD: return "HEAD";
    case HttpMethod::PUT: return "PUT";
    case HttpMethod::UNKNOWN: return "unknown";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------
// HttpRequest

HttpRequest::HttpRequest(HttpMethod method, std::string uri, std::vector<std::pair<std::string, std::string>> headers,
                         std::string body, std::string peer, ReplySink sink)
    : m_method(method), m_uri(std::move(uri)), m_headers(std::move(headers)), m_body(std::move(body)),
      m_peer(std::move(peer)), m_sink(std::move(sink))
{
}

HttpRequest::~HttpRequest()
{
    if (!m_reply_sent) {
        LogInfo("HTTP: unhandled request for {} from {}", m_uri.substr(0, 100), m_peer);
        WriteReply(500, "Unhandled request");
    }
}

std::optional<std::string> HttpRequest::GetHeader(std::string_view name) const
{
    for (const auto& [k, v] : m_headers) {
        if (EqualsIgnoreCase(k, name)) return v;
    }
    return std::nullopt;
}

std::string HttpRequest::ReadBody()
{
    std::string out;
    out.swap(m_body);
    return out;
}

void HttpRequest::WriteHeader(std::string name, std::string value)
{
    m_reply_headers.emplace_back(std::move(name), std::move(value));
}

void HttpRequest::WriteReply(int status, std::string_view body, std::chrono::milliseconds delay)
{
    if (m_reply_sent) {
        LogInfo("HTTP: second reply to a request for {} ignored", m_uri.substr(0, 100));
        return;
    }
    m_reply_sent = true;
    Reply reply;
    reply.status = status;
    reply.headers = std::move(m_reply_headers);
    reply.body = std::string(body);
    reply.delay = delay;
    if (m_sink) m_sink(std::move(reply));
}

// ---------------------------------------------------------------------------
// HttpServer

HttpServer::HttpServer() = default;

HttpServer::~HttpServer() { Stop(); }

bool HttpServer::Start(const HttpServerOptions& options, std::string& error)
{
    if (m_running || m_stopped) {
        error = "HTTP server already started";
        return false;
    }
    m_options = options;
    m_options.threads = std::max(1, m_options.threads);
    m_options.work_queue_depth = std::max(1, m_options.work_queue_depth);

    // Loopback is always allowed, then -rpcallowip.
    m_allowed.clear();
    m_allowed.push_back(*HttpSubnet::Parse("127.0.0.0/8"));
    m_allowed.push_back(*HttpSubnet::Parse("::1"));
    for (const std::string& a : m_options.allow_ip) {
        auto subnet = HttpSubnet::Parse(a);
        if (!subnet) {
            error = fmt::format("Invalid -rpcallowip subnet specification: {}. Valid are a single IP (e.g. 1.2.3.4), "
                                "a network/netmask (e.g. 1.2.3.4/255.255.255.0) or a network/CIDR (e.g. 1.2.3.4/24).",
                                a);
            return false;
        }
        m_allowed.push_back(*subnet);
    }
    if (Logger::Instance().Enabled(LogCategory::HTTP)) {
        std::string list;
        for (const auto& s : m_allowed) list += s.ToString() + " ";
        LogDebug(LogCategory::HTTP, "Allowing HTTP connections from: {}", list);
    }

    InitLibeventOnce();
    // A precise clock for timers: a delayed 401 must not leave early (the
    // default coarse clock can be off by a few milliseconds).
    if (event_config* cfg = event_config_new()) {
        event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
        m_base = event_base_new_with_config(cfg);
        event_config_free(cfg);
    }
    if (!m_base) {
        error = "Couldn't create an event_base";
        return false;
    }
    m_http = evhttp_new(m_base);
    if (!m_http) {
        event_base_free(m_base);
        m_base = nullptr;
        error = "Couldn't create evhttp";
        return false;
    }
    evhttp_set_timeout(m_http, m_options.timeout_seconds);
    evhttp_set_max_headers_size(m_http, static_cast<ev_ssize_t>(m_options.max_headers_bytes));
    evhttp_set_max_body_size(m_http, static_cast<ev_ssize_t>(m_options.max_body_bytes));
    evhttp_set_gencb(m_http, &HttpServer::OnRequest, this);

    m_bound_ports.clear();
    for (const auto& [host, port] : m_options.bind) {
        LogInfo("Binding RPC on address {} port {}", host, port);
        evhttp_bound_socket* handle = evhttp_bind_socket_with_handle(m_http, host.empty() ? nullptr : host.c_str(), port);
        if (!handle) {
            LogInfo("Binding RPC on address {} port {} failed.", host, port);
            continue;
        }
        const evutil_socket_t fd = evhttp_bound_socket_get_fd(handle);
        const int one = 1;
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) {
            LogInfo("WARNING: Unable to set TCP_NODELAY on RPC server socket, continuing anyway");
        }
        sockaddr_storage ss{};
        socklen_t len = sizeof(ss);
        uint16_t actual = port;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
            if (ss.ss_family == AF_INET) actual = ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
            if (ss.ss_family == AF_INET6) actual = ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
        }
        if (host.empty() || host == "0.0.0.0" || host == "::") {
            LogInfo("WARNING: the RPC server is not safe to expose to untrusted networks such as the public internet");
        }
        m_listeners.push_back(handle);
        m_bound_ports.push_back(actual);
    }
    if (m_listeners.empty()) {
        evhttp_free(m_http);
        event_base_free(m_base);
        m_http = nullptr;
        m_base = nullptr;
        error = "Unable to bind any endpoint for RPC server";
        LogInfo("{}", error);
        return false;
    }

    m_wake = event_new(m_base, -1, 0, &HttpServer::OnWake, this);
    m_queue_open = true;
    m_running = true;
    LogInfo("Starting HTTP server with {} worker threads", m_options.threads);
    LogDebug(LogCategory::HTTP, "creating work queue of depth {}", m_options.work_queue_depth);
    m_loop_thread = std::thread([this] {
        SetThreadName("http");
        LogDebug(LogCategory::HTTP, "Entering http event loop");
        // NO_EXIT_ON_EMPTY: the loop also runs posted tasks after the
        // listeners are gone; Stop ends it explicitly.
        event_base_loop(m_base, EVLOOP_NO_EXIT_ON_EMPTY);
        LogDebug(LogCategory::HTTP, "Exited http event loop");
    });
    for (int i = 0; i < m_options.threads; ++i) {
        m_workers.emplace_back([this, i] { WorkerLoop(i); });
    }
    return true;
}

std::vector<uint16_t> HttpServer::BoundPorts() const { return m_bound_ports; }

void HttpServer::RegisterHandler(std::string prefix, bool exact_match, HttpHandler handler)
{
    LogDebug(LogCategory::HTTP, "Registering HTTP handler for {} (exactmatch {})", prefix, exact_match);
    std::lock_guard lock(m_routes_mutex);
    m_routes.push_back(Route{std::move(prefix), exact_match, std::move(handler)});
}

void HttpServer::UnregisterHandler(const std::string& prefix, bool exact_match)
{
    std::lock_guard lock(m_routes_mutex);
    auto it = std::find_if(m_routes.begin(), m_routes.end(),
                           [&](const Route& r) { return r.prefix == prefix && r.exact_match == exact_match; });
    if (it != m_routes.end()) {
        LogDebug(LogCategory::HTTP, "Unregistering HTTP handler for {} (exactmatch {})", prefix, exact_match);
        m_routes.erase(it);
    }
}

size_t HttpServer::QueueDepth() const
{
    std::lock_guard lock(m_queue_mutex);
    return m_queue.size();
}

void HttpServer::Interrupt()
{
    if (!m_running || m_interrupted.exchange(true)) return;
    LogDebug(LogCategory::HTTP, "Interrupting HTTP server");
    {
        std::lock_guard lock(m_queue_mutex);
        m_queue_open = false;
    }
    m_queue_cv.notify_all();
    Post([this] {
        for (evhttp_bound_socket* l : m_listeners) evhttp_del_accept_socket(m_http, l);
        m_listeners.clear();
    });
}

void HttpServer::Stop()
{
    if (m_stopped) return;
    m_stopped = true;
    if (!m_running) return;
    Interrupt();
    LogDebug(LogCategory::HTTP, "Stopping HTTP server: waiting for worker threads");
    for (auto& t : m_workers) t.join();
    m_workers.clear();

    // Every reply has now been handed to the loop; give it a bounded time to
    // write them (the reply to "stop" must reach its client).
    {
        std::unique_lock lock(m_tracker_mutex);
        if (!m_active.empty()) {
            LogDebug(LogCategory::HTTP, "Waiting for {} connections to stop HTTP server", m_active.size());
        }
        if (!m_tracker_cv.wait_for(lock, std::chrono::seconds(5), [this] { return m_active.empty(); })) {
            LogInfo("HTTP: replies still unwritten on {} connections at shutdown; closing them", m_active.size());
        }
    }
    Post([this] {
        for (PendingReply* p : m_delayed) {
            SendReply(p->req, p->reply);
            event_free(p->timer);
            delete p;
        }
        m_delayed.clear();
        for (evhttp_bound_socket* l : m_listeners) evhttp_del_accept_socket(m_http, l);
        m_listeners.clear();
        evhttp_free(m_http);
        m_http = nullptr;
        event_base_loopexit(m_base, nullptr);
    });
    m_loop_thread.join();
    event_free(m_wake);
    m_wake = nullptr;
    event_base_free(m_base);
    m_base = nullptr;
    m_running = false;
    LogDebug(LogCategory::HTTP, "Stopped HTTP server");
}

bool HttpServer::Enqueue(WorkItem&& item)
{
    {
        std::lock_guard lock(m_queue_mutex);
        if (!m_queue_open || m_queue.size() >= size_t(m_options.work_queue_depth)) return false;
        m_queue.push_back(std::move(item));
    }
    m_queue_cv.notify_one();
    return true;
}

void HttpServer::WorkerLoop(int index)
{
    SetThreadName(fmt::format("httpworker.{}", index));
    for (;;) {
        WorkItem item;
        {
            std::unique_lock lock(m_queue_mutex);
            m_queue_cv.wait(lock, [this] { return !m_queue_open || !m_queue.empty(); });
            // After Interrupt the queue is still drained: queued requests
            // get their answers.
            if (m_queue.empty()) return;
            item = std::move(m_queue.front());
            m_queue.pop_front();
        }
        try {
            item.handler(*item.request, item.path);
        } catch (const std::exception& e) {
            LogInfo("HTTP: handler for {} threw: {}", item.request->GetURI().substr(0, 100), e.what());
            if (!item.request->ReplySent()) item.request->WriteReply(500, "Internal error");
        }
        item.request.reset(); // answers 500 if the handler did not
    }
}

void HttpServer::Post(std::function<void()> task)
{
    {
        std::lock_guard lock(m_post_mutex);
        m_posted.push_back(std::move(task));
    }
    event_active(m_wake, 0, 0);
}

void HttpServer::PostReply(evhttp_request* req, HttpRequest::Reply&& reply)
{
    auto shared = std::make_shared<HttpRequest::Reply>(std::move(reply));
    Post([this, req, shared] {
        if (shared->delay.count() > 0) {
            auto* p = new PendingReply{this, req, std::move(*shared)};
            p->timer = evtimer_new(m_base, &HttpServer::OnDelayedReply, p);
            // Timers count from the loop's cached time: refresh it so the
            // delay runs from now.
            event_base_update_cache_time(m_base);
            timeval tv;
            tv.tv_sec = p->reply.delay.count() / 1000;
            tv.tv_usec = (p->reply.delay.count() % 1000) * 1000;
            evtimer_add(p->timer, &tv);
            m_delayed.push_back(p);
        } else {
            SendReply(req, *shared);
        }
    });
}

void HttpServer::OnWake(int, short, void* arg) { static_cast<HttpServer*>(arg)->RunPostedTasks(); }

void HttpServer::RunPostedTasks()
{
    std::vector<std::function<void()>> tasks;
    {
        std::lock_guard lock(m_post_mutex);
        tasks.swap(m_posted);
    }
    for (auto& t : tasks) t();
}

void HttpServer::OnDelayedReply(int, short, void* arg)
{
    auto* p = static_cast<PendingReply*>(arg);
    HttpServer* self = p->server;
    self->m_delayed.erase(std::remove(self->m_delayed.begin(), self->m_delayed.end(), p), self->m_delayed.end());
    self->SendReply(p->req, p->reply);
    event_free(p->timer);
    delete p;
}

void HttpServer::SendReply(evhttp_request* req, HttpRequest::Reply& reply)
{
    evkeyvalq* out = evhttp_request_get_output_headers(req);
    for (const auto& [k, v] : reply.headers) evhttp_add_header(out, k.c_str(), v.c_str());
    if (m_interrupted) evhttp_add_header(out, "Connection", "close");
    if (!reply.body.empty()) evbuffer_add(evhttp_request_get_output_buffer(req), reply.body.data(), reply.body.size());
    evhttp_send_reply(req, reply.status, nullptr, nullptr);
}

void HttpServer::OnRequestComplete(evhttp_request* req, void* arg)
{
    auto* self = static_cast<HttpServer*>(arg);
    const evhttp_connection* conn = evhttp_request_get_connection(req);
    std::lock_guard lock(self->m_tracker_mutex);
    auto it = self->m_active.find(conn);
    if (it != self->m_active.end() && it->second > 0 && --it->second == 0) {
        self->m_active.erase(it);
        if (self->m_active.empty()) self->m_tracker_cv.notify_all();
    }
}

void HttpServer::OnConnectionClose(evhttp_connection* conn, void* arg)
{
    auto* self = static_cast<HttpServer*>(arg);
    std::lock_guard lock(self->m_tracker_mutex);
    if (self->m_active.erase(conn) && self->m_active.empty()) self->m_tracker_cv.notify_all();
}

void HttpServer::OnRequest(evhttp_request* req, void* arg) { static_cast<HttpServer*>(arg)->HandleRequest(req); }

void HttpServer::HandleRequest(evhttp_request* req)
{
    if (m_interrupted) {
        LogDebug(LogCategory::HTTP, "Rejecting request while shutting down");
        evhttp_send_error(req, 503, nullptr);
        return;
    }
    evhttp_connection* conn = evhttp_request_get_connection(req);
    {
        std::lock_guard lock(m_tracker_mutex);
        ++m_active[conn];
    }
    evhttp_request_set_on_complete_cb(req, &HttpServer::OnRequestComplete, this);
    if (conn) evhttp_connection_set_closecb(conn, &HttpServer::OnConnectionClose, this);

    std::vector<uint8_t> addr;
    std::string peer;
    const bool have_peer = PeerOf(conn, addr, peer);
    HttpRequest::Reply reply;
    if (!have_peer ||
        std::none_of(m_allowed.begin(), m_allowed.end(), [&](const HttpSubnet& s) { return s.Match(addr.data(), addr.size()); })) {
        LogDebug(LogCategory::HTTP, "HTTP request from {} rejected: Client network is not allowed RPC access", peer);
        reply.status = 403;
        SendReply(req, reply);
        return;
    }

    HttpMethod method;
    switch (evhttp_request_get_command(req)) {
    case EVHTTP_REQ_GET: method = HttpMethod::GET; break;
    case EVHTTP_REQ_POST: method = HttpMethod::POST; break;
    case EVHTTP_REQ_HEAD: method = HttpMethod::HEAD; break;
    case EVHTTP_REQ_PUT: method = HttpMethod::PUT; break;
    default: method = HttpMethod::UNKNOWN; break;
    }
    if (method == HttpMethod::UNKNOWN) {
        LogDebug(LogCategory::HTTP, "HTTP request from {} rejected: Unknown HTTP request method", peer);
        reply.status = 405;
        SendReply(req, reply);
        return;
    }

    const char* uri_c = evhttp_request_get_uri(req);
    std::string uri = uri_c ? uri_c : "";
    LogDebug(LogCategory::HTTP, "Received a {} request for {} from {}", HttpMethodName(method), uri.substr(0, 100), peer);

    std::string path;
    HttpHandler handler;
    {
        std::lock_guard lock(m_routes_mutex);
        for (const Route& r : m_routes) {
            const bool match = r.exact_match ? uri == r.prefix : uri.compare(0, r.prefix.size(), r.prefix) == 0;
            if (match) {
                path = uri.substr(r.prefix.size());
                handler = r.handler;
                break;
            }
        }
    }
    if (!handler) {
        reply.status = 404;
        SendReply(req, reply);
        return;
    }

    std::vector<std::pair<std::string, std::string>> headers;
    if (const evkeyvalq* in = evhttp_request_get_input_headers(req)) {
        for (const evkeyval* kv = in->tqh_first; kv; kv = kv->next.tqe_next) headers.emplace_back(kv->key, kv->value);
    }
    std::string body;
    if (evbuffer* buf = evhttp_request_get_input_buffer(req)) {
        body.resize(evbuffer_get_length(buf));
        if (!body.empty()) evbuffer_remove(buf, body.data(), body.size());
    }

    auto request = std::make_unique<HttpRequest>(method, std::move(uri), std::move(headers), std::move(body), std::move(peer),
                                                 [this, req](HttpRequest::Reply&& r) { PostReply(req, std::move(r)); });
    WorkItem item{std::move(request), std::move(path), std::move(handler)};
    if (!Enqueue(std::move(item))) {
        // Enqueue leaves the item untouched when it refuses it.
        LogInfo("WARNING: request rejected because http work queue depth exceeded, it can be increased with the -rpcworkqueue= setting");
        item.request->WriteReply(503, "Work queue depth exceeded");
    }
}

} // namespace cairn
