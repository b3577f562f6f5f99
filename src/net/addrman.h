// The address manager (Bitcoin Core's AddrMan): every peer address we have
// heard of, in two tables.
//
// * "new": addresses heard of but never connected to. 1024 buckets of 64
//   slots; an address goes to a bucket chosen by the group of the peer that
//   told us (its source) and its own group, hashed with a secret key, so one
//   source can fill at most 64 buckets and an attacker cannot aim. An
//   address may sit in up to 8 new buckets.
// * "tried": addresses we connected to. 256 buckets of 64 slots chosen by
//   the address's group; each address in one slot. A newcomer that would
//   push out a good old entry is held as a "collision" until a feeler shows
//   whether the old one still answers (test-before-evict).
//
// Select() picks new or tried at 50/50 and prefers entries not tried
// recently; GetAddr() answers getaddr; IsTerrible() drops addresses not seen
// for 30 days or failing too often. Times are seconds (GetTime(), mockable).
//
// Thread-safe: one internal mutex (a leaf lock) guards everything.
// Persistence (Core's peers.dat body, format 4) is in addrman_serialize.cpp;
// the file wrapper (magic, checksum) in addrdb.h.
#ifndef CAIRN_NET_ADDRMAN_H
#define CAIRN_NET_ADDRMAN_H

