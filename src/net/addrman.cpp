#include "net/addrman.h"

#include "crypto/hash.h"
#include "net/netgroup.h"
#include "util/log.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace cairn {

namespace {

/** The first 8 bytes of SHA-256d, little-endian (Core's GetCheapHash). */
uint64_t CheapHash(const HashWriter& h)
{
    return h.GetHash().GetUint64(0);
}

void WriteKey(HashWriter& h, const uint256& key) { h.Write(key.span()); }
void WriteVec(HashWriter& h, const Bytes& v) { WriteVarBytes(h, v); }

} // namespace

// ---- AddrInfo ----

int AddrInfo::GetTriedBucket(const uint256& key) const
{
    HashWriter h1;
    WriteKey(h1, key);
    WriteVec(h1, ServiceKey(addr));
    const uint64_t hash1 = CheapHash(h1);
    HashWriter h2;
    WriteKey(h2, key);
    WriteVec(h2, NetGroup(addr));
    WriteU64LE(h2, hash1 % ADDRMAN_TRIED_BUCKETS_PER_GROUP);
    return int(CheapHash(h2) % ADDRMAN_TRIED_BUCKET_COUNT);
}

int AddrInfo::GetNewBucket(const uint256& key, const NetAddr& src) const
{
    const Bytes source_group = NetGroup(src);
    HashWriter h1;
    WriteKey(h1, key);
    WriteVec(h1, NetGroup(addr));
    WriteVec(h1, source_group);
    const uint64_t hash1 = CheapHash(h1);
    HashWriter h2;
    WriteKey(h2, key);
    WriteVec(h2, source_group);
    WriteU64LE(h2, hash1 % ADDRMAN_NEW_BUCKETS_PER_SOURCE_GROUP);
    return int(CheapHash(h2) % ADDRMAN_NEW_BUCKET_COUNT);
}

int AddrInfo::GetBucketPosition(const uint256& key, bool is_new, int bucket) const
{
    HashWriter h;
    WriteKey(h, key);
    WriteU8(h, is_new ? uint8_t('N') : uint8_t('K'));
    WriteU32LE(h, uint32_t(bucket));
    WriteVec(h, ServiceKey(addr));
    return int(CheapHash(h) % ADDRMAN_BUCKET_SIZE);
}

bool AddrInfo::IsTerrible(int64_t now) const
{
    if (now - last_try <= 60) return false;                   // tried in the last minute: keep
    if (time > now + 10 * 60) return true;                    // from the future
    if (now - time > ADDRMAN_HORIZON) return true;            // not seen for a month
    if (last_success == 0 && attempts >= ADDRMAN_RETRIES) return true; // never worked
    if (now - last_success > ADDRMAN_MIN_FAIL && attempts >= ADDRMAN_MAX_FAILURES) return true;
    return false;
}

double AddrInfo::GetChance(int64_t now) const
{
    double chance = 1.0;
    if (now - last_try < 10 * 60) chance *= 0.01;
    // 66% less per failure, at most 8 times, so outages are not punished forever.
    chance *= std::pow(0.66, std::min(attempts, 8));
    return chance;
}

AddrEntry AddrInfo::ToEntry() const
{
    AddrEntry e;
    e.addr = addr;
    e.services = services;
    e.time = uint32_t(std::clamp<int64_t>(time, 0, UINT32_MAX));
    return e;
}

// ---- AddrMan ----

AddrMan::AddrMan(bool deterministic, int32_t consistency_check_ratio)
    : m_rng(deterministic), m_consistency_check_ratio(consistency_check_ratio)
{
    Clear();
    if (deterministic) {
        m_key.SetNull();
        m_key.data()[0] = 1; // Core's uint256{1}
    } else {
        GetRandBytes({m_key.data(), m_key.size()});
    }
}

void AddrMan::Clear()
{
    m_id_count = 0;
    m_info.clear();
    m_addr_ids.clear();
    m_random.clear();
    m_tried = m_new = 0;
    m_tried_table.assign(size_t(ADDRMAN_TRIED_BUCKET_COUNT) * ADDRMAN_BUCKET_SIZE, -1);
    m_new_table.assign(size_t(ADDRMAN_NEW_BUCKET_COUNT) * ADDRMAN_BUCKET_SIZE, -1);
    m_last_good = 1;
    m_tried_collisions.clear();
    m_network_counts.clear();
}

