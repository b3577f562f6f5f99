#include "cli/http_client.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <fcntl.h>

namespace cairn {

namespace {

/** Owns a socket descriptor. */
class Socket
{
public:
    explicit Socket(int fd = -1) : m_fd(fd) {}
    ~Socket() { Reset(); }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int Get() const { return m_fd; }
    int Release()
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }
    void Reset(int fd = -1)
    {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd;
};

enum class WaitResult { READY, TIMEOUT, FAILED };

WaitResult WaitFor(int fd, short events, int timeout_seconds)
{
    pollfd p{};
    p.fd = fd;
    p.events = events;
    const int timeout_ms = timeout_seconds > 0 ? timeout_seconds * 1000 : -1;
    for (;;) {
        const int n = ::poll(&p, 1, timeout_ms);
        if (n > 0) return WaitResult::READY;
        if (n == 0) return WaitResult::TIMEOUT;
        if (errno != EINTR) return WaitResult::FAILED;
    }
}

/** Connects to one of the host's addresses; on failure sets `error`
 *  (TIMEOUT if an attempt timed out, else NO_ERROR: plain failure). */
bool Connect(const HttpRequest& req, Socket& sock, int& error)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* list = nullptr;
    const std::string port = std::to_string(req.port);
    if (::getaddrinfo(req.host.c_str(), port.c_str(), &hints, &list) != 0 || list == nullptr) {
        // AI_ADDRCONFIG hides ::1 on hosts with no IPv6 address configured; retry without it.
        hints.ai_flags = 0;
        if (::getaddrinfo(req.host.c_str(), port.c_str(), &hints, &list) != 0 || list == nullptr) return false;
    }
    bool connected = false;
    for (addrinfo* ai = list; ai != nullptr && !connected; ai = ai->ai_next) {
        Socket s(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
        if (s.Get() < 0) continue;
        const int flags = ::fcntl(s.Get(), F_GETFL, 0);
        ::fcntl(s.Get(), F_SETFL, flags | O_NONBLOCK);
        if (::connect(s.Get(), ai->ai_addr, ai->ai_addrlen) != 0) {
            if (errno != EINPROGRESS) continue;
            const WaitResult w = WaitFor(s.Get(), POLLOUT, req.timeout_seconds);
            if (w == WaitResult::TIMEOUT) error = HTTP_CLIENT_TIMEOUT;
            if (w != WaitResult::READY) continue;
            int so_error = 0;
            socklen_t len = sizeof(so_error);
            if (::getsockopt(s.Get(), SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0) continue;
        }
        sock.Reset(s.Release());
        connected = true;
    }
    ::freeaddrinfo(list);
    if (connected) error = HTTP_CLIENT_NO_ERROR;
    return connected;
}

bool SendAll(int fd, const std::string& data, int timeout_seconds, int& error)
{
    size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += size_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            const WaitResult w = WaitFor(fd, POLLOUT, timeout_seconds);
            if (w == WaitResult::READY) continue;
            error = w == WaitResult::TIMEOUT ? HTTP_CLIENT_TIMEOUT : HTTP_CLIENT_BUFFER_ERROR;
            return false;
        }
        error = HTTP_CLIENT_BUFFER_ERROR;
        return false;
    }
    return true;
}

std::string Lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string Trim(const std::string& s)
{
    const size_t first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const size_t last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

/** The parsed head of a reply. */
struct Head {
    int status{0};
    std::optional<size_t> content_length;
    bool chunked{false};
};

std::optional<Head> ParseHead(const std::string& head_text)
{
    Head head;
    size_t pos = head_text.find("\r\n");
    const std::string status_line = head_text.substr(0, pos);
    // "HTTP/1.1 200 OK"
    if (status_line.compare(0, 5, "HTTP/") != 0) return std::nullopt;
    const size_t sp = status_line.find(' ');
    if (sp == std::string::npos || sp + 4 > status_line.size()) return std::nullopt;
    for (size_t i = sp + 1; i < sp + 4; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(status_line[i]))) return std::nullopt;
        head.status = head.status * 10 + (status_line[i] - '0');
    }
    while (pos != std::string::npos) {
        const size_t start = pos + 2;
        pos = head_text.find("\r\n", start);
        const std::string line = head_text.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
        if (line.empty()) continue;
        const size_t colon = line.find(':');
        if (colon == std::string::npos) return std::nullopt;
        const std::string name = Lower(Trim(line.substr(0, colon)));
        const std::string value = Trim(line.substr(colon + 1));
        if (name == "content-length") {
            size_t n = 0;
            if (value.empty()) return std::nullopt;
            for (char c : value) {
                if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
                n = n * 10 + size_t(c - '0');
            }
            head.content_length = n;
        } else if (name == "transfer-encoding" && Lower(value).find("chunked") != std::string::npos) {
            head.chunked = true;
        }
    }
    return head;
}

