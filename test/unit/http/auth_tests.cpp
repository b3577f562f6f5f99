// Tests for http/auth.h: the cookie file, -rpcauth hashes, the Basic header.
#include "http/auth.h"
#include "util/base64.h"
#include "util/log.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace cairn;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        char tmpl[] = "/tmp/cairn_auth_XXXXXX";
        path = ::mkdtemp(tmpl);
        Logger::Instance().SetQuiet(true);
    }
    ~TempDir()
    {
        Logger::Instance().SetQuiet(false);
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

mode_t ModeOf(const std::filesystem::path& p)
{
    struct stat st{};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
}

std::string Basic(const std::string& userpass) { return "Basic " + EncodeBase64(userpass); }

} // namespace

BOOST_AUTO_TEST_SUITE(auth_tests)

BOOST_AUTO_TEST_CASE(cookie_file)
{
    TempDir dir;
    const auto path = dir.path / ".cookie";
    std::string error;
    const mode_t old_umask = ::umask(0);
    auto pass = GenerateAuthCookie(path, CookiePerms::OWNER, error);
    ::umask(old_umask);
    BOOST_REQUIRE_MESSAGE(pass, error);
    BOOST_CHECK_EQUAL(pass->size(), 64U);
    BOOST_CHECK(pass->find_first_not_of("0123456789abcdef") == std::string::npos);
    BOOST_CHECK_EQUAL(ModeOf(path), 0600U); // whatever the umask
    BOOST_CHECK(!std::filesystem::exists(dir.path / ".cookie.tmp"));
    std::ifstream in(path, std::ios::binary);
    const std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_CHECK_EQUAL(contents, "__cookie__:" + *pass); // no newline
    BOOST_CHECK_EQUAL(ReadAuthCookie(path).value_or(""), "__cookie__:" + *pass);

    // A new cookie replaces the old one, with the new permissions.
    auto pass2 = GenerateAuthCookie(path, CookiePerms::GROUP, error);
    BOOST_REQUIRE(pass2);
    BOOST_CHECK(*pass2 != *pass);
    BOOST_CHECK_EQUAL(ModeOf(path), 0640U);
    BOOST_REQUIRE(GenerateAuthCookie(path, CookiePerms::ALL, error));
    BOOST_CHECK_EQUAL(ModeOf(path), 0644U);

    DeleteAuthCookie(path);
    BOOST_CHECK(!std::filesystem::exists(path));
    DeleteAuthCookie(path); // already gone: fine
    BOOST_CHECK(!ReadAuthCookie(path));

    BOOST_CHECK(!GenerateAuthCookie(dir.path / "missing" / ".cookie", CookiePerms::OWNER, error));
    BOOST_CHECK(error.find("Unable to open cookie authentication file") == 0);

    BOOST_CHECK(ParseCookiePerms("owner") == CookiePerms::OWNER);
    BOOST_CHECK(ParseCookiePerms("group") == CookiePerms::GROUP);
    BOOST_CHECK(ParseCookiePerms("all") == CookiePerms::ALL);
    BOOST_CHECK(!ParseCookiePerms("0600"));
    BOOST_CHECK(!ParseCookiePerms("Owner"));
}

BOOST_AUTO_TEST_CASE(timing_resistant_equal)
{
    BOOST_CHECK(TimingResistantEqual("", ""));
    BOOST_CHECK(!TimingResistantEqual("abc", ""));
    BOOST_CHECK(!TimingResistantEqual("", "abc"));
    BOOST_CHECK(TimingResistantEqual("abc", "abc"));
    BOOST_CHECK(!TimingResistantEqual("abc", "abd"));
    BOOST_CHECK(!TimingResistantEqual("abc", "abcabc"));
    BOOST_CHECK(!TimingResistantEqual("abcabc", "abc"));
    BOOST_CHECK(!TimingResistantEqual("a", "aa"));
}

BOOST_AUTO_TEST_CASE(rpcauth)
{
    // Independent vector (Python's hmac): HMAC-SHA256(key=salt, msg=password).
    BOOST_CHECK_EQUAL(RpcAuthHash("cb77f0957de88ff388cf817ddbc7273", "secret-password"),
                      "7cced3df8c4cb3a6549e1e28eb03df85f0bbc3446918bd74f5c00d8f70c11c60");
    BOOST_CHECK_EQUAL(RpcAuthHash("", ""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");

    RpcAuthenticator auth;
    BOOST_CHECK(auth.Empty());
    BOOST_CHECK(auth.AddRpcAuth("alice:cb77f0957de88ff388cf817ddbc7273$7cced3df8c4cb3a6549e1e28eb03df85f0bbc3446918bd74f5c00d8f70c11c60"));
    for (const char* bad : {"alice", "alice:salt", "alice:salt$hash$x", "a:b:salt$hash", ""}) {
        BOOST_CHECK_MESSAGE(!auth.AddRpcAuth(bad), bad);
    }
    auth.AddUserPassword("bob", "pw:with:colons");
    BOOST_CHECK(!auth.Empty());

    BOOST_CHECK(auth.CheckUserPassword("alice", "secret-password"));
    BOOST_CHECK(!auth.CheckUserPassword("alice", "secret-passwor"));
    BOOST_CHECK(!auth.CheckUserPassword("Alice", "secret-password"));
    BOOST_CHECK(!auth.CheckUserPassword("bob", "secret-password"));
    BOOST_CHECK(auth.CheckUserPassword("bob", "pw:with:colons"));

    std::string user;
    BOOST_CHECK(auth.CheckAuthorizationHeader(Basic("alice:secret-password"), user));
    BOOST_CHECK_EQUAL(user, "alice");
    BOOST_CHECK(auth.CheckAuthorizationHeader(Basic("bob:pw:with:colons"), user)); // split at the first ':'
    BOOST_CHECK_EQUAL(user, "bob");
    BOOST_CHECK(auth.CheckAuthorizationHeader("Basic   " + EncodeBase64("alice:secret-password") + "  ", user));
    BOOST_CHECK(!auth.CheckAuthorizationHeader(Basic("alice:wrong"), user));
    BOOST_CHECK_EQUAL(user, "alice"); // the user name is reported even on failure
    BOOST_CHECK(!auth.CheckAuthorizationHeader(Basic("alice"), user));
    BOOST_CHECK(!auth.CheckAuthorizationHeader("basic " + EncodeBase64("alice:secret-password"), user));
    BOOST_CHECK(!auth.CheckAuthorizationHeader("Bearer xyz", user));
    BOOST_CHECK(!auth.CheckAuthorizationHeader("Basic not*base64", user));
    BOOST_CHECK(!auth.CheckAuthorizationHeader("", user));
}

BOOST_AUTO_TEST_CASE(cookie_credentials)
{
    TempDir dir;
    std::string error;
    auto pass = GenerateAuthCookie(dir.path / ".cookie", CookiePerms::OWNER, error);
    BOOST_REQUIRE(pass);
    RpcAuthenticator auth;
    auth.AddUserPassword(std::string(COOKIEAUTH_USER), *pass);
    std::string user;
    BOOST_CHECK(auth.CheckAuthorizationHeader(Basic(*ReadAuthCookie(dir.path / ".cookie")), user));
    BOOST_CHECK_EQUAL(user, "__cookie__");
}

BOOST_AUTO_TEST_SUITE_END()
