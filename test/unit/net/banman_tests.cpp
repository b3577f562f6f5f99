// Tests for net/subnet.h and net/banman.h: subnet parsing and matching as
// Core's CSubNet, bans with their end times, persistence in banlist.json
// (Core's format), a damaged ban list, and discouragement.
#include "net/banman.h"
#include "net/subnet.h"

#include "test/util/tmpdir.h"
#include "util/time.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <univalue.h>

using namespace cairn;

namespace {

NetAddr IP(const std::string& s)
{
    auto a = NetAddr::Parse(s);
    BOOST_REQUIRE(a);
    return *a;
}

std::string ReadText(const std::filesystem::path& p)
{
    std::ifstream f(p);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

struct MockTime {
    explicit MockTime(int64_t t) { SetMockTime(t); }
    ~MockTime() { SetMockTime(0); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(banman_tests)

BOOST_AUTO_TEST_CASE(subnets)
{
    SubNet single = SubNet::Parse("1.2.3.4");
    BOOST_CHECK(single.IsValid());
    BOOST_CHECK_EQUAL(single.ToString(), "1.2.3.4/32");
    BOOST_CHECK(single.Match(IP("1.2.3.4")));
    BOOST_CHECK(!single.Match(IP("1.2.3.5")));

    SubNet net = SubNet::Parse("1.2.3.77/24");
    BOOST_CHECK_EQUAL(net.ToString(), "1.2.3.0/24"); // normalised
    BOOST_CHECK(net.Match(IP("1.2.3.200")));
    BOOST_CHECK(!net.Match(IP("1.2.4.1")));
    BOOST_CHECK(!net.Match(IP("::ffff:1.2.4.1")));
    BOOST_CHECK(net == SubNet::Parse("1.2.3.0/255.255.255.0"));
    BOOST_CHECK_EQUAL(SubNet::Parse("10.0.0.0/255.0.0.0").ToString(), "10.0.0.0/8");
    BOOST_CHECK_EQUAL(SubNet::Parse("0.0.0.0/0").ToString(), "0.0.0.0/0");
    BOOST_CHECK(SubNet::Parse("0.0.0.0/0").Match(IP("8.8.8.8")));

    BOOST_CHECK_EQUAL(SubNet::Parse("2001:db8:1::5/48").ToString(), "2001:db8:1::/48");
    BOOST_CHECK_EQUAL(SubNet::Parse("[2001:4860::1]").ToString(), "2001:4860::1/128");
    BOOST_CHECK(SubNet::Parse("2001:4860::/32").Match(IP("2001:4860:1234::1")));
    BOOST_CHECK(!SubNet::Parse("2001:4860::/32").Match(IP("1.2.3.4")));

    BOOST_CHECK(!SubNet::Parse("1.2.3.4/33").IsValid());
    BOOST_CHECK(!SubNet::Parse("1.2.3.4/255.0.255.0").IsValid()); // not contiguous
    BOOST_CHECK(!SubNet::Parse("1.2.3.4/ffff::").IsValid());      // other family
    BOOST_CHECK(!SubNet::Parse("1.2.3.4/x").IsValid());
    BOOST_CHECK(!SubNet::Parse("example.com").IsValid());        // no name lookups
    BOOST_CHECK(!SubNet::Parse("").IsValid());
    BOOST_CHECK(!SubNet().Match(IP("1.2.3.4")));

    // Core's order: by network address, then netmask.
    BOOST_CHECK(SubNet::Parse("1.2.3.0/24") < SubNet::Parse("1.2.3.4"));
    BOOST_CHECK(SubNet::Parse("1.2.0.0/16") < SubNet::Parse("1.2.0.0/24"));
}

BOOST_AUTO_TEST_CASE(bans_and_persistence)
{
    MockTime mock(1'700'000'000);
    test::TempDir dir("cairn_banman");
    {
        BanMan bm(dir / "banlist", /*default_ban_time=*/3600);
        BOOST_CHECK(std::filesystem::exists(dir / "banlist.json")); // written at start
        BOOST_CHECK(bm.GetBanned().empty());

        bm.Ban(IP("1.2.3.4"));
        bm.Ban(SubNet::Parse("10.0.0.0/8"), 100);
        bm.Ban(SubNet::Parse("2001:4860::/32"), 1'800'000'000, /*since_unix_epoch=*/true);
        BOOST_CHECK(bm.IsBanned(IP("1.2.3.4")));
        BOOST_CHECK(bm.IsBanned(IP("10.9.8.7")));
        BOOST_CHECK(bm.IsBanned(SubNet::Parse("10.0.0.0/8")));
        BOOST_CHECK(!bm.IsBanned(SubNet::Parse("10.0.0.0/16"))); // exact subnets only
        BOOST_CHECK(!bm.IsBanned(IP("1.2.3.5")));

        const BanMap bans = bm.GetBanned();
        BOOST_REQUIRE_EQUAL(bans.size(), 3u);
        const BanEntry& e = bans.at(SubNet::Parse("1.2.3.4"));
        BOOST_CHECK_EQUAL(e.create_time, 1'700'000'000);
        BOOST_CHECK_EQUAL(e.ban_until, 1'700'000'000 + 3600); // the default ban time
        BOOST_CHECK_EQUAL(bans.at(SubNet::Parse("2001:4860::/32")).ban_until, 1'800'000'000);

        // A shorter ban does not shorten a longer one.
        bm.Ban(IP("1.2.3.4"), 10);
        BOOST_CHECK_EQUAL(bm.GetBanned().at(SubNet::Parse("1.2.3.4")).ban_until, 1'700'000'000 + 3600);

        BOOST_CHECK(bm.Unban(SubNet::Parse("10.0.0.0/8")));
        BOOST_CHECK(!bm.Unban(SubNet::Parse("10.0.0.0/8")));
        BOOST_CHECK(!bm.IsBanned(IP("10.9.8.7")));
        bm.Ban(SubNet::Parse("10.0.0.0/8"), 100);
    }
    // Core's JSON layout.
    UniValue json;
    BOOST_REQUIRE(json.read(ReadText(dir / "banlist.json")));
    const UniValue& list = json["banned_nets"];
    BOOST_REQUIRE(list.isArray());
    BOOST_REQUIRE_EQUAL(list.size(), 3u);
    BOOST_CHECK_EQUAL(list[0]["address"].get_str(), "1.2.3.4/32");
    BOOST_CHECK_EQUAL(list[0]["version"].get_int(), 1);
    BOOST_CHECK_EQUAL(list[0]["ban_created"].get_int64(), 1'700'000'000);
    BOOST_CHECK_EQUAL(list[0]["banned_until"].get_int64(), 1'700'000'000 + 3600);
    BOOST_CHECK(json["_warning_"].isStr());
    {
        // Read back after a restart; the 100-second ban ran out meanwhile.
        SetMockTime(1'700'000'000 + 200);
        BanMan bm(dir / "banlist", 3600);
        const BanMap bans = bm.GetBanned();
        BOOST_CHECK_EQUAL(bans.size(), 2u);
        BOOST_CHECK(bm.IsBanned(IP("1.2.3.4")));
        BOOST_CHECK(!bm.IsBanned(IP("10.1.1.1")));
        BOOST_CHECK(bm.IsBanned(IP("2001:4860::1")));
        bm.ClearBanned();
        BOOST_CHECK(bm.GetBanned().empty());
    }
    {
        BanMan bm(dir / "banlist", 3600);
        BOOST_CHECK(bm.GetBanned().empty());
    }
}

BOOST_AUTO_TEST_CASE(damaged_banlist)
{
    test::TempDir dir("cairn_banman");
    {
        std::ofstream f(dir / "banlist.json");
        f << "{ not json";
    }
    {
        BanMan bm(dir / "banlist");
        BOOST_CHECK(bm.GetBanned().empty()); // recreated empty
    }
    UniValue json;
    BOOST_CHECK(json.read(ReadText(dir / "banlist.json")));
    BOOST_CHECK(json["banned_nets"].isArray());
    {
        // Unknown versions and unparseable addresses are dropped, the rest kept.
        std::ofstream f(dir / "banlist.json", std::ios::trunc);
        f << R"({"banned_nets": [{"version": 2, "ban_created": 1, "banned_until": 99999999999, "address": "1.1.1.1/32"},
                                 {"version": 1, "ban_created": 1, "banned_until": 99999999999, "address": "nonsense"},
                                 {"version": 1, "ban_created": 1, "banned_until": 99999999999, "address": "2.2.2.2/32"}]})";
    }
    BanMan bm(dir / "banlist");
    BOOST_CHECK_EQUAL(bm.GetBanned().size(), 1u);
    BOOST_CHECK(bm.IsBanned(IP("2.2.2.2")));
}

BOOST_AUTO_TEST_CASE(discouragement)
{
    test::TempDir dir("cairn_banman");
    BanMan bm(dir / "banlist");
    BOOST_CHECK(!bm.IsDiscouraged(IP("1.2.3.4")));
    bm.Discourage(IP("1.2.3.4"));
    BOOST_CHECK(bm.IsDiscouraged(IP("1.2.3.4")));
    BOOST_CHECK(!bm.IsDiscouraged(IP("1.2.3.5")));
    BOOST_CHECK(!bm.IsBanned(IP("1.2.3.4"))); // discouraged is not banned
    BOOST_CHECK(bm.GetBanned().empty());
}

BOOST_AUTO_TEST_SUITE_END()
