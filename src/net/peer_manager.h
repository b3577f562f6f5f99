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

#include "net/addr_relay.h"
#include "net/compact_relay.h"
#include "net/connman.h"
#include "net/headers_presync.h"
#include "net/messages.h"
#include "net/tx_relay.h"
#include "mempool/tx_mempool.h"
#include "validation/chainstate_manager.h"
#include "validation/notifications.h"

#include <atomic>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace cairn {

/** Blocks requested from one peer at a time (Core's MAX_BLOCKS_IN_TRANSIT_PER_PEER). */
inline constexpr size_t MAX_BLOCKS_IN_TRANSIT_PER_PEER = 16;
/** A peer holding back the download window this long is disconnected; the
 *  timeout doubles after each such disconnection (up to the maximum) in case
 *  our own bandwidth is the cause, and shrinks back as blocks arrive. */
inline constexpr int64_t BLOCK_STALLING_TIMEOUT_DEFAULT_US = 2'000'000;
inline constexpr int64_t BLOCK_STALLING_TIMEOUT_MAX_US = 64'000'000;
/** How far past the last block shared with a peer we download (Core's BLOCK_DOWNLOAD_WINDOW). */
inline constexpr int BLOCK_DOWNLOAD_WINDOW = 1024;
/** Blocks announced at once by headers; more fall back to an inv of the tip. */
inline constexpr size_t MAX_BLOCKS_TO_ANNOUNCE = 8;
/** Seconds between pings, and the wait for a pong before disconnecting. */
inline constexpr int64_t PING_INTERVAL = 2 * 60;
/** Most blocks answered to one getblocks. */
inline constexpr int MAX_GETBLOCKS_RESULTS = 500;
/** Initial headers sync: the sync peer is replaced (if another preferred
 *  peer exists) when our best header is not within a day of now after
 *  15 minutes plus 1 ms per header expected since it (Core's
 *  HEADERS_DOWNLOAD_TIMEOUT_BASE / _PER_HEADER), in microseconds. */
inline constexpr int64_t HEADERS_DOWNLOAD_TIMEOUT_BASE_US = 15 * 60 * 1'000'000LL;
inline constexpr int64_t HEADERS_DOWNLOAD_TIMEOUT_PER_HEADER_US = 1'000;
/** An outbound peer whose best block has less work than our tip for this
 *  long (seconds) gets one getheaders, then HEADERS_RESPONSE_TIME more
 *  before it is disconnected (Core's CHAIN_SYNC_TIMEOUT). */
inline constexpr int64_t CHAIN_SYNC_TIMEOUT = 20 * 60;
/** Full-relay outbound peers that showed a chain as good as ours and are
 *  then exempt from that eviction. */
inline constexpr int MAX_OUTBOUND_PEERS_TO_PROTECT_FROM_DISCONNECT = 4;
/** Seconds between stale-tip checks, and between the periodic checks that
 *  run them (Core's STALE_CHECK_INTERVAL, EXTRA_PEER_CHECK_INTERVAL). */
inline constexpr int64_t STALE_CHECK_INTERVAL = 10 * 60;
inline constexpr int64_t EXTRA_PEER_CHECK_INTERVAL = 45;

struct PeerManagerOptions {
    std::string user_agent;
    uint64_t local_services{NODE_NETWORK | NODE_WITNESS};
    /** False with -blocksonly: the version message asks peers not to send transactions. */
    bool relay_txs{true};
    /** Peers' headers chains need at least this much work to be trusted with our memory (IBD). */
    arith_uint256 minimum_chain_work;
    /** -blockreconstructionextratxn: rejected, orphan and replaced transactions kept for compact blocks. */
    size_t max_extra_txn{DEFAULT_BLOCK_RECONSTRUCTION_EXTRA_TXN};
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
    int presynced_headers{-1};
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

class PeerManager final : public NetEvents, public ValidationNotifications, public MempoolObserver
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
    /** A new block on the tip, before it is connected: cmpctblock to high-bandwidth
     *  peers (compact_relay.cpp). On our own handler thread it is sent at once. */
    void NewPoWValidBlock(const BlockIndex& index, const std::shared_ptr<const Block>& block) override;

    std::optional<PeerStats> GetPeerStats(NodeId id) const;
    /** The ping RPC: every peer gets a ping on its next turn. */
    void SendPings();
    const std::string& UserAgent() const { return m_opts.user_agent; }