/** Decodes a complete chunked body; nullopt while incomplete, error set if malformed. */
std::optional<std::string> DecodeChunked(const std::string& raw, bool& malformed)
{
    std::string out;
    size_t pos = 0;
    for (;;) {
        const size_t eol = raw.find("\r\n", pos);
        if (eol == std::string::npos) return std::nullopt;
        size_t size = 0;
        size_t i = pos;
        for (; i < eol && std::isxdigit(static_cast<unsigned char>(raw[i])); ++i) {
            const char c = char(std::tolower(static_cast<unsigned char>(raw[i])));
            size = size * 16 + size_t(c <= '9' ? c - '0' : c - 'a' + 10);
        }
        if (i == pos) {
            malformed = true;
            return std::nullopt;
        }
        pos = eol + 2;
        if (size == 0) return out; // trailers, if any, are ignored
        if (raw.size() < pos + size + 2) return std::nullopt;
        out.append(raw, pos, size);
        pos += size + 2;
    }
}

} // namespace

std::string HttpClientErrorString(int error)
{
    switch (error) {
    case HTTP_CLIENT_TIMEOUT: return "timeout reached";
    case HTTP_CLIENT_EOF: return "EOF reached";
    case HTTP_CLIENT_INVALID_HEADER: return "error while reading header, or invalid header";
    case HTTP_CLIENT_BUFFER_ERROR: return "error encountered while reading or writing";
    case 4: return "request was canceled";
    case 5: return "response body is larger than allowed";
    default: return "unknown";
    }
}

HttpResponse HttpPost(const HttpRequest& req)
{
    HttpResponse response;
    Socket sock;
    int error = HTTP_CLIENT_NO_ERROR;
    if (!Connect(req, sock, error)) {
        response.error = error;
        return response;
    }

    std::string text = "POST " + req.path + " HTTP/1.1\r\n";
    for (const auto& [name, value] : req.headers) text += name + ": " + value + "\r\n";
    text += "Content-Length: " + std::to_string(req.body.size()) + "\r\n\r\n";
    text += req.body;
    if (!SendAll(sock.Get(), text, req.timeout_seconds, error)) {
        response.error = error;
        return response;
    }

    std::string buffer;
    std::optional<Head> head;
    size_t body_start = 0;
    char chunk[16384];
    for (;;) {
        if (!head) {
            const size_t end = buffer.find("\r\n\r\n");
            if (end != std::string::npos) {
                head = ParseHead(buffer.substr(0, end + 2));
                if (!head) {
                    response.error = HTTP_CLIENT_INVALID_HEADER;
                    return response;
                }
                body_start = end + 4;
            }
        }
        if (head) {
            const std::string raw = buffer.substr(body_start);
            if (head->status == 204 || head->status == 304 || (head->status >= 100 && head->status < 200)) {
                response.status = head->status;
                return response;
            }
            if (head->chunked) {
                bool malformed = false;
                if (auto body = DecodeChunked(raw, malformed)) {
                    response.status = head->status;
                    response.body = std::move(*body);
                    return response;
                }
                if (malformed) {
                    response.error = HTTP_CLIENT_INVALID_HEADER;
                    return response;
                }
            } else if (head->content_length && raw.size() >= *head->content_length) {
                response.status = head->status;
                response.body = raw.substr(0, *head->content_length);
                return response;
            }
        }
        const ssize_t n = ::recv(sock.Get(), chunk, sizeof(chunk), 0);
        if (n > 0) {
            buffer.append(chunk, size_t(n));
            continue;
        }
        if (n == 0) {
            // Closed: complete only for a reply delimited by the end of the connection.
            if (head && !head->chunked && !head->content_length) {
                response.status = head->status;
                response.body = buffer.substr(body_start);
            } else {
                response.error = HTTP_CLIENT_EOF;
            }
            return response;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            const WaitResult w = WaitFor(sock.Get(), POLLIN, req.timeout_seconds);
            if (w == WaitResult::READY) continue;
            response.error = w == WaitResult::TIMEOUT ? HTTP_CLIENT_TIMEOUT : HTTP_CLIENT_BUFFER_ERROR;
            return response;
        }
        response.error = errno == ECONNRESET ? HTTP_CLIENT_EOF : HTTP_CLIENT_BUFFER_ERROR;
        return response;
    }
}

} // namespace cairn
