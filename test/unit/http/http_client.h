// A small blocking HTTP/1.1 client over POSIX sockets for the HTTP and RPC
// server tests: one connection, keep-alive or not, every wait bounded by a
// receive/send timeout so a broken server fails a test instead of hanging.
#ifndef CAIRN_TEST_UNIT_HTTP_HTTP_CLIENT_H
#define CAIRN_TEST_UNIT_HTTP_HTTP_CLIENT_H

#include "util/base64.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cairn::test {

struct HttpResponse {
    int status{0};
    /** Lower-case names. */
    std::map<std::string, std::string> headers;
    std::string body;

    std::string Header(const std::string& lower_name) const
    {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

inline std::string BasicAuth(const std::string& user, const std::string& password)
{
    return "Basic " + EncodeBase64(user + ":" + password);
}

class HttpClient
{
public:
    explicit HttpClient(uint16_t port, int timeout_ms = 15000)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_fd < 0) return;
        timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        const int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~HttpClient()
    {
        if (m_fd >= 0) ::close(m_fd);
    }
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    bool Connected() const { return m_fd >= 0; }

    bool SendRaw(const std::string& data)
    {
        size_t done = 0;
        while (done < data.size()) {
            const ssize_t n = ::send(m_fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            done += size_t(n);
        }
        return true;
    }

    /** Builds and sends a request; Content-Length is added for non-empty
     *  bodies and for POST. */
    bool Send(const std::string& method, const std::string& path, const std::string& body,
              const std::vector<std::pair<std::string, std::string>>& headers = {}, bool keep_alive = true)
    {
        std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
        if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        if (!keep_alive) req += "Connection: close\r\n";
        req += "\r\n" + body;
        return SendRaw(req);
    }

    /** Reads one response (status line, headers, Content-Length body).
     *  nullopt on timeout, close before a full response, or garbage. */
    std::optional<HttpResponse> Read(bool head_request = false)
    {
        size_t header_end;
        while ((header_end = m_buf.find("\r\n\r\n")) == std::string::npos) {
            if (!Fill()) return std::nullopt;
        }
        HttpResponse resp;
        const std::string head = m_buf.substr(0, header_end);
        m_buf.erase(0, header_end + 4);
        size_t line_end = head.find("\r\n");
        const std::string status_line = head.substr(0, line_end);
        if (status_line.compare(0, 5, "HTTP/") != 0 || status_line.size() < 12) return std::nullopt;
        resp.status = std::stoi(status_line.substr(9, 3));
        size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
        while (pos < head.size()) {
            size_t e = head.find("\r\n", pos);
            if (e == std::string::npos) e = head.size();
            const std::string line = head.substr(pos, e - pos);
            const size_t colon = line.find(':');
            if (colon != std::string::npos) {
                std::string name = line.substr(0, colon);
                for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
                std::string value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.erase(0, 1);
                resp.headers[name] = value;
            }
            pos = e + 2;
        }
        const bool no_body = head_request || resp.status == 204 || resp.status == 304 || resp.status / 100 == 1;
        if (!no_body) {
            auto it = resp.headers.find("content-length");
            if (it != resp.headers.end()) {
                const size_t len = std::stoul(it->second);
                while (m_buf.size() < len) {
                    if (!Fill()) return std::nullopt;
                }
                resp.body = m_buf.substr(0, len);
                m_buf.erase(0, len);
            } else {
                while (Fill()) {
                }
                resp.body.swap(m_buf);
            }
        }
        return resp;
    }

    std::optional<HttpResponse> Request(const std::string& method, const std::string& path, const std::string& body,
                                        const std::vector<std::pair<std::string, std::string>>& headers = {},
                                        bool keep_alive = true)
    {
        if (!Connected() || !Send(method, path, body, headers, keep_alive)) return std::nullopt;
        return Read(method == "HEAD");
    }

    /** True once the server has closed the connection (waits up to the timeout). */
    bool WaitClosed()
    {
        char c;
        for (;;) {
            const ssize_t n = ::recv(m_fd, &c, 1, 0);
            if (n == 0) return true;
            if (n < 0) return errno == ECONNRESET;
            m_buf += c;
        }
    }

private:
    bool Fill()
    {
        char tmp[65536];
        for (;;) {
            const ssize_t n = ::recv(m_fd, tmp, sizeof(tmp), 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            m_buf.append(tmp, size_t(n));
            return true;
        }
    }

    int m_fd{-1};
    std::string m_buf;
};

} // namespace cairn::test

#endif