    // ---- address relay (addr_relay.cpp) ----
    /** Before Start: where addresses go and come from; any may be null (no relay then). */
    void SetAddrRelay(AddrMan* addrman, BanMan* banman, LocalAddresses* local);
    /** NetEvents: what inbound eviction weighs (a snapshot kept by msghand, addr_relay.cpp). */
    bool GetEvictionInputs(NodeId id, EvictionInputs& out) const override;
    bool TipIsRecent() const override;

    // ---- transaction relay (tx_relay.cpp) ----
    /** The pool transactions are checked against and announced from (null:
     *  no transaction relay). Registers this object as its observer; set
     *  null before the pool goes. */
    void SetMempool(TxMemPool* pool);
    /** MempoolObserver (under the pool's lock, any thread): queues the announcement. */
    void TransactionAdded(const MempoolEntry& entry, uint64_t mempool_sequence) override;
    /** Core's PeerManager::RelayTransaction for callers outside the message
     *  handler (sendrawtransaction, submitpackage): announces a pool
     *  transaction again to every relaying peer that does not know it yet.
     *  Any thread, no lock held; only queues (`wtxid`: the pool's version). */
    void AnnounceTransaction(const uint256& txid, const uint256& wtxid);
    /** The orphanage's contents (getorphantxs). */
    std::vector<TxOrphanage::OrphanInfo> GetOrphanTransactions() const;

private:
    struct InFlight {
        uint256 hash;
        const BlockIndex* index;
    };
    struct Peer {
        NodeId id{0};
        /** A low-work header chain being synced in two passes (header_sync.cpp). */
        std::unique_ptr<HeadersPresync> presync;
        /** When this peer started holding back the block download window (0: not). */
        int64_t stalling_since_us{0};
        int64_t downloading_since_us{0}; // Core's m_downloading_since: the front in-flight block's clock
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
        /** We asked it for high-bandwidth cmpctblock announcements (sendcmpct(1)). */
        bool cmpct_hb_to{false};
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
        /** The last block of a getblocks answer cut at 500: when the peer
         *  asks for it, an inv of our tip makes it ask for more (Core's
         *  m_continuation_block). */
        uint256 continuation_block;
        /** Core's fPreferredDownload: outbound (or noban), not addr-fetch, serves blocks. */
        bool preferred_download{false};
        /** Before headers sync started with it, an inv from this peer made us send it a getheaders. */
        bool inv_triggered_getheaders_before_sync{false};
        /** Microseconds: the initial headers sync with this peer must be
         *  near today by then (0: none; INT64_MAX: caught up once). */
        int64_t headers_sync_timeout_us{0};
        /** Seconds: when the peer last announced a new block with more work than our tip. */
        int64_t last_block_announcement{0};
        /** Core's ChainSyncTimeoutState (outbound eviction, sync_timeouts.cpp). */
        struct ChainSync {
            int64_t timeout{0};                       // seconds; 0: none
            const BlockIndex* work_header{nullptr};   // the tip the peer must catch up with
            bool sent_getheaders{false};
            bool protect{false};
        } chain_sync;
        int64_t last_block_time{0};
        AddrRelayState addr_relay;
        TxRelayState tx_relay;
        bool should_discourage{false};
    };
    struct Event {
        enum class Kind { TIP, BLOCK_INVALID, NEW_POW_VALID_BLOCK } kind;
        uint256 hash;
        bool ibd{false};
        std::string reason;
        std::shared_ptr<const Block> block{}; // NEW_POW_VALID_BLOCK
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

