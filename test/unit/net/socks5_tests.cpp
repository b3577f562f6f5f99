// Tests for net/socks5.h (the SOCKS5 messages and replies, byte by byte, malformed
// replies included, and the I/O over a socket pair with timeouts) and net/proxy.h
// (proxy choice by network, credentials for stream isolation).
#include "net/proxy.h"
#include "net/socks5.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace cairn;

namespace {

Bytes B(std::initializer_list<int> v)
{
    Bytes out;
    for (int x : v) out.push_back(uint8_t(x));
    return out;
}

Bytes Cat(Bytes a, const std::string& s)
{
    a.insert(a.end(), s.begin(), s.end());
    return a;
}

/** A fresh handshake for node.test:8333, already past Start(). */
Socks5Handshake Started(std::optional<ProxyCredentials> auth = std::nullopt)
{
    Socks5Handshake hs("node.test", 8333, std::move(auth));
    std::string error;
    BOOST_REQUIRE(!hs.Start(error).empty());
    return hs;
}

/** Feeds a reply that must fail; returns the error. */
std::string FeedError(Socks5Handshake& hs, const Bytes& in)
{
    Bytes out;
    std::string error;
    BOOST_CHECK(!hs.Feed(in, out, error));
    BOOST_CHECK(!hs.Done());
    BOOST_CHECK_EQUAL(hs.Wanted(), 0U);
    return error;
}

Bytes ConnectNodeTest()
{
    Bytes b = Cat(B({0x05, 0x01, 0x00, 0x03, 9}), "node.test");
    b.push_back(0x20); // 8333 = 0x208d, big-endian
    b.push_back(0x8d);
    return b;
}

} // namespace

BOOST_AUTO_TEST_SUITE(socks5_tests)

BOOST_AUTO_TEST_CASE(connect_request_encoding)
{
    BOOST_CHECK(*Socks5ConnectRequest("node.test", 8333) == ConnectNodeTest());
    // A numeric address is a name too (as Core sends it): the proxy resolves nothing.
    Bytes ip = Cat(B({0x05, 0x01, 0x00, 0x03, 11}), "15.61.23.23");
    ip.push_back(0x04);
    ip.push_back(0xd2);
    BOOST_CHECK(*Socks5ConnectRequest("15.61.23.23", 1234) == ip);
    BOOST_CHECK(Socks5ConnectRequest(std::string(255, 'a'), 1).has_value());
    BOOST_CHECK(!Socks5ConnectRequest(std::string(256, 'a'), 1).has_value());
    BOOST_CHECK(!Socks5ConnectRequest("", 1).has_value());
}

BOOST_AUTO_TEST_CASE(handshake_without_auth)
{
    Socks5Handshake hs("node.test", 8333, std::nullopt);
    std::string error;
    BOOST_CHECK(hs.Start(error) == B({0x05, 0x01, 0x00}));
    BOOST_CHECK_EQUAL(hs.Wanted(), 2U);
    Bytes out;
    BOOST_REQUIRE(hs.Feed(B({0x05, 0x00}), out, error));
    BOOST_CHECK(out == ConnectNodeTest());
    BOOST_CHECK_EQUAL(hs.Wanted(), 4U);
    BOOST_REQUIRE(hs.Feed(B({0x05, 0x00, 0x00, 0x01}), out, error));
    BOOST_CHECK(out.empty());
    BOOST_CHECK_EQUAL(hs.Wanted(), 6U); // IPv4 and port
    BOOST_REQUIRE(hs.Feed(B({127, 0, 0, 1, 0x20, 0x8d}), out, error));
    BOOST_CHECK(hs.Done());
    BOOST_CHECK_EQUAL(hs.Wanted(), 0U);
}

