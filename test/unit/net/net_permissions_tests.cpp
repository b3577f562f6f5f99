#include "net/net_permissions.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {
std::vector<std::string> Names(NetPermissionFlags f) { return PermissionsToStrings(f); }
} // namespace

BOOST_AUTO_TEST_SUITE(net_permissions_tests)

BOOST_AUTO_TEST_CASE(whitelist_with_permissions)
{
    std::string error;
    auto w = ParseWhitelist("noban,relay@1.2.3.0/24", error);
    BOOST_REQUIRE_MESSAGE(w, error);
    BOOST_CHECK(Names(w->flags) == std::vector<std::string>({"noban", "relay", "download"}));
    BOOST_CHECK(w->direction == ConnectionDirection::In);
    BOOST_CHECK(w->subnet.Match(*NetAddr::Parse("1.2.3.200")));
    BOOST_CHECK(!w->subnet.Match(*NetAddr::Parse("1.2.4.1")));

    w = ParseWhitelist("forcerelay,out@127.0.0.1", error);
    BOOST_REQUIRE(w);
    BOOST_CHECK(Names(w->flags) == std::vector<std::string>({"forcerelay", "relay"}));
    BOOST_CHECK(w->direction == ConnectionDirection::Out);
    w = ParseWhitelist("mempool,in,out@::1", error);
    BOOST_REQUIRE(w);
    BOOST_CHECK(w->direction == ConnectionDirection::Both);

    w = ParseWhitelist("all@10.0.0.1", error);
    BOOST_REQUIRE(w);
    BOOST_CHECK(Names(w->flags) ==
                std::vector<std::string>({"bloomfilter", "noban", "forcerelay", "relay", "mempool", "download", "addr"}));
    w = ParseWhitelist(",,addr,@10.0.0.1", error); // empty entries are allowed
    BOOST_REQUIRE(w);
    BOOST_CHECK(Names(w->flags) == std::vector<std::string>({"addr"}));
}

BOOST_AUTO_TEST_CASE(implicit_defaults)
{
    std::string error;
    auto w = ParseWhitelist("127.0.0.1", error);
    BOOST_REQUIRE(w);
    BOOST_CHECK(HasFlag(w->flags, NetPermissionFlags::Implicit));
    BOOST_CHECK(Names(ApplyImplicitPermissions(w->flags, true, false)) ==
                std::vector<std::string>({"noban", "relay", "mempool", "download"}));
    BOOST_CHECK(Names(ApplyImplicitPermissions(w->flags, false, false)) ==
                std::vector<std::string>({"noban", "mempool", "download"}));
    BOOST_CHECK(Names(ApplyImplicitPermissions(w->flags, true, true)) ==
                std::vector<std::string>({"noban", "forcerelay", "relay", "mempool", "download"}));
    // Named permissions are left as they are.
    auto named = ParseWhitelist("addr@127.0.0.1", error);
    BOOST_REQUIRE(named);
    BOOST_CHECK(Names(ApplyImplicitPermissions(named->flags, true, true)) == std::vector<std::string>({"addr"}));
}

BOOST_AUTO_TEST_CASE(errors_are_cores)
{
    std::string error;
    BOOST_CHECK(!ParseWhitelist("bloom,xyz@1.2.3.4", error));
    BOOST_CHECK_EQUAL(error, "Invalid P2P permission: 'xyz'");
    BOOST_CHECK(!ParseWhitelist("noban@1.2.3.4/40", error));
    BOOST_CHECK_EQUAL(error, "Invalid netmask specified in -whitelist: '1.2.3.4/40'");
    BOOST_CHECK(!ParseWhitelist("in,out@1.2.3.4", error));
    BOOST_CHECK_EQUAL(error, "Only direction was set, no permissions: 'in,out@1.2.3.4'");
    BOOST_CHECK(!ParseWhitebind("noban@1.2.3.4", error));
    BOOST_CHECK_EQUAL(error, "Need to specify a port with -whitebind: '1.2.3.4'");
    BOOST_CHECK(!ParseWhitebind("noban@nonsense:x", error));
    BOOST_CHECK_EQUAL(error, "Cannot resolve -whitebind address: 'nonsense:x'");
    BOOST_CHECK(!ParseWhitebind("out@127.0.0.1:8333", error)); // directions are for -whitelist
    BOOST_CHECK_EQUAL(error, "Invalid P2P permission: 'out'");
}

BOOST_AUTO_TEST_CASE(whitebind)
{
    std::string error;
    auto b = ParseWhitebind("download,mempool@127.0.0.1:18444", error);
    BOOST_REQUIRE_MESSAGE(b, error);
    BOOST_CHECK_EQUAL(b->service.ToStringAddrPort(), "127.0.0.1:18444");
    BOOST_CHECK(Names(b->flags) == std::vector<std::string>({"mempool", "download"}));
    b = ParseWhitebind("[::1]:18444", error);
    BOOST_REQUIRE(b);
    BOOST_CHECK(HasFlag(b->flags, NetPermissionFlags::Implicit));
}

BOOST_AUTO_TEST_CASE(permissions_for_peer)
{
    // Core's AddWhitelistPermissionFlags: the socket's flags, every matching range, then the defaults.
    std::string error;
    std::vector<WhitelistPermission> ranges;
    for (const char* text : {"addr@10.0.0.0/8", "download@10.1.0.0/16", "192.168.1.1"}) {
        auto w = ParseWhitelist(text, error);
        BOOST_REQUIRE_MESSAGE(w, error);
        ranges.push_back(*w);
    }
    const auto addr = [](const char* s) { return *NetAddr::Parse(s); };
    const NetPermissionFlags none = NetPermissionFlags::None;
    BOOST_CHECK(Names(PermissionsForPeer(none, addr("11.0.0.1"), ranges, true, false)).empty());
    BOOST_CHECK(Names(PermissionsForPeer(none, addr("10.2.0.1"), ranges, true, false)) ==
                std::vector<std::string>({"addr"}));
    BOOST_CHECK(Names(PermissionsForPeer(none, addr("10.1.2.3"), ranges, true, false)) ==
                std::vector<std::string>({"download", "addr"}));
    // An entry without permissions: the implicit defaults, shaped by -whitelistrelay/-whitelistforcerelay.
    BOOST_CHECK(Names(PermissionsForPeer(none, addr("192.168.1.1"), ranges, true, false)) ==
                std::vector<std::string>({"noban", "relay", "mempool", "download"}));
    BOOST_CHECK(Names(PermissionsForPeer(none, addr("192.168.1.1"), ranges, false, true)) ==
                std::vector<std::string>({"noban", "forcerelay", "relay", "mempool", "download"}));
    // A -whitebind socket's flags are kept and added to; its implicit bit too gets the defaults.
    BOOST_CHECK(Names(PermissionsForPeer(NetPermissionFlags::Mempool, addr("10.0.0.5"), ranges, true, false)) ==
                std::vector<std::string>({"mempool", "addr"}));
    BOOST_CHECK(Names(PermissionsForPeer(NetPermissionFlags::Implicit, addr("11.0.0.1"), {}, true, false)) ==
                std::vector<std::string>({"noban", "relay", "mempool", "download"}));
    BOOST_CHECK(!HasFlag(PermissionsForPeer(NetPermissionFlags::Implicit, addr("11.0.0.1"), {}, true, false),
                         NetPermissionFlags::Implicit));
    // An IPv6 peer never matches IPv4 ranges.
    BOOST_CHECK(Names(PermissionsForPeer(none, addr("::1"), ranges, true, false)).empty());
}

BOOST_AUTO_TEST_SUITE_END()
