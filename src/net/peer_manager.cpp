#include "net/peer_manager.h"

#include "consensus/pow.h"
#include "crypto/random.h"
#include "primitives/amount.h"
#include "util/log.h"
#include "util/time.h"

#include <algorithm>

namespace cairn {

namespace {

/** Core's BIP0031_VERSION: pongs (and ping nonces) from this version on. */
constexpr int BIP0031_VERSION = 60000;
/** Core's HEADERS_RESPONSE_TIME: one getheaders in flight per peer for this long (s). */
constexpr int64_t HEADERS_RESPONSE_TIME = 2 * 60;
/** Block download timeout: base and per-other-downloading-peer, in block intervals. */
constexpr double BLOCK_DOWNLOAD_TIMEOUT_BASE = 1.0;
constexpr double BLOCK_DOWNLOAD_TIMEOUT_PER_PEER = 0.5;
/** Blocks whose sender we remember until validation reports on them. */
constexpr size_t MAX_BLOCK_SOURCES = 1024;

/** Core's SanitizeString with SAFE_CHARS_DEFAULT. */
std::string SanitizeString(const std::string& s)
{
    static const std::string SAFE = " .,;-_/:?@()";
    std::string out;
    for (char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            SAFE.find(c) != std::string::npos) {
            out += c;
        }
    }
    return out;
}

bool CanServeBlocks(uint64_t services)
{
    return services & (NODE_NETWORK | NODE_NETWORK_LIMITED);
}

/** The work a header claims, from its bits alone. */
arith_uint256 ClaimedWork(const BlockHeader& header)
{
    BlockIndex tmp;
    tmp.bits = header.bits;
    return GetBlockProof(tmp);
}

} // namespace

PeerManager::PeerManager(ChainstateManager& chainman, PeerManagerOptions opts)
    : m_chainman(chainman), m_opts(std::move(opts))
{
    m_last_tip = m_chainman.Tip();
    if (m_last_tip) m_tip_time = m_last_tip->GetBlockTime();
    m_cmpct.max_extra_txn = m_opts.max_extra_txn;
}

PeerManager::~PeerManager()
{
    SetMempool(nullptr); // stop hearing from the pool
}

PeerManager::Peer* PeerManager::GetPeer(NodeId id)
{
    auto it = m_peers.find(id);
    return it == m_peers.end() ? nullptr : it->second.get();
}

void PeerManager::Push(Node& node, const std::string& command, ByteSpan payload)
{
    m_connman->PushMessage(node, command, payload);
}

// ---- connection life cycle ----

void PeerManager::InitializeNode(Node& node)
{
    std::lock_guard lock(m_mutex);
    auto peer = std::make_unique<Peer>();
    peer->id = node.id;
    peer->inbound = node.IsInbound();
    peer->manual = node.IsManual();
    peer->addr = node.addr;
    if (!node.IsInbound()) PushVersion(node, *peer);
    m_peers.emplace(node.id, std::move(peer));
}

void PeerManager::FinalizeNode(Node& node)
{
    std::lock_guard lock(m_mutex);
    Peer* peer = GetPeer(node.id);
    if (!peer) return;
    RemoveInFlight(*peer);
    if (peer->sync_started) --m_sync_started;
    SyncTimeoutsOnFinalize(*peer);
    AddrRelayOnFinalize(node, *peer);
    TxRelayOnFinalize(node, *peer);
    CompactRelayOnFinalize(node.id);
    m_peers.erase(node.id);
    LogDebug(LogCategory::NET, "Cleared nodestate for peer={}", node.id);
}

void PeerManager::PushVersion(Node& node, Peer& peer)
{
    peer.local_nonce = GetRandUint64();
    m_connman->RecordLocalNonce(node.id, peer.local_nonce);
    VersionMsg v;
    v.version = PROTOCOL_VERSION;
    v.services = m_opts.local_services;
    v.time = GetTime();
    // Core tells the peer the address it sees only when that is a public one.
    if (node.addr.IsRoutable()) v.addr_recv.addr = node.addr;
    v.addr_from.services = m_opts.local_services;
    v.nonce = peer.local_nonce;
    v.user_agent = m_opts.user_agent;
    v.start_height = m_chainman.Height();
    v.relay = !RejectIncomingTxs(node);
    Push(node, msgtype::VERSION, SerializeVersion(v));
    LogDebug(LogCategory::NET, "send version message: version {}, blocks={}, them={}, txrelay={}, peer={}",
             PROTOCOL_VERSION, v.start_height, v.addr_recv.addr.ToStringAddrPort(), v.relay ? 1 : 0, node.id);
}

// ---- receiving ----

bool PeerManager::ProcessMessages(Node& node)
{
    std::lock_guard lock(m_mutex);
    Peer* peer = GetPeer(node.id);
    if (!peer) return false;
    if (!peer->getdata_requests.empty()) ProcessGetData(node, *peer);
    const bool processed_orphan = ProcessOrphanTx(*peer);
    if (node.disconnect) return false;
    if (processed_orphan) return true;
    // Answer what was asked before reading more (Core does the same).
    if (!peer->getdata_requests.empty()) return true;
    if (node.pause_send) return false;
    ReceivedMessage msg;
    bool more = false;
    if (!m_connman->PollMessage(node, msg, more)) return false;
    LogDebug(LogCategory::NET, "received: {} ({} bytes) peer={}", SanitizeString(msg.command), msg.payload.size(),
             node.id);
    try {
        ProcessMessage(node, *peer, msg.command, msg.payload);
    } catch (const std::exception& e) {
        // As Core: an undecodable payload is logged and dropped; protocol
        // violations that matter are punished where they are recognised.
        LogDebug(LogCategory::NET, "ProcessMessages({}, {} bytes): Exception '{}' caught", SanitizeString(msg.command),
                 msg.payload.size(), e.what());
    }
    return more || !peer->getdata_requests.empty() || HaveTxWork(*peer);
}