    // ---- anti-DoS header sync (header_sync.cpp) ----
    /** The work a header chain needs before we store it (under the chain's lock). */
    arith_uint256 AntiDoSWorkThresholdLocked() const;
    /** Proof of work of each header and their continuity (Misbehaving on failure). */
    bool CheckHeadersPoW(Peer& peer, const std::vector<BlockHeader>& headers);
    /** Headers whose first parent we do not know: getheaders if none is in flight. */
    void HandleUnconnectingHeaders(Node& node, Peer& peer, const std::vector<BlockHeader>& headers);
    /** After accepted headers ending at `last_header`: availability, last
     *  announcement, IBD disconnection of low-work outbound peers, eviction
     *  protection (Core's UpdatePeerStateForReceivedHeaders). */
    void UpdatePeerStateForReceivedHeaders(Node& node, Peer& peer, const BlockIndex& last_header,
                                           bool received_new_header, bool may_have_more_headers);
    void SendGetHeadersLocator(Node& node, Peer& peer, const std::vector<uint256>& locator);
    /** Feeds a presync in progress; true if it took the headers (then
     *  `headers` holds what it released for validation, maybe nothing). */
    bool ContinuePresync(Node& node, Peer& peer, std::vector<BlockHeader>& headers);
    /** Starts a presync (or drops the headers) when their claimed work is
     *  below `threshold`; true if the headers were taken. */
    bool TryLowWorkHeadersSync(Node& node, Peer& peer, const BlockIndex& chain_start,
                               std::vector<BlockHeader>& headers, const arith_uint256& threshold);
    void ReportPresync(Node& node, const HeadersPresync& sync);
    int m_presync_best_height{-1};
    int64_t m_presync_last_log{0};
    void HandleBlock(Node& node, Peer& peer, std::shared_ptr<Block> block);
    void HandleInv(Node& node, Peer& peer, const std::vector<Inv>& invs);
    void HandleGetHeaders(Node& node, Peer& peer, const LocatorMsg& m);
    void HandleGetBlocks(Node& node, Peer& peer, const LocatorMsg& m);
    void ProcessGetData(Node& node, Peer& peer);
    /** One block request of a getdata (Core's ProcessGetBlockData). */
    void ProcessGetBlockData(Node& node, Peer& peer, const Inv& inv);
    /** Blocks outside the active chain are served only if fully validated
     *  and less than a month older than our best header (fingerprinting). */
    bool BlockRequestAllowedLocked(const BlockIndex& index) const;

    /** A getheaders whose locator starts at `from` (Core's MaybeSendGetHeaders);
     *  false if one is in flight already (answered or HEADERS_RESPONSE_TIME old). */
    bool SendGetHeaders(Node& node, Peer& peer, const BlockIndex* from, const uint256& stop = {});

    // ---- timeouts (sync_timeouts.cpp) ----
    /** At version: Core's fPreferredDownload, counted in m_num_preferred_download_peers. */
    void SetPreferredDownload(const Node& node, Peer& peer);
    /** Whether headers sync (and IBD block download) may start with this peer now. */
    bool SyncFromPeer(const Node& node, const Peer& peer) const;
    /** When the initial headers sync started now must be done. */
    int64_t HeadersSyncTimeout(int64_t now_us) const;
    /** The stalled initial-headers-sync peer is dropped; true if it was. */
    bool CheckHeadersSyncTimeout(Node& node, Peer& peer);
    /** Core's ConsiderEviction: outbound peers must keep up with our tip. */
    void ConsiderEviction(Node& node, Peer& peer, int64_t now);
    /** No new tip for three block intervals and no block in flight. */
    bool TipMayBeStale();
    /** headers, block, cmpctblock, blocktxn: ignored while blocks are imported. */
    static bool IsBlockDelivery(const std::string& command);
    /** Every EXTRA_PEER_CHECK_INTERVAL from ProcessEvents: the stale-tip check,
     *  extra outbound peers opened and dropped. */
    void CheckForStaleTipAndEvictPeers();
    /** Drops the least useful full-relay / block-relay-only outbound peer
     *  beyond the targets (outbound_eviction.h). */
    void EvictExtraOutboundPeers(int64_t now);
    void SyncTimeoutsOnFinalize(const Peer& peer);
    /** Under the engine lock. */
    void UpdateBlockAvailability(Peer& peer, const uint256& hash);
    void ProcessBlockAvailability(Peer& peer);
    bool PeerHasHeader(const Peer& peer, const BlockIndex* index) const;
    /** With `staller`: set to the peer whose in-flight block keeps the
     *  window from moving when nothing else can be fetched. */
    void FindNextBlocksToDownload(Peer& peer, size_t count, std::vector<const BlockIndex*>& out,
                                  NodeId* staller = nullptr);
    int64_t m_block_stalling_timeout_us{BLOCK_STALLING_TIMEOUT_DEFAULT_US};
    void MarkBlockInFlight(Peer& peer, const BlockIndex* index);
    /** One getdata for `blocks` (compact, witness or plain as the peer allows), each marked in flight. */
    void SendBlockRequests(Node& node, Peer& peer, const std::vector<const BlockIndex*>& blocks);
    /** Core's HeadersDirectFetchBlocks: near the tip, fetch an announced better chain from its announcer. */
    void HeadersDirectFetchBlocks(Node& node, Peer& peer, const BlockIndex& last_header);
    /** Takes `hash` off the peer's in-flight list (not m_blocks_in_flight). */
    void DropInFlight(Peer& peer, const uint256& hash);
    /** Returns whether this block was in flight from `peer`. */
    bool MarkBlockReceived(const uint256& hash, NodeId from);
    void RemoveInFlight(Peer& peer);

