// The protocol layer (Bitcoin Core's net_processing): what each message
// means, per-peer protocol state, headers-first sync, block download and
// serving, block announcements and misbehaviour.
//
// Threads: every NetEvents call comes from the message handler, which holds
// m_mutex while it works on a peer (RPC readers of the statistics wait for
// it). Validation notifications may come from any thread, some with the
// engine's lock held, so they only queue events under m_events_mutex (a
// leaf lock) and wake the handler. Lock order: m_mutex, then the engine's
// GetMutex(), then connman's locks, then m_events_mutex.
#ifndef CAIRN_NET_PEER_MANAGER_H
#define CAIRN_NET_PEER_MANAGER_H

#include "net/connman.h"
#include "net/messages.h"
#include "validation/chainstate_manager.h"
#include "validation/notifications.h"

#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace cairn {

/** Blocks requested from one peer at a time (Core's MAX_BLOCKS_IN_TRANSIT_PER_PEER). */
inline constexpr size_t MAX_BLOCKS_IN_TRANSIT_PER_PEER = 16;
/** How far past the last block shared with a peer we download (Core's BLOCK_DOWNLOAD_WINDOW). */
inline constexpr int BLOCK_DOWNLOAD_WINDOW = 1024;
/** Blocks announced at once by headers; more fall back to an inv of the tip. */
inline constexpr size_t MAX_BLOCKS_TO_ANNOUNCE = 8;
/** Seconds between pings, and the wait for a pong before disconnecting. */
inline constexpr int64_t PING_INTERVAL = 2 * 60;
/** Most blocks answered to one getblocks. */
inline constexpr int MAX_GETBLOCKS_RESULTS = 500;

struct PeerManagerOptions {
    std::string user_agent;
    uint64_t local_services{NODE_NETWORK | NODE_WITNESS};
    /** False with -blocksonly: the version message asks peers not to send transactions. */
    bool relay_txs{true};
    /** Peers' headers chains need at least this much work to be trusted with our memory (IBD). */
    arith_uint256 minimum_chain_work;
};

/** What getpeerinfo shows of the protocol state of one peer. */
struct PeerStats {
    int version{0};
    uint64_t services{0};
    std::string subver;
    bool relay_txs{false};
    int start_height{-1};
    int64_t time_offset{0};
    bool successfully_connected{false};
    std::optional<int64_t> ping_wait_us;
    std::optional<int64_t> last_ping_us;
    std::optional<int64_t> min_ping_us;
    int synced_headers{-1};
    int synced_blocks{-1};
    std::vector<int> inflight;
    bool addr_relay_enabled{false};
    uint64_t addr_processed{0};
    uint64_t addr_rate_limited{0};
    int64_t min_fee_filter{0};
    int64_t last_block_time{0};
    int64_t last_tx_time{0};
    bool wtxid_relay{false};
    bool bip152_hb_to{false};
    bool bip152_hb_from{false};
    std::optional<Service> addr_local;
};

class PeerManager final : public NetEvents, public ValidationNotifications
{
public:
    PeerManager(ChainstateManager& chainman, PeerManagerOptions opts);
    ~PeerManager() override;

    /** The connection manager is made with this object as its NetEvents, so it is set afterwards. */
    void SetConnMan(ConnMan* connman) { m_connman = connman; }

    // NetEvents
    void InitializeNode(Node& node) override;
    void FinalizeNode(Node& node) override;
    bool ProcessMessages(Node& node) override;
    void SendMessages(Node& node) override;
    void ProcessEvents() override;

    // ValidationNotifications (any thread: only queue events)
    void TipChanged(SyncState state, const BlockIndex& tip, double progress) override;
    void BlockChecked(const Block& block, const std::string& reject_reason) override;