AddrMan::nid_t AddrMan::GetEntry(bool tried, int bucket, int pos) const
{
    return tried ? m_tried_table[size_t(bucket) * ADDRMAN_BUCKET_SIZE + size_t(pos)]
                 : m_new_table[size_t(bucket) * ADDRMAN_BUCKET_SIZE + size_t(pos)];
}

size_t AddrMan::Size(std::optional<Network> net, std::optional<bool> in_new) const
{
    std::lock_guard lock(m_mutex);
    if (!net) {
        if (!in_new) return m_random.size();
        return *in_new ? size_t(m_new) : size_t(m_tried);
    }
    auto it = m_network_counts.find(*net);
    if (it == m_network_counts.end()) return 0;
    if (!in_new) return it->second.n_new + it->second.n_tried;
    return *in_new ? it->second.n_new : it->second.n_tried;
}

AddrInfo* AddrMan::Find(const Service& addr, nid_t* id)
{
    auto it = m_addr_ids.find(addr);
    if (it == m_addr_ids.end()) return nullptr;
    if (id) *id = it->second;
    auto it2 = m_info.find(it->second);
    return it2 == m_info.end() ? nullptr : &it2->second;
}

AddrInfo* AddrMan::Create(const AddrEntry& addr, const NetAddr& source, nid_t* id)
{
    const nid_t nid = m_id_count++;
    AddrInfo& info = m_info[nid];
    info.addr = addr.addr;
    info.services = addr.services;
    info.time = addr.time;
    info.source = source;
    info.random_pos = int(m_random.size());
    m_addr_ids[addr.addr] = nid;
    m_random.push_back(nid);
    ++m_new;
    ++m_network_counts[addr.addr.GetNetwork()].n_new;
    if (id) *id = nid;
    return &info;
}

void AddrMan::SwapRandom(size_t pos1, size_t pos2) const
{
    if (pos1 == pos2) return;
    const nid_t id1 = m_random[pos1], id2 = m_random[pos2];
    m_info.at(id1).random_pos = int(pos2);
    m_info.at(id2).random_pos = int(pos1);
    m_random[pos1] = id2;
    m_random[pos2] = id1;
}

void AddrMan::Delete(nid_t id)
{
    AddrInfo& info = m_info.at(id);
    SwapRandom(size_t(info.random_pos), m_random.size() - 1);
    --m_network_counts[info.addr.GetNetwork()].n_new;
    m_random.pop_back();
    m_addr_ids.erase(info.addr);
    m_info.erase(id);
    --m_new;
}

void AddrMan::ClearNew(int bucket, int pos)
{
    nid_t& slot = m_new_table[size_t(bucket) * ADDRMAN_BUCKET_SIZE + size_t(pos)];
    if (slot == -1) return;
    const nid_t id = slot;
    AddrInfo& info = m_info.at(id);
    --info.ref_count;
    slot = -1;
    LogDebug(LogCategory::ADDRMAN, "Removed {} from new[{}][{}]", info.addr.ToStringAddrPort(), bucket, pos);
    if (info.ref_count == 0) Delete(id);
}

void AddrMan::MakeTried(AddrInfo& info, nid_t id)
{
    // Out of every new bucket holding it.
    const int start = info.GetNewBucket(m_key);
    for (int n = 0; n < ADDRMAN_NEW_BUCKET_COUNT && info.ref_count > 0; ++n) {
        const int bucket = (start + n) % ADDRMAN_NEW_BUCKET_COUNT;
        const int pos = info.GetBucketPosition(m_key, true, bucket);
        nid_t& slot = m_new_table[size_t(bucket) * ADDRMAN_BUCKET_SIZE + size_t(pos)];
        if (slot == id) {
            slot = -1;
            --info.ref_count;
        }
    }
    --m_new;
    --m_network_counts[info.addr.GetNetwork()].n_new;

    const int kbucket = info.GetTriedBucket(m_key);
    const int kpos = info.GetBucketPosition(m_key, false, kbucket);
    nid_t& tslot = m_tried_table[size_t(kbucket) * ADDRMAN_BUCKET_SIZE + size_t(kpos)];
    if (tslot != -1) {
        // The occupant goes back to the new table, replacing whatever sits in its new slot.
        const nid_t evict = tslot;
        AddrInfo& old = m_info.at(evict);
        old.in_tried = false;
        tslot = -1;
        --m_tried;
        --m_network_counts[old.addr.GetNetwork()].n_tried;
        const int ubucket = old.GetNewBucket(m_key);
        const int upos = old.GetBucketPosition(m_key, true, ubucket);
        ClearNew(ubucket, upos);
        old.ref_count = 1;
        m_new_table[size_t(ubucket) * ADDRMAN_BUCKET_SIZE + size_t(upos)] = evict;
        ++m_new;
        ++m_network_counts[old.addr.GetNetwork()].n_new;
        LogDebug(LogCategory::ADDRMAN, "Moved {} from tried[{}][{}] to new[{}][{}] to make space",
                 old.addr.ToStringAddrPort(), kbucket, kpos, ubucket, upos);
    }
    tslot = id;
    ++m_tried;
    info.in_tried = true;
    ++m_network_counts[info.addr.GetNetwork()].n_tried;
}

