// The address manager's on-disk form: Bitcoin Core's peers.dat body,
// byte for byte (doc/design/p2p.md, "peers.dat"). Only the bucket
// assignments of the new table are stored; tried positions and the random
// order are rebuilt on reading, and entries that no longer fit are dropped.
#include "net/addrman.h"

#include "net/addr_encoding.h"
#include "net/netgroup.h"
#include "util/log.h"

#include <algorithm>

namespace cairn {

namespace {

/** Core's addrman Format enum: 1 deterministic key, 2 asmap checksum, 3 BIP 155
 *  addresses, 4 one entry per address and port. */
constexpr uint8_t FORMAT_V1_DETERMINISTIC = 1;
constexpr uint8_t FORMAT_V2_ASMAP = 2;
constexpr uint8_t FORMAT_V3_BIP155 = 3;
constexpr uint8_t FILE_FORMAT = 4;
/** Added to the lowest compatible format so readers older than the version byte refuse the file. */
constexpr uint8_t INCOMPATIBILITY_BASE = 32;
constexpr uint8_t LOWEST_COMPATIBLE = 4;

template <typename W> void WriteI32(W& w, int32_t v) { WriteU32LE(w, uint32_t(v)); }
int32_t ReadI32(Reader& r) { return int32_t(r.U32LE()); }

/** One AddrInfo: CAddress (disk form), source, last success, attempts. */
void WriteAddrInfo(Bytes& out, const AddrInfo& info)
{
    WriteDiskAddress(out, info.ToEntry());
    WriteNetAddrV2(out, info.source);
    VectorWriter w(out);
    WriteU64LE(w, uint64_t(info.last_success));
    WriteI32(w, info.attempts);
}

AddrInfo ReadAddrInfo(Reader& r, bool v2_stream)
{
    const AddrEntry e = ReadDiskAddress(r, v2_stream);
    AddrInfo info;
    info.addr = e.addr;
    info.services = e.services;
    info.time = e.time;
    info.source = v2_stream ? ReadNetAddrV2(r) : ReadNetAddrV1(r);
    info.last_success = int64_t(r.U64LE());
    info.attempts = ReadI32(r);
    return info;
}

} // namespace

void AddrMan::Serialize(Bytes& out) const
{
    std::lock_guard lock(m_mutex);
    VectorWriter w(out);
    WriteU8(w, FILE_FORMAT);
    WriteU8(w, INCOMPATIBILITY_BASE + LOWEST_COMPATIBLE);
    w.Write(m_key.span());
    WriteI32(w, m_new);
    WriteI32(w, m_tried);
    WriteI32(w, ADDRMAN_NEW_BUCKET_COUNT ^ (1 << 30));
    // New entries first (their order gives the indexes used by the bucket lists), then tried ones.
    std::unordered_map<nid_t, int> index;
    int n = 0;
    for (const auto& [id, info] : m_info) {
        if (info.ref_count == 0) continue;
        index[id] = n++;
        WriteAddrInfo(out, info);
    }
    for (const auto& [id, info] : m_info) {
        if (info.in_tried) WriteAddrInfo(out, info);
    }
    for (int b = 0; b < ADDRMAN_NEW_BUCKET_COUNT; ++b) {
        int count = 0;
        for (int p = 0; p < ADDRMAN_BUCKET_SIZE; ++p) count += GetEntry(false, b, p) != -1;
        WriteI32(w, count);
        for (int p = 0; p < ADDRMAN_BUCKET_SIZE; ++p) {
            const nid_t id = GetEntry(false, b, p);
            if (id != -1) WriteI32(w, index.at(id));
        }
    }
    // The asmap checksum: zero, as Cairn buckets without an asmap.
    w.Write(uint256().span());
}

void AddrMan::Unserialize(Reader& r)
{
    std::lock_guard lock(m_mutex);
    const uint256 original_key = m_key;
    try {
        if (!m_random.empty()) throw std::logic_error("AddrMan::Unserialize: not empty");
        const uint8_t format = r.U8();
        const bool v2_stream = format >= FORMAT_V3_BIP155;
        const uint8_t compat = r.U8();
        if (compat < INCOMPATIBILITY_BASE) {
            ThrowIosFailure("Corrupted addrman database: The compat value (" + std::to_string(compat) +
                    ") is lower than the expected minimum value " + std::to_string(INCOMPATIBILITY_BASE) + ".");
        }
        const uint8_t lowest_compatible = compat - INCOMPATIBILITY_BASE;
        if (lowest_compatible > FILE_FORMAT) {
            throw AddrManVersionError("Unsupported format of addrman database: " + std::to_string(format) +
                                      ". It is compatible with formats >=" + std::to_string(lowest_compatible) +
                                      ", but the maximum supported by this version of Cairn is " +
                                      std::to_string(FILE_FORMAT) + ".");
        }
        r.ReadInto(m_key.data(), m_key.size());
        const int32_t n_new = ReadI32(r);
        const int32_t n_tried = ReadI32(r);
        int32_t n_ubuckets = ReadI32(r);
        if (format >= FORMAT_V1_DETERMINISTIC) n_ubuckets ^= (1 << 30);
        const int max_new = ADDRMAN_NEW_BUCKET_COUNT * ADDRMAN_BUCKET_SIZE;
        const int max_tried = ADDRMAN_TRIED_BUCKET_COUNT * ADDRMAN_BUCKET_SIZE;
        if (n_new > max_new || n_new < 0) {
            ThrowIosFailure("Corrupt AddrMan serialization: nNew=" + std::to_string(n_new) + ", should be in [0, " +
                    std::to_string(max_new) + "]");
        }
        if (n_tried > max_tried || n_tried < 0) {
            ThrowIosFailure("Corrupt AddrMan serialization: nTried=" + std::to_string(n_tried) + ", should be in [0, " +
                    std::to_string(max_tried) + "]");
        }

        for (int i = 0; i < n_new; ++i) {
            AddrInfo info = ReadAddrInfo(r, v2_stream);
            info.random_pos = int(m_random.size());
            m_addr_ids[info.addr] = i;
            m_random.push_back(i);
            ++m_network_counts[info.addr.GetNetwork()].n_new;
            m_info[i] = std::move(info);
        }
        m_id_count = n_new;
        m_new = n_new;

        int lost_tried = 0;
        for (int i = 0; i < n_tried; ++i) {
            AddrInfo info = ReadAddrInfo(r, v2_stream);
            const int b = info.GetTriedBucket(m_key);
            const int p = info.GetBucketPosition(m_key, false, b);
            nid_t& slot = m_tried_table[size_t(b) * ADDRMAN_BUCKET_SIZE + size_t(p)];
            if (IsValidAddr(info.addr) && slot == -1) {
                const nid_t id = m_id_count++;
                info.random_pos = int(m_random.size());
                info.in_tried = true;
                m_random.push_back(id);
                m_addr_ids[info.addr] = id;
                ++m_network_counts[info.addr.GetNetwork()].n_tried;
                m_info[id] = std::move(info);
                slot = id;
                ++m_tried;
            } else {
                ++lost_tried;
            }
        }

        // Bucket lists: (bucket, index into the new entries) pairs, applied below.
        std::vector<std::pair<int, int>> bucket_entries;
        for (int b = 0; b < n_ubuckets; ++b) {
            const int32_t count = ReadI32(r);
            for (int32_t k = 0; k < count; ++k) {
                const int32_t index = ReadI32(r);
                if (index >= 0 && index < n_new) bucket_entries.emplace_back(b, index);
            }
        }
        uint256 asmap_checksum;
        if (format >= FORMAT_V2_ASMAP) r.ReadInto(asmap_checksum.data(), asmap_checksum.size());
        const bool restore = n_ubuckets == ADDRMAN_NEW_BUCKET_COUNT && asmap_checksum.IsNull();
        if (!restore) LogDebug(LogCategory::ADDRMAN, "Bucketing method was updated, re-bucketing addrman entries from disk");

        for (auto [bucket, index] : bucket_entries) {
            AddrInfo& info = m_info.at(index);
            if (!IsValidAddr(info.addr)) continue;
            if (info.ref_count >= ADDRMAN_NEW_BUCKETS_PER_ADDRESS) continue;
            int pos = info.GetBucketPosition(m_key, true, bucket);
            if (!restore || bucket >= ADDRMAN_NEW_BUCKET_COUNT || GetEntry(false, bucket, pos) != -1) {
                // The stored place cannot be used: try the one its source gives.
                bucket = info.GetNewBucket(m_key);
                pos = info.GetBucketPosition(m_key, true, bucket);
                if (GetEntry(false, bucket, pos) != -1) continue;
            }
            m_new_table[size_t(bucket) * ADDRMAN_BUCKET_SIZE + size_t(pos)] = index;
            ++info.ref_count;
        }

        // New entries no bucket took (collisions, invalid addresses) go.
        int lost_new = 0;
        std::vector<nid_t> orphans;
        for (const auto& [id, info] : m_info) {
            if (!info.in_tried && info.ref_count == 0) orphans.push_back(id);
        }
        for (nid_t id : orphans) {
            Delete(id);
            ++lost_new;
        }
        if (lost_new + lost_tried > 0) {
            LogDebug(LogCategory::ADDRMAN, "addrman lost {} new and {} tried addresses due to collisions or invalid "
                     "addresses", lost_new, lost_tried);
        }
        const int check = CheckLocked();
        if (check != 0) ThrowIosFailure("Corrupt data. Consistency check failed with code " + std::to_string(check));
    } catch (...) {
        Clear();
        m_key = original_key;
        throw;
    }
}

} // namespace cairn