BOOST_AUTO_TEST_CASE(handshake_with_auth_and_bound_name)
{
    Socks5Handshake hs("node.test", 8333, ProxyCredentials{"user", "pw"});
    std::string error;
    BOOST_CHECK(hs.Start(error) == B({0x05, 0x02, 0x00, 0x02}));
    Bytes out;
    BOOST_REQUIRE(hs.Feed(B({0x05, 0x02}), out, error));
    Bytes auth = Cat(B({0x01, 4}), "user");
    auth.push_back(2);
    auth = Cat(auth, "pw");
    BOOST_CHECK(out == auth);
    BOOST_REQUIRE(hs.Feed(B({0x01, 0x00}), out, error));
    BOOST_CHECK(out == ConnectNodeTest());
    BOOST_REQUIRE(hs.Feed(B({0x05, 0x00, 0x00, 0x03}), out, error));
    BOOST_CHECK_EQUAL(hs.Wanted(), 1U);
    BOOST_REQUIRE(hs.Feed(B({3}), out, error));
    BOOST_CHECK_EQUAL(hs.Wanted(), 5U); // "abc" and port
    BOOST_REQUIRE(hs.Feed(Cat(B({}), "abc\x01\x02"), out, error));
    BOOST_CHECK(hs.Done());
    // IPv6 bound address: 16 bytes and the port.
    Socks5Handshake h6 = Started();
    BOOST_REQUIRE(h6.Feed(B({0x05, 0x00}), out, error));
    BOOST_REQUIRE(h6.Feed(B({0x05, 0x00, 0x00, 0x04}), out, error));
    BOOST_CHECK_EQUAL(h6.Wanted(), 18U);
}

BOOST_AUTO_TEST_CASE(auth_offered_but_not_needed)
{
    Socks5Handshake hs = Started(ProxyCredentials{"u", "p"});
    Bytes out;
    std::string error;
    BOOST_REQUIRE(hs.Feed(B({0x05, 0x00}), out, error));
    BOOST_CHECK(out == ConnectNodeTest());
}

BOOST_AUTO_TEST_CASE(malformed_and_refused_replies)
{
    {
        Socks5Handshake hs = Started();
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x04, 0x00})), "Proxy failed to initialize");
    }
    {
        Socks5Handshake hs = Started();
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x05, 0xff})), "Proxy requested wrong authentication method ff");
    }
    {
        // Username/password chosen though we offered none.
        Socks5Handshake hs = Started();
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x05, 0x02})), "Proxy requested wrong authentication method 02");
    }
    {
        Socks5Handshake hs = Started(ProxyCredentials{"u", "p"});
        Bytes out;
        std::string error;
        BOOST_REQUIRE(hs.Feed(B({0x05, 0x02}), out, error));
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x01, 0x01})), "Proxy authentication unsuccessful");
    }
    {
        Socks5Handshake hs = Started(ProxyCredentials{"u", "p"});
        Bytes out;
        std::string error;
        BOOST_REQUIRE(hs.Feed(B({0x05, 0x02}), out, error));
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x05, 0x00})), "Proxy authentication unsuccessful");
    }
    const auto at_reply = [] {
        Socks5Handshake hs = Started();
        Bytes out;
        std::string error;
        BOOST_REQUIRE(hs.Feed(B({0x05, 0x00}), out, error));
        return hs;
    };
    {
        Socks5Handshake hs = at_reply();
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x04, 0x00, 0x00, 0x01})), "Proxy failed to accept request");
    }
    {
        Socks5Handshake hs = at_reply();
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x05, 0x05, 0x00, 0x01})),
                          "Socks5() connect to node.test:8333 failed: connection refused");
    }
    {
        Socks5Handshake hs = at_reply();
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x05, 0xf0, 0x00, 0x01})),
                          "Socks5() connect to node.test:8333 failed: onion service descriptor can not be found");
    }
    {
        Socks5Handshake hs = at_reply();
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x05, 0x00, 0x01, 0x01})), "Error: malformed proxy response");
    }
    {
        Socks5Handshake hs = at_reply();
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x05, 0x00, 0x00, 0x02})), "Error: malformed proxy response");
    }
    {
        // The wrong number of bytes, and anything after a failure, is an error, never a crash.
        Socks5Handshake hs = at_reply();
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x05, 0x00})), "Error: malformed proxy response");
        BOOST_CHECK_EQUAL(FeedError(hs, B({})), "Error: malformed proxy response");
    }
    {
        Socks5Handshake hs("node.test", 1, std::nullopt);
        Bytes out;
        std::string error;
        BOOST_CHECK_EQUAL(FeedError(hs, B({0x05, 0x00})), "Error: malformed proxy response"); // before Start()
    }
}

