#include "http/auth.h"

#include "crypto/hmac.h"
#include "crypto/random.h"
#include "util/base64.h"
#include "util/hex.h"
#include "util/log.h"
#include "util/strencodings.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace cairn {

std::optional<CookiePerms> ParseCookiePerms(std::string_view s)
{
    if (s == "owner") return CookiePerms::OWNER;
    if (s == "group") return CookiePerms::GROUP;
    if (s == "all") return CookiePerms::ALL;
    return std::nullopt;
}

namespace {

mode_t ModeOf(CookiePerms perms)
{
    switch (perms) {
    case CookiePerms::OWNER: return 0600;
    case CookiePerms::GROUP: return 0640;
    case CookiePerms::ALL: return 0644;
    }
    return 0600;
}

} // namespace

std::optional<std::string> GenerateAuthCookie(const std::filesystem::path& path, CookiePerms perms, std::string& error)
{
    uint8_t secret[32];
    GetRandBytes(secret);
    const std::string password = HexStr(secret);
    const std::string contents = std::string(COOKIEAUTH_USER) + ":" + password;

    std::filesystem::path tmp = path;
    tmp += ".tmp";
    const mode_t mode = ModeOf(perms);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        error = fmt::format("Unable to open cookie authentication file {} for writing", tmp.string());
        LogWarning("{}", error);
        return std::nullopt;
    }
    // open() applies the umask and keeps the mode of an existing file: set it exactly.
    bool ok = ::fchmod(fd, mode) == 0;
    size_t done = 0;
    while (ok && done < contents.size()) {
        const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        done += size_t(n);
    }
    if (::close(fd) != 0) ok = false;
    if (!ok) {
        ::unlink(tmp.c_str());
        error = fmt::format("Unable to write cookie authentication file {}", tmp.string());
        LogWarning("{}", error);
        return std::nullopt;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        error = fmt::format("Unable to rename cookie authentication file {} to {}", tmp.string(), path.string());
        LogWarning("{}", error);
        return std::nullopt;
    }
    LogInfo("Generated RPC authentication cookie {}", path.string());
    return password;
}

std::optional<std::string> ReadAuthCookie(const std::filesystem::path& path)
{
    std::ifstream file(path);
    if (!file.is_open()) return std::nullopt;
    std::string line;
    std::getline(file, line);
    return line;
}

void DeleteAuthCookie(const std::filesystem::path& path)
{
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) LogWarning("Unable to remove random auth cookie file {}: {}", path.string(), ec.message());
}

bool TimingResistantEqual(std::string_view a, std::string_view b)
{
    // Walk all of `a` whatever the contents; an empty `b` only matches an
    // empty `a`. The time depends on the lengths alone.
    if (b.empty()) return a.empty();
    size_t acc = a.size() ^ b.size();
    for (size_t i = 0; i < a.size(); ++i) {
        acc |= size_t(uint8_t(a[i]) ^ uint8_t(b[i % b.size()]));
    }
    return acc == 0;
}

std::string RpcAuthHash(std::string_view salt, std::string_view password)
{
    uint8_t out[HmacSha256::OUTPUT_SIZE];
    HmacSha256(AsBytes(salt)).Write(AsBytes(password)).Finalize(out);
    return HexStr(out);
}

void RpcAuthenticator::AddUserPassword(std::string user, std::string_view password)
{
    uint8_t raw_salt[16];
    GetRandBytes(raw_salt);
    std::string salt = HexStr(raw_salt);
    std::string hash = RpcAuthHash(salt, password);
    std::lock_guard lock(m_mutex);
    m_entries.push_back(Entry{std::move(user), std::move(salt), std::move(hash)});
}

bool RpcAuthenticator::AddRpcAuth(std::string_view value)
{
    // <user>:<salt>$<hash>: exactly one ':' and one '$' after it, as Core
    // splits it (a ':' in the user name or '$' in the salt is rejected).
    const std::vector<std::string> fields = SplitString(value, ':');
    if (fields.size() != 2) return false;
    const std::vector<std::string> salt_hash = SplitString(fields[1], '$');
    if (salt_hash.size() != 2) return false;
    std::lock_guard lock(m_mutex);
    m_entries.push_back(Entry{fields[0], salt_hash[0], salt_hash[1]});
    return true;
}

bool RpcAuthenticator::Empty() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.empty();
}

bool RpcAuthenticator::CheckUserPassword(std::string_view user, std::string_view password) const
{
    std::lock_guard lock(m_mutex);
    for (const Entry& e : m_entries) {
        if (!TimingResistantEqual(e.user, user)) continue;
        if (TimingResistantEqual(RpcAuthHash(e.salt, password), e.hash)) return true;
    }
    return false;
}

bool RpcAuthenticator::CheckAuthorizationHeader(std::string_view header, std::string& user_out) const
{
    constexpr std::string_view BASIC = "Basic ";
    if (header.substr(0, BASIC.size()) != BASIC) return false;
    const std::string encoded = TrimString(header.substr(BASIC.size()));
    const auto decoded = DecodeBase64(encoded);
    if (!decoded) return false;
    const std::string userpass(decoded->begin(), decoded->end());
    const size_t colon = userpass.find(':');
    if (colon == std::string::npos) return false;
    user_out = userpass.substr(0, colon);
    return CheckUserPassword(user_out, std::string_view(userpass).substr(colon + 1));
}

} // namespace cairn