void PeerManager::ProcessMessage(Node& node, Peer& peer, const std::string& command, ByteSpan payload)
{
    if (command == msgtype::VERSION) return HandleVersion(node, peer, payload);
    if (!peer.version_received) {
        LogDebug(LogCategory::NET, "non-version message before version handshake. Message \"{}\" from peer={}",
                 SanitizeString(command), node.id);
        return;
    }
    if (command == msgtype::VERACK) return HandleVerack(node, peer);
    if (command == msgtype::SENDHEADERS) {
        peer.prefers_headers = true;
        return;
    }
    if (command == msgtype::WTXIDRELAY) {
        if (peer.verack_received) {
            LogDebug(LogCategory::NET, "wtxidrelay received after verack, {}", node.DisconnectMsg());
            node.disconnect = true;
            return;
        }
        if (std::min(peer.version, PROTOCOL_VERSION) >= WTXID_RELAY_VERSION) peer.wtxid_relay = true;
        return;
    }
    if (command == msgtype::SENDADDRV2) {
        if (peer.verack_received) {
            LogDebug(LogCategory::NET, "sendaddrv2 received after verack, {}", node.DisconnectMsg());
            node.disconnect = true;
            return;
        }
        peer.send_addrv2 = true;
        return;
    }
    // As Core: sendcmpct, like sendheaders, may come before verack.
    if (command == msgtype::SENDCMPCT) {
        const SendCmpctMsg m = DeserializeSendCmpct(payload);
        if (m.version == CMPCTBLOCKS_VERSION) {
            peer.provides_cmpct = true;
            peer.cmpct_hb_from = m.high_bandwidth;
        }
        return;
    }
    if (command == msgtype::SENDTXRCNCL) return; // Erlay is not offered, so this is ignored
    if (!peer.verack_received) {
        LogDebug(LogCategory::NET, "Unsupported message \"{}\" prior to verack from peer={}", SanitizeString(command),
                 node.id);
        return;
    }

    if (command == msgtype::PING) {
        if (peer.version > BIP0031_VERSION) Push(node, msgtype::PONG, SerializeNonce(DeserializeNonce(payload)));
    } else if (command == msgtype::PONG) {
        const int64_t now = GetTimeMicros();
        bool finished = false;
        std::string problem;
        uint64_t nonce = 0;
        if (payload.size() >= 8) {
            nonce = DeserializeNonce(payload);
            if (peer.ping_nonce_sent != 0) {
                if (nonce == peer.ping_nonce_sent) {
                    finished = true;
                    const int64_t t = now - peer.ping_start_us;
                    if (t >= 0) {
                        peer.last_ping_us = t;
                        peer.min_ping_us = peer.min_ping_us < 0 ? t : std::min(peer.min_ping_us, t);
                    } else {
                        problem = "Timing mishap";
                    }
                } else {
                    problem = "Nonce mismatch";
                    if (nonce == 0) {
                        finished = true;
                        problem = "Nonce zero";
                    }
                }
            } else {
                problem = "Unsolicited pong without ping";
            }
        } else {
            finished = true;
            problem = "Short payload";
        }
        if (!problem.empty()) {
            LogDebug(LogCategory::NET, "pong peer={}: {}, {:x} expected, {:x} received, {} bytes", node.id, problem,
                     peer.ping_nonce_sent, nonce, payload.size());
        }
        if (finished) peer.ping_nonce_sent = 0;
    } else if (command == msgtype::FEEFILTER) {
        HandleFeeFilter(node, peer, payload);
    } else if (command == msgtype::INV) {
        HandleInv(node, peer, DeserializeInvs(payload));
    } else if (command == msgtype::GETDATA) {
        std::vector<Inv> invs = DeserializeInvs(payload);
        if (invs.size() > MAX_INV_SZ) {
            Misbehaving(peer, "getdata message size = " + std::to_string(invs.size()));
            return;
        }
        LogDebug(LogCategory::NET, "received getdata ({} invsz) peer={}", invs.size(), node.id);
        if (!invs.empty()) LogDebug(LogCategory::NET, "received getdata for: {} peer={}", InvToString(invs[0]), node.id);
        peer.getdata_requests.insert(peer.getdata_requests.end(), invs.begin(), invs.end());
        ProcessGetData(node, peer);
    } else if (command == msgtype::GETHEADERS) {
        if (m_chainman.LoadingBlocks() && !node.HasPermission(NetPermissionFlags::Download)) {
            LogDebug(LogCategory::NET, "Ignoring getheaders from peer={} while importing/reindexing", node.id);
            return;
        }
        HandleGetHeaders(node, peer, DeserializeLocator(payload));
    } else if (command == msgtype::GETBLOCKS) {
        HandleGetBlocks(node, peer, DeserializeLocator(payload));
    } else if (IsBlockDelivery(command) && m_chainman.LoadingBlocks()) {
        // A reindex must be the only writer of the block files; a -loadblock
        // import brings the chain on its own (as Core: ignored, not punished).
        LogDebug(LogCategory::NET, "Unexpected {} message received from peer {}", command, node.id);
    } else if (command == msgtype::HEADERS) {
        // As Core: the count alone decides "too many", before any header is read.
        if (const uint64_t n = PeekCount(payload); n > MAX_HEADERS_RESULTS) {
            Misbehaving(peer, "headers message size = " + std::to_string(n));
            return;
        }
        HandleHeaders(node, peer, DeserializeHeaders(payload));
    } else if (command == msgtype::BLOCK) {
        Reader r(payload);
        auto block = std::make_shared<Block>(DeserializeBlock(r, true));
        HandleBlock(node, peer, std::move(block));
    } else if (command == msgtype::ADDR || command == msgtype::ADDRV2) {
        HandleAddr(node, peer, command, payload);
    } else if (command == msgtype::GETADDR) {
        HandleGetAddr(node, peer);
    } else if (command == msgtype::MEMPOOL) {
        HandleMempoolRequest(node, peer);
    } else if (command == msgtype::TX) {
        HandleTx(node, peer, payload);
    } else if (command == msgtype::NOTFOUND) {
        HandleNotFound(node, peer, payload);
    } else if (command == msgtype::CMPCTBLOCK) {
        HandleCmpctBlock(node, peer, payload);
    } else if (command == msgtype::GETBLOCKTXN) {
        HandleGetBlockTxn(node, peer, payload);
    } else if (command == msgtype::BLOCKTXN) {
        HandleBlockTxn(node, peer, payload);
    } else if (command == msgtype::FILTERLOAD || command == msgtype::FILTERADD || command == msgtype::FILTERCLEAR) {
        // BIP 111: without NODE_BLOOM (Cairn never offers it) these end the connection, as in Core.
        LogDebug(LogCategory::NET, "{} received despite not offering bloom services, {}", command, node.DisconnectMsg());
        node.disconnect = true;
    } else if (command == msgtype::GETCFILTERS || command == msgtype::GETCFHEADERS ||
               command == msgtype::GETCFCHECKPT) {
        // BIP 157 is not served (no NODE_COMPACT_FILTERS): a well-formed request ends the connection, as in Core.
        const CFilterRequestMsg m = DeserializeCFilterRequest(payload, command != msgtype::GETCFCHECKPT);
        LogDebug(LogCategory::NET, "peer requested unsupported block filter type: {}, {}", m.filter_type,
                 node.DisconnectMsg());
        node.disconnect = true;
    } else {
        LogDebug(LogCategory::NET, "Unknown message type \"{}\" from peer={}", SanitizeString(command), node.id);
    }
}

bool PeerManager::IsBlockDelivery(const std::string& command)
{
    return command == msgtype::HEADERS || command == msgtype::BLOCK || command == msgtype::CMPCTBLOCK ||
           command == msgtype::BLOCKTXN;
}

void PeerManager::HandleVersion(Node& node, Peer& peer, ByteSpan payload)
{
    if (peer.version_received) {
        LogDebug(LogCategory::NET, "redundant version message from peer={}", node.id);
        return;
    }
    const VersionMsg v = DeserializeVersion(payload);
    if (node.ExpectServices() && !HasAllDesirableServiceFlags(v.services, TipIsRecent())) {
        LogDebug(LogCategory::NET, "peer={} does not offer the expected services ({:08x} offered, {:08x} expected); "
                 "disconnecting", node.id, v.services, DesirableServiceFlags(v.services, TipIsRecent()));
        node.disconnect = true;
        return;
    }
    if (v.version < MIN_PEER_PROTO_VERSION) {
        LogDebug(LogCategory::NET, "peer using obsolete version {}, {}", v.version, node.DisconnectMsg());
        node.disconnect = true;
        return;
    }
    if (node.IsInbound() && !m_connman->CheckIncomingNonce(v.nonce)) {
        LogInfo("connected to self at {}, disconnecting", node.addr.ToStringAddrPort());
        node.disconnect = true;
        return;
    }
    if (node.IsInbound()) PushVersion(node, peer);
    const int common = std::min(v.version, PROTOCOL_VERSION);
    if (common >= WTXID_RELAY_VERSION) Push(node, msgtype::WTXIDRELAY);
    if (common >= 70016) Push(node, msgtype::SENDADDRV2); // BIP 155
    Push(node, msgtype::VERACK);

    peer.version_received = true;
    peer.version = v.version;
    peer.services = v.services;
    peer.subver = SanitizeString(v.user_agent);
    peer.start_height = v.start_height;
    peer.relay_txs = v.relay;
    peer.time_offset = v.time - GetTime();
    if (v.addr_recv.addr.IsRoutable()) peer.addr_local = v.addr_recv.addr;
    LogDebug(LogCategory::NET, "receive version message: {}: version {}, blocks={}, us={}, txrelay={}, peer={}",
             peer.subver, v.version, v.start_height, v.addr_recv.addr.ToStringAddrPort(), v.relay ? 1 : 0, node.id);
    SetPreferredDownload(node, peer);
    AddrRelayOnVersion(node, peer);
    TxRelayOnVersion(node, peer);
}