BOOST_AUTO_TEST_CASE(start_rejects_long_fields)
{
    std::string error;
    Socks5Handshake long_host(std::string(256, 'x'), 1, std::nullopt);
    BOOST_CHECK(long_host.Start(error).empty());
    BOOST_CHECK_EQUAL(error, "Hostname too long");
    Socks5Handshake long_user("h", 1, ProxyCredentials{std::string(256, 'u'), "p"});
    BOOST_CHECK(long_user.Start(error).empty());
    BOOST_CHECK_EQUAL(error, "Proxy username or password too long");
}

BOOST_AUTO_TEST_CASE(error_strings)
{
    BOOST_CHECK_EQUAL(Socks5ErrorString(0x01), "general failure");
    BOOST_CHECK_EQUAL(Socks5ErrorString(0x06), "TTL expired");
    BOOST_CHECK_EQUAL(Socks5ErrorString(0x08), "address type not supported");
    BOOST_CHECK_EQUAL(Socks5ErrorString(0xf7), "onion service introduction timed out");
    BOOST_CHECK_EQUAL(Socks5ErrorString(0x09), "unknown");
}

namespace {

struct SocketPair {
    int client{-1}, proxy{-1};
    SocketPair()
    {
        int fds[2];
        BOOST_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        client = fds[0];
        proxy = fds[1];
    }
    ~SocketPair()
    {
        if (client >= 0) close(client);
        if (proxy >= 0) close(proxy);
    }
};

Bytes ReadN(int fd, size_t n)
{
    Bytes out(n);
    size_t got = 0;
    while (got < n) {
        const ssize_t r = read(fd, out.data() + got, n - got);
        if (r <= 0) break;
        got += size_t(r);
    }
    out.resize(got);
    return out;
}

void WriteAll(int fd, const Bytes& b)
{
    BOOST_REQUIRE(write(fd, b.data(), b.size()) == ssize_t(b.size()));
}

} // namespace

BOOST_AUTO_TEST_CASE(io_over_socket_leaves_peer_bytes)
{
    SocketPair sp;
    std::thread proxy([&] {
        const Bytes greeting = ReadN(sp.proxy, 4);
        BOOST_CHECK(greeting == B({0x05, 0x02, 0x00, 0x02}));
        WriteAll(sp.proxy, B({0x05, 0x02}));
        const Bytes auth = ReadN(sp.proxy, 1 + 1 + 1 + 1 + 1);
        BOOST_CHECK(auth == Cat(B({0x01, 1}), "a\x01" "b"));
        WriteAll(sp.proxy, B({0x01, 0x00}));
        BOOST_CHECK(ReadN(sp.proxy, ConnectNodeTest().size()) == ConnectNodeTest());
        // The reply and, in the same write, the first bytes of the peer.
        WriteAll(sp.proxy, Cat(B({0x05, 0x00, 0x00, 0x01, 1, 2, 3, 4, 0, 1}), "PEER"));
    });
    std::string error;
    const bool ok = Socks5Connect(sp.client, "node.test", 8333, ProxyCredentials{"a", "b"},
                                  std::chrono::milliseconds(5000), nullptr, error);
    proxy.join();
    BOOST_CHECK_MESSAGE(ok, error);
    BOOST_CHECK(ReadN(sp.client, 4) == Cat(B({}), "PEER"));
}