bool AddrMan::AddSingle(const AddrEntry& addr, const NetAddr& source, int64_t time_penalty)
{
    if (!IsRoutableAddr(addr.addr)) return false;
    nid_t id = -1;
    AddrInfo* info = Find(addr.addr, &id);
    // A peer announcing itself is not penalised.
    if (static_cast<const NetAddr&>(addr.addr) == source) time_penalty = 0;
    const int64_t addr_time = addr.time;
    if (info) {
        // Refresh the time now and then (hourly for addresses seen in the last day).
        const bool currently_online = GetTime() - addr_time < 24 * 60 * 60;
        const int64_t update_interval = currently_online ? 60 * 60 : 24 * 60 * 60;
        if (info->time < addr_time - update_interval - time_penalty) {
            info->time = std::max<int64_t>(0, addr_time - time_penalty);
        }
        info->services |= addr.services;
        if (addr_time <= info->time) return false; // nothing new
        if (info->in_tried) return false;
        if (info->ref_count == ADDRMAN_NEW_BUCKETS_PER_ADDRESS) return false;
        // Each further new-bucket reference is twice as hard to get.
        if (info->ref_count > 0 && m_rng.randrange(uint64_t(1) << info->ref_count) != 0) return false;
    } else {
        info = Create(addr, source, &id);
        info->time = std::max<int64_t>(0, info->time - time_penalty);
    }

    const int ubucket = info->GetNewBucket(m_key, source);
    const int upos = info->GetBucketPosition(m_key, true, ubucket);
    nid_t& slot = m_new_table[size_t(ubucket) * ADDRMAN_BUCKET_SIZE + size_t(upos)];
    bool insert = slot == -1;
    if (slot != id) {
        if (!insert) {
            const AddrInfo& existing = m_info.at(slot);
            // Overwrite a terrible entry, or one that lives in other buckets too.
            if (existing.IsTerrible(GetTime()) || (existing.ref_count > 1 && info->ref_count == 0)) insert = true;
        }
        if (insert) {
            ClearNew(ubucket, upos);
            ++info->ref_count;
            m_new_table[size_t(ubucket) * ADDRMAN_BUCKET_SIZE + size_t(upos)] = id;
            LogDebug(LogCategory::ADDRMAN, "Added {} to new[{}][{}]", addr.addr.ToStringAddrPort(), ubucket, upos);
        } else if (info->ref_count == 0) {
            Delete(id);
        }
    }
    return insert;
}

bool AddrMan::Add(const std::vector<AddrEntry>& addrs, const NetAddr& source, int64_t time_penalty)
{
    std::lock_guard lock(m_mutex);
    int added = 0;
    for (const AddrEntry& a : addrs) added += AddSingle(a, source, time_penalty) ? 1 : 0;
    if (added > 0) {
        LogDebug(LogCategory::ADDRMAN, "Added {} addresses (of {}) from {}: {} tried, {} new", added, addrs.size(),
                 source.ToString(), m_tried, m_new);
    }
    Check();
    return added > 0;
}