void PeerManager::HandleVerack(Node& node, Peer& peer)
{
    if (peer.verack_received) {
        LogDebug(LogCategory::NET, "ignoring redundant verack message from peer={}", node.id);
        return;
    }
    if (!node.IsInbound()) {
        LogInfo("New {} v1 peer connected: version: {}, blocks={}, peer={}", ConnectionTypeAsString(node.conn_type),
                peer.version, peer.start_height, node.id);
    }
    // Compact blocks (BIP 152, version 2): we offer them in low-bandwidth mode; high-bandwidth
    // mode is asked of fast block sources later (compact_relay.cpp).
    if (std::min(peer.version, PROTOCOL_VERSION) >= SHORT_IDS_BLOCKS_VERSION) {
        Push(node, msgtype::SENDCMPCT, SerializeSendCmpct({false, CMPCTBLOCKS_VERSION}));
    }
    TxRelayOnVerack(node, peer);
    peer.verack_received = true;
    node.successfully_connected = true;
}

void PeerManager::HandleInv(Node& node, Peer& peer, const std::vector<Inv>& invs)
{
    if (invs.size() > MAX_INV_SZ) {
        Misbehaving(peer, "inv message size = " + std::to_string(invs.size()));
        return;
    }
    HandleTxInvs(node, peer, invs);
    if (node.disconnect) return;
    std::optional<uint256> best_block;
    const BlockIndex* best_header;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        for (const Inv& inv : invs) {
            if (inv.type != MSG_BLOCK || m_chainman.LoadingBlocks()) continue;
            LogDebug(LogCategory::NET, "got inv: block {}  {} peer={}", inv.hash.GetHex(),
                     m_chainman.Tree().Lookup(inv.hash) ? "have" : "new", node.id);
            UpdateBlockAvailability(peer, inv.hash);
            if (!m_chainman.Tree().Lookup(inv.hash) && !m_blocks_in_flight.count(inv.hash)) best_block = inv.hash;
        }
        best_header = m_chainman.Tree().BestHeader();
    }
    // Headers first: ask for the headers leading to the announced block. While
    // initial headers sync runs with one peer only, each new block brings in at
    // most one more peer (the first to announce it), as Core: a faster sync if
    // our sync peer is slow, without asking every peer for the same headers.
    if (!best_block) return;
    if (peer.sync_started ||
        (!peer.inv_triggered_getheaders_before_sync && *best_block != m_last_block_inv_triggering_headers_sync)) {
        // As Core: the locator of our best header, no stop hash (the peer sends what it has).
        SendGetHeaders(node, peer, best_header);
        if (!peer.sync_started) {
            peer.inv_triggered_getheaders_before_sync = true;
            m_last_block_inv_triggering_headers_sync = *best_block;
        }
    }
}

bool PeerManager::SendGetHeaders(Node& node, Peer& peer, const BlockIndex* from, const uint256& stop)
{
    const int64_t now = GetTime();
    if (peer.last_getheaders_time != 0 && now - peer.last_getheaders_time <= HEADERS_RESPONSE_TIME) {
        LogDebug(LogCategory::NET, "Not sending getheaders: one is already in flight to peer={}", node.id);
        return false;
    }
    LocatorMsg m;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        m.locator = LocatorEntries(from);
    }
    m.hash_stop = stop;
    peer.last_getheaders_time = now;
    Push(node, msgtype::GETHEADERS, SerializeLocator(m));
    LogDebug(LogCategory::NET, "getheaders ({}) {} to peer={}", from ? from->height : -1, stop.GetHex(), node.id);
    return true;
}

void PeerManager::HandleHeaders(Node& node, Peer& peer, std::vector<BlockHeader> headers)
{
    if (headers.size() > MAX_HEADERS_RESULTS) {
        Misbehaving(peer, "headers message size = " + std::to_string(headers.size()));
        return;
    }
    const size_t count = headers.size();
    if (headers.empty()) {
        // The peer has nothing (more) for us: a low-work sync with it is
        // over, and this can only answer our last getheaders.
        peer.presync.reset();
        peer.last_getheaders_time = 0;
        return;
    }
    // Proof of work and continuity first (header_sync.cpp): presync relies on both.
    if (!CheckHeadersPoW(peer, headers)) return;
    // A low-work sync in progress takes the headers and may hand back some
    // that are now cleared for storage.
    bool work_checked = ContinuePresync(node, peer, headers);
    if (headers.empty()) return;
    const bool have_presync = peer.presync != nullptr;
    const uint256 last_hash = headers.back().GetHash();
    const BlockIndex* chain_start;
    bool received_new_header = false;
    arith_uint256 threshold;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        chain_start = m_chainman.Tree().Lookup(headers[0].prev_block);
        if (chain_start) {
            // Headers we already hold on the best header chain or the active chain cost nothing more.
            const BlockIndex* known = m_chainman.Tree().Lookup(last_hash);
            const BlockIndex* best = m_chainman.Tree().BestHeader();
            if (known && ((best && best->GetAncestor(known->height) == known) || m_chainman.ActiveChain().Contains(known))) {
                work_checked = true;
            }
            received_new_header = known == nullptr;
            threshold = AntiDoSWorkThresholdLocked();
        }
    }
    if (!chain_start) {
        // Maybe a BIP 130 announcement we cannot place (header_sync.cpp). It
        // cannot answer a getheaders, so the one in flight stays in flight.
        HandleUnconnectingHeaders(node, peer, headers);
        return;
    }
    // Connecting headers answer the getheaders in flight, if any.
    peer.last_getheaders_time = 0;
    // Peers with noban skip the anti-DoS work check (a trusted peer at start-up).
    if (node.HasPermission(NetPermissionFlags::NoBan)) work_checked = true;
    if (!work_checked && TryLowWorkHeadersSync(node, peer, *chain_start, headers, threshold)) return;
    BlockValidationState state;
    const BlockIndex* last = nullptr;
    if (!m_chainman.ProcessNewBlockHeaders(headers, state, &last)) {
        if (state.IsInvalid()) {
            PunishForBlock(peer.id, state, "invalid header received");
            return;
        }
    }
    const BlockIndex* last_index = m_chainman.Lookup(last_hash);
    if (!last_index) return;
    if (count == MAX_HEADERS_RESULTS && !have_presync) {
        // The peer may have more: continue from the last one.
        if (SendGetHeaders(node, peer, last_index)) {
            LogDebug(LogCategory::NET, "more getheaders ({}) to end to peer={} (startheight:{})", last_index->height,
                     node.id, peer.start_height);
        }
    }
    UpdatePeerStateForReceivedHeaders(node, peer, *last_index, received_new_header, count == MAX_HEADERS_RESULTS);
    if (node.disconnect) return;
    HeadersDirectFetchBlocks(node, peer, *last_index);
    if (count == MAX_HEADERS_RESULTS) return;
    // A block announced while this request was in flight (its getheaders was held back) is still
    // unknown: ask for the headers up to it now.
    uint256 announced;
    const BlockIndex* from;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        ProcessBlockAvailability(peer);
        announced = peer.last_unknown_block_hash;
        from = m_chainman.Tree().BestHeader();
    }
    if (!announced.IsNull()) SendGetHeaders(node, peer, from);
}

