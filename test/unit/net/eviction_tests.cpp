// Tests for net/eviction.h: which inbound peer goes when all slots are full.
#include "net/eviction.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

std::vector<EvictionCandidate> Candidates(int n)
{
    std::vector<EvictionCandidate> v;
    for (int i = 0; i < n; ++i) {
        EvictionCandidate c;
        c.id = i;
        c.connected = 1000 + i; // higher id: younger
        c.keyed_net_group = uint64_t(i);
        c.in.min_ping_us = 1000 + i;
        v.push_back(c);
    }
    return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(eviction_tests)

BOOST_AUTO_TEST_CASE(few_peers_are_all_protected)
{
    // 4 by group, 8 by ping, and half the rest by age: 20 peers leave some to evict, 12 none.
    BOOST_CHECK(!SelectNodeToEvict(Candidates(12)));
    BOOST_CHECK(SelectNodeToEvict(Candidates(40)));
    BOOST_CHECK(!SelectNodeToEvict({}));
}

BOOST_AUTO_TEST_CASE(largest_group_loses_its_youngest)
{
    auto v = Candidates(40);
    // The ten youngest peers share one network group (and ping badly).
    for (int i = 30; i < 40; ++i) {
        v[size_t(i)].keyed_net_group = 7777;
        v[size_t(i)].in.min_ping_us = 1'000'000;
    }
    const auto victim = SelectNodeToEvict(v);
    BOOST_REQUIRE(victim);
    BOOST_CHECK(*victim >= 30);
}

BOOST_AUTO_TEST_CASE(protected_by_work_and_preference)
{
    auto v = Candidates(40);
    for (auto& c : v) c.keyed_net_group = 1; // one group: the youngest unprotected goes
    // The youngest peers relayed blocks recently: they are protected.
    for (int i = 36; i < 40; ++i) v[size_t(i)].in.last_block_time = 5000 + i;
    const auto victim = SelectNodeToEvict(v);
    BOOST_REQUIRE(victim);
    BOOST_CHECK(*victim < 36);

    // A discouraged peer goes before anyone else left unprotected.
    auto w = Candidates(40);
    w[33].prefer_evict = true;
    BOOST_CHECK_EQUAL(*SelectNodeToEvict(w), 33);
}

BOOST_AUTO_TEST_CASE(noban_peers_are_never_evicted)
{
    // The victim of the largest-group test, and every other peer of its group, has noban.
    auto v = Candidates(40);
    for (int i = 30; i < 40; ++i) {
        v[size_t(i)].keyed_net_group = 7777;
        v[size_t(i)].in.min_ping_us = 1'000'000;
        v[size_t(i)].noban = true;
    }
    const auto victim = SelectNodeToEvict(v);
    BOOST_REQUIRE(victim);
    BOOST_CHECK(*victim < 30);

    // Noban peers do not count towards the protected slots either: 12 ordinary
    // peers stay all protected however many noban peers there are.
    auto w = Candidates(12);
    for (int i = 100; i < 140; ++i) {
        EvictionCandidate c;
        c.id = i;
        c.connected = 2000 + i;
        c.keyed_net_group = 5;
        c.noban = true;
        w.push_back(c);
    }
    BOOST_CHECK(!SelectNodeToEvict(w));

    // A discouraged noban peer stays too.
    auto x = Candidates(40);
    x[33].prefer_evict = true;
    x[33].noban = true;
    const auto other = SelectNodeToEvict(x);
    BOOST_REQUIRE(other);
    BOOST_CHECK(*other != 33);
}

BOOST_AUTO_TEST_SUITE_END()
