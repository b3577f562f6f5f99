// The HTTP server shared by JSON-RPC and (later) REST, on libevent's evhttp.
//
// Threads and who owns what:
//  - One event-loop thread ("cairn-http") owns every libevent object: the
//    event_base, the evhttp, the listening sockets, the connections and the
//    evhttp_request objects. Nothing else dereferences them.
//  - On that thread the server accepts, parses (evhttp), checks the peer
//    against the allow list (403), finds the handler by path (404), copies
//    everything a handler may read (method, URI, headers, body, peer) into
//    an HttpRequest, and puts it on a bounded work queue (503 "Work queue
//    depth exceeded" when full). Bodies over the limit get 413 from evhttp.
//  - `threads` worker threads ("cairn-httpworker.N") take requests off the
//    queue and run the handlers; a handler may block.
//  - A reply is written from any thread: HttpRequest::WriteReply hands the
//    status, headers and body to the event-loop thread through a locked
//    queue and a libevent user event; only the loop thread calls
//    evhttp_send_reply. A reply may be delayed (401 after a bad password)
//    without holding any thread: the loop thread sends it from a timer.
//  - Start, RegisterHandler, UnregisterHandler, Interrupt and Stop may be
//    called from any one controlling thread (the node's main thread); the
//    handler table is locked so registration can happen while serving.
#ifndef CAIRN_HTTP_SERVER_H
#define CAIRN_HTTP_SERVER_H

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

struct event;
struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct evhttp_connection;
struct evhttp_request;

namespace cairn {

/** Bitcoin Core's defaults for -rpcthreads, -rpcworkqueue, -rpcservertimeout. */
constexpr int DEFAULT_HTTP_THREADS = 16;
constexpr int DEFAULT_HTTP_WORKQUEUE = 64;
constexpr int DEFAULT_HTTP_SERVER_TIMEOUT = 30;
/** Largest request line plus headers (Core's MAX_HEADERS_SIZE). */
constexpr size_t HTTP_MAX_HEADERS_SIZE = 8192;
/** Largest request body: Core's MAX_SIZE, 32 MiB. */
constexpr size_t HTTP_MAX_BODY_SIZE = 0x02000000;

struct HttpServerOptions {
    /** Endpoints to listen on (host, port). Core's default is "::1" and
     *  "127.0.0.1" on -rpcport; see RpcBindEndpoints. Port 0 picks a free port
     *  (see BoundPorts). At least one endpoint must bind. */
    std::vector<std::pair<std::string, uint16_t>> bind;
    /** -rpcallowip: "1.2.3.4", "1.2.3.0/24", "1.2.3.0/255.255.255.0", the
     *  same for IPv6. 127.0.0.0/8 and ::1 are always allowed. */
    std::vector<std::string> allow_ip;
    /** -rpcthreads (at least 1). */
    int threads{DEFAULT_HTTP_THREADS};
    /** -rpcworkqueue: requests waiting for a worker (at least 1). */
    int work_queue_depth{DEFAULT_HTTP_WORKQUEUE};
    /** -rpcservertimeout: idle and read/write timeout of a connection. */
    int timeout_seconds{DEFAULT_HTTP_SERVER_TIMEOUT};
    size_t max_body_bytes{HTTP_MAX_BODY_SIZE};
    size_t max_headers_bytes{HTTP_MAX_HEADERS_SIZE};
};

/**
 * Core's choice of RPC endpoints: -rpcbind is honoured only together with
 * -rpcallowip (otherwise both loopback addresses on `port`, and a warning
 * when only one of the two options was given). "host", "host:port",
 * "[v6]:port" are accepted. Returns nullopt and sets `error` for a bad port.
 */
std::optional<std::vector<std::pair<std::string, uint16_t>>> RpcBindEndpoints(
    const std::vector<std::string>& rpcbind, bool have_rpcallowip, uint16_t port,
    std::vector<std::string>& warnings, std::string& error);

/** An IPv4 or IPv6 network for the allow list. */
class HttpSubnet
{
public:
    /** Parses "ip", "ip/bits" or "ip/netmask" (a netmask of contiguous ones);
     *  nullopt when invalid. */
    static std::optional<HttpSubnet> Parse(std::string_view text);
    /** True when `addr` (4 bytes for IPv4, 16 for IPv6; IPv4-mapped IPv6
     *  addresses are matched as IPv4) lies in the network. */
    bool Match(const uint8_t* addr, size_t len) const;
    std::string ToString() const;

private:
    bool m_v6{false};
    uint8_t m_net[16]{};
    uint8_t m_mask[16]{};
};

/** Turns libevent's own debug messages on or off (-debug=libevent). */
void UpdateHttpServerLogging(bool enable);

class HttpServer;

enum class HttpMethod { UNKNOWN, GET, POST, HEAD, PUT };
std::string_view HttpMethodName(HttpMethod m);

/**
 * One request, handed to a handler on a worker thread. Everything it holds
 * was copied on the event-loop thread, so reading it needs no locking; it is
 * used by one thread at a time. It must be answered exactly once with
 * WriteReply, before the handler returns (the server destroys it then); if
 * it is destroyed unanswered, it answers 500 "Unhandled request" itself. A
 * second WriteReply is ignored.
 */
class HttpRequest
{
public:
    struct Reply {
        int status{0};
        std::vector<std::pair<std::string, std::string>> headers;
        std::string body;
        std::chrono::milliseconds delay{0};
    };
    /** Where the reply goes: the server passes a hand-off to its event loop;
     *  tests may pass their own. */
    using ReplySink = std::function<void(Reply&&)>;