void PeerManager::HandleBlock(Node& node, Peer& peer, std::shared_ptr<Block> block)
{
    const uint256 hash = block->GetHash();
    LogDebug(LogCategory::NET, "received block {} peer={}", hash.GetHex(), node.id);
    // A block we asked anyone for is stored even if it does not beat the tip.
    const bool requested = m_blocks_in_flight.count(hash) > 0;
    MarkBlockReceived(hash, node.id);
    bool min_pow_checked = false;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        const BlockIndex* prev = m_chainman.Tree().Lookup(block->prev_block);
        min_pow_checked = prev && prev->chain_work + ClaimedWork(*block) >= AntiDoSWorkThresholdLocked();
        m_block_source[hash] = node.id;
        m_block_source_order.push_back(hash);
        while (m_block_source_order.size() > MAX_BLOCK_SOURCES) {
            m_block_source.erase(m_block_source_order.front());
            m_block_source_order.pop_front();
        }
    }
    bool new_block = false;
    BlockValidationState state;
    const bool ok = ProcessBlockFromPeer(block, requested, min_pow_checked, &new_block, &state);
    if (!ok) {
        // Judged here with the full state; the BlockChecked event for it is then ignored.
        m_block_source.erase(hash);
        if (state.IsInvalid()) PunishForBlock(peer.id, state, "");
        return;
    }
    if (new_block) {
        peer.last_block_time = GetTime();
    } else {
        m_block_source.erase(hash);
    }
}

void PeerManager::HandleGetHeaders(Node& node, Peer& peer, const LocatorMsg& m)
{
    if (m.locator.size() > MAX_LOCATOR_SZ) {
        LogDebug(LogCategory::NET, "getheaders locator size {} > {}, disconnect peer={}", m.locator.size(),
                 MAX_LOCATOR_SZ, node.id);
        node.disconnect = true;
        return;
    }
    std::vector<BlockHeader> headers;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        const Chain& chain = m_chainman.ActiveChain();
        const BlockTree& tree = m_chainman.Tree();
        // Peers with the download permission get headers even while our chain has too little work.
        if (!chain.Tip() || (chain.Tip()->chain_work < m_opts.minimum_chain_work &&
                             !node.HasPermission(NetPermissionFlags::Download))) {
            LogDebug(LogCategory::NET, "Ignoring getheaders from peer={} because active chain has too little work; "
                     "sending empty response", node.id);
        } else {
            const BlockIndex* pindex = nullptr;
            if (m.locator.empty()) {
                pindex = tree.Lookup(m.hash_stop);
                if (!pindex) return;
                if (!BlockRequestAllowedLocked(*pindex)) {
                    LogDebug(LogCategory::NET, "ignoring request from peer={} for old block header that isn't in "
                             "the main chain", node.id);
                    return;
                }
            } else {
                // Core's FindForkInGlobalIndex: the first locator entry on our chain, or our tip when the entry
                // descends from it (the peer is ahead of us: nothing to send).
                const BlockIndex* fork = chain.Genesis();
                for (const uint256& h : m.locator) {
                    const BlockIndex* idx = tree.Lookup(h);
                    if (!idx) continue;
                    if (chain.Contains(idx)) {
                        fork = idx;
                        break;
                    }
                    if (idx->GetAncestor(chain.Height()) == chain.Tip()) {
                        fork = chain.Tip();
                        break;
                    }
                }
                pindex = chain.Next(fork);
            }
            for (; pindex; pindex = chain.Next(pindex)) {
                headers.push_back(pindex->GetBlockHeader());
                if (headers.size() >= MAX_HEADERS_RESULTS || pindex->GetBlockHash() == m.hash_stop) break;
            }
            // Null pindex: we sent up to our tip, or the peer has it already.
            peer.best_header_sent = pindex ? pindex : chain.Tip();
        }
    }
    LogDebug(LogCategory::NET, "getheaders: sending {} headers to peer={}", headers.size(), node.id);
    Push(node, msgtype::HEADERS, SerializeHeaders(headers));
}

void PeerManager::HandleGetBlocks(Node& node, Peer& peer, const LocatorMsg& m)
{
    if (m.locator.size() > MAX_LOCATOR_SZ) {
        LogDebug(LogCategory::NET, "getblocks locator size {} > {}, disconnect peer={}", m.locator.size(),
                 MAX_LOCATOR_SZ, node.id);
        node.disconnect = true;
        return;
    }
    std::vector<Inv> invs;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        const Chain& chain = m_chainman.ActiveChain();
        const BlockIndex* fork = chain.Genesis();
        for (const uint256& h : m.locator) {
            const BlockIndex* idx = m_chainman.Tree().Lookup(h);
            if (idx && chain.Contains(idx)) {
                fork = idx;
                break;
            }
        }
        const BlockIndex* p = fork ? chain.Next(fork) : nullptr;
        LogDebug(LogCategory::NET, "getblocks {} to {} limit {} from peer={}", p ? p->height : -1,
                 m.hash_stop.IsNull() ? "end" : m.hash_stop.GetHex(), MAX_GETBLOCKS_RESULTS, node.id);
        // Pruning: only blocks we have and will likely still have for the
        // hour block relay may need (Core's nPrunedBlocksLikelyToHave).
        const int likely_to_have =
            MIN_BLOCKS_TO_KEEP - int(3600 / m_chainman.Params().consensus.pow_target_spacing);
        for (; p; p = chain.Next(p)) {
            if (p->GetBlockHash() == m.hash_stop) {
                LogDebug(LogCategory::NET, "  getblocks stopping at {} {}", p->height, p->GetBlockHash().GetHex());
                break;
            }
            if (m_chainman.IsPruneMode() &&
                (!(p->status & BLOCK_HAVE_DATA) || p->height <= chain.Height() - likely_to_have)) {
                LogDebug(LogCategory::NET, " getblocks stopping, pruned or too old block at {} {}", p->height,
                         p->GetBlockHash().GetHex());
                break;
            }
            invs.push_back({MSG_BLOCK, p->GetBlockHash()});
            if (int(invs.size()) >= MAX_GETBLOCKS_RESULTS) {
                // When the peer asks for this block, an inv of our tip makes
                // it send the next getblocks (ProcessGetBlockData).
                LogDebug(LogCategory::NET, "  getblocks stopping at limit {} {}", p->height, p->GetBlockHash().GetHex());
                peer.continuation_block = p->GetBlockHash();
                break;
            }
        }
    }
    if (!invs.empty()) Push(node, msgtype::INV, SerializeInvs(invs));
}

