// RPC authentication, as Bitcoin Core does it:
//  - the cookie file: "__cookie__:<64 hex characters>" written at start-up
//    to <datadir>/.cookie (-rpccookiefile), removed at shutdown;
//  - -rpcauth=<user>:<salt>$<hmac>: the password is checked by computing
//    HMAC-SHA256(key=salt, message=password) in lower-case hex;
//  - -rpcuser/-rpcpassword, kept only as such a salted HMAC in memory;
//  - the "Authorization: Basic base64(user:password)" header.
//
// All comparisons of user names and hashes take the same time whatever the
// input. A caller that rejects a request should answer 401 with
// WWW_AUTHENTICATE_HEADER after AUTH_FAILURE_DELAY (without holding the
// event-loop thread).
#ifndef CAIRN_HTTP_AUTH_H
#define CAIRN_HTTP_AUTH_H

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

/** User name written into the cookie file. */
inline constexpr std::string_view COOKIEAUTH_USER = "__cookie__";
/** Default cookie file name, relative to the data directory. */
inline constexpr std::string_view COOKIEAUTH_FILE = ".cookie";
/** Value of the WWW-Authenticate header of a 401 reply. */
inline constexpr std::string_view WWW_AUTHENTICATE_HEADER = "Basic realm=\"jsonrpc\"";
/** How long a failed authentication waits before its 401 (slows brute force). */
inline constexpr std::chrono::milliseconds AUTH_FAILURE_DELAY{250};

/** -rpccookieperms: who may read the cookie file. */
enum class CookiePerms {
    OWNER, //!< 0600 (the default)
    GROUP, //!< 0640
    ALL,   //!< 0644
};
/** "owner", "group" or "all"; nullopt otherwise (the caller reports
 *  "Invalid -rpccookieperms=<value>; must be one of 'owner', 'group', or 'all'."). */
std::optional<CookiePerms> ParseCookiePerms(std::string_view s);

/**
 * Writes a fresh cookie "__cookie__:<hex of 32 random bytes>" (no newline) to
 * `path`: first to "<path>.tmp" created with the final permissions, then
 * renamed over `path`, so a reader never sees a partial file. Returns the
 * password (the hex), or nullopt with `error` set.
 */
std::optional<std::string> GenerateAuthCookie(const std::filesystem::path& path, CookiePerms perms, std::string& error);
/** The first line of a cookie file ("user:password"), or nullopt. */
std::optional<std::string> ReadAuthCookie(const std::filesystem::path& path);
/** Removes the cookie file; a missing file is not an error. Logs failures. */
void DeleteAuthCookie(const std::filesystem::path& path);

/** Compares two strings in time that depends only on their lengths. */
bool TimingResistantEqual(std::string_view a, std::string_view b);

/** HMAC-SHA256(key=salt, message=password) as lower-case hex. */
std::string RpcAuthHash(std::string_view salt, std::string_view password);

/**
 * The set of accepted credentials. Filled once at start-up, then only read
 * (Check* may be called from any number of threads; the Add* methods lock
 * too, so late additions are safe).
 */
class RpcAuthenticator
{
public:
    /** -rpcuser/-rpcpassword or the cookie: stored as a salted HMAC under a
     *  fresh random 16-byte salt. */
    void AddUserPassword(std::string user, std::string_view password);
    /** One -rpcauth value "<user>:<salt>$<hash>". False (nothing added) if it
     *  does not have exactly that shape (Core: "Invalid -rpcauth argument."). */
    bool AddRpcAuth(std::string_view value);
    bool Empty() const;

    /** True when user and password match one entry. */
    bool CheckUserPassword(std::string_view user, std::string_view password) const;
    /**
     * Checks an Authorization header value: "Basic " then base64 of
     * "user:password" (surrounding whitespace ignored). Sets `user_out` to the
     * user name it carries, even when the password is wrong.
     */
    bool CheckAuthorizationHeader(std::string_view header, std::string& user_out) const;

private:
    struct Entry {
        std::string user;
        std::string salt;
        std::string hash;
    };
    mutable std::mutex m_mutex;
    std::vector<Entry> m_entries;
};

} // namespace cairn

#endif