bool AddrMan::GoodLocked(const Service& addr, bool test_before_evict, int64_t time)
{
    m_last_good = time;
    nid_t id = -1;
    AddrInfo* info = Find(addr, &id);
    if (!info) return false;
    info->last_success = time;
    info->last_try = time;
    info->attempts = 0;
    // info->time is left alone: it would tell others who we are connected to now.
    if (info->in_tried) return false;
    if (info->ref_count <= 0) return false;

    const int tbucket = info->GetTriedBucket(m_key);
    const int tpos = info->GetBucketPosition(m_key, false, tbucket);
    const nid_t occupant = GetEntry(true, tbucket, tpos);
    if (test_before_evict && occupant != -1) {
        if (m_tried_collisions.size() < ADDRMAN_SET_TRIED_COLLISION_SIZE) m_tried_collisions.insert(id);
        auto it = m_info.find(occupant);
        LogDebug(LogCategory::ADDRMAN, "Collision with {} while attempting to move {} to tried table. Collisions={}",
                 it != m_info.end() ? it->second.addr.ToStringAddrPort() : "", addr.ToStringAddrPort(),
                 m_tried_collisions.size());
        return false;
    }
    MakeTried(*info, id);
    LogDebug(LogCategory::ADDRMAN, "Moved {} to tried[{}][{}]", addr.ToStringAddrPort(), tbucket, tpos);
    return true;
}

bool AddrMan::Good(const Service& addr, int64_t time)
{
    std::lock_guard lock(m_mutex);
    const bool moved = GoodLocked(addr, /*test_before_evict=*/true, time);
    Check();
    return moved;
}

void AddrMan::Attempt(const Service& addr, bool count_failure, int64_t time)
{
    std::lock_guard lock(m_mutex);
    AddrInfo* info = Find(addr);
    if (!info) return;
    info->last_try = time;
    // Failures count once per success seen anywhere: an offline node does not ruin its table.
    if (count_failure && info->last_count_attempt < m_last_good) {
        info->last_count_attempt = time;
        ++info->attempts;
    }
    Check();
}

std::pair<AddrEntry, int64_t> AddrMan::Select(bool new_only, const std::set<Network>& networks) const
{
    std::lock_guard lock(m_mutex);
    if (m_random.empty()) return {};
    size_t new_count = size_t(m_new), tried_count = size_t(m_tried);
    if (!networks.empty()) {
        new_count = tried_count = 0;
        for (Network n : networks) {
            auto it = m_network_counts.find(n);
            if (it == m_network_counts.end()) continue;
            new_count += it->second.n_new;
            tried_count += it->second.n_tried;
        }
    }
    if (new_only && new_count == 0) return {};
    if (new_count + tried_count == 0) return {};

    bool search_tried;
    if (new_only || tried_count == 0) {
        search_tried = false;
    } else if (new_count == 0) {
        search_tried = true;
    } else {
        search_tried = m_rng.randbool();
    }
    const int bucket_count = search_tried ? ADDRMAN_TRIED_BUCKET_COUNT : ADDRMAN_NEW_BUCKET_COUNT;
    const int64_t now = GetTime();
    double chance_factor = 1.0;
    while (true) {
        const int bucket = int(m_rng.randrange(uint64_t(bucket_count)));
        const int initial = int(m_rng.randrange(ADDRMAN_BUCKET_SIZE));
        nid_t id = -1;
        int i = 0;
        for (; i < ADDRMAN_BUCKET_SIZE; ++i) {
            id = GetEntry(search_tried, bucket, (initial + i) % ADDRMAN_BUCKET_SIZE);
            if (id == -1) continue;
            if (networks.empty() || networks.count(m_info.at(id).addr.GetNetwork())) break;
        }
        if (i == ADDRMAN_BUCKET_SIZE) continue; // nothing suitable here: another bucket
        const AddrInfo& info = m_info.at(id);
        // Accept with probability chance * factor; the factor grows so this ends.
        if (double(m_rng.randbits(30)) < chance_factor * info.GetChance(now) * double(1 << 30)) {
            LogDebug(LogCategory::ADDRMAN, "Selected {} from {}", info.addr.ToStringAddrPort(),
                     search_tried ? "tried" : "new");
            return {info.ToEntry(), info.last_try};
        }
        chance_factor *= 1.2;
    }
}