bool PeerManager::BlockRequestAllowedLocked(const BlockIndex& index) const
{
    if (m_chainman.ActiveChain().Contains(&index)) return true;
    // A stale block: served only if fully validated once, and not more than
    // a month older, in time and in work, than our best header, so that
    // peers cannot learn which old forks we saw (fingerprinting).
    constexpr int64_t STALE_RELAY_AGE_LIMIT = 30 * 24 * 60 * 60;
    const BlockIndex* best = m_chainman.Tree().BestHeader();
    return index.IsValid(BLOCK_VALID_SCRIPTS) && best && best->GetBlockTime() - index.GetBlockTime() < STALE_RELAY_AGE_LIMIT &&
           GetBlockProofEquivalentTime(*best, index, *best, m_chainman.Params().consensus) < STALE_RELAY_AGE_LIMIT;
}

void PeerManager::ProcessGetBlockData(Node& node, Peer& peer, const Inv& inv)
{
    const BlockIndex* index = nullptr;
    const BlockIndex* tip = nullptr;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        index = m_chainman.Tree().Lookup(inv.hash);
        if (!index) return;
        if (!BlockRequestAllowedLocked(*index)) {
            LogDebug(LogCategory::NET, "ProcessGetBlockData: ignoring request from peer={} for old block that isn't "
                     "in the main chain", node.id);
            return;
        }
        // -maxuploadtarget: past the historical-block limit, a peer without the download
        // permission asking for a block a week older than our best header is dropped (Core).
        const BlockIndex* best_header = m_chainman.Tree().BestHeader();
        if (best_header && best_header->GetBlockTime() - index->GetBlockTime() > HISTORICAL_BLOCK_AGE &&
            !node.HasPermission(NetPermissionFlags::Download) && m_connman->OutboundTargetReached(true)) {
            LogDebug(LogCategory::NET, "historical block serving limit reached, {}", node.DisconnectMsg());
            node.disconnect = true;
            peer.getdata_requests.clear();
            return;
        }
        tip = m_chainman.ActiveChain().Tip();
        // A pruned node (NODE_NETWORK_LIMITED without NODE_NETWORK) never
        // serves blocks below what it promised to keep, even if it has them:
        // that would reveal its prune height. The peer is disconnected so
        // that it does not wait for the block (stall) and asks elsewhere.
        const uint64_t ours = m_opts.local_services;
        if (!node.HasPermission(NetPermissionFlags::NoBan) && (ours & NODE_NETWORK_LIMITED) && !(ours & NODE_NETWORK) &&
            tip->height - index->height > int(NODE_NETWORK_LIMITED_MIN_BLOCKS) + 2) {
            LogDebug(LogCategory::NET, "Ignore block request below NODE_NETWORK_LIMITED threshold, {}",
                     node.DisconnectMsg());
            node.disconnect = true;
            return;
        }
        // Pruned away (or never stored): no answer, as Core.
        if (!(index->status & BLOCK_HAVE_DATA)) return;
    }
    std::shared_ptr<const Block> block;
    if (m_cmpct.recent_block && m_cmpct.recent_hash == inv.hash) {
        block = m_cmpct.recent_block;
    } else if (std::optional<Block> read = m_chainman.ReadBlock(*index)) {
        block = std::make_shared<const Block>(std::move(*read));
    } else {
        // Pruned between the check above and the read, or a damaged file.
        bool pruned;
        {
            std::lock_guard cs(m_chainman.GetMutex());
            pruned = !(index->status & BLOCK_HAVE_DATA);
        }
        if (pruned) {
            LogDebug(LogCategory::NET, "Block was pruned before it could be read, {}", node.DisconnectMsg());
        } else {
            LogError("Cannot load block from disk, {}", node.DisconnectMsg());
        }
        node.disconnect = true;
        return;
    }
    // MSG_CMPCT_BLOCK: a cmpctblock for recent blocks, else the full block (compact_relay.cpp).
    if (inv.type != MSG_CMPCT_BLOCK || !MaybePushCompactForGetData(node, *index, *block)) {
        const bool witness = inv.type != MSG_BLOCK;
        Push(node, msgtype::BLOCK, SerializeBlockBytes(*block, witness));
    }
    // The last block of a 500-block getblocks answer: an inv of our tip,
    // right after the block, makes the peer ask for the next batch.
    if (!peer.continuation_block.IsNull() && inv.hash == peer.continuation_block) {
        Push(node, msgtype::INV, SerializeInvs({{MSG_BLOCK, tip->GetBlockHash()}}));
        peer.continuation_block.SetNull();
    }
}

void PeerManager::ProcessGetData(Node& node, Peer& peer)
{
    std::vector<Inv> not_found;
    auto& q = peer.getdata_requests;
    // Transactions first, as many as the send buffer takes (tx_relay.cpp).
    ProcessGetDataTx(node, peer, not_found);
    // Then at most one block per call, as Core, so one peer's requests cannot hog the handler.
    // Other types are dropped; filtered blocks get no answer (no bloom filters).
    if (!q.empty() && !node.pause_send) {
        const Inv inv = q.front();
        q.pop_front();
        if (inv.type == MSG_BLOCK || inv.type == MSG_WITNESS_BLOCK || inv.type == MSG_CMPCT_BLOCK) {
            ProcessGetBlockData(node, peer, inv);
        }
    }
    if (!not_found.empty()) Push(node, msgtype::NOTFOUND, SerializeInvs(not_found));
}

// ---- misbehaviour ----

void PeerManager::Misbehaving(Peer& peer, const std::string& message)
{
    peer.should_discourage = true;
    LogDebug(LogCategory::NET, "Misbehaving: peer={}{}", peer.id, message.empty() ? "" : ": " + message);
}

bool PeerManager::MaybeDiscourageAndDisconnect(Node& node, Peer& peer)
{
    if (!peer.should_discourage) return false;
    peer.should_discourage = false;
    if (node.HasPermission(NetPermissionFlags::NoBan)) {
        // As Core: -whitelist/-whitebind noban peers are never disconnected or discouraged for misbehaviour.
        LogInfo("Warning: not punishing noban peer {}!", node.id);
        return false;
    }
    if (node.IsManual()) {
        LogInfo("Warning: not punishing manually connected peer {}!", node.id);
        return false;
    }
    if (node.addr.IsLocal()) {
        LogInfo("Warning: disconnecting but not discouraging local peer {}!", node.id);
        node.disconnect = true;
        return true;
    }
    LogDebug(LogCategory::NET, "Disconnecting and discouraging peer {}!", node.id);
    m_connman->Discourage(node.addr);
    node.disconnect = true;
    return true;
}

void PeerManager::PunishForBlock(NodeId id, const BlockValidationState& state, const std::string& what)
{
    Peer* peer = GetPeer(id);
    if (!peer) return;
    const std::string message = what.empty() ? state.ToString() : what + ": " + state.ToString();
    switch (state.GetResult()) {
    case BlockResult::UNSET:
    case BlockResult::RECENT_CONSENSUS_CHANGE:
    case BlockResult::TIME_FUTURE:
    case BlockResult::HEADER_LOW_WORK:
        break;
    case BlockResult::CACHED_INVALID:
        // Only outbound peers on an invalid chain are discouraged (Core).
        if (!peer->inbound) Misbehaving(*peer, message);
        break;
    case BlockResult::CONSENSUS:
    case BlockResult::MUTATED:
    case BlockResult::INVALID_HEADER:
    case BlockResult::CHECKPOINT:
    case BlockResult::INVALID_PREV:
    case BlockResult::MISSING_PREV:
        Misbehaving(*peer, message);
        break;
    }
    LogDebug(LogCategory::NET, "peer={}: {}", id, message);
}