    // address relay (addr_relay.cpp)
    bool SetupAddressRelay(const Node& node, Peer& peer);
    void AddrRelayOnVersion(Node& node, Peer& peer);
    void AddrRelayOnFinalize(Node& node, Peer& peer);
    void HandleAddr(Node& node, Peer& peer, const std::string& command, ByteSpan payload);
    void HandleGetAddr(Node& node, Peer& peer);
    void PushAddress(Peer& peer, const AddrEntry& addr);
    void RelayAddress(NodeId originator, const AddrEntry& addr, bool reachable);
    void MaybeSendAddr(Node& node, Peer& peer);
    std::optional<Service> GetLocalAddrForPeer(const Node& node, const Peer& peer);
    void UpdateEvictionInputs(const Peer& peer);

    // transaction relay (tx_relay.cpp)
    bool RejectIncomingTxs(const Node& node) const;
    void TxRelayOnVersion(Node& node, Peer& peer);
    void TxRelayOnVerack(Node& node, Peer& peer);
    void TxRelayOnFinalize(Node& node, Peer& peer);
    void AddKnownTx(Peer& peer, const uint256& hash);
    /** Core's RelayTransaction: queues the announcement for every relaying peer that does not know it. */
    void RelayTransaction(const uint256& txid, const uint256& wtxid);
    /** Under the engine's lock: remembers a tip change for TxRelayAfterTipEvents. */
    void TxRelayNoteTip(const BlockIndex* old_tip, const BlockIndex* fork, const BlockIndex* tip, bool ibd);
    void TxRelayAfterTipEvents();
    /** Takes m_mutex: queued pool additions and the unbroadcast timer. */
    void TxRelayProcessQueued();
    void HandleTxInvs(Node& node, Peer& peer, const std::vector<Inv>& invs);
    void HandleTx(Node& node, Peer& peer, ByteSpan payload);
    void HandleNotFound(Node& node, Peer& peer, ByteSpan payload);
    void HandleMempoolRequest(Node& node, Peer& peer);
    void HandleFeeFilter(Node& node, Peer& peer, ByteSpan payload);
    void MaybePunishNodeForTx(NodeId id, const TxValidationState& state);
    void ProcessValidTx(NodeId id, const TransactionRef& tx, const std::list<TransactionRef>& replaced);
    std::optional<PackageToValidate> ProcessInvalidTx(NodeId id, const TransactionRef& tx,
                                                      const TxValidationState& state, bool first_time_failure);
    void ProcessPackage(const PackageToValidate& package);
    /** Reconsiders one orphan of the peer's work set; true if one was decided. */
    bool ProcessOrphanTx(Peer& peer);
    bool HaveTxWork(const Peer& peer) const;
    TransactionRef FindTxForGetData(const Peer& peer, const Inv& inv);
    void ProcessGetDataTx(Node& node, Peer& peer, std::vector<Inv>& not_found);
    int64_t NextInvToInbounds(int64_t now);
    void MaybeSendTxInvs(Node& node, Peer& peer, int64_t now);
    void RequestTxs(Node& node, Peer& peer, int64_t now);
    void MaybeSendFeefilter(Node& node, Peer& peer, int64_t now);
    /** Invs, getdata and feefilter for transactions (SendMessages). */
    void SendTxMessages(Node& node, Peer& peer);
    void FillTxRelayStats(const Peer& peer, PeerStats& stats) const;