std::vector<AddrEntry> AddrMan::GetAddr(size_t max_addresses, size_t max_pct, std::optional<Network> network,
                                        bool filtered) const
{
    std::lock_guard lock(m_mutex);
    size_t n = m_random.size();
    if (max_pct != 0) n = max_pct * n / 100;
    if (max_addresses != 0) n = std::min(n, max_addresses);
    const int64_t now = GetTime();
    std::vector<AddrEntry> out;
    // A partial Fisher-Yates over the random-order vector.
    for (size_t i = 0; i < m_random.size() && out.size() < n; ++i) {
        const size_t j = i + size_t(m_rng.randrange(m_random.size() - i));
        SwapRandom(i, j);
        const AddrInfo& info = m_info.at(m_random[i]);
        if (network && GetNetClass(info.addr) != *network) continue;
        if (filtered && info.IsTerrible(now)) continue;
        out.push_back(info.ToEntry());
    }
    LogDebug(LogCategory::ADDRMAN, "GetAddr returned {} random addresses", out.size());
    return out;
}

std::vector<std::pair<AddrInfo, AddressPosition>> AddrMan::GetEntries(bool from_tried) const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::pair<AddrInfo, AddressPosition>> out;
    const int buckets = from_tried ? ADDRMAN_TRIED_BUCKET_COUNT : ADDRMAN_NEW_BUCKET_COUNT;
    for (int b = 0; b < buckets; ++b) {
        for (int p = 0; p < ADDRMAN_BUCKET_SIZE; ++p) {
            const nid_t id = GetEntry(from_tried, b, p);
            if (id == -1) continue;
            const AddrInfo& info = m_info.at(id);
            out.emplace_back(info, AddressPosition{from_tried, from_tried ? 1 : info.ref_count, b, p});
        }
    }
    return out;
}

void AddrMan::Connected(const Service& addr, int64_t time)
{
    std::lock_guard lock(m_mutex);
    AddrInfo* info = Find(addr);
    if (!info) return;
    if (time - info->time > 20 * 60) info->time = time;
    Check();
}

void AddrMan::SetServices(const Service& addr, uint64_t services)
{
    std::lock_guard lock(m_mutex);
    if (AddrInfo* info = Find(addr)) info->services = services;
    Check();
}

void AddrMan::ResolveCollisions()
{
    std::lock_guard lock(m_mutex);
    for (auto it = m_tried_collisions.begin(); it != m_tried_collisions.end();) {
        const nid_t id_new = *it;
        bool erase = false;
        auto found = m_info.find(id_new);
        if (found == m_info.end()) {
            erase = true;
        } else {
            AddrInfo& info_new = found->second;
            const int tbucket = info_new.GetTriedBucket(m_key);
            const int tpos = info_new.GetBucketPosition(m_key, false, tbucket);
            const nid_t id_old = GetEntry(true, tbucket, tpos);
            const int64_t now = GetTime();
            if (!IsValidAddr(info_new.addr)) {
                erase = true;
            } else if (id_old != -1) {
                const AddrInfo& info_old = m_info.at(id_old);
                if (now - info_old.last_success < ADDRMAN_REPLACEMENT) {
                    erase = true; // the old one answered recently: it stays
                } else if (now - info_old.last_try < ADDRMAN_REPLACEMENT) {
                    // Tried recently without success; give it a minute before replacing it.
                    if (now - info_old.last_try > 60) {
                        LogDebug(LogCategory::ADDRMAN, "Replacing {} with {} in tried table",
                                 info_old.addr.ToStringAddrPort(), info_new.addr.ToStringAddrPort());
                        GoodLocked(info_new.addr, false, now);
                        erase = true;
                    }
                } else if (now - info_new.last_success > ADDRMAN_TEST_WINDOW) {
                    // Never tested in time: we apparently cannot reach the old one.
                    LogDebug(LogCategory::ADDRMAN, "Unable to test; replacing {} with {} in tried table anyway",
                             info_old.addr.ToStringAddrPort(), info_new.addr.ToStringAddrPort());
                    GoodLocked(info_new.addr, false, now);
                    erase = true;
                }
            } else {
                // The slot emptied meanwhile.
                GoodLocked(info_new.addr, false, now);
                erase = true;
            }
        }
        it = erase ? m_tried_collisions.erase(it) : std::next(it);
    }
    Check();
}

std::pair<AddrEntry, int64_t> AddrMan::SelectTriedCollision()
{
    std::lock_guard lock(m_mutex);
    if (m_tried_collisions.empty()) return {};
    auto it = m_tried_collisions.begin();
    std::advance(it, long(m_rng.randrange(m_tried_collisions.size())));
    const nid_t id_new = *it;
    auto found = m_info.find(id_new);
    if (found == m_info.end()) {
        m_tried_collisions.erase(it);
        return {};
    }
    const AddrInfo& info_new = found->second;
    const int tbucket = info_new.GetTriedBucket(m_key);
    const int tpos = info_new.GetBucketPosition(m_key, false, tbucket);
    const nid_t id_old = GetEntry(true, tbucket, tpos);
    if (id_old == -1) return {};
    const AddrInfo& info_old = m_info.at(id_old);
    return {info_old.ToEntry(), info_old.last_try};
}

