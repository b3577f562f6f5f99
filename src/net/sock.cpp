#include "net/sock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/un.h>
#include <unistd.h>

namespace cairn {

void SetNonBlocking(int fd)
{
    const int flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

namespace {

void SetNoDelay(int fd)
{
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

} // namespace

void CloseSocket(int fd)
{
    if (fd >= 0) close(fd);
}

int CreateListenSocket(const Service& addr, std::string& error)
{
    sockaddr_storage ss;
    const socklen_t len = addr.ToSockAddr(ss);
    if (len == 0) {
        error = "Bind address family for " + addr.ToStringAddrPort() + " not supported";
        return -1;
    }
    const int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) {
        error = std::string("Couldn't open socket for incoming connections (socket returned error ") +
                std::strerror(errno) + ")";
        return -1;
    }
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ss.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
        const int err = errno;
        close(fd);
        if (err == EADDRINUSE) {
            error = "Unable to bind to " + addr.ToStringAddrPort() +
                    " on this computer. Cairn is probably already running.";
        } else {
            error = "Unable to bind to " + addr.ToStringAddrPort() + " on this computer (bind returned error " +
                    std::strerror(err) + ")";
        }
        return -1;
    }
    if (listen(fd, SOMAXCONN) != 0) {
        error = std::string("Listening for incoming connections failed (listen returned error ") +
                std::strerror(errno) + ")";
        close(fd);
        return -1;
    }
    SetNonBlocking(fd);
    return fd;
}

int ConnectSocket(const Service& addr, int timeout_ms, std::string& error)
{
    sockaddr_storage ss;
    const socklen_t len = addr.ToSockAddr(ss);
    if (len == 0) {
        error = "Cannot connect to " + addr.ToStringAddrPort() + ": unsupported network";
        return -1;
    }
    const int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) {
        error = std::string("socket: ") + std::strerror(errno);
        return -1;
    }
    SetNonBlocking(fd);
    SetNoDelay(fd);
    if (connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
        if (errno != EINPROGRESS) {
            error = "connect() to " + addr.ToStringAddrPort() + " failed: " + std::strerror(errno);
            close(fd);
            return -1;
        }
        pollfd p{fd, POLLOUT, 0};
        const int rc = poll(&p, 1, timeout_ms);
        if (rc <= 0) {
            error = "connection timeout to " + addr.ToStringAddrPort();
            close(fd);
            return -1;
        }
        int so_error = 0;
        socklen_t so_len = sizeof(so_error);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &so_len);
        if (so_error != 0) {
            error = "connect() to " + addr.ToStringAddrPort() + " failed after wait: " + std::strerror(so_error);
            close(fd);
            return -1;
        }
    }
    return fd;
}

int ConnectUnixSocket(const std::string& path, std::string& error)
{
    sockaddr_un sa{};
    if (path.empty() || path.size() + 1 > sizeof(sa.sun_path)) {
        error = "Path too long for a local socket: " + path;
        return -1;
    }
    sa.sun_family = AF_UNIX;
    std::memcpy(sa.sun_path, path.data(), path.size());
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = std::string("socket: ") + std::strerror(errno);
        return -1;
    }
    // A local connect completes (or fails) at once: no timeout needed.
    if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
        error = "connect() to unix:" + path + " failed: " + std::strerror(errno);
        close(fd);
        return -1;
    }
    SetNonBlocking(fd);
    return fd;
}

int AcceptSocket(int listen_fd, Service& peer)
{
    sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    const int fd = accept4(listen_fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return -1;
    if (auto s = Service::FromSockAddr(reinterpret_cast<sockaddr*>(&ss), len)) peer = *s;
    SetNoDelay(fd);
    return fd;
}

Service GetLocalService(int fd)
{
    sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return {};
    return Service::FromSockAddr(reinterpret_cast<sockaddr*>(&ss), len).value_or(Service{});
}

} // namespace cairn
