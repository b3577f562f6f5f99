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

BOOST_AUTO_TEST_SUITE_END()