// ---- validation events ----

void PeerManager::TipChanged(SyncState state, const BlockIndex& tip, double)
{
    m_tip_time = tip.GetBlockTime();
    {
        std::lock_guard lock(m_events_mutex);
        m_events.push_back({Event::Kind::TIP, tip.GetBlockHash(), state == SyncState::INITIAL_DOWNLOAD, {}});
    }
    if (m_connman) m_connman->WakeMessageHandler();
}

bool PeerManager::TipIsRecent() const
{
    const int64_t spacing = m_chainman.Params().consensus.pow_target_spacing;
    return GetTime() - m_tip_time.load() < spacing * (NODE_NETWORK_LIMITED_ALLOW_CONN_BLOCKS - 1);
}

void PeerManager::BlockChecked(const Block& block, const std::string& reject_reason)
{
    {
        std::lock_guard lock(m_events_mutex);
        m_events.push_back({Event::Kind::BLOCK_INVALID, block.GetHash(), false, reject_reason});
    }
    if (m_connman) m_connman->WakeMessageHandler();
}

void PeerManager::ProcessEvents()
{
    std::vector<Event> events;
    {
        std::lock_guard lock(m_events_mutex);
        events.swap(m_events);
    }
    TxRelayProcessQueued();
    // Core runs this every 45 s from its scheduler; here the handler's loop
    // does, on the mockable clock (for tests) or the system clock.
    const int64_t now = GetTime(), now_system = GetSystemTime();
    if (now >= m_next_extra_peer_check || now_system >= m_next_extra_peer_check_system) {
        m_next_extra_peer_check = now + EXTRA_PEER_CHECK_INTERVAL;
        m_next_extra_peer_check_system = now_system + EXTRA_PEER_CHECK_INTERVAL;
        std::lock_guard lock(m_mutex);
        CheckForStaleTipAndEvictPeers();
    }
    if (events.empty()) return;
    std::lock_guard lock(m_mutex);
    for (const Event& ev : events) {
        if (ev.kind == Event::Kind::NEW_POW_VALID_BLOCK) {
            // A block submitted by RPC (or imported): relayed now (compact_relay.cpp).
            if (const BlockIndex* index = m_chainman.Lookup(ev.hash); index && ev.block) {
                CompactRelayNewPoWValidBlock(*index, ev.block);
            }
            continue;
        }
        if (ev.kind == Event::Kind::BLOCK_INVALID) {
            if (CompactRelayBlockChecked(ev.hash, ev.reason.empty())) continue;
            auto it = m_block_source.find(ev.hash);
            if (it == m_block_source.end()) continue;
            if (!ev.reason.empty()) {
                if (Peer* peer = GetPeer(it->second)) Misbehaving(*peer, "invalid block: " + ev.reason);
            }
            m_block_source.erase(it);
            continue;
        }
        // A new tip: queue announcements of the blocks since the fork (not during IBD, as Core).
        m_last_tip_update = GetTime(); // for the stale-tip check (sync_timeouts.cpp)
        std::vector<uint256> hashes;
        {
            std::lock_guard cs(m_chainman.GetMutex());
            const BlockIndex* tip = m_chainman.Tree().Lookup(ev.hash);
            if (!tip) continue;
            const BlockIndex* fork = m_last_tip ? LastCommonAncestor(m_last_tip, tip) : tip->prev;
            TxRelayNoteTip(m_last_tip, fork, tip, ev.ibd);
            m_last_tip = tip;
            if (ev.ibd) continue;
            for (const BlockIndex* p = tip; p && p != fork && hashes.size() < MAX_BLOCKS_TO_ANNOUNCE; p = p->prev) {
                hashes.push_back(p->GetBlockHash());
            }
        }
        std::reverse(hashes.begin(), hashes.end());
        for (auto& [id, peer] : m_peers) {
            peer->blocks_to_announce.insert(peer->blocks_to_announce.end(), hashes.begin(), hashes.end());
        }
        CompactRelayOnTip(ev.hash);
    }
    TxRelayAfterTipEvents();
}

// ---- block availability and download (under the engine lock) ----

void PeerManager::ProcessBlockAvailability(Peer& peer)
{
    if (peer.last_unknown_block_hash.IsNull()) return;
    const BlockIndex* idx = m_chainman.Tree().Lookup(peer.last_unknown_block_hash);
    if (idx && idx->chain_work > 0) {
        if (!peer.best_known_block || idx->chain_work >= peer.best_known_block->chain_work) peer.best_known_block = idx;
        peer.last_unknown_block_hash.SetNull();
    }
}

void PeerManager::UpdateBlockAvailability(Peer& peer, const uint256& hash)
{
    ProcessBlockAvailability(peer);
    const BlockIndex* idx = m_chainman.Tree().Lookup(hash);
    if (idx && idx->chain_work > 0) {
        if (!peer.best_known_block || idx->chain_work >= peer.best_known_block->chain_work) peer.best_known_block = idx;
    } else {
        peer.last_unknown_block_hash = hash;
    }
}

bool PeerManager::PeerHasHeader(const Peer& peer, const BlockIndex* index) const
{
    if (!index) return false;
    if (peer.best_known_block && index == peer.best_known_block->GetAncestor(index->height)) return true;
    if (peer.best_header_sent && index == peer.best_header_sent->GetAncestor(index->height)) return true;
    return false;
}

void PeerManager::FindNextBlocksToDownload(Peer& peer, size_t count, std::vector<const BlockIndex*>& out,
                                           NodeId* staller)
{
    if (count == 0) return;
    ProcessBlockAvailability(peer);
    const Chain& chain = m_chainman.ActiveChain();
    const BlockIndex* best = peer.best_known_block;
    const BlockIndex* tip = chain.Tip();
    if (!best || !tip || best->chain_work < tip->chain_work || best->chain_work < m_opts.minimum_chain_work) return;
    if (!peer.last_common_block) peer.last_common_block = chain[std::min(best->height, chain.Height())];
    peer.last_common_block = LastCommonAncestor(peer.last_common_block, best);
    if (peer.last_common_block == best) return;

    const int window_end = peer.last_common_block->height + BLOCK_DOWNLOAD_WINDOW;
    const int max_height = std::min(best->height, window_end + 1);
    std::optional<NodeId> waiting_for; // owner of the first block in flight from someone
    const bool limited = (peer.services & NODE_NETWORK_LIMITED) && !(peer.services & NODE_NETWORK);
    for (int h = peer.last_common_block->height + 1; h <= max_height; ++h) {
        const BlockIndex* b = best->GetAncestor(h);
        if (!b->IsValid(BLOCK_VALID_TREE)) return; // an invalid chain: nothing useful here
        // A pruned peer (NODE_NETWORK_LIMITED only) keeps its last 288 blocks:
        // nothing deeper, and none of its descendants, is asked of it.
        if (limited && best->height - b->height >= int(NODE_NETWORK_LIMITED_MIN_BLOCKS) - 2) return;
        if ((b->status & BLOCK_HAVE_DATA) || chain.Contains(b)) {
            if (b->chain_tx_count != 0) peer.last_common_block = b;
            continue;
        }
        if (auto it = m_blocks_in_flight.find(b->GetBlockHash()); it != m_blocks_in_flight.end()) {
            if (!waiting_for) waiting_for = it->second;
            continue;
        }
        if (b->height > window_end) {
            // The window is full: one block more would be fetchable if the
            // peer holding its start delivered.
            if (out.empty() && staller && waiting_for && *waiting_for != peer.id) *staller = *waiting_for;
            return;
        }
        out.push_back(b);
        if (out.size() == count) return;
    }
}