BOOST_AUTO_TEST_CASE(io_errors_and_timeouts)
{
    using std::chrono::milliseconds;
    {
        // A silent proxy: the first read times out.
        SocketPair sp;
        std::string error;
        const auto start = std::chrono::steady_clock::now();
        BOOST_CHECK(!Socks5Connect(sp.client, "h", 1, std::nullopt, milliseconds(200), nullptr, error));
        BOOST_CHECK_EQUAL(error, "Error reading proxy response");
        BOOST_CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    }
    {
        // Silent after the CONNECT request: Core's timeout message.
        SocketPair sp;
        WriteAll(sp.proxy, B({0x05, 0x00}));
        std::string error;
        BOOST_CHECK(!Socks5Connect(sp.client, "h", 1, std::nullopt, milliseconds(200), nullptr, error));
        BOOST_CHECK_EQUAL(error, "Socks5() connect to h:1 failed: timeout");
    }
    {
        // Closed in the middle of the bound address.
        SocketPair sp;
        WriteAll(sp.proxy, B({0x05, 0x00, 0x05, 0x00, 0x00, 0x01, 1, 2}));
        shutdown(sp.proxy, SHUT_WR);
        std::string error;
        BOOST_CHECK(!Socks5Connect(sp.client, "h", 1, std::nullopt, milliseconds(2000), nullptr, error));
        BOOST_CHECK_EQUAL(error, "Error reading from proxy");
    }
    {
        // Closed before answering the CONNECT.
        SocketPair sp;
        WriteAll(sp.proxy, B({0x05, 0x00}));
        shutdown(sp.proxy, SHUT_WR);
        std::string error;
        BOOST_CHECK(!Socks5Connect(sp.client, "h", 1, std::nullopt, milliseconds(2000), nullptr, error));
        BOOST_CHECK_EQUAL(error, "Error while reading proxy response");
    }
    {
        // A refusal.
        SocketPair sp;
        WriteAll(sp.proxy, B({0x05, 0x00, 0x05, 0x04, 0x00, 0x01}));
        std::string error;
        BOOST_CHECK(!Socks5Connect(sp.client, "h", 1, std::nullopt, milliseconds(2000), nullptr, error));
        BOOST_CHECK_EQUAL(error, "Socks5() connect to h:1 failed: host unreachable");
    }
    {
        // Shutdown: an interrupt ends the wait long before the timeout.
        SocketPair sp;
        std::atomic<bool> stop{false};
        std::thread t([&] {
            std::this_thread::sleep_for(milliseconds(100));
            stop = true;
        });
        std::string error;
        const auto start = std::chrono::steady_clock::now();
        BOOST_CHECK(!Socks5Connect(sp.client, "h", 1, std::nullopt, milliseconds(20000), [&] { return stop.load(); },
                                   error));
        t.join();
        BOOST_CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    }
}

BOOST_AUTO_TEST_CASE(proxy_choice_and_credentials)
{
    ProxyConfig config;
    const Proxy p{Service(*NetAddr::Parse("127.0.0.1"), 9050), true, {}};
    config.by_network[Network::IPV4] = p;
    BOOST_CHECK(config.ForAddress(*NetAddr::Parse("15.61.23.23")) == p);
    // As Core: local and private addresses are "unroutable" and never proxied.
    BOOST_CHECK(!config.ForAddress(*NetAddr::Parse("127.0.0.1")));
    BOOST_CHECK(!config.ForAddress(*NetAddr::Parse("192.168.1.1")));
    BOOST_CHECK(!config.ForAddress(*NetAddr::Parse("2001:4860::1")));
    BOOST_CHECK(ConnectionNetwork(*NetAddr::Parse("10.0.0.1")) == Network::UNROUTABLE);
    BOOST_CHECK(ConnectionNetwork(*NetAddr::Parse("2001:4860::1")) == Network::IPV6);
    BOOST_CHECK_EQUAL(p.ToString(), "127.0.0.1:9050");
    BOOST_CHECK_EQUAL((Proxy{Service{}, false, "unix:/tmp/tor.sock"}.ToString()), "unix:/tmp/tor.sock");
    BOOST_CHECK(IsUnixSocketPath("unix:/tmp/tor.sock"));
    BOOST_CHECK(!IsUnixSocketPath("/tmp/tor.sock"));
    BOOST_CHECK(!IsUnixSocketPath("unix:/" + std::string(200, 'x')));

    const ProxyCredentials a = NextRandomCredentials(), b = NextRandomCredentials();
    BOOST_CHECK_EQUAL(a.username, a.password);
    BOOST_CHECK(a.username != b.username);

    BOOST_CHECK(IsOnionName("pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion"));
    BOOST_CHECK(IsOnionName("x.ONION"));
    BOOST_CHECK(!IsOnionName(".onion"));
    BOOST_CHECK(!IsOnionName("onion"));
    BOOST_CHECK(!IsOnionName("node.test"));
}

BOOST_AUTO_TEST_CASE(reachable_nets)
{
    ReachableNets r;
    BOOST_CHECK(r.Contains(Network::IPV4) && r.Contains(Network::IPV6) && !r.Contains(Network::ONION));
    r.RemoveAll();
    r.Add(Network::ONION);
    BOOST_CHECK(r.Contains(Network::ONION) && !r.Contains(Network::IPV4));
    r.SetAll();
    BOOST_CHECK(r.Contains(Network::I2P) && r.Contains(Network::CJDNS));
    r.Remove(Network::I2P);
    BOOST_CHECK(!r.Contains(Network::I2P));
}

BOOST_AUTO_TEST_SUITE_END()