    // compact blocks, BIP 152 (compact_relay.cpp)
    void HandleCmpctBlock(Node& node, Peer& peer, ByteSpan payload);
    void HandleGetBlockTxn(Node& node, Peer& peer, ByteSpan payload);
    void HandleBlockTxn(Node& node, Peer& peer, ByteSpan payload);
    void ProcessCompactBlockTxns(Node& node, Peer& peer, const BlockTransactions& txns);
    void ProcessReconstructedBlock(Node& node, Peer& peer, const std::shared_ptr<const Block>& block);
    void SendBlockTransactions(Node& node, Peer& peer, const Block& block, const BlockTransactionsRequest& req);
    /** Core's MaybeSetPeerAsAnnouncingHeaderAndIDs: sendcmpct(1) to a fast block source (at most 3). */
    void MaybeSetPeerAsAnnouncingHeaderAndIDs(NodeId id);
    /** ProcessEvents, a block checked: picks HB peers; true if the block came
     *  from a compact block (then its source is forgotten unpunished). */
    bool CompactRelayBlockChecked(const uint256& hash, bool valid);
    /** ProcessEvents, a new tip outside IBD: compact downloads of blocks we now have end
     *  (the cmpctblock to high-bandwidth peers went out earlier, on NewPoWValidBlock). */
    void CompactRelayOnTip(const uint256& tip_hash);
    void CompactRelayOnFinalize(NodeId id);
    /** MaybeSendAnnouncements: one new block to a peer that asked for HB mode; false if unreadable. */
    bool PushCompactAnnouncement(Node& node, Peer& peer, const BlockHeader& header);
    /** getdata(MSG_CMPCT_BLOCK): false if the block is too deep (send it whole). */
    bool MaybePushCompactForGetData(Node& node, const BlockIndex& index, const Block& block);
    /** RequestBlocks: fetch these as MSG_CMPCT_BLOCK (the tip's child alone, not in IBD). */
    bool WantCompactFetch(const Peer& peer, const std::vector<const BlockIndex*>& blocks);
    /** Keeps a transaction that did not enter the pool for block reconstruction (orphans, replaced). */
    void AddToCompactExtraTransactions(const TransactionRef& tx);
    /** m_chainman.ProcessNewBlock from the message handler (m_mutex held): the
     *  engine's NewPoWValidBlock is then handled on this thread at once. */
    bool ProcessBlockFromPeer(const std::shared_ptr<const Block>& block, bool force_processing, bool min_pow_checked,
                              bool* new_block, BlockValidationState* state);
    /** Core's NewPoWValidBlock: the recent-block cache and cmpctblock to HB peers. */
    void CompactRelayNewPoWValidBlock(const BlockIndex& index, const std::shared_ptr<const Block>& block);
    /** A transaction of the last block relayed by NewPoWValidBlock, by txid or wtxid. */
    TransactionRef FindRecentBlockTx(const uint256& hash) const;
    void RemoveCompactBlockRequest(const uint256& hash, std::optional<NodeId> from);
    void PushFullBlockRequest(Node& node, const Peer& peer, const uint256& hash);
    void PunishForCompactBlock(NodeId id, const BlockValidationState& state, const std::string& what);
    /** Under the engine lock. */
    bool CanDirectFetchLocked() const;
    bool IsBlockRequestedFromOutboundLocked(const uint256& hash) const;

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
    std::atomic<int64_t> m_tip_time{0}; // the active tip's block time (any thread: TipIsRecent)
    const BlockIndex* m_last_tip{nullptr};                       // guarded by m_mutex: for announcements
    AddrRelayContext m_addr_relay;                               // guarded by m_mutex
    int m_num_preferred_download_peers{0};                       // guarded by m_mutex
    uint256 m_last_block_inv_triggering_headers_sync;            // guarded by m_mutex
    int m_outbound_peers_with_protect_from_disconnect{0};        // guarded by m_mutex
    int64_t m_last_tip_update{0};                                // guarded by m_mutex: seconds
    int64_t m_next_extra_peer_check{0};                          // msghand only: seconds (mockable)
    int64_t m_next_extra_peer_check_system{0};                   // msghand only: seconds (system clock)
    int64_t m_stale_tip_check_time{0};                           // guarded by m_mutex: seconds
    bool m_initial_sync_finished{false};                         // guarded by m_mutex
    TxRelayContext m_tx_relay;                                   // guarded by m_mutex (see tx_relay.h)
    CompactRelayContext m_cmpct;                                 // guarded by m_mutex (see compact_relay.h)
    mutable std::mutex m_eviction_mutex;                         // leaf lock
    std::map<NodeId, EvictionInputs> m_eviction_inputs;          // guarded by m_eviction_mutex

    std::mutex m_events_mutex;
    std::vector<Event> m_events; // guarded by m_events_mutex
};

} // namespace cairn

#endif
