// A SOCKS5 client (RFC 1928, with RFC 1929 username/password auth) for
// connections through -proxy / -onion, as Bitcoin Core speaks it: the
// destination is always sent as a domain name (ATYP 3), also for a numeric
// address, so the proxy (Tor) does any name resolution, never us.
//
// Two parts: `Socks5Handshake`, a pure state machine that builds the
// requests and checks each reply (unit-tested byte by byte, malformed
// replies included), and `Socks5Connect`, the I/O over a connected socket
// that reads exactly what each step asks for, each read bounded by a
// timeout (Core's 20 s) and abandoned on interrupt. Bad replies are errors
// with Core's texts, never crashes.
#ifndef CAIRN_NET_SOCKS5_H
#define CAIRN_NET_SOCKS5_H

#include "util/span.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace cairn {

/** Core's timeout for each read from the proxy during the handshake. */
inline constexpr std::chrono::milliseconds SOCKS5_RECV_TIMEOUT{20'000};

namespace socks5 {
inline constexpr uint8_t VERSION = 0x05;
inline constexpr uint8_t METHOD_NOAUTH = 0x00;
inline constexpr uint8_t METHOD_USER_PASS = 0x02;
inline constexpr uint8_t METHOD_NO_ACCEPTABLE = 0xff;
inline constexpr uint8_t AUTH_VERSION = 0x01; // RFC 1929
inline constexpr uint8_t CMD_CONNECT = 0x01;
inline constexpr uint8_t ATYP_IPV4 = 0x01;
inline constexpr uint8_t ATYP_DOMAINNAME = 0x03;
inline constexpr uint8_t ATYP_IPV6 = 0x04;
inline constexpr uint8_t REPLY_SUCCEEDED = 0x00;
} // namespace socks5

/** RFC 1929 credentials (each at most 255 bytes). */
struct ProxyCredentials {
    std::string username;
    std::string password;
};

/** Core's text for a SOCKS5 reply code, Tor's extended onion-service codes included. */
std::string Socks5ErrorString(uint8_t reply);

/** The client side of one SOCKS5 CONNECT. Feed it exactly `Wanted()` bytes at a time. */
class Socks5Handshake
{
public:
    Socks5Handshake(std::string host, uint16_t port, std::optional<ProxyCredentials> auth)
        : m_host(std::move(host)), m_port(port), m_auth(std::move(auth))
    {
    }

    /** The greeting to send first; an error (and empty bytes) if the host name or credentials are too long. */
    Bytes Start(std::string& error);
    /** Bytes the next step needs from the proxy; 0 when finished (or failed). */
    size_t Wanted() const;
    /** Consumes exactly Wanted() bytes. Returns false with `error` on a bad reply; else
     *  `out` holds what to send next (possibly nothing). */
    bool Feed(ByteSpan in, Bytes& out, std::string& error);
    bool Done() const { return m_state == State::DONE; }

private:
    enum class State { INIT, METHOD, AUTH, REPLY_HEAD, REPLY_NAME_LEN, REPLY_REST, DONE, FAILED };
    bool Fail(std::string& error, std::string text);
    Bytes ConnectRequest() const;

    std::string m_host;
    uint16_t m_port;
    std::optional<ProxyCredentials> m_auth;
    State m_state{State::INIT};
    size_t m_rest{0}; // REPLY_REST: bound address and port still to skip
};

/** Core's CONNECT request for a name: VER CMD RSV ATYP=3 LEN NAME PORT(big-endian). nullopt if the name is
 *  empty or longer than 255 bytes. */
std::optional<Bytes> Socks5ConnectRequest(std::string_view host, uint16_t port);

/** Runs the handshake over `fd` (a connected socket, blocking or not). Each read waits at most `timeout`;
 *  `interrupted` is polled so shutdown is never held up. False with `error` (Core's log texts). */
bool Socks5Connect(int fd, const std::string& host, uint16_t port, const std::optional<ProxyCredentials>& auth,
                   std::chrono::milliseconds timeout, const std::function<bool()>& interrupted, std::string& error);

} // namespace cairn

#endif
