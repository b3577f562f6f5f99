// A minimal blocking HTTP/1.1 client: one POST per connection
// ("Connection: close"), enough to talk to a JSON-RPC server.
//
// Failures are reported the way bitcoin-cli's libevent client reports them,
// so that cairn-cli prints the same messages: status 0 means no HTTP reply
// was received, and `error` then holds libevent's request-error number when
// one applies (0 timeout, 1 EOF, 2 invalid header) or -1 when the connection
// could not be made at all (refused, unreachable, unknown host).
#ifndef CAIRN_CLI_HTTP_CLIENT_H
#define CAIRN_CLI_HTTP_CLIENT_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cairn {

/** libevent's evhttp_request_error values, which bitcoin-cli prints. */
enum HttpClientError : int {
    HTTP_CLIENT_NO_ERROR = -1,
    HTTP_CLIENT_TIMEOUT = 0,
    HTTP_CLIENT_EOF = 1,
    HTTP_CLIENT_INVALID_HEADER = 2,
    HTTP_CLIENT_BUFFER_ERROR = 3,
};

/** libevent's text for an error number ("timeout reached", ...); "unknown" otherwise. */
std::string HttpClientErrorString(int error);

struct HttpRequest {
    std::string host; //!< name or address, IPv6 without brackets
    uint16_t port{0};
    std::string path{"/"};
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /** Seconds without progress (connect, send, receive) before giving up; 0: none. */
    int timeout_seconds{0};
};

struct HttpResponse {
    int status{0};                      //!< HTTP status, or 0 if no reply was received
    int error{HTTP_CLIENT_NO_ERROR};    //!< why, when status is 0
    std::string body;
};

/** Sends `request` as a POST and reads the reply (Content-Length, chunked
 *  or until the server closes). Never throws. */
HttpResponse HttpPost(const HttpRequest& request);

} // namespace cairn

#endif
