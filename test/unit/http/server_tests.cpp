// Tests for http/server.h: the libevent server over real sockets on
// 127.0.0.1 (routing, keep-alive, body limit, work queue, delayed replies,
// shutdown) and its helpers (subnets, RPC bind endpoints).
#include "http/server.h"
#include "util/log.h"

#include "test/unit/http/http_client.h"

#include <boost/test/unit_test.hpp>

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

using namespace cairn;
using cairn::test::HttpClient;
using namespace std::chrono_literals;

namespace {

/** A gate the test opens: handlers block on it, bounded by a timeout. */
class Gate
{
public:
    void Open()
    {
        {
            std::lock_guard lock(m_mutex);
            m_open = true;
        }
        m_cv.notify_all();
    }
    bool Wait(std::chrono::milliseconds timeout = 10s)
    {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, timeout, [this] { return m_open; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_open{false};
};

/** Counts handler entries so a test can wait until N requests are inside. */
class Counter
{
public:
    void Add()
    {
        {
            std::lock_guard lock(m_mutex);
            ++m_n;
        }
        m_cv.notify_all();
    }
    bool WaitFor(int n, std::chrono::milliseconds timeout = 10s)
    {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, timeout, [&] { return m_n >= n; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    int m_n{0};
};

HttpServerOptions LocalOptions()
{
    HttpServerOptions o;
    o.bind = {{"127.0.0.1", 0}};
    o.threads = 4;
    o.work_queue_depth = 16;
    o.timeout_seconds = 10;
    return o;
}

struct QuietLog {
    QuietLog() { Logger::Instance().SetQuiet(true); }
    ~QuietLog() { Logger::Instance().SetQuiet(false); }
};

/** A started server with the test routes. */
struct ServerFixture : QuietLog {
    HttpServer server;
    uint16_t port{0};

    explicit ServerFixture(HttpServerOptions options = LocalOptions())
    {
        server.RegisterHandler("/echo", true, [](HttpRequest& req, const std::string&) {
            const std::string body = req.ReadBody();
            req.WriteHeader("X-Method", std::string(HttpMethodName(req.GetMethod())));
            req.WriteHeader("X-Test", req.GetHeader("x-TEST").value_or("none"));
            req.WriteReply(200, "echo:" + body);
        });
        server.RegisterHandler("/prefix/", false, [](HttpRequest& req, const std::string& path) {
            req.WriteReply(200, "path=" + path + " uri=" + req.GetURI());
        });
        server.RegisterHandler("/peer", true, [](HttpRequest& req, const std::string&) { req.WriteReply(200, req.GetPeer()); });
        server.RegisterHandler("/noreply", true, [](HttpRequest&, const std::string&) {});
        server.RegisterHandler("/throw", true, [](HttpRequest&, const std::string&) { throw std::runtime_error("boom"); });
        server.RegisterHandler("/delayed", true, [](HttpRequest& req, const std::string&) {
            req.WriteReply(401, "late", 1000ms);
        });
        std::string error;
        BOOST_REQUIRE_MESSAGE(server.Start(options, error), error);
        BOOST_REQUIRE_EQUAL(server.BoundPorts().size(), 1U);
        port = server.BoundPorts()[0];
        BOOST_REQUIRE(port != 0);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(http_server_tests)

BOOST_AUTO_TEST_CASE(subnets)
{
    const uint8_t v4[4] = {192, 168, 1, 77};
    const uint8_t other[4] = {192, 168, 2, 1};
    const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 1, 5};
    const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    auto cidr = HttpSubnet::Parse("192.168.1.0/24");
    BOOST_REQUIRE(cidr);
    BOOST_CHECK(cidr->Match(v4, 4));
    BOOST_CHECK(!cidr->Match(other, 4));
    BOOST_CHECK(cidr->Match(mapped, 16)); // IPv4-mapped IPv6 is IPv4
    BOOST_CHECK(!cidr->Match(v6, 16));
    BOOST_CHECK_EQUAL(cidr->ToString(), "192.168.1.0/24");

    auto mask = HttpSubnet::Parse("192.168.1.99/255.255.255.0");
    BOOST_REQUIRE(mask);
    BOOST_CHECK_EQUAL(mask->ToString(), "192.168.1.0/24");
    BOOST_CHECK(mask->Match(v4, 4));

    auto single = HttpSubnet::Parse("192.168.1.77");
    BOOST_REQUIRE(single);
    BOOST_CHECK(single->Match(v4, 4));
    BOOST_CHECK(!single->Match(mapped, 16));
    BOOST_CHECK_EQUAL(single->ToString(), "192.168.1.77/32");

    auto net6 = HttpSubnet::Parse("2001:db8::/32");
    BOOST_REQUIRE(net6);
    BOOST_CHECK(net6->Match(v6, 16));
    BOOST_CHECK(!net6->Match(v4, 4));
    auto all = HttpSubnet::Parse("0.0.0.0/0");
    BOOST_REQUIRE(all);
    BOOST_CHECK(all->Match(other, 4));

    for (const char* bad : {"", "1.2.3", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/255.0.255.0", "1.2.3.4/-1", "::1/129",
                            "1.2.3.4/ffff::", "localhost", "1.2.3.4/24/1", "1.2.3.4 "}) {
        BOOST_CHECK_MESSAGE(!HttpSubnet::Parse(bad), bad);
    }
}

BOOST_AUTO_TEST_CASE(rpc_bind_endpoints)
{
    std::vector<std::string> warnings;
    std::string error;
    auto def = RpcBindEndpoints({}, false, 8332, warnings, error);
    BOOST_REQUIRE(def);
    BOOST_CHECK(*def == (std::vector<std::pair<std::string, uint16_t>>{{"::1", 8332}, {"127.0.0.1", 8332}}));
    BOOST_CHECK(warnings.empty());

    // -rpcbind without -rpcallowip is ignored, with a warning.
    auto ignored = RpcBindEndpoints({"0.0.0.0"}, false, 8332, warnings, error);
    BOOST_REQUIRE(ignored);
    BOOST_CHECK_EQUAL(ignored->size(), 2U);
    BOOST_REQUIRE_EQUAL(warnings.size(), 1U);
    BOOST_CHECK(warnings[0].find("-rpcbind was ignored") != std::string::npos);

    warnings.clear();
    auto both = RpcBindEndpoints({"10.0.0.1", "10.0.0.2:1234", "[::1]:99", "::2", "[fe80::1]"}, true, 8332, warnings, error);
    BOOST_REQUIRE(both);
    BOOST_CHECK(*both == (std::vector<std::pair<std::string, uint16_t>>{
                             {"10.0.0.1", 8332}, {"10.0.0.2", 1234}, {"::1", 99}, {"::2", 8332}, {"fe80::1", 8332}}));
    BOOST_CHECK(warnings.empty());

    BOOST_CHECK(!RpcBindEndpoints({"1.2.3.4:0"}, true, 8332, warnings, error));
    BOOST_CHECK_EQUAL(error, "Invalid port specified in -rpcbind: '1.2.3.4:0'");
    BOOST_CHECK(!RpcBindEndpoints({"1.2.3.4:70000"}, true, 8332, warnings, error));
    BOOST_CHECK(!RpcBindEndpoints({"1.2.3.4:x"}, true, 8332, warnings, error));
}

BOOST_AUTO_TEST_CASE(start_errors)
{
    QuietLog quiet;
    {
        HttpServer server;
        HttpServerOptions o = LocalOptions();
        o.allow_ip = {"10.0.0.0/8", "not-an-ip"};
        std::string error;
        BOOST_CHECK(!server.Start(o, error));
        BOOST_CHECK_EQUAL(error, "Invalid -rpcallowip subnet specification: not-an-ip. Valid are a single IP (e.g. 1.2.3.4), "
                                 "a network/netmask (e.g. 1.2.3.4/255.255.255.0) or a network/CIDR (e.g. 1.2.3.4/24).");
    }
    {
        // A port taken by a listening socket cannot be bound.
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
        BOOST_REQUIRE(::listen(fd, 1) == 0);
        socklen_t len = sizeof(addr);
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        HttpServer server;
        HttpServerOptions o = LocalOptions();
        o.bind = {{"127.0.0.1", ntohs(addr.sin_port)}};
        std::string error;
        BOOST_CHECK(!server.Start(o, error));
        BOOST_CHECK_EQUAL(error, "Unable to bind any endpoint for RPC server");
        server.Stop(); // harmless after a failed start
        ::close(fd);
    }
}

BOOST_AUTO_TEST_CASE(routing_and_keepalive)
{
    ServerFixture f;
    HttpClient c(f.port);
    BOOST_REQUIRE(c.Connected());

    // Several requests on one keep-alive connection.
    for (int i = 0; i < 3; ++i) {
        auto r = c.Request("POST", "/echo", "hello" + std::to_string(i), {{"X-Test", "abc"}});
        BOOST_REQUIRE(r);
        BOOST_CHECK_EQUAL(r->status, 200);
        BOOST_CHECK_EQUAL(r->body, "echo:hello" + std::to_string(i));
        BOOST_CHECK_EQUAL(r->Header("x-method"), "POST");
        BOOST_CHECK_EQUAL(r->Header("x-test"), "abc"); // header names are case-insensitive
    }
    auto get = c.Request("GET", "/echo", "");
    BOOST_REQUIRE(get);
    BOOST_CHECK_EQUAL(get->status, 200);
    BOOST_CHECK_EQUAL(get->Header("x-method"), "GET");
    BOOST_CHECK_EQUAL(get->Header("x-test"), "none");

    auto prefixed = c.Request("GET", "/prefix/a/b?c=1", "");
    BOOST_REQUIRE(prefixed);
    BOOST_CHECK_EQUAL(prefixed->body, "path=a/b?c=1 uri=/prefix/a/b?c=1");

    // Exact routes do not match longer paths; unknown paths are 404.
    auto not_found = c.Request("POST", "/echo/more", "x");
    BOOST_REQUIRE(not_found);
    BOOST_CHECK_EQUAL(not_found->status, 404);
    auto root = c.Request("POST", "/", "x");
    BOOST_REQUIRE(root);
    BOOST_CHECK_EQUAL(root->status, 404);

    // Methods outside GET/POST/HEAD/PUT are refused.
    auto del = c.Request("DELETE", "/echo", "");
    BOOST_REQUIRE(del);
    BOOST_CHECK_EQUAL(del->status, 405);

    auto peer = c.Request("GET", "/peer", "");
    BOOST_REQUIRE(peer);
    BOOST_CHECK(peer->body.rfind("127.0.0.1:", 0) == 0);

    // A handler that never replies, or throws: 500, and the connection lives on.
    auto unhandled = c.Request("POST", "/noreply", "");
    BOOST_REQUIRE(unhandled);
    BOOST_CHECK_EQUAL(unhandled->status, 500);
    BOOST_CHECK_EQUAL(unhandled->body, "Unhandled request");
    auto thrown = c.Request("POST", "/throw", "");
    BOOST_REQUIRE(thrown);
    BOOST_CHECK_EQUAL(thrown->status, 500);

    // Unregistered routes are gone at once.
    f.server.UnregisterHandler("/echo", true);
    auto gone = c.Request("POST", "/echo", "x");
    BOOST_REQUIRE(gone);
    BOOST_CHECK_EQUAL(gone->status, 404);

    // Connection: close is honoured.
    HttpClient once(f.port);
    auto r = once.Request("GET", "/peer", "", {}, /*keep_alive=*/false);
    BOOST_REQUIRE(r);
    BOOST_CHECK_EQUAL(r->status, 200);
    BOOST_CHECK(once.WaitClosed());
}

BOOST_AUTO_TEST_CASE(body_limit)
{
    HttpServerOptions o = LocalOptions();
    o.max_body_bytes = 1 << 20;
    ServerFixture f(o);
    {
        // Declared too large: refused before the body is read.
        HttpClient c(f.port);
        BOOST_REQUIRE(c.Send("POST", "/echo", "", {{"Content-Length", std::to_string(2 << 20)}}));
        auto r = c.Read();
        BOOST_REQUIRE(r);
        BOOST_CHECK_EQUAL(r->status, 413);
    }
    {
        // Exactly at the limit is fine.
        HttpClient c(f.port);
        auto r = c.Request("POST", "/echo", std::string(1 << 20, 'a'));
        BOOST_REQUIRE(r);
        BOOST_CHECK_EQUAL(r->status, 200);
        BOOST_CHECK_EQUAL(r->body.size(), (1U << 20) + 5);
    }
    {
        // Chunked bodies are counted as they arrive.
        HttpClient c(f.port);
        std::string req = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        const std::string chunk(256 * 1024, 'b');
        char size[32];
        std::snprintf(size, sizeof(size), "%zx\r\n", chunk.size());
        bool sent = c.SendRaw(req);
        for (int i = 0; sent && i < 6; ++i) sent = c.SendRaw(std::string(size) + chunk + "\r\n");
        auto r = c.Read();
        BOOST_REQUIRE(r);
        BOOST_CHECK_EQUAL(r->status, 413);
    }
    // Still serving.
    HttpClient c(f.port);
    auto r = c.Request("POST", "/echo", "ok");
    BOOST_REQUIRE(r);
    BOOST_CHECK_EQUAL(r->body, "echo:ok");
}

BOOST_AUTO_TEST_CASE(work_queue_overflow)
{
    QuietLog quiet;
    HttpServer server;
    Gate gate;
    Counter entered;
    server.RegisterHandler("/slow", true, [&](HttpRequest& req, const std::string&) {
        entered.Add();
        gate.Wait();
        req.WriteReply(200, "slow done");
    });
    server.RegisterHandler("/fast", true, [](HttpRequest& req, const std::string&) { req.WriteReply(200, "fast"); });
    HttpServerOptions o = LocalOptions();
    o.threads = 1;
    o.work_queue_depth = 1;
    std::string error;
    BOOST_REQUIRE_MESSAGE(server.Start(o, error), error);
    const uint16_t port = server.BoundPorts()[0];

    // One request holds the only worker, one waits in the queue, the rest are refused.
    HttpClient busy(port), queued(port);
    BOOST_REQUIRE(busy.Send("POST", "/slow", "x"));
    BOOST_REQUIRE(entered.WaitFor(1));
    BOOST_REQUIRE(queued.Send("POST", "/fast", "x"));
    for (int i = 0; i < 200 && server.QueueDepth() < 1; ++i) std::this_thread::sleep_for(10ms);
    BOOST_REQUIRE_EQUAL(server.QueueDepth(), 1U);
    for (int i = 0; i < 3; ++i) {
        HttpClient refused(port);
        auto r = refused.Request("POST", "/fast", "x");
        BOOST_REQUIRE(r);
        BOOST_CHECK_EQUAL(r->status, 503);
        BOOST_CHECK_EQUAL(r->body, "Work queue depth exceeded");
    }
    gate.Open();
    auto a = busy.Read();
    auto b = queued.Read();
    BOOST_REQUIRE(a && b);
    BOOST_CHECK_EQUAL(a->body, "slow done");
    BOOST_CHECK_EQUAL(b->body, "fast");
    HttpClient after(port);
    auto r = after.Request("POST", "/fast", "");
    BOOST_REQUIRE(r);
    BOOST_CHECK_EQUAL(r->status, 200);
    server.Stop();
}

BOOST_AUTO_TEST_CASE(delayed_reply_frees_the_worker)
{
    HttpServerOptions o = LocalOptions();
    o.threads = 1;
    ServerFixture f(o);
    HttpClient slow(f.port), other(f.port);
    const auto start = std::chrono::steady_clock::now();
    BOOST_REQUIRE(slow.Send("POST", "/delayed", ""));
    // The single worker is free again at once: this request is answered
    // before the delayed one.
    std::this_thread::sleep_for(50ms);
    auto quick = other.Request("POST", "/echo", "q");
    BOOST_REQUIRE(quick);
    BOOST_CHECK_EQUAL(quick->body, "echo:q");
    BOOST_CHECK(std::chrono::steady_clock::now() - start < 900ms);
    auto late = slow.Read();
    BOOST_REQUIRE(late);
    BOOST_CHECK_EQUAL(late->status, 401);
    BOOST_CHECK_EQUAL(late->body, "late");
    BOOST_CHECK(std::chrono::steady_clock::now() - start >= 1000ms);
}

BOOST_AUTO_TEST_CASE(flood_of_connections)
{
    HttpServerOptions o = LocalOptions();
    o.threads = 4;
    o.work_queue_depth = 64;
    ServerFixture f(o);
    constexpr int THREADS = 20;
    constexpr int PER_THREAD = 10;
    std::atomic<int> ok{0}, busy{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < THREADS; ++t) {
        threads.emplace_back([&, t] {
            // Each thread opens its connections together, then sends on all.
            std::vector<std::unique_ptr<HttpClient>> clients;
            for (int i = 0; i < PER_THREAD; ++i) clients.push_back(std::make_unique<HttpClient>(f.port));
            for (int i = 0; i < PER_THREAD; ++i) {
                if (!clients[i]->Send("POST", "/echo", "t" + std::to_string(t) + "." + std::to_string(i))) ++failed;
            }
            for (int i = 0; i < PER_THREAD; ++i) {
                auto r = clients[i]->Read();
                if (!r) {
                    ++failed;
                } else if (r->status == 200 && r->body == "echo:t" + std::to_string(t) + "." + std::to_string(i)) {
                    ++ok;
                } else if (r->status == 503) {
                    ++busy;
                } else {
                    ++failed;
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    BOOST_CHECK_EQUAL(failed.load(), 0);
    BOOST_CHECK_EQUAL(ok.load() + busy.load(), THREADS * PER_THREAD);
    BOOST_CHECK_GT(ok.load(), 0);
    HttpClient c(f.port);
    auto r = c.Request("POST", "/echo", "after");
    BOOST_REQUIRE(r);
    BOOST_CHECK_EQUAL(r->body, "echo:after");
}

BOOST_AUTO_TEST_CASE(stop_finishes_replies_under_way)
{
    QuietLog quiet;
    HttpServer server;
    Gate gate;
    Counter entered;
    server.RegisterHandler("/slow", true, [&](HttpRequest& req, const std::string&) {
        entered.Add();
        gate.Wait();
        req.WriteReply(200, "finished");
    });
    std::string error;
    BOOST_REQUIRE_MESSAGE(server.Start(LocalOptions(), error), error);
    const uint16_t port = server.BoundPorts()[0];

    HttpClient inflight(port), idle(port);
    BOOST_REQUIRE(idle.Connected());
    BOOST_REQUIRE(inflight.Send("POST", "/slow", ""));
    BOOST_REQUIRE(entered.WaitFor(1));

    server.Interrupt();
    // New connections are no longer accepted (refused, or closed unanswered).
    for (int i = 0; i < 100; ++i) {
        HttpClient late(port);
        if (!late.Connected() || !late.Request("POST", "/slow", "")) break;
        std::this_thread::sleep_for(10ms);
    }
    // A request on an open connection is refused with 503.
    auto refused = idle.Request("POST", "/slow", "");
    BOOST_REQUIRE(refused);
    BOOST_CHECK_EQUAL(refused->status, 503);

    auto stopped = std::async(std::launch::async, [&] { server.Stop(); });
    std::this_thread::sleep_for(50ms);
    gate.Open();
    auto r = inflight.Read();
    BOOST_REQUIRE(r);
    BOOST_CHECK_EQUAL(r->status, 200);
    BOOST_CHECK_EQUAL(r->body, "finished");
    BOOST_CHECK_EQUAL(r->Header("connection"), "close");
    BOOST_REQUIRE(stopped.wait_for(20s) == std::future_status::ready);
    server.Stop(); // idempotent
}

BOOST_AUTO_TEST_CASE(request_without_server)
{
    // The reply hand-off is pluggable, so handlers can be tested directly.
    QuietLog quiet;
    std::vector<HttpRequest::Reply> replies;
    {
        HttpRequest req(HttpMethod::POST, "/x", {{"Content-Type", "text/plain"}}, "body", "127.0.0.1:1",
                        [&](HttpRequest::Reply&& r) { replies.push_back(std::move(r)); });
        BOOST_CHECK_EQUAL(req.GetHeader("content-type").value_or(""), "text/plain");
        BOOST_CHECK(!req.GetHeader("accept"));
        BOOST_CHECK_EQUAL(req.ReadBody(), "body");
        BOOST_CHECK_EQUAL(req.ReadBody(), "");
        req.WriteHeader("A", "b");
        req.WriteReply(201, "made");
        req.WriteReply(500, "ignored"); // only one reply
    }
    {
        HttpRequest req(HttpMethod::GET, "/y", {}, "", "", [&](HttpRequest::Reply&& r) { replies.push_back(std::move(r)); });
    }
    BOOST_REQUIRE_EQUAL(replies.size(), 2U);
    BOOST_CHECK_EQUAL(replies[0].status, 201);
    BOOST_CHECK_EQUAL(replies[0].body, "made");
    BOOST_REQUIRE_EQUAL(replies[0].headers.size(), 1U);
    BOOST_CHECK_EQUAL(replies[0].headers[0].first, "A");
    BOOST_CHECK_EQUAL(replies[1].status, 500);
    BOOST_CHECK_EQUAL(replies[1].body, "Unhandled request");
}

BOOST_AUTO_TEST_SUITE_END()
