// Thin helpers over POSIX sockets: the few calls the connection manager
// makes, with errors as text. Every socket is non-blocking.
#ifndef CAIRN_NET_SOCK_H
#define CAIRN_NET_SOCK_H

#include "net/netaddress.h"

#include <string>

namespace cairn {

/** Binds and listens on `addr` (SO_REUSEADDR, IPV6_V6ONLY for IPv6). Returns the fd or -1. */
int CreateListenSocket(const Service& addr, std::string& error);

/** Connects with a timeout; returns a connected non-blocking fd or -1. */
int ConnectSocket(const Service& addr, int timeout_ms, std::string& error);

/** Connects to a local (AF_UNIX) stream socket, such as a proxy's; returns a non-blocking fd or -1. */
int ConnectUnixSocket(const std::string& path, std::string& error);

/** Accepts one connection; -1 if none is pending. */
int AcceptSocket(int listen_fd, Service& peer);

/** The local end of a connected socket. */
Service GetLocalService(int fd);

void SetNonBlocking(int fd);
void CloseSocket(int fd);

} // namespace cairn

#endif