void PeerManager::MarkBlockInFlight(Peer& peer, const BlockIndex* index)
{
    m_blocks_in_flight[index->GetBlockHash()] = peer.id;
    const int64_t now = GetTimeMicros();
    if (peer.blocks_in_flight.empty()) peer.downloading_since_us = now;
    peer.blocks_in_flight.push_back({index->GetBlockHash(), index});
}

bool PeerManager::MarkBlockReceived(const uint256& hash, NodeId from)
{
    auto it = m_blocks_in_flight.find(hash);
    if (it == m_blocks_in_flight.end()) return false;
    const NodeId owner = it->second;
    if (Peer* p = GetPeer(owner)) {
        DropInFlight(*p, hash);
    }
    // Blocks flow again: let the stalling timeout come back down.
    m_block_stalling_timeout_us = std::max(m_block_stalling_timeout_us * 85 / 100, BLOCK_STALLING_TIMEOUT_DEFAULT_US);
    m_blocks_in_flight.erase(it);
    return owner == from;
}

void PeerManager::DropInFlight(Peer& peer, const uint256& hash)
{
    // As Core: the download clock restarts when the front block arrives, so a peer that keeps delivering
    // is not timed out for the length of its whole queue.
    if (!peer.blocks_in_flight.empty() && peer.blocks_in_flight.front().hash == hash) {
        peer.downloading_since_us = std::max(peer.downloading_since_us, GetTimeMicros());
    }
    peer.blocks_in_flight.remove_if([&](const InFlight& f) { return f.hash == hash; });
    peer.stalling_since_us = 0;
}

void PeerManager::RemoveInFlight(Peer& peer)
{
    for (const InFlight& f : peer.blocks_in_flight) m_blocks_in_flight.erase(f.hash);
    peer.blocks_in_flight.clear();
}

// ---- sending ----

void PeerManager::SendPings()
{
    {
        std::lock_guard lock(m_mutex);
        for (auto& [id, peer] : m_peers) peer->ping_queued = true;
    }
    if (m_connman) m_connman->WakeMessageHandler();
}

void PeerManager::MaybeSendPing(Node& node, Peer& peer)
{
    const int64_t now = GetTimeMicros();
    // As Core: only once inactivity checks apply (-peertimeout), so tests that jump the mock clock keep peers.
    if (peer.ping_nonce_sent != 0 && now - peer.ping_start_us > TIMEOUT_INTERVAL * 1'000'000 &&
        (!m_connman || m_connman->ShouldRunInactivityChecks(node, now / 1'000'000))) {
        LogDebug(LogCategory::NET, "ping timeout: {:.6f}s, {}", double(now - peer.ping_start_us) / 1e6,
                 node.DisconnectMsg());
        node.disconnect = true;
        return;
    }
    bool send = peer.ping_queued;
    if (peer.ping_nonce_sent == 0 && now > peer.ping_start_us + PING_INTERVAL * 1'000'000) send = true;
    if (!send) return;
    uint64_t nonce = 0;
    while (nonce == 0) nonce = GetRandUint64();
    peer.ping_queued = false;
    peer.ping_start_us = now;
    if (peer.version > BIP0031_VERSION) {
        peer.ping_nonce_sent = nonce;
        Push(node, msgtype::PING, SerializeNonce(nonce));
    } else {
        peer.ping_nonce_sent = 0;
        Push(node, msgtype::PING);
    }
}

void PeerManager::MaybeSendAnnouncements(Node& node, Peer& peer)
{
    if (peer.blocks_to_announce.empty()) return;
    std::vector<BlockHeader> headers;
    std::optional<uint256> inv_hash;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        const Chain& chain = m_chainman.ActiveChain();
        // A peer that asked for high-bandwidth compact blocks gets one new block as cmpctblock (below).
        bool revert_to_inv = (!peer.prefers_headers && (!peer.cmpct_hb_from || peer.blocks_to_announce.size() > 1)) ||
                             peer.blocks_to_announce.size() > MAX_BLOCKS_TO_ANNOUNCE;
        const BlockIndex* best_index = nullptr;
        bool found_start = false;
        if (!revert_to_inv) {
            for (const uint256& hash : peer.blocks_to_announce) {
                const BlockIndex* idx = m_chainman.Tree().Lookup(hash);
                if (!idx || !chain.Contains(idx)) { // reorganised away meanwhile
                    revert_to_inv = true;
                    break;
                }
                if (best_index && idx->prev != best_index) { // not one connected run
                    revert_to_inv = true;
                    break;
                }
                best_index = idx;
                if (found_start) {
                    headers.push_back(idx->GetBlockHeader());
                } else if (PeerHasHeader(peer, idx)) {
                    continue;
                } else if (!idx->prev || PeerHasHeader(peer, idx->prev)) {
                    found_start = true;
                    headers.push_back(idx->GetBlockHeader());
                } else {
                    revert_to_inv = true; // the peer would not be able to connect them
                    break;
                }
            }
        }
        if (!revert_to_inv) {
            if (!headers.empty()) peer.best_header_sent = best_index;
        } else {
            headers.clear();
            const BlockIndex* idx = m_chainman.Tree().Lookup(peer.blocks_to_announce.back());
            if (idx && !PeerHasHeader(peer, idx)) inv_hash = idx->GetBlockHash();
        }
        peer.blocks_to_announce.clear();
    }
    if (headers.size() == 1 && peer.cmpct_hb_from && PushCompactAnnouncement(node, peer, headers[0])) {
        // sent as cmpctblock (compact_relay.cpp)
    } else if (!headers.empty()) {
        LogDebug(LogCategory::NET, "sending header-and-ids / headers ({}) to peer={}", headers.size(), node.id);
        Push(node, msgtype::HEADERS, SerializeHeaders(headers));
    } else if (inv_hash) {
        LogDebug(LogCategory::NET, "sending inv block {} to peer={}", inv_hash->GetHex(), node.id);
        Push(node, msgtype::INV, SerializeInvs({{MSG_BLOCK, *inv_hash}}));
    }
}

void PeerManager::RequestBlocks(Node& node, Peer& peer)
{
    if (!CanServeBlocks(peer.services) || m_chainman.LoadingBlocks()) return;
    if (peer.blocks_in_flight.size() >= MAX_BLOCKS_IN_TRANSIT_PER_PEER) return;
    // As Core: during initial download, blocks come from the peers we sync from (outbound or noban ones, or
    // any while those give us nothing), never from a pruned (NETWORK_LIMITED only) peer.
    const bool limited_peer = !(peer.services & NODE_NETWORK) && (peer.services & NODE_NETWORK_LIMITED);
    if ((!SyncFromPeer(node, peer) || limited_peer) && m_chainman.IsInitialBlockDownload()) return;
    std::vector<const BlockIndex*> blocks;
    NodeId staller = -1;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        FindNextBlocksToDownload(peer, MAX_BLOCKS_IN_TRANSIT_PER_PEER - peer.blocks_in_flight.size(), blocks,
                                 &staller);
    }
    if (peer.blocks_in_flight.empty() && staller != -1) {
        if (Peer* s = GetPeer(staller); s && s->stalling_since_us == 0) {
            s->stalling_since_us = GetTimeMicros();
            LogDebug(LogCategory::NET, "Stall started peer={}", staller);
        }
    }
    SendBlockRequests(node, peer, blocks);
}