#include "net/fast_random.h"
#include "net/messages.h"
#include "net/netaddress.h"
#include "util/time.h"
#include "util/uint256.h"

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace cairn {

inline constexpr int ADDRMAN_TRIED_BUCKET_COUNT = 1 << 8;
inline constexpr int ADDRMAN_NEW_BUCKET_COUNT = 1 << 10;
inline constexpr int ADDRMAN_BUCKET_SIZE = 1 << 6;
/** Tried buckets one group may use; new buckets one source group may use. */
inline constexpr int ADDRMAN_TRIED_BUCKETS_PER_GROUP = 8;
inline constexpr int ADDRMAN_NEW_BUCKETS_PER_SOURCE_GROUP = 64;
/** New buckets one address may be in. */
inline constexpr int ADDRMAN_NEW_BUCKETS_PER_ADDRESS = 8;
/** Not seen for this long: terrible. */
inline constexpr int64_t ADDRMAN_HORIZON = 30 * 24 * 60 * 60;
/** Failures without any success before an address is terrible. */
inline constexpr int ADDRMAN_RETRIES = 3;
/** Successive failures (in ADDRMAN_MIN_FAIL) before an address is terrible. */
inline constexpr int ADDRMAN_MAX_FAILURES = 10;
inline constexpr int64_t ADDRMAN_MIN_FAIL = 7 * 24 * 60 * 60;
/** A tried entry that answered within this long is not evicted by a collision. */
inline constexpr int64_t ADDRMAN_REPLACEMENT = 4 * 60 * 60;
/** Collisions remembered at once. */
inline constexpr size_t ADDRMAN_SET_TRIED_COLLISION_SIZE = 10;
/** A collision not resolved within this long evicts the old entry anyway. */
inline constexpr int64_t ADDRMAN_TEST_WINDOW = 40 * 60;
/** -checkaddrman default. */
inline constexpr int32_t DEFAULT_ADDRMAN_CONSISTENCY_CHECKS = 0;

/** A peers.dat this version cannot read (written by a newer one): moved aside, not an error. */
class AddrManVersionError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/** One entry, with what only the address manager keeps. */
struct AddrInfo {
    Service addr;
    uint64_t services{0};
    /** Last seen (announced or connected), seconds. */
    int64_t time{0};
    /** Who told us first. */
    NetAddr source;
    int64_t last_success{0};
    /** Failed attempts since the last success. */
    int attempts{0};
    // ---- memory only ----
    int64_t last_try{0};
    int64_t last_count_attempt{0};
    /** How many new buckets hold it (0 when tried). */
    int ref_count{0};
    bool in_tried{false};
    /** Position in the random-order vector. */
    mutable int random_pos{-1};

    int GetTriedBucket(const uint256& key) const;
    int GetNewBucket(const uint256& key, const NetAddr& src) const;
    int GetNewBucket(const uint256& key) const { return GetNewBucket(key, source); }
    int GetBucketPosition(const uint256& key, bool is_new, int bucket) const;
    bool IsTerrible(int64_t now) const;
    /** Selection weight: recent attempts and failures make an entry less likely. */
    double GetChance(int64_t now) const;
    AddrEntry ToEntry() const;
};

/** Where an address sits (tests and getrawaddrman). */
struct AddressPosition {
    bool tried{false};
    /** New buckets holding it (1 for tried). */
    int multiplicity{0};
    int bucket{0};
    int position{0};
    friend bool operator==(const AddressPosition&, const AddressPosition&) = default;
};

class AddrMan
{
public:
    /** deterministic: key 1 and a fixed random sequence (tests). consistency_check_ratio:
     *  run the full consistency check after 1 in n changes (0 = never; -checkaddrman). */
    explicit AddrMan(bool deterministic = false, int32_t consistency_check_ratio = DEFAULT_ADDRMAN_CONSISTENCY_CHECKS);
    AddrMan(const AddrMan&) = delete;
    AddrMan& operator=(const AddrMan&) = delete;

    /** Entries, optionally of one network and/or one table (in_new true: new, false: tried). */
    size_t Size(std::optional<Network> net = std::nullopt, std::optional<bool> in_new = std::nullopt) const;

    /** Adds addresses heard from `source`; their times are moved back by time_penalty
     *  seconds unless an address announces itself. True if any was added. */
    bool Add(const std::vector<AddrEntry>& addrs, const NetAddr& source, int64_t time_penalty = 0);
    /** We completed a handshake with this address: moves it to tried (or records a
     *  collision). True if it moved to tried. */
    bool Good(const Service& addr, int64_t time = GetTime());
    /** A connection attempt; counted as a failure only once per Good() elsewhere. */
    void Attempt(const Service& addr, bool count_failure, int64_t time = GetTime());
    /** Settles remembered tried-table collisions (test-before-evict). */
    void ResolveCollisions();
    /** The tried entry a remembered collision would evict (for a feeler to test), with its last try. */
    std::pair<AddrEntry, int64_t> SelectTriedCollision();
    /** A random address to connect to, with its last try; an invalid address when none.
     *  new_only: from the new table only. networks: only these (empty = all). */
    std::pair<AddrEntry, int64_t> Select(bool new_only = false, const std::set<Network>& networks = {}) const;
    /** Random entries for getaddr: at most max_addresses (0 = no limit) and max_pct percent
     *  (0 = no limit), of one network class if given, without terrible ones if filtered. */
    std::vector<AddrEntry> GetAddr(size_t max_addresses, size_t max_pct, std::optional<Network> network,
                                   bool filtered = true) const;
    /** Every entry of one table with its position. */
    std::vector<std::pair<AddrInfo, AddressPosition>> GetEntries(bool from_tried) const;
    /** An outbound peer we were connected to is going away: refresh its time (not on every
     *  connection, so the time leaks nothing about current peers). */
    void Connected(const Service& addr, int64_t time = GetTime());
    void SetServices(const Service& addr, uint64_t services);
    std::optional<AddressPosition> FindAddressEntry(const Service& addr) const;

    /** Core's peers.dat body (format 4, lowest compatible 4), without the magic and checksum. */
    void Serialize(Bytes& out) const;
    /** Replaces the contents from a peers.dat body (formats 1 to 4). Throws AddrManVersionError
     *  for a newer incompatible format, DeserializeError or std::runtime_error for corrupt data
     *  (Core's messages). */
    void Unserialize(Reader& r);
    /** Core's CheckAddrman: 0 when consistent, else the number of the failed check. */
    int CheckConsistency() const;

    const uint256& Key() const { return m_key; }

private:
    using nid_t = int64_t;
    AddrInfo* Find(const Service& addr, nid_t* id = nullptr);
    AddrInfo* Create(const AddrEntry& addr, const NetAddr& source, nid_t* id);
    void SwapRandom(size_t pos1, size_t pos2) const;
    void Delete(nid_t id);
    void ClearNew(int bucket, int pos);
    void MakeTried(AddrInfo& info, nid_t id);
    bool AddSingle(const AddrEntry& addr, const NetAddr& source, int64_t time_penalty);
    bool GoodLocked(const Service& addr, bool test_before_evict, int64_t time);
    nid_t GetEntry(bool tried, int bucket, int pos) const;
    void Clear();
    void Check() const;
    int CheckLocked() const;

    struct NetCounts {
        size_t n_new{0};
        size_t n_tried{0};
    };

    mutable std::mutex m_mutex;
    mutable FastRandom m_rng;                           // guarded by m_mutex
    uint256 m_key;                                      // guarded by m_mutex
    nid_t m_id_count{0};                                // guarded by m_mutex
    std::unordered_map<nid_t, AddrInfo> m_info;         // guarded by m_mutex
    std::map<Service, nid_t> m_addr_ids;                // guarded by m_mutex
    mutable std::vector<nid_t> m_random;                // guarded by m_mutex
    int m_tried{0};                                     // guarded by m_mutex
    int m_new{0};                                       // guarded by m_mutex
    std::vector<nid_t> m_tried_table;                   // guarded by m_mutex: bucket * 64 + pos, -1 empty
    std::vector<nid_t> m_new_table;                     // guarded by m_mutex
    int64_t m_last_good{1};                             // guarded by m_mutex
    std::set<nid_t> m_tried_collisions;                 // guarded by m_mutex
    std::map<Network, NetCounts> m_network_counts;      // guarded by m_mutex
    const int32_t m_consistency_check_ratio;
};

} // namespace cairn

#endif