std::optional<AddressPosition> AddrMan::FindAddressEntry(const Service& addr) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_addr_ids.find(addr);
    if (it == m_addr_ids.end()) return std::nullopt;
    const AddrInfo& info = m_info.at(it->second);
    if (info.in_tried) {
        const int b = info.GetTriedBucket(m_key);
        return AddressPosition{true, 1, b, info.GetBucketPosition(m_key, false, b)};
    }
    const int b = info.GetNewBucket(m_key);
    return AddressPosition{false, info.ref_count, b, info.GetBucketPosition(m_key, true, b)};
}

void AddrMan::Check() const
{
    if (m_consistency_check_ratio == 0) return;
    if (m_rng.randrange(uint64_t(m_consistency_check_ratio)) != 0) return;
    const int err = CheckLocked();
    if (err != 0) {
        LogError("ADDRMAN CONSISTENCY CHECK FAILED!!! err={}", err);
        std::abort(); // as Core: a broken table must not be written out
    }
}

int AddrMan::CheckConsistency() const
{
    std::lock_guard lock(m_mutex);
    return CheckLocked();
}

int AddrMan::CheckLocked() const
{
    std::set<nid_t> tried_ids;
    std::map<nid_t, int> new_refs;
    std::map<Network, NetCounts> counts;
    if (m_random.size() != size_t(m_tried + m_new)) return -7;
    for (const auto& [id, info] : m_info) {
        if (info.in_tried) {
            if (info.last_success == 0) return -1;
            if (info.ref_count) return -2;
            tried_ids.insert(id);
            ++counts[info.addr.GetNetwork()].n_tried;
        } else {
            if (info.ref_count < 0 || info.ref_count > ADDRMAN_NEW_BUCKETS_PER_ADDRESS) return -3;
            if (!info.ref_count) return -4;
            new_refs[id] = info.ref_count;
            ++counts[info.addr.GetNetwork()].n_new;
        }
        auto it = m_addr_ids.find(info.addr);
        if (it == m_addr_ids.end() || it->second != id) return -5;
        if (info.random_pos < 0 || size_t(info.random_pos) >= m_random.size() || m_random[size_t(info.random_pos)] != id) {
            return -14;
        }
        if (info.last_try < 0) return -6;
        if (info.last_success < 0) return -8;
    }
    if (tried_ids.size() != size_t(m_tried)) return -9;
    if (new_refs.size() != size_t(m_new)) return -10;
    for (int b = 0; b < ADDRMAN_TRIED_BUCKET_COUNT; ++b) {
        for (int p = 0; p < ADDRMAN_BUCKET_SIZE; ++p) {
            const nid_t id = GetEntry(true, b, p);
            if (id == -1) continue;
            if (!tried_ids.count(id)) return -11;
            auto it = m_info.find(id);
            if (it == m_info.end() || it->second.GetTriedBucket(m_key) != b) return -17;
            if (it->second.GetBucketPosition(m_key, false, b) != p) return -18;
            tried_ids.erase(id);
        }
    }
    for (int b = 0; b < ADDRMAN_NEW_BUCKET_COUNT; ++b) {
        for (int p = 0; p < ADDRMAN_BUCKET_SIZE; ++p) {
            const nid_t id = GetEntry(false, b, p);
            if (id == -1) continue;
            if (!new_refs.count(id)) return -12;
            auto it = m_info.find(id);
            if (it == m_info.end() || it->second.GetBucketPosition(m_key, true, b) != p) return -19;
            if (--new_refs[id] == 0) new_refs.erase(id);
        }
    }
    if (!tried_ids.empty()) return -13;
    if (!new_refs.empty()) return -15;
    if (m_key.IsNull()) return -16;
    if (m_network_counts.size() < counts.size()) return -20;
    for (const auto& [net, c] : m_network_counts) {
        const NetCounts& local = counts[net];
        if (local.n_new != c.n_new || local.n_tried != c.n_tried) return -21;
    }
    return 0;
}

} // namespace cairn
