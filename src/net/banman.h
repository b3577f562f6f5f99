// Bans and discouragement (Bitcoin Core's BanMan).
//
// * Bans are manual (setban): a subnet and an end time. Banned addresses
//   are refused inbound, never dialled automatically and not relayed. They
//   live in <datadir>/banlist.json (Core's format: {"banned_nets": [{"version":
//   1, "ban_created", "banned_until", "address"}]}), written at once on
//   every change, every 15 minutes if dirty, and at shutdown; expired bans
//   are swept out.
// * Discouragement is automatic (misbehaving peers): their address goes into
//   a rolling Bloom filter of about 50,000. Discouraged peers get an inbound
//   slot only while plenty are free, are dialled last, and are forgotten
//   at restart.
//
// Thread-safe: one mutex for the bans, one for the filter (leaf locks).
#ifndef CAIRN_NET_BANMAN_H
#define CAIRN_NET_BANMAN_H

#include "net/netaddress.h"
#include "net/rolling_filter.h"
#include "net/subnet.h"

#include <filesystem>
#include <map>
#include <mutex>

namespace cairn {

/** -bantime default: 24 hours. */
inline constexpr int64_t DEFAULT_MISBEHAVING_BANTIME = 60 * 60 * 24;
/** How often a changed ban list is written. */
inline constexpr int64_t DUMP_BANS_INTERVAL = 60 * 15;

struct BanEntry {
    static constexpr int CURRENT_VERSION = 1;
    int version{CURRENT_VERSION};
    int64_t create_time{0};
    int64_t ban_until{0};
};
using BanMap = std::map<SubNet, BanEntry>;

class BanMan
{
public:
    /** ban_file: the path without extension (<datadir>/banlist); reads banlist.json. */
    BanMan(std::filesystem::path ban_file, int64_t default_ban_time = DEFAULT_MISBEHAVING_BANTIME);
    /** Writes the list if it changed. */
    ~BanMan();
    BanMan(const BanMan&) = delete;
    BanMan& operator=(const BanMan&) = delete;

    /** ban_time_offset <= 0: the default ban time from now. since_unix_epoch: the offset is
     *  the absolute end time. An existing longer ban is kept. Written to disk at once. */
    void Ban(const NetAddr& addr, int64_t ban_time_offset = 0, bool since_unix_epoch = false);
    void Ban(const SubNet& subnet, int64_t ban_time_offset = 0, bool since_unix_epoch = false);
    void Discourage(const NetAddr& addr);
    void ClearBanned();

    bool IsDiscouraged(const NetAddr& addr) const;
    /** An unexpired ban whose subnet contains addr. */
    bool IsBanned(const NetAddr& addr) const;
    /** An unexpired ban of exactly this subnet. */
    bool IsBanned(const SubNet& subnet) const;
    /** False if there was no such ban. */
    bool Unban(const NetAddr& addr);
    bool Unban(const SubNet& subnet);
    /** The unexpired bans. */
    BanMap GetBanned();
    /** Writes banlist.json if something changed since the last write. */
    void DumpBanlist();

private:
    void LoadBanlist();
    /** Drops expired bans; m_mutex held. */
    void SweepBanned();
    bool WriteFile(const BanMap& bans) const;
    bool ReadFile(BanMap& bans) const;

    const std::filesystem::path m_json_path;
    const std::filesystem::path m_dat_path;
    const int64_t m_default_ban_time;

    mutable std::mutex m_mutex;
    BanMap m_banned;      // guarded by m_mutex
    bool m_dirty{false};  // guarded by m_mutex
    std::mutex m_dump_mutex; // one writer at a time

    mutable std::mutex m_discouraged_mutex;
    RollingBloomFilter m_discouraged{50000, 0.000001}; // guarded by m_discouraged_mutex
};

} // namespace cairn

#endif