    std::optional<PeerStats> GetPeerStats(NodeId id) const;
    /** The ping RPC: every peer gets a ping on its next turn. */
    void SendPings();
    const std::string& UserAgent() const { return m_opts.user_agent; }

private:
    struct InFlight {
        uint256 hash;
        const BlockIndex* index;
        int64_t requested_us;
    };
    struct Peer {
        NodeId id{0};
        bool inbound{false};
        bool manual{false};
        Service addr;
        // handshake
        bool version_received{false};
        bool verack_received{false};
        int version{0};
        uint64_t services{0};
        std::string subver;
        int start_height{-1};
        bool relay_txs{false};
        int64_t time_offset{0};
        uint64_t local_nonce{0};
        std::optional<Service> addr_local;
        // negotiated features
        bool wtxid_relay{false};
        bool send_addrv2{false};
        bool prefers_headers{false};
        bool sent_sendheaders{false};
        bool provides_cmpct{false};
        bool cmpct_hb_from{false};
        int64_t fee_filter{0};
        // ping
        uint64_t ping_nonce_sent{0};
        int64_t ping_start_us{0};
        bool ping_queued{false};
        int64_t last_ping_us{-1};
        int64_t min_ping_us{-1};
        int64_t next_ping_time{0};
        // sync
        bool sync_started{false};
        int64_t last_getheaders_time{0}; // 0: none in flight
        const BlockIndex* best_known_block{nullptr};
        uint256 last_unknown_block_hash;
        const BlockIndex* last_common_block{nullptr};
        const BlockIndex* best_header_sent{nullptr};
        std::list<InFlight> blocks_in_flight;
        std::deque<Inv> getdata_requests;
        std::vector<uint256> blocks_to_announce;
        int64_t last_block_time{0};
        uint64_t addr_processed{0};
        bool should_discourage{false};
    };
    struct Event {
        enum class Kind { TIP, BLOCK_INVALID } kind;
        uint256 hash;
        bool ibd{false};
        std::string reason;
    };

    Peer* GetPeer(NodeId id);
    void ProcessMessage(Node& node, Peer& peer, const std::string& command, ByteSpan payload);
    void Push(Node& node, const std::string& command, ByteSpan payload = {});
    void PushVersion(Node& node, Peer& peer);
    void Misbehaving(Peer& peer, const std::string& message);
    bool MaybeDiscourageAndDisconnect(Node& node, Peer& peer);
    /** Core's MaybePunishNodeForBlock / ForHeaders. */
    void PunishForBlock(NodeId id, const BlockValidationState& state, const std::string& what);

    void HandleVersion(Node& node, Peer& peer, ByteSpan payload);
    void HandleVerack(Node& node, Peer& peer);
    void HandleHeaders(Node& node, Peer& peer, std::vector<BlockHeader> headers);
    void HandleBlock(Node& node, Peer& peer, std::shared_ptr<Block> block);
    void HandleInv(Node& node, Peer& peer, const std::vector<Inv>& invs);
    void HandleGetHeaders(Node& node, Peer& peer, const LocatorMsg& m);
    void HandleGetBlocks(Node& node, Peer& peer, const LocatorMsg& m);
    void ProcessGetData(Node& node, Peer& peer);

    /** A getheaders whose locator starts at `from` (Core's MaybeSendGetHeaders). */
    void SendGetHeaders(Node& node, Peer& peer, const BlockIndex* from, const uint256& stop = {});
    /** Under the engine lock. */
    void UpdateBlockAvailability(Peer& peer, const uint256& hash);
    void ProcessBlockAvailability(Peer& peer);
    bool PeerHasHeader(const Peer& peer, const BlockIndex* index) const;
    void FindNextBlocksToDownload(Peer& peer, size_t count, std::vector<const BlockIndex*>& out);
    void MarkBlockInFlight(Peer& peer, const BlockIndex* index);
    /** Returns whether this block was in flight from `peer`. */
    bool MarkBlockReceived(const uint256& hash, NodeId from);
    void RemoveInFlight(Peer& peer);

    void MaybeSendPing(Node& node, Peer& peer);
    void MaybeSendAnnouncements(Node& node, Peer& peer);
    void RequestBlocks(Node& node, Peer& peer);

    ChainstateManager& m_chainman;
    PeerManagerOptions m_opts;
    ConnMan* m_connman{nullptr};

    mutable std::mutex m_mutex;
    std::map<NodeId, std::unique_ptr<Peer>> m_peers;             // guarded by m_mutex
    std::map<uint256, NodeId> m_blocks_in_flight;                // guarded by m_mutex
    std::map<uint256, NodeId> m_block_source;                    // guarded by m_mutex: blocks awaiting activation
    std::deque<uint256> m_block_source_order;                    // guarded by m_mutex: bounds m_block_source
    int m_sync_started{0};                                       // guarded by m_mutex
    const BlockIndex* m_last_tip{nullptr};                       // guarded by m_mutex: for announcements

    std::mutex m_events_mutex;
    std::vector<Event> m_events; // guarded by m_events_mutex
};

} // namespace cairn

#endif
