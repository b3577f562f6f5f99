#include "net/socks5.h"

#include <cerrno>
#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>

namespace cairn {

std::string Socks5ErrorString(uint8_t reply)
{
    switch (reply) {
    case 0x01: return "general failure";
    case 0x02: return "connection not allowed";
    case 0x03: return "network unreachable";
    case 0x04: return "host unreachable";
    case 0x05: return "connection refused";
    case 0x06: return "TTL expired";
    case 0x07: return "protocol error";
    case 0x08: return "address type not supported";
    // Tor's extended codes for onion services (its ExtendedErrors SOCKS port flag).
    case 0xf0: return "onion service descriptor can not be found";
    case 0xf1: return "onion service descriptor is invalid";
    case 0xf2: return "onion service introduction failed";
    case 0xf3: return "onion service rendezvous failed";
    case 0xf4: return "onion service missing client authorization";
    case 0xf5: return "onion service wrong client authorization";
    case 0xf6: return "onion service invalid address";
    case 0xf7: return "onion service introduction timed out";
    default: return "unknown";
    }
}

std::optional<Bytes> Socks5ConnectRequest(std::string_view host, uint16_t port)
{
    if (host.empty() || host.size() > 255) return std::nullopt;
    Bytes out{socks5::VERSION, socks5::CMD_CONNECT, 0x00, socks5::ATYP_DOMAINNAME, uint8_t(host.size())};
    out.insert(out.end(), host.begin(), host.end());
    out.push_back(uint8_t(port >> 8));
    out.push_back(uint8_t(port & 0xff));
    return out;
}

bool Socks5Handshake::Fail(std::string& error, std::string text)
{
    m_state = State::FAILED;
    error = std::move(text);
    return false;
}

Bytes Socks5Handshake::ConnectRequest() const
{
    return *Socks5ConnectRequest(m_host, m_port); // the length was checked in Start()
}

Bytes Socks5Handshake::Start(std::string& error)
{
    if (m_host.empty() || m_host.size() > 255) {
        Fail(error, "Hostname too long");
        return {};
    }
    if (m_auth && (m_auth->username.size() > 255 || m_auth->password.size() > 255)) {
        Fail(error, "Proxy username or password too long");
        return {};
    }
    m_state = State::METHOD;
    // With credentials we offer both methods: a proxy without auth may still pick "none".
    if (m_auth) return {socks5::VERSION, 0x02, socks5::METHOD_NOAUTH, socks5::METHOD_USER_PASS};
    return {socks5::VERSION, 0x01, socks5::METHOD_NOAUTH};
}

size_t Socks5Handshake::Wanted() const
{
    switch (m_state) {
    case State::METHOD: return 2;
    case State::AUTH: return 2;
    case State::REPLY_HEAD: return 4; // VER REP RSV ATYP
    case State::REPLY_NAME_LEN: return 1;
    case State::REPLY_REST: return m_rest;
    default: return 0;
    }
}

bool Socks5Handshake::Feed(ByteSpan in, Bytes& out, std::string& error)
{
    out.clear();
    if (in.size() != Wanted() || Wanted() == 0) return Fail(error, "Error: malformed proxy response");
    switch (m_state) {
    case State::METHOD:
        if (in[0] != socks5::VERSION) return Fail(error, "Proxy failed to initialize");
        if (in[1] == socks5::METHOD_USER_PASS && m_auth) {
            // RFC 1929: VER ULEN UNAME PLEN PASSWD.
            out.push_back(socks5::AUTH_VERSION);
            out.push_back(uint8_t(m_auth->username.size()));
            out.insert(out.end(), m_auth->username.begin(), m_auth->username.end());
            out.push_back(uint8_t(m_auth->password.size()));
            out.insert(out.end(), m_auth->password.begin(), m_auth->password.end());
            m_state = State::AUTH;
            return true;
        }
        if (in[1] == socks5::METHOD_NOAUTH) {
            out = ConnectRequest();
            m_state = State::REPLY_HEAD;
            return true;
        }
        return Fail(error, fmt::format("Proxy requested wrong authentication method {:02x}", in[1]));
    case State::AUTH:
        if (in[0] != socks5::AUTH_VERSION || in[1] != 0x00) return Fail(error, "Proxy authentication unsuccessful");
        out = ConnectRequest();
        m_state = State::REPLY_HEAD;
        return true;
    case State::REPLY_HEAD:
        if (in[0] != socks5::VERSION) return Fail(error, "Proxy failed to accept request");
        if (in[1] != socks5::REPLY_SUCCEEDED) {
            return Fail(error, fmt::format("Socks5() connect to {}:{} failed: {}", m_host, m_port, Socks5ErrorString(in[1])));
        }
        if (in[2] != 0x00) return Fail(error, "Error: malformed proxy response");
        switch (in[3]) {
        case socks5::ATYP_IPV4: m_rest = 4 + 2; m_state = State::REPLY_REST; return true;
        case socks5::ATYP_IPV6: m_rest = 16 + 2; m_state = State::REPLY_REST; return true;
        case socks5::ATYP_DOMAINNAME: m_state = State::REPLY_NAME_LEN; return true;
        default: return Fail(error, "Error: malformed proxy response");
        }
    case State::REPLY_NAME_LEN:
        m_rest = size_t(in[0]) + 2;
        m_state = State::REPLY_REST;
        return true;
    case State::REPLY_REST:
        // The bound address and port mean nothing to us; the stream now belongs to the peer.
        m_state = State::DONE;
        return true;
    default:
        return Fail(error, "Error: malformed proxy response");
    }
}

namespace {

using Clock = std::chrono::steady_clock;

/** Polls in short slices so an interrupt is noticed quickly. 1: ready, 0: timed out, -1: error or interrupted. */
int WaitFor(int fd, short events, Clock::time_point deadline, const std::function<bool()>& interrupted)
{
    constexpr auto SLICE = std::chrono::milliseconds(50);
    while (true) {
        if (interrupted && interrupted()) return -1;
        const auto now = Clock::now();
        if (now >= deadline) return 0;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        pollfd p{fd, events, 0};
        const int rc = poll(&p, 1, int(std::min(left, SLICE).count()) + 1);
        if (rc < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (rc > 0) return 1;
    }
}

bool SendAll(int fd, ByteSpan data, std::chrono::milliseconds timeout, const std::function<bool()>& interrupted)
{
    const auto deadline = Clock::now() + timeout;
    size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            sent += size_t(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
        if (WaitFor(fd, POLLOUT, deadline, interrupted) != 1) return false;
    }
    return true;
}

enum class RecvResult { OK, TIMEOUT, FAILED };

/** Reads exactly out.size() bytes, never more: what follows belongs to the peer. */
RecvResult RecvExact(int fd, std::span<uint8_t> out, std::chrono::milliseconds timeout,
                     const std::function<bool()>& interrupted)
{
    const auto deadline = Clock::now() + timeout;
    size_t got = 0;
    while (got < out.size()) {
        const ssize_t n = recv(fd, out.data() + got, out.size() - got, MSG_DONTWAIT);
        if (n > 0) {
            got += size_t(n);
            continue;
        }
        if (n == 0) return RecvResult::FAILED; // the proxy closed the connection
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return RecvResult::FAILED;
        const int w = WaitFor(fd, POLLIN, deadline, interrupted);
        if (w == 0) return RecvResult::TIMEOUT;
        if (w < 0) return RecvResult::FAILED;
    }
    return RecvResult::OK;
}

} // namespace

bool Socks5Connect(int fd, const std::string& host, uint16_t port, const std::optional<ProxyCredentials>& auth,
                   std::chrono::milliseconds timeout, const std::function<bool()>& interrupted, std::string& error)
{
    Socks5Handshake hs(host, port, auth);
    Bytes out = hs.Start(error);
    if (out.empty()) return false;
    if (!SendAll(fd, out, timeout, interrupted)) {
        error = "Error sending to proxy";
        return false;
    }
    // Which read failed decides Core's message.
    enum class Step { METHOD, AUTH, REPLY_HEAD, REPLY_BODY } step = Step::METHOD;
    while (!hs.Done()) {
        Bytes in(hs.Wanted());
        const RecvResult r = RecvExact(fd, in, timeout, interrupted);
        if (r != RecvResult::OK) {
            switch (step) {
            case Step::METHOD: error = "Error reading proxy response"; break;
            case Step::AUTH: error = "Error reading proxy authentication response"; break;
            case Step::REPLY_HEAD:
                error = r == RecvResult::TIMEOUT ? fmt::format("Socks5() connect to {}:{} failed: timeout", host, port)
                                                 : "Error while reading proxy response";
                break;
            case Step::REPLY_BODY: error = "Error reading from proxy"; break;
            }
            return false;
        }
        const bool was_method = step == Step::METHOD;
        if (!hs.Feed(in, out, error)) return false;
        if (!out.empty()) {
            if (!SendAll(fd, out, timeout, interrupted)) {
                error = was_method && auth && out.front() == socks5::AUTH_VERSION ? "Error sending authentication to proxy"
                                                                                   : "Error sending to proxy";
                return false;
            }
            // Credentials were just sent if the method step answered with them.
            step = (was_method && out.front() == socks5::AUTH_VERSION) ? Step::AUTH : Step::REPLY_HEAD;
        } else if (step == Step::REPLY_HEAD) {
            step = Step::REPLY_BODY;
        }
    }
    return true;
}

} // namespace cairn