void PeerManager::SendBlockRequests(Node& node, Peer& peer, const std::vector<const BlockIndex*>& blocks)
{
    if (blocks.empty()) return;
    std::vector<Inv> invs;
    // Low-bandwidth BIP 152: the tip's child alone is fetched as a compact block (compact_relay.cpp).
    const uint32_t type = WantCompactFetch(peer, blocks) ? uint32_t(MSG_CMPCT_BLOCK)
                          : (peer.services & NODE_WITNESS) ? uint32_t(MSG_WITNESS_BLOCK)
                                                           : uint32_t(MSG_BLOCK);
    for (const BlockIndex* b : blocks) {
        invs.push_back({type, b->GetBlockHash()});
        MarkBlockInFlight(peer, b);
        LogDebug(LogCategory::NET, "Requesting block {} ({}) peer={}", b->GetBlockHash().GetHex(), b->height, node.id);
    }
    Push(node, msgtype::GETDATA, SerializeInvs(invs));
}

void PeerManager::SendMessages(Node& node)
{
    std::lock_guard lock(m_mutex);
    Peer* peer_ptr = GetPeer(node.id);
    if (!peer_ptr || !node.successfully_connected || node.disconnect) return;
    Peer& peer = *peer_ptr;
    if (MaybeDiscourageAndDisconnect(node, peer)) return;
    MaybeSendPing(node, peer);
    if (node.disconnect) return;
    MaybeSendAddr(node, peer);
    UpdateEvictionInputs(peer);
    if (node.disconnect) return;

    // Start headers sync: with one peer (preferably outbound, sync_timeouts.cpp) while our
    // headers are old, with every peer once they are recent.
    if (!peer.sync_started && CanServeBlocks(peer.services) && !m_chainman.LoadingBlocks()) {
        const BlockIndex* best_header;
        {
            std::lock_guard cs(m_chainman.GetMutex());
            best_header = m_chainman.Tree().BestHeader();
        }
        if (best_header && ((m_sync_started == 0 && SyncFromPeer(node, peer)) ||
                            best_header->GetBlockTime() > GetTime() - 24 * 60 * 60)) {
            // From the parent of our best header: the reply is never empty, so it tells us the peer's tip.
            const BlockIndex* start = best_header->prev ? best_header->prev : best_header;
            if (SendGetHeaders(node, peer, start)) {
                LogDebug(LogCategory::NET, "initial getheaders ({}) to peer={} (startheight:{})", start->height,
                         node.id, peer.start_height);
                peer.sync_started = true;
                peer.headers_sync_timeout_us = HeadersSyncTimeout(GetTimeMicros());
                ++m_sync_started;
            }
        }
    }

    // BIP 130: ask for headers announcements once the peer has shown a useful chain.
    if (!peer.sent_sendheaders && std::min(peer.version, PROTOCOL_VERSION) >= SENDHEADERS_VERSION) {
        bool send;
        {
            std::lock_guard cs(m_chainman.GetMutex());
            ProcessBlockAvailability(peer);
            send = peer.best_known_block && peer.best_known_block->chain_work > m_opts.minimum_chain_work;
        }
        if (send) {
            Push(node, msgtype::SENDHEADERS);
            peer.sent_sendheaders = true;
        }
    }

    MaybeSendAnnouncements(node, peer);
    SendTxMessages(node, peer);

    // A peer holding back the download window: let another fetch its blocks.
    if (peer.stalling_since_us != 0 && GetTimeMicros() - peer.stalling_since_us > m_block_stalling_timeout_us) {
        LogInfo("Peer is stalling block download, {}", node.DisconnectMsg());
        node.disconnect = true;
        const int64_t next = std::min(2 * m_block_stalling_timeout_us, BLOCK_STALLING_TIMEOUT_MAX_US);
        if (next != m_block_stalling_timeout_us) {
            m_block_stalling_timeout_us = next;
            LogDebug(LogCategory::NET, "Increased stalling timeout temporarily to {} seconds", next / 1'000'000);
        }
        return;
    }
    // A block that takes too long to arrive: give the slot to someone else.
    if (!peer.blocks_in_flight.empty()) {
        size_t downloading_peers = 0;
        for (const auto& [id, p] : m_peers) downloading_peers += !p->blocks_in_flight.empty();
        const int64_t spacing = m_chainman.Params().consensus.pow_target_spacing;
        const double limit_s = double(spacing) * (BLOCK_DOWNLOAD_TIMEOUT_BASE +
                                                  BLOCK_DOWNLOAD_TIMEOUT_PER_PEER * double(downloading_peers - 1));
        const InFlight& first = peer.blocks_in_flight.front();
        if (double(GetTimeMicros() - peer.downloading_since_us) > limit_s * 1e6) {
            LogInfo("Timeout downloading block {}, {}", first.hash.GetHex(), node.DisconnectMsg());
            node.disconnect = true;
            return;
        }
    }
    // A stalled initial headers sync, and outbound peers that lag behind our tip (sync_timeouts.cpp).
    if (CheckHeadersSyncTimeout(node, peer)) return;
    ConsiderEviction(node, peer, GetTime());
    if (node.disconnect) return;
    RequestBlocks(node, peer);
}

// ---- statistics ----

std::optional<PeerStats> PeerManager::GetPeerStats(NodeId id) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_peers.find(id);
    if (it == m_peers.end()) return std::nullopt;
    const Peer& p = *it->second;
    PeerStats s;
    s.version = p.version;
    s.services = p.services;
    s.subver = p.subver;
    s.relay_txs = p.relay_txs;
    s.start_height = p.start_height;
    s.time_offset = p.time_offset;
    s.successfully_connected = p.verack_received;
    if (p.ping_nonce_sent != 0) s.ping_wait_us = GetTimeMicros() - p.ping_start_us;
    if (p.last_ping_us >= 0) s.last_ping_us = p.last_ping_us;
    if (p.min_ping_us >= 0) s.min_ping_us = p.min_ping_us;
    s.presynced_headers = p.presync && p.presync->GetPhase() == HeadersPresync::Phase::PRESYNC ? p.presync->PresyncHeight() : -1;
    s.synced_headers = p.best_known_block ? p.best_known_block->height : -1;
    s.synced_blocks = p.last_common_block ? p.last_common_block->height : -1;
    for (const InFlight& f : p.blocks_in_flight) s.inflight.push_back(f.index->height);
    s.addr_relay_enabled = p.addr_relay.enabled;
    s.addr_processed = p.addr_relay.processed;
    s.addr_rate_limited = p.addr_relay.rate_limited;
    s.min_fee_filter = p.fee_filter;
    s.last_block_time = p.last_block_time;
    s.wtxid_relay = p.wtxid_relay;
    s.bip152_hb_from = p.cmpct_hb_from;
    s.bip152_hb_to = p.cmpct_hb_to;
    s.addr_local = p.addr_local;
    FillTxRelayStats(p, s);
    return s;
}

} // namespace cairn