    HttpRequest(HttpMethod method, std::string uri, std::vector<std::pair<std::string, std::string>> headers,
                std::string body, std::string peer, ReplySink sink);
    ~HttpRequest();
    HttpRequest(const HttpRequest&) = delete;
    HttpRequest& operator=(const HttpRequest&) = delete;

    HttpMethod GetMethod() const { return m_method; }
    /** The request target as sent ("/wallet/w%201?x=1"). */
    const std::string& GetURI() const { return m_uri; }
    /** A request header, by case-insensitive name (the first if repeated). */
    std::optional<std::string> GetHeader(std::string_view name) const;
    /** The body; the request keeps an empty string afterwards. */
    std::string ReadBody();
    /** The peer as "address:port" ("[::1]:port" for IPv6). */
    const std::string& GetPeer() const { return m_peer; }

    /** Adds a header to the reply (before WriteReply). */
    void WriteHeader(std::string name, std::string value);
    /** Sends the reply; callable from any thread. With a delay the reply is
     *  sent that much later by the event loop, no thread waits for it. */
    void WriteReply(int status, std::string_view body = {}, std::chrono::milliseconds delay = std::chrono::milliseconds{0});
    bool ReplySent() const { return m_reply_sent; }

private:
    HttpMethod m_method;
    std::string m_uri;
    std::vector<std::pair<std::string, std::string>> m_headers;
    std::string m_body;
    std::string m_peer;
    ReplySink m_sink;
    std::vector<std::pair<std::string, std::string>> m_reply_headers;
    bool m_reply_sent{false};
};

/** A handler gets the request and the part of the URI after the prefix. */
using HttpHandler = std::function<void(HttpRequest& request, const std::string& path)>;

class HttpServer
{
public:
    HttpServer();
    /** Stops the server if it is still running. */
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /**
     * Binds and starts the event loop and the workers. On failure returns
     * false with `error` set ("Unable to bind any endpoint for RPC server",
     * "Invalid -rpcallowip subnet specification: ...") and leaves nothing
     * running. Call once.
     */
    bool Start(const HttpServerOptions& options, std::string& error);
    /** The local ports actually bound, in the order of options.bind (those
     *  that failed to bind are left out). */
    std::vector<uint16_t> BoundPorts() const;

    /** Requests whose URI equals `prefix` (exact_match) or starts with it go
     *  to `handler`; the first registered match wins. */
    void RegisterHandler(std::string prefix, bool exact_match, HttpHandler handler);
    void UnregisterHandler(const std::string& prefix, bool exact_match);

    /** Stops accepting connections; requests that still arrive on open
     *  connections get 503, queued ones are still served. */
    void Interrupt();
    /** Interrupts if needed, serves what is queued, waits (bounded) until
     *  the replies under way are written, closes every connection and joins
     *  all threads. Idempotent. */
    void Stop();

    /** Requests waiting in the work queue (for tests and getrpcinfo-like use). */
    size_t QueueDepth() const;

private:
    struct Route {
        std::string prefix;
        bool exact_match;
        HttpHandler handler;
    };
    struct WorkItem {
        std::unique_ptr<HttpRequest> request;
        std::string path;
        HttpHandler handler;
    };
    struct PendingReply {
        HttpServer* server;
        evhttp_request* req;
        HttpRequest::Reply reply;
        event* timer{nullptr};
    };

    // Event-loop thread only.
    static void OnRequest(evhttp_request* req, void* arg);
    static void OnRequestComplete(evhttp_request* req, void* arg);
    static void OnConnectionClose(evhttp_connection* conn, void* arg);
    static void OnWake(int fd, short what, void* arg);
    static void OnDelayedReply(int fd, short what, void* arg);
    void HandleRequest(evhttp_request* req);
    void SendReply(evhttp_request* req, HttpRequest::Reply& reply);
    void RunPostedTasks();

    /** Runs `task` on the event-loop thread, soon. Any thread. */
    void Post(std::function<void()> task);
    /** Hands a reply for `req` to the event loop. Any thread. */
    void PostReply(evhttp_request* req, HttpRequest::Reply&& reply);

    void WorkerLoop(int index);
    bool Enqueue(WorkItem&& item);

    HttpServerOptions m_options;
    std::vector<HttpSubnet> m_allowed;

    event_base* m_base{nullptr};
    evhttp* m_http{nullptr};
    event* m_wake{nullptr};
    std::vector<evhttp_bound_socket*> m_listeners;
    std::vector<uint16_t> m_bound_ports;
    std::thread m_loop_thread;
    std::vector<std::thread> m_workers;
    std::atomic<bool> m_running{false};
    std::atomic<bool> m_interrupted{false};
    bool m_stopped{false};

    mutable std::mutex m_routes_mutex;
    std::vector<Route> m_routes;

    mutable std::mutex m_queue_mutex;
    std::condition_variable m_queue_cv;
    std::deque<WorkItem> m_queue;
    bool m_queue_open{true};

    std::mutex m_post_mutex;
    std::vector<std::function<void()>> m_posted;

    // Requests handed to a handler or a reply under way, per connection, so
    // Stop can wait for the last replies to be written before closing.
    std::mutex m_tracker_mutex;
    std::condition_variable m_tracker_cv;
    std::map<const evhttp_connection*, size_t> m_active;

    // Delayed replies not yet sent (event-loop thread only).
    std::vector<PendingReply*> m_delayed;
};

} // namespace cairn

#endif
