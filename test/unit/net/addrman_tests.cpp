// Tests for net/addrman.h, net/addrman_serialize.cpp, net/addrdb.h and
// net/netgroup.h: bucket placement (checked against the values Bitcoin
// Core's own tests pin for key 1, so bucketing is Core's byte for byte),
// collisions in both tables, selection, getaddr, failure counting, the
// peers.dat round trip and every way a damaged peers.dat is reported.
#include "net/addrdb.h"
#include "net/addrman.h"
#include "net/netgroup.h"

#include "crypto/hash.h"
#include "test/util/tmpdir.h"
#include "util/time.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <set>

using namespace cairn;

namespace {

NetAddr IP(const std::string& s)
{
    auto a = NetAddr::Parse(s);
    BOOST_REQUIRE(a);
    return *a;
}

Service S(const std::string& ip, uint16_t port = 0) { return Service(IP(ip), port); }

AddrEntry E(const Service& s, int64_t time = 0, uint64_t services = 0)
{
    AddrEntry e;
    e.addr = s;
    e.time = uint32_t(time);
    e.services = services;
    return e;
}

AddrInfo Info(const Service& s, const NetAddr& source)
{
    AddrInfo i;
    i.addr = s;
    i.source = source;
    return i;
}

/** Core's (HashWriter{} << n).GetHash() for an int. */
uint256 KeyOf(int32_t n)
{
    HashWriter h;
    WriteU32LE(h, uint32_t(n));
    return h.GetHash();
}

MessageStart RegtestMagic() { return {0xfa, 0xbf, 0xb5, 0xda}; }

Bytes ReadFile(const std::filesystem::path& p)
{
    std::ifstream f(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

void WriteFile(const std::filesystem::path& p, const Bytes& b)
{
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

/** A peers.dat as Core's functional test writes it: an empty table in format `format`. */
Bytes MockPeersDat(uint8_t format, int lowest_compatible, const uint256& key, int32_t n_new = 0, int32_t n_tried = 0)
{
    Bytes out;
    VectorWriter w(out);
    w.Write(RegtestMagic());
    WriteU8(w, format);
    WriteU8(w, uint8_t(32 + lowest_compatible));
    w.Write(key.span());
    WriteU32LE(w, uint32_t(n_new));
    WriteU32LE(w, uint32_t(n_tried));
    WriteU32LE(w, uint32_t(ADDRMAN_NEW_BUCKET_COUNT ^ (1 << 30)));
    for (int i = 0; i < ADDRMAN_NEW_BUCKET_COUNT; ++i) WriteU32LE(w, 0);
    const uint256 sum = Hash256(out);
    w.Write(sum.span());
    return out;
}

uint256 KeyOne()
{
    uint256 k;
    k.data()[0] = 1;
    return k;
}

struct MockTime {
    explicit MockTime(int64_t t) { SetMockTime(t); }
    ~MockTime() { SetMockTime(0); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(addrman_tests)

BOOST_AUTO_TEST_CASE(netgroups_and_routability)
{
    BOOST_CHECK(IsRoutableAddr(IP("8.8.8.8")));
    BOOST_CHECK(IsRoutableAddr(IP("250.1.1.1"))); // Core does not exclude class E
    BOOST_CHECK(!IsRoutableAddr(IP("10.1.2.3")));
    BOOST_CHECK(!IsRoutableAddr(IP("127.0.0.1")));
    BOOST_CHECK(!IsRoutableAddr(IP("198.18.0.1")));   // RFC 2544
    BOOST_CHECK(!IsRoutableAddr(IP("203.0.113.5")));  // RFC 5737
    BOOST_CHECK(!IsRoutableAddr(IP("2001:db8::1")));  // RFC 3849
    BOOST_CHECK(!IsRoutableAddr(IP("fe80::1")));      // RFC 4862
    BOOST_CHECK(!IsValidAddr(IP("0.0.0.0")));
    BOOST_CHECK(!IsValidAddr(IP("::")));

    BOOST_CHECK((NetGroup(IP("1.2.3.4")) == Bytes{1, 1, 2}));
    BOOST_CHECK((NetGroup(IP("127.0.0.1")) == Bytes{0}));
    BOOST_CHECK((NetGroup(IP("2001:2001:9999::1")) == Bytes{2, 0x20, 0x01, 0x20, 0x01}));
    BOOST_CHECK((NetGroup(IP("2001:470:abcd::1")) == Bytes{2, 0x20, 0x01, 0x04, 0x70, 0xaf})); // he.net: /36
    BOOST_CHECK((NetGroup(IP("2002:102:304::1")) == Bytes{1, 1, 2}));       // 6to4 carries 1.2.3.4
    BOOST_CHECK((NetGroup(IP("::ffff:0:102:304")) == Bytes{1, 1, 2}));      // RFC 6145

    const NetAddr internal = MakeInternalAddr("x9.seed.example.");
    BOOST_CHECK(IsInternalAddr(internal));
    BOOST_CHECK(!IsValidAddr(internal));
    BOOST_CHECK_EQUAL(NetGroup(internal).size(), 11u);
    BOOST_CHECK(GetNetClass(internal) == Network::INTERNAL);

    BOOST_CHECK(ParseNetworkName("tor") == Network::ONION);
    BOOST_CHECK(ParseNetworkName("IPv4") == Network::IPV4);
    BOOST_CHECK(ParseNetworkName("internal") == Network::UNROUTABLE);
    BOOST_CHECK(IsBadPort(22));
    BOOST_CHECK(IsBadPort(27017));
    BOOST_CHECK(!IsBadPort(8333));
}

BOOST_AUTO_TEST_CASE(bucket_placement_is_cores)
{
    const uint256 key1 = KeyOf(1), key2 = KeyOf(2);

    const AddrInfo t1 = Info(S("250.1.1.1", 8333), IP("250.1.1.1"));
    BOOST_CHECK_EQUAL(t1.GetTriedBucket(key1), 40);
    BOOST_CHECK(t1.GetTriedBucket(key1) != t1.GetTriedBucket(key2));
    // Another port is another entry: another tried bucket.
    const AddrInfo t2 = Info(S("250.1.1.1", 9999), IP("250.1.1.1"));
    BOOST_CHECK(t1.GetTriedBucket(key1) != t2.GetTriedBucket(key1));

    std::set<int> buckets;
    for (int i = 0; i < 255; ++i) {
        const std::string ip = "250.1.1." + std::to_string(i);
        buckets.insert(Info(S(ip), IP(ip)).GetTriedBucket(key1));
    }
    BOOST_CHECK_EQUAL(buckets.size(), 8u); // one /16: at most 8 tried buckets
    buckets.clear();
    for (int j = 0; j < 255; ++j) {
        const std::string ip = "250." + std::to_string(j) + ".1.1";
        buckets.insert(Info(S(ip), IP(ip)).GetTriedBucket(key1));
    }
    BOOST_CHECK_EQUAL(buckets.size(), 160u);

    const AddrInfo n1 = Info(S("250.1.2.1", 8333), IP("250.1.2.1"));
    BOOST_CHECK_EQUAL(n1.GetNewBucket(key1), 786);
    BOOST_CHECK_EQUAL(n1.GetNewBucket(key1, IP("250.1.2.1")), 786);
    BOOST_CHECK(n1.GetNewBucket(key1) != n1.GetNewBucket(key2));
    // The port does not move an address between new buckets.
    BOOST_CHECK_EQUAL(Info(S("250.1.2.1", 9999), IP("250.1.2.1")).GetNewBucket(key1), 786);

    buckets.clear();
    for (int j = 0; j < 4 * 255; ++j) {
        const std::string ip = std::to_string(250 + j / 255) + "." + std::to_string(j % 256) + ".1.1";
        buckets.insert(Info(S(ip), IP("251.4.1.1")).GetNewBucket(key1));
    }
    BOOST_CHECK(buckets.size() <= 64); // one source group: at most 64 new buckets
    buckets.clear();
    for (int p = 0; p < 255; ++p) {
        buckets.insert(Info(S("250.1.1.1"), IP("250." + std::to_string(p) + ".1.1")).GetNewBucket(key1));
    }
    BOOST_CHECK(buckets.size() > 64);
}

BOOST_AUTO_TEST_CASE(add_select_size)
{
    AddrMan am(/*deterministic=*/true, /*consistency_check_ratio=*/1);
    BOOST_CHECK_EQUAL(am.Size(), 0u);
    BOOST_CHECK(!IsValidAddr(am.Select().first.addr));

    const NetAddr source = IP("252.2.2.2");
    BOOST_CHECK(!am.Add({E(S("127.0.0.1", 8333))}, source)); // not routable
    BOOST_CHECK(!am.Add({E(S("10.0.0.1", 8333))}, source));
    BOOST_CHECK(am.Add({E(S("250.1.1.1", 8333), GetTime())}, source));
    BOOST_CHECK_EQUAL(am.Size(), 1u);
    BOOST_CHECK(!am.Add({E(S("250.1.1.1", 8333), GetTime())}, source)); // nothing new
    BOOST_CHECK_EQUAL(am.Size(), 1u);
    const auto [sel, last_try] = am.Select();
    BOOST_CHECK(sel.addr == S("250.1.1.1", 8333));
    BOOST_CHECK_EQUAL(last_try, 0);

    // Same address, other port: another entry.
    BOOST_CHECK(am.Add({E(S("250.1.1.1", 8334), GetTime())}, source));
    BOOST_CHECK_EQUAL(am.Size(), 2u);
    BOOST_CHECK_EQUAL(am.Size(Network::IPV4), 2u);
    BOOST_CHECK_EQUAL(am.Size(Network::IPV6), 0u);
    BOOST_CHECK_EQUAL(am.Size(std::nullopt, /*in_new=*/true), 2u);

    // Only new entries: new_only finds them; once both are tried it finds nothing.
    BOOST_CHECK(am.Good(S("250.1.1.1", 8333)));
    BOOST_CHECK(!am.Good(S("250.1.1.1", 8333))); // already tried
    BOOST_CHECK(am.Good(S("250.1.1.1", 8334)));
    BOOST_CHECK_EQUAL(am.Size(std::nullopt, /*in_new=*/false), 2u);
    BOOST_CHECK(!IsValidAddr(am.Select(/*new_only=*/true).first.addr));
    BOOST_CHECK(IsValidAddr(am.Select().first.addr));
    BOOST_CHECK(!IsValidAddr(am.Select(false, {Network::IPV6}).first.addr));

    BOOST_CHECK(am.Add({E(S("2001:4860::1", 8333), GetTime())}, source));
    BOOST_CHECK(am.Select(false, {Network::IPV6}).first.addr == S("2001:4860::1", 8333));
    BOOST_CHECK_EQUAL(am.CheckConsistency(), 0);
}

BOOST_AUTO_TEST_CASE(new_table_collisions)
{
    AddrMan am(/*deterministic=*/true, /*consistency_check_ratio=*/1);
    const NetAddr source = IP("252.2.2.2");
    uint32_t n = 0;
    while (n < 22) { // 250.1.1.1 to .22 share no slot with key 1
        BOOST_CHECK(am.Add({E(S("250.1.1." + std::to_string(++n)))}, source));
        BOOST_CHECK_EQUAL(am.Size(), n);
    }
    // The 23rd takes the slot of an earlier one: time 0 makes that one terrible, so it goes.
    BOOST_CHECK(am.Add({E(S("250.1.1." + std::to_string(++n)))}, source));
    BOOST_CHECK_EQUAL(am.Size(), n - 1);
    BOOST_CHECK(am.Add({E(S("250.1.1." + std::to_string(++n)))}, source));
    BOOST_CHECK_EQUAL(am.Size(), n - 1);
}

BOOST_AUTO_TEST_CASE(new_table_multiplicity)
{
    AddrMan am(/*deterministic=*/true, /*consistency_check_ratio=*/1);
    const int64_t start = GetTime();
    AddrEntry addr = E(S("253.3.3.3", 8333), start);
    for (int i = 1; i < 20; ++i) {
        am.Add({addr}, IP(std::to_string(i % 256) + "." + std::to_string(i >> 8) + ".1.1"));
    }
    BOOST_CHECK_EQUAL(am.FindAddressEntry(addr.addr)->multiplicity, 1); // same time: no new references
    for (int i = 1; i < 3000; ++i) {
        addr.time = uint32_t(start + i);
        am.Add({addr}, IP(std::to_string(i % 256) + "." + std::to_string(i >> 8) + ".1.1"));
    }
    BOOST_CHECK_EQUAL(am.FindAddressEntry(addr.addr)->multiplicity, ADDRMAN_NEW_BUCKETS_PER_ADDRESS);
    BOOST_CHECK_EQUAL(am.Size(), 1u);
}

BOOST_AUTO_TEST_CASE(tried_table_collisions)
{
    MockTime mock(1'700'000'000);
    AddrMan am(/*deterministic=*/true, /*consistency_check_ratio=*/1);
    const NetAddr source = IP("252.2.2.2");
    uint32_t n = 0;
    while (n < 35) { // 250.1.1.1 to .35 share no tried slot with key 1
        const Service s = S("250.1.1." + std::to_string(++n));
        BOOST_CHECK(am.Add({E(s)}, source));
        BOOST_CHECK(am.Good(s));
    }
    const Service collider = S("250.1.1." + std::to_string(++n));
    BOOST_CHECK(am.Add({E(collider)}, source));
    BOOST_CHECK(!am.Good(collider)); // held as a collision: test before evict
    BOOST_CHECK(!am.FindAddressEntry(collider)->tried);
    const Service next = S("250.1.1." + std::to_string(++n));
    BOOST_CHECK(am.Add({E(next)}, source));
    BOOST_CHECK(am.Good(next));

    // The feeler would test the occupant of the collider's slot.
    const auto [old, old_try] = am.SelectTriedCollision();
    BOOST_REQUIRE(IsValidAddr(old.addr));
    BOOST_CHECK(am.FindAddressEntry(old.addr)->tried);
    BOOST_CHECK(am.FindAddressEntry(old.addr)->bucket == AddrInfo(Info(collider, source)).GetTriedBucket(am.Key()));
    (void)old_try;

    // The occupant answered recently: the collision is dropped, the occupant stays.
    am.ResolveCollisions();
    BOOST_CHECK(!IsValidAddr(am.SelectTriedCollision().first.addr));
    BOOST_CHECK(am.FindAddressEntry(old.addr)->tried);

    // Collide again; once the occupant has been silent past the test window, the newcomer wins.
    BOOST_CHECK(!am.Good(collider));
    SetMockTime(1'700'000'000 + ADDRMAN_REPLACEMENT + ADDRMAN_TEST_WINDOW + 60);
    am.ResolveCollisions();
    BOOST_CHECK(am.FindAddressEntry(collider)->tried);
    BOOST_CHECK(!am.FindAddressEntry(old.addr)->tried); // back in the new table
    BOOST_CHECK_EQUAL(am.CheckConsistency(), 0);
}

BOOST_AUTO_TEST_CASE(getaddr_limits)
{
    AddrMan am(/*deterministic=*/true, /*consistency_check_ratio=*/0);
    BOOST_CHECK(am.GetAddr(0, 0, std::nullopt).empty());
    const int64_t now = GetTime();
    BOOST_CHECK(am.Add({E(S("250.250.2.1", 8333), now), E(S("251.252.2.3", 8333), now), E(S("252.254.4.5", 8333), now)},
                       IP("250.1.2.1")));
    BOOST_CHECK(am.Add({E(S("250.251.2.2", 9999), now), E(S("252.253.3.4", 8333), now)}, IP("250.2.3.3")));
    BOOST_CHECK_EQUAL(am.GetAddr(0, 0, std::nullopt).size(), 5u);
    BOOST_CHECK_EQUAL(am.GetAddr(2500, 23, std::nullopt).size(), 1u); // 23% of 5, rounded down

    for (unsigned i = 1; i < 8 * 256; ++i) {
        const std::string ip = std::to_string(i % 256) + "." + std::to_string(i >> 8) + ".1.23";
        am.Add({E(S(ip), now)}, IP(ip));
        if (i % 8 == 0) am.Good(S(ip));
    }
    // Core's numbers for key 1: collisions leave 2006 entries, 23% of them is 461.
    BOOST_CHECK_EQUAL(am.Size(), 2006u);
    BOOST_CHECK_EQUAL(am.GetAddr(2500, 23, std::nullopt).size(), 461u);
    BOOST_CHECK_EQUAL(am.GetAddr(100, 23, std::nullopt).size(), 100u);
    BOOST_CHECK(am.GetAddr(0, 0, Network::IPV6).empty());
    BOOST_CHECK_EQUAL(am.CheckConsistency(), 0);
}

BOOST_AUTO_TEST_CASE(terrible_and_attempts)
{
    MockTime mock(1'700'000'000);
    const int64_t now = GetTime();
    {
        AddrMan am(/*deterministic=*/true, /*consistency_check_ratio=*/1);
        const NetAddr source = IP("250.1.2.1");
        const Service fresh = S("250.250.2.1", 8333), stale = S("250.251.2.2", 9999), failing = S("250.251.2.3", 9998);
        BOOST_CHECK(am.Add({E(fresh, now), E(stale, 0)}, source)); // time 0: not seen for a month
        // A success (anywhere) now; then three failures that happened before it all count.
        am.Good(failing, now);
        BOOST_CHECK(am.Add({E(failing, now)}, source));
        for (int i = 0; i < 3; ++i) am.Attempt(failing, /*count_failure=*/true, now - 61);
        BOOST_CHECK_EQUAL(am.GetAddr(0, 0, std::nullopt).size(), 1u); // only `fresh` is not terrible
        BOOST_CHECK_EQUAL(am.GetAddr(0, 0, std::nullopt, /*filtered=*/false).size(), 3u);
    }
    {
        // Failures after the last success count once: an offline node does not wreck its table.
        AddrMan am(/*deterministic=*/true, /*consistency_check_ratio=*/1);
        const Service ok = S("250.250.2.1", 8333), bad = S("251.1.1.1", 8333);
        BOOST_CHECK(am.Add({E(ok, now), E(bad, now)}, IP("250.1.2.1")));
        am.Good(ok, now);
        am.Attempt(bad, true, now + 10);
        am.Attempt(bad, true, now + 20);
        am.Attempt(bad, false, now + 30);
        for (const auto& [info, pos] : am.GetEntries(false)) {
            if (info.addr == bad) {
                BOOST_CHECK_EQUAL(info.attempts, 1);
                BOOST_CHECK_EQUAL(info.last_try, now + 30);
            }
        }
        am.Good(ok, now + 40);
        am.Attempt(bad, true, now + 50);
        for (const auto& [info, pos] : am.GetEntries(false)) {
            if (info.addr == bad) BOOST_CHECK_EQUAL(info.attempts, 2);
        }
    }

    AddrInfo info;
    info.time = now;
    BOOST_CHECK(!info.IsTerrible(now));
    info.time = now + 11 * 60; // from the future
    BOOST_CHECK(info.IsTerrible(now));
    info.last_try = now - 30; // tried within the minute: never terrible
    BOOST_CHECK(!info.IsTerrible(now));
    BOOST_CHECK_CLOSE(AddrInfo{}.GetChance(now), 1.0, 1e-9);
    info.attempts = 2;
    BOOST_CHECK_CLOSE(info.GetChance(now), 0.01 * 0.66 * 0.66, 1e-6); // tried recently, failed twice
}

BOOST_AUTO_TEST_CASE(serialization_round_trip)
{
    MockTime mock(1'700'000'000);
    AddrMan a(/*deterministic=*/true, /*consistency_check_ratio=*/1);
    const NetAddr source = IP("252.2.2.2");
    std::vector<Service> all;
    for (int i = 1; i <= 40; ++i) {
        const Service s = S("250." + std::to_string(i) + ".3.4", uint16_t(8333 + i));
        all.push_back(s);
        a.Add({E(s, GetTime() - i, NODE_NETWORK | NODE_WITNESS)}, i % 2 ? source : IP("2001:4860::" + std::to_string(i)));
        if (i % 4 == 0) a.Good(s);
    }
    a.Add({E(S("2a00:1450::1", 8333), GetTime())}, MakeInternalAddr("x9.seed.example."));
    a.Attempt(all[0], true);
    Bytes body;
    a.Serialize(body);
    BOOST_CHECK_EQUAL(body[0], 4);      // format
    BOOST_CHECK_EQUAL(body[1], 32 + 4); // lowest compatible

    AddrMan b(/*deterministic=*/false, /*consistency_check_ratio=*/1);
    Reader r(body);
    b.Unserialize(r);
    BOOST_CHECK(r.empty());
    BOOST_CHECK(b.Key() == a.Key());
    BOOST_CHECK_EQUAL(b.Size(), a.Size());
    BOOST_CHECK_EQUAL(b.Size(std::nullopt, false), a.Size(std::nullopt, false));
    BOOST_CHECK_EQUAL(b.CheckConsistency(), 0);
    for (const Service& s : all) {
        BOOST_REQUIRE(b.FindAddressEntry(s));
        BOOST_CHECK(*b.FindAddressEntry(s) == *a.FindAddressEntry(s));
    }
    const auto entries = b.GetEntries(false);
    bool found_internal_source = false;
    for (const auto& [info, pos] : entries) {
        if (info.addr == S("2a00:1450::1", 8333)) found_internal_source = IsInternalAddr(info.source);
        if (info.addr == all[0]) {
            BOOST_CHECK_EQUAL(info.attempts, 1);
            BOOST_CHECK_EQUAL(info.services, NODE_NETWORK | NODE_WITNESS);
        }
    }
    BOOST_CHECK(found_internal_source);
    Bytes again;
    b.Serialize(again);
    BOOST_CHECK_EQUAL(again.size(), body.size());
}

BOOST_AUTO_TEST_CASE(damaged_bodies)
{
    auto load = [](const Bytes& file) {
        AddrMan am(/*deterministic=*/false, 0);
        std::string error;
        try {
            ReadHashedFile(file, RegtestMagic(), [&](Reader& r) { am.Unserialize(r); });
        } catch (const AddrManVersionError& e) {
            error = std::string("version: ") + e.what();
        } catch (const std::exception& e) {
            error = e.what();
        }
        BOOST_CHECK_EQUAL(am.Size(), 0u); // never half-loaded
        return error;
    };
    BOOST_CHECK_EQUAL(load(MockPeersDat(1, 4, KeyOne())), ""); // Core's mock file is valid
    BOOST_CHECK_EQUAL(load(MockPeersDat(1, -32, KeyOne())),
                      "Corrupted addrman database: The compat value (0) is lower than the expected minimum value 32.: "
                      "iostream error");
    BOOST_CHECK(load(MockPeersDat(1, 111, KeyOne())).starts_with("version: Unsupported format of addrman database: 1."));
    Bytes truncated = MockPeersDat(1, 4, KeyOne());
    truncated.pop_back();
    BOOST_CHECK_EQUAL(load(truncated), "AutoFile::read: end of file: iostream error");
    Bytes magic = MockPeersDat(1, 4, KeyOne());
    magic[0] = 0x0a;
    BOOST_CHECK_EQUAL(load(magic), "Invalid network magic number");
    Bytes sum = MockPeersDat(1, 4, KeyOne());
    sum.back() ^= 1;
    BOOST_CHECK_EQUAL(load(sum), "Checksum mismatch, data corrupted");
    BOOST_CHECK_EQUAL(load(MockPeersDat(1, 4, KeyOne(), 0, -1)),
                      "Corrupt AddrMan serialization: nTried=-1, should be in [0, 16384]: iostream error");
    BOOST_CHECK_EQUAL(load(MockPeersDat(1, 4, KeyOne(), 65537, 0)),
                      "Corrupt AddrMan serialization: nNew=65537, should be in [0, 65536]: iostream error");
    BOOST_CHECK_EQUAL(load(MockPeersDat(1, 4, uint256())),
                      "Corrupt data. Consistency check failed with code -16: iostream error");
    // Claims an entry that is not there.
    BOOST_CHECK_EQUAL(load(MockPeersDat(4, 4, KeyOne(), 1, 0)), "AutoFile::read: end of file: iostream error");
}

BOOST_AUTO_TEST_CASE(peers_dat_files)
{
    test::TempDir dir("cairn_addrman");
    const auto path = dir / "peers.dat";
    {
        AddrMan am;
        BOOST_CHECK(!LoadPeersDat(path, RegtestMagic(), am)); // missing: created
        BOOST_CHECK(std::filesystem::exists(path));
        BOOST_CHECK(am.Add({E(S("1.2.3.4", 8333), GetTime())}, IP("5.6.7.8")));
        BOOST_CHECK(DumpPeersDat(path, RegtestMagic(), am));
    }
    {
        AddrMan am;
        BOOST_CHECK(!LoadPeersDat(path, RegtestMagic(), am));
        BOOST_CHECK_EQUAL(am.Size(), 1u);
        BOOST_CHECK(IsValidAddr(am.Select().first.addr));
    }
    {
        // Another network's file is damage, reported as Core words it.
        AddrMan am;
        const auto error = LoadPeersDat(path, {0x0b, 0x11, 0x09, 0x07}, am);
        BOOST_REQUIRE(error);
        BOOST_CHECK(error->starts_with("Invalid or corrupt peers.dat (Invalid network magic number). If you believe "
                                       "this is a bug, please report it to "));
        BOOST_CHECK(error->ends_with(". As a workaround, you can move the file (\"" + path.string() +
                                     "\") out of the way (rename, move, or delete) to have a new one created on the "
                                     "next start."));
    }
    {
        // A newer format is moved aside and replaced.
        WriteFile(path, MockPeersDat(5, 5, KeyOne()));
        AddrMan am;
        BOOST_CHECK(!LoadPeersDat(path, RegtestMagic(), am));
        BOOST_CHECK(std::filesystem::exists(dir / "peers.dat.bak"));
        BOOST_CHECK_EQUAL(ReadFile(dir / "peers.dat.bak")[4], 5);
        BOOST_CHECK_EQUAL(ReadFile(path)[4], 4); // a fresh file of ours
    }
    {
        // Anchors: read once, then gone.
        std::vector<AddrEntry> anchors{E(S("1.2.3.4", 8333), 1000, NODE_NETWORK | NODE_WITNESS),
                                       E(S("2001:4860::8", 18333), 2000, NODE_NETWORK)};
        BOOST_CHECK(DumpAnchors(dir / "anchors.dat", RegtestMagic(), anchors));
        const auto read = ReadAnchors(dir / "anchors.dat", RegtestMagic());
        BOOST_REQUIRE_EQUAL(read.size(), 2u);
        BOOST_CHECK(read[1].addr == anchors[1].addr);
        BOOST_CHECK_EQUAL(read[1].time, 2000u);
        BOOST_CHECK_EQUAL(read[0].services, NODE_NETWORK | NODE_WITNESS);
        BOOST_CHECK(!std::filesystem::exists(dir / "anchors.dat"));
        BOOST_CHECK(ReadAnchors(dir / "anchors.dat", RegtestMagic()).empty());
    }
}

BOOST_AUTO_TEST_SUITE_END()
