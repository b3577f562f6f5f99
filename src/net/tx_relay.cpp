// Transaction relay: PeerManager member functions (Bitcoin Core's
// net_processing transaction handling). The state is in tx_relay.h; what to
// download and the orphans are in tx_download.h.
//
// Announcing: every transaction entering the pool (from a peer, an RPC, a
// reorg) is queued for every peer that relays transactions, as a wtxid for
// BIP 339 peers and a txid for the others. Each peer gets a trickle of invs
// at Poisson times (inbound peers share one 5 s timer, outbound ones have
// their own 2 s timers), at most INVENTORY_BROADCAST_TARGET plus 5 per
// thousand waiting, parents before children and higher feerates first,
// skipping what the peer knows, what left the pool and what pays less than
// the peer's BIP 133 feefilter. A peer may then getdata a transaction only if
// it was in the pool before our last inv to it (so a spy cannot learn what we
// have without waiting for an announcement), or is in the latest block we
// relayed.
//
// Receiving: announced transactions are requested as tx_download.h decides;
// a tx message goes to AcceptToMemoryPool; a consensus-invalid one gets its
// sender disconnected (and discouraged unless local or manual); orphans wait
// for their parents in the orphanage and are reconsidered one per message
// loop turn; a low-fee parent with a child from the same peer is tried as a
// package.
#include "net/peer_manager.h"

#include "consensus/tx_check.h"
#include "mempool/accept.h"
#include "mempool/tx_mempool.h"
#include "util/log.h"
#include "util/time.h"

#include <algorithm>

namespace cairn {

namespace {

bool IsTxInv(uint32_t type)
{
    return type == MSG_TX || type == MSG_WTX || type == MSG_WITNESS_TX;
}

/** Core's CInv::ToString for transaction types. */
GenTxid ToGenTxid(const Inv& inv)
{
    return inv.type == MSG_WTX ? GenTxid::Wtxid(inv.hash) : GenTxid::Txid(inv.hash);
}

} // namespace

// ---- set-up ----

void PeerManager::SetMempool(TxMemPool* pool)
{
    std::lock_guard lock(m_mutex);
    if (m_tx_relay.mempool == pool) return;
    if (m_tx_relay.mempool) {
        std::lock_guard pool_lock(m_tx_relay.mempool->GetMutex());
        m_tx_relay.mempool->RemoveObserver(this);
    }
    m_tx_relay.mempool = pool;
    m_tx_relay.download.reset();
    if (!pool) return;
    m_tx_relay.download = std::make_unique<TxDownloadManager>([pool](const GenTxid& gtxid) {
        std::lock_guard pool_lock(pool->GetMutex());
        return gtxid.is_wtxid ? pool->ExistsWtxid(gtxid.hash) : pool->Exists(gtxid.hash);
    });
    m_tx_relay.next_unbroadcast_us =
        GetTimeMicros() + UNBROADCAST_INTERVAL_MIN + int64_t(m_tx_relay.rng.randrange(UNBROADCAST_INTERVAL_SPREAD));
    std::lock_guard pool_lock(pool->GetMutex());
    pool->AddObserver(this);
}

void PeerManager::TransactionAdded(const MempoolEntry& entry, uint64_t)
{
    // Under the pool's lock, maybe on an RPC thread: only queue.
    {
        std::lock_guard lock(m_tx_relay.added_mutex);
        m_tx_relay.added.emplace_back(entry.Txid(), entry.Wtxid());
    }
    if (m_connman) m_connman->WakeMessageHandler();
}

void PeerManager::AnnounceTransaction(const uint256& txid, const uint256& wtxid)
{
    // The same queue as pool additions: the handler passes each entry to
    // RelayTransaction, which skips peers that know it.
    {
        std::lock_guard lock(m_tx_relay.added_mutex);
        m_tx_relay.added.emplace_back(txid, wtxid);
    }
    if (m_connman) m_connman->WakeMessageHandler();
}

std::vector<TxOrphanage::OrphanInfo> PeerManager::GetOrphanTransactions() const
{
    std::lock_guard lock(m_mutex);
    if (!m_tx_relay.download) return {};
    return m_tx_relay.download->GetOrphanTransactions();
}

bool PeerManager::RejectIncomingTxs(const Node& node) const
{
    // Block-relay-only and feeler connections never carry transactions;
    // with -blocksonly only peers with the relay permission may send any.
    if (node.conn_type == ConnectionType::BLOCK_RELAY || node.conn_type == ConnectionType::FEELER) return true;
    return !m_opts.relay_txs && !node.HasPermission(NetPermissionFlags::Relay);
}

// ---- connection life cycle ----

void PeerManager::TxRelayOnVersion(Node& node, Peer& peer)
{
    // Cairn offers no bloom filters, so a peer that asked for no
    // transactions can never ask for them later: no relay state at all.
    if (node.conn_type == ConnectionType::BLOCK_RELAY || node.conn_type == ConnectionType::FEELER) return;
    if (!peer.relay_txs) return;
    peer.tx_relay.enabled = true;
    peer.tx_relay.relay_txs = true;
    peer.tx_relay.known = std::make_unique<RollingBloomFilter>(TX_INVENTORY_KNOWN_SIZE, TX_INVENTORY_KNOWN_FP_RATE);
}

void PeerManager::TxRelayOnVerack(Node& node, Peer& peer)
{
    if (!m_tx_relay.download) return;
    // Core's fPreferredDownload: outbound or noban peers that can serve
    // blocks, not addr-fetch connections. The relay permission lifts the
    // per-peer announcement and in-flight limits.
    const bool can_serve_blocks = peer.services & (NODE_NETWORK | NODE_NETWORK_LIMITED);
    TxDownloadConnectionInfo info;
    info.preferred = (!node.IsInbound() || node.HasPermission(NetPermissionFlags::NoBan)) &&
                     node.conn_type != ConnectionType::ADDR_FETCH && can_serve_blocks;
    info.relay_permissions = node.HasPermission(NetPermissionFlags::Relay);
    info.wtxid_relay = peer.wtxid_relay;
    m_tx_relay.download->ConnectedPeer(node.id, info);
}

void PeerManager::TxRelayOnFinalize(Node& node, Peer& peer)
{
    (void)peer;
    if (m_tx_relay.download) m_tx_relay.download->DisconnectedPeer(node.id);
}

void PeerManager::AddKnownTx(Peer& peer, const uint256& hash)
{
    if (peer.tx_relay.known) peer.tx_relay.known->Insert(hash);
}

void PeerManager::RelayTransaction(const uint256& txid, const uint256& wtxid)
{
    for (auto& [id, peer] : m_peers) {
        TxRelayState& tx = peer->tx_relay;
        // Not before the handshake is done: the first trickle must be random.
        if (!tx.enabled || tx.next_inv_send_us == 0) continue;
        // Queued by wtxid; the inv says txid to peers without BIP 339.
        if (!tx.known->Contains(peer->wtxid_relay ? wtxid : txid)) tx.to_send.insert(wtxid);
    }
}

// ---- validation and mempool events ----

void PeerManager::TxRelayNoteTip(const BlockIndex* old_tip, const BlockIndex* fork, const BlockIndex* tip, bool ibd)
{
    // Under the engine's lock (and m_mutex). No pool, or still in IBD (no
    // transactions are taken then): nothing to remember.
    if (!m_tx_relay.download || ibd || !tip) return;
    m_tx_relay.tip_changed = true;
    if (old_tip && old_tip != fork) m_tx_relay.disconnected = true;
    // The blocks since the fork, oldest first; a long jump keeps the newest.
    constexpr size_t MAX_BLOCKS = 100;
    std::vector<const BlockIndex*> blocks;
    for (const BlockIndex* p = tip; p && p != fork && blocks.size() < MAX_BLOCKS; p = p->prev) blocks.push_back(p);
    m_tx_relay.connected.insert(m_tx_relay.connected.end(), blocks.rbegin(), blocks.rend());
}

void PeerManager::TxRelayAfterTipEvents()
{
    // m_mutex held, the engine's lock not: block reads need no lock.
    if (!m_tx_relay.download) return;
    if (m_tx_relay.disconnected) m_tx_relay.download->BlockDisconnected();
    for (const BlockIndex* index : m_tx_relay.connected) {
        if (const std::optional<Block> block = m_chainman.ReadBlock(*index)) {
            m_tx_relay.download->BlockConnected(*block);
        }
    }
    // A new tip: rejected transactions may be valid now (a lock time passed).
    if (m_tx_relay.tip_changed) m_tx_relay.download->ActiveTipChange();
    m_tx_relay.connected.clear();
    m_tx_relay.tip_changed = false;
    m_tx_relay.disconnected = false;
}

void PeerManager::TxRelayProcessQueued()
{
    std::vector<std::pair<uint256, uint256>> added;
    {
        std::lock_guard lock(m_tx_relay.added_mutex);
        added.swap(m_tx_relay.added);
    }
    const int64_t now = GetTimeMicros();
    std::lock_guard lock(m_mutex);
    if (!m_tx_relay.mempool) return;
    // Locally submitted transactions no peer has asked for yet: announce again.
    if (now > m_tx_relay.next_unbroadcast_us) {
        std::lock_guard pool_lock(m_tx_relay.mempool->GetMutex());
        for (const uint256& txid : m_tx_relay.mempool->GetUnbroadcastTxs()) {
            if (const MempoolEntry* e = m_tx_relay.mempool->Get(txid)) {
                added.emplace_back(e->Txid(), e->Wtxid());
            } else {
                m_tx_relay.mempool->RemoveUnbroadcastTx(txid);
            }
        }
        m_tx_relay.next_unbroadcast_us =
            now + UNBROADCAST_INTERVAL_MIN + int64_t(m_tx_relay.rng.randrange(UNBROADCAST_INTERVAL_SPREAD));
    }
    for (const auto& [txid, wtxid] : added) RelayTransaction(txid, wtxid);
}

// ---- messages ----

void PeerManager::HandleTxInvs(Node& node, Peer& peer, const std::vector<Inv>& invs)
{
    const bool reject = RejectIncomingTxs(node);
    const int64_t now = GetTimeMicros();
    std::optional<bool> ibd;
    for (const Inv& inv : invs) {
        if (!IsTxInv(inv.type)) continue;
        // BIP 339: after wtxidrelay only wtxids count, before it only txids.
        if (peer.wtxid_relay ? inv.type == MSG_TX : inv.type == MSG_WTX) continue;
        if (reject) {
            LogDebug(LogCategory::NET, "transaction ({}) inv sent in violation of protocol, {}", inv.hash.GetHex(),
                     node.DisconnectMsg());
            node.disconnect = true;
            return;
        }
        AddKnownTx(peer, inv.hash);
        if (!m_tx_relay.download) continue;
        if (!ibd) ibd = m_chainman.IsInitialBlockDownload();
        if (*ibd) continue; // transactions cannot be checked before we are synced
        const bool have = m_tx_relay.download->AddTxAnnouncement(node.id, ToGenTxid(inv), now);
        LogDebug(LogCategory::NET, "got inv: {}  {} peer={}", InvToString(inv), have ? "have" : "new", node.id);
    }
}

void PeerManager::HandleTx(Node& node, Peer& peer, ByteSpan payload)
{
    if (RejectIncomingTxs(node)) {
        LogDebug(LogCategory::NET, "transaction sent in violation of protocol, {}", node.DisconnectMsg());
        node.disconnect = true;
        return;
    }
    if (!m_tx_relay.download) return;
    // Unsolicited transactions during IBD are dropped, not punished.
    if (m_chainman.IsInitialBlockDownload()) return;
    Reader r(payload);
    const TransactionRef ptx = DeserializeTransaction(r, /*allow_witness=*/true);
    AddKnownTx(peer, peer.wtxid_relay ? ptx->GetWtxid() : ptx->GetTxid());

    auto [should_validate, package] = m_tx_relay.download->ReceivedTx(node.id, ptx);
    if (!should_validate) {
        if (node.HasPermission(NetPermissionFlags::ForceRelay)) {
            // As Core: a forcerelay peer's transaction is announced again even though we have it
            // (a gateway for nodes behind us), as long as it is in the pool.
            bool in_pool;
            {
                std::lock_guard pool_lock(m_tx_relay.mempool->GetMutex());
                in_pool = m_tx_relay.mempool->Exists(ptx->GetTxid());
            }
            if (!in_pool) {
                LogInfo("Not relaying non-mempool transaction {} (wtxid={}) from forcerelay peer={}",
                        ptx->GetTxid().GetHex(), ptx->GetWtxid().GetHex(), node.id);
            } else {
                LogInfo("Force relaying tx {} (wtxid={}) from peer={}", ptx->GetTxid().GetHex(),
                        ptx->GetWtxid().GetHex(), node.id);
                RelayTransaction(ptx->GetTxid(), ptx->GetWtxid());
            }
        }
        if (package) ProcessPackage(*package);
        return;
    }
    const MempoolAcceptResult result =
        AcceptToMemoryPool(m_chainman, *m_tx_relay.mempool, ptx, GetTime(), /*bypass_limits=*/false,
                           /*test_accept=*/false);
    if (result.type == MempoolAcceptResult::ResultType::VALID) {
        ProcessValidTx(node.id, ptx, result.replaced_transactions);
        peer.tx_relay.last_tx_time = GetTime();
    }
    if (result.state.IsInvalid()) {
        if (auto pkg = ProcessInvalidTx(node.id, ptx, result.state, /*first_time_failure=*/true)) ProcessPackage(*pkg);
    }
}

void PeerManager::HandleNotFound(Node& node, Peer& peer, ByteSpan payload)
{
    (void)peer;
    const std::vector<Inv> invs = DeserializeInvs(payload);
    if (!m_tx_relay.download) return;
    std::vector<uint256> hashes;
    // A larger notfound cannot be an answer to our requests: ignored.
    if (invs.size() <= MAX_PEER_TX_ANNOUNCEMENTS + MAX_BLOCKS_IN_TRANSIT_PER_PEER) {
        for (const Inv& inv : invs) {
            if (IsTxInv(inv.type)) hashes.push_back(inv.hash);
        }
    }
    m_tx_relay.download->ReceivedNotFound(node.id, hashes);
}

void PeerManager::HandleMempoolRequest(Node& node, Peer& peer)
{
    // BIP 35 is answered only when we offer NODE_BLOOM (Cairn never does) or
    // the peer has the mempool permission; others are disconnected, as in
    // Core, unless they have noban.
    if (!(m_opts.local_services & NODE_BLOOM) && !node.HasPermission(NetPermissionFlags::Mempool)) {
        if (!node.HasPermission(NetPermissionFlags::NoBan)) {
            LogDebug(LogCategory::NET, "mempool request with bloom filters disabled, {}", node.DisconnectMsg());
            node.disconnect = true;
        }
        return;
    }
    // Past -maxuploadtarget only the mempool permission still gets an answer.
    if (m_connman->OutboundTargetReached(false) && !node.HasPermission(NetPermissionFlags::Mempool)) {
        if (!node.HasPermission(NetPermissionFlags::NoBan)) {
            LogDebug(LogCategory::NET, "mempool request with bandwidth limit reached, {}", node.DisconnectMsg());
            node.disconnect = true;
        }
        return;
    }
    // The whole pool goes out as invs at the next trickle (MaybeSendTxInvs), within the peer's feefilter.
    if (peer.tx_relay.enabled) peer.tx_relay.send_mempool = true;
}

void PeerManager::HandleFeeFilter(Node& node, Peer& peer, ByteSpan payload)
{
    const Amount fee = DeserializeFeeFilter(payload);
    if (!MoneyRange(fee)) return;
    if (peer.tx_relay.enabled) peer.fee_filter = fee;
    LogDebug(LogCategory::NET, "received: feefilter of {} from peer={}", FeeRate(fee).ToString(), node.id);
}

// ---- validation results ----

void PeerManager::MaybePunishNodeForTx(NodeId id, const TxValidationState& state)
{
    // Only what is invalid by consensus is the sender's fault; policy
    // differences and missing inputs are not.
    if (state.GetResult() != TxResult::CONSENSUS) return;
    if (Peer* peer = GetPeer(id)) Misbehaving(*peer, "");
}

void PeerManager::ProcessValidTx(NodeId id, const TransactionRef& tx, const std::list<TransactionRef>& replaced)
{
    m_tx_relay.download->MempoolAcceptedTx(tx);
    size_t pool_size, usage;
    {
        std::lock_guard pool_lock(m_tx_relay.mempool->GetMutex());
        pool_size = m_tx_relay.mempool->Size();
        usage = m_tx_relay.mempool->DynamicMemoryUsage();
    }
    LogDebug(LogCategory::MEMPOOL, "AcceptToMemoryPool: peer={}: accepted {} (wtxid={}) (poolsz {} txn, {} kB)", id,
             tx->GetTxid().GetHex(), tx->GetWtxid().GetHex(), pool_size, usage / 1000);
    // Announcing it is left to the pool's TransactionAdded notification.
    // What it replaced may still be in a block someone sends us (compact_relay.cpp).
    for (const TransactionRef& removed : replaced) AddToCompactExtraTransactions(removed);
}

std::optional<PackageToValidate> PeerManager::ProcessInvalidTx(NodeId id, const TransactionRef& tx,
                                                              const TxValidationState& state, bool first_time_failure)
{
    LogDebug(LogCategory::MEMPOOLREJ, "{} (wtxid={}) from peer={} was not accepted: {}", tx->GetTxid().GetHex(),
             tx->GetWtxid().GetHex(), id, state.ToString());
    // As Core: a transaction rejected on arrival is kept for compact block
    // reconstruction (a miner may not share our policy), unless only its
    // witness was stripped, or it is an orphan we already hold (kept then).
    const bool was_orphan = m_tx_relay.download->Orphanage().HaveTx(tx->GetWtxid());
    RejectedTxTodo todo = m_tx_relay.download->MempoolRejectedTx(tx, state, id, first_time_failure, GetTimeMicros());
    const bool add_extra = first_time_failure && state.GetResult() != TxResult::WITNESS_STRIPPED &&
                           !(state.GetResult() == TxResult::MISSING_INPUTS && was_orphan);
    if (add_extra && TransactionMemoryUsage(*tx) < MAX_EXTRA_TXN_USAGE) AddToCompactExtraTransactions(tx);
    if (Peer* peer = GetPeer(id)) {
        // The orphan's sender has its parents (or says so): not announced back.
        for (const uint256& parent : todo.unique_parents) AddKnownTx(*peer, parent);
    }
    MaybePunishNodeForTx(id, state);
    return std::move(todo.package_to_validate);
}

void PeerManager::ProcessPackage(const PackageToValidate& package)
{
    const PackageMempoolAcceptResult result =
        ProcessNewPackage(m_chainman, *m_tx_relay.mempool, package.txns, /*test_accept=*/false, std::nullopt);
    LogDebug(LogCategory::TXPACKAGES, "package evaluation for {}: {}", package.ToString(),
             result.state.IsValid() ? "package accepted" : "package rejected");
    if (result.state.IsInvalid()) m_tx_relay.download->MempoolRejectedPackage(package.txns);
    // Child first, so an accepted child is out of the orphanage before its
    // parent's children are put in a work set.
    for (size_t i = package.txns.size(); i-- > 0;) {
        const TransactionRef& tx = package.txns[i];
        const NodeId sender = package.senders[i];
        auto it = result.results.find(tx->GetWtxid());
        if (it == result.results.end()) continue; // not reached
        switch (it->second.type) {
        case MempoolAcceptResult::ResultType::VALID:
            ProcessValidTx(sender, tx, it->second.replaced_transactions);
            break;
        case MempoolAcceptResult::ResultType::INVALID:
        case MempoolAcceptResult::ResultType::DIFFERENT_WITNESS:
            // Not a first failure: both were rejected or orphaned before.
            ProcessInvalidTx(sender, tx, it->second.state, /*first_time_failure=*/false);
            break;
        case MempoolAcceptResult::ResultType::MEMPOOL_ENTRY:
            break;
        }
    }
}

bool PeerManager::ProcessOrphanTx(Peer& peer)
{
    if (!m_tx_relay.download) return false;
    // One orphan whose fate is decided per call, so a peer with many cannot
    // hold up the others.
    while (const TransactionRef orphan = m_tx_relay.download->GetTxToReconsider(peer.id)) {
        const MempoolAcceptResult result = AcceptToMemoryPool(m_chainman, *m_tx_relay.mempool, orphan, GetTime(),
                                                              /*bypass_limits=*/false, /*test_accept=*/false);
        if (result.type == MempoolAcceptResult::ResultType::VALID) {
            LogDebug(LogCategory::TXPACKAGES, "   accepted orphan tx {} (wtxid={})", orphan->GetTxid().GetHex(),
                     orphan->GetWtxid().GetHex());
            ProcessValidTx(peer.id, orphan, result.replaced_transactions);
            return true;
        }
        if (result.state.GetResult() != TxResult::MISSING_INPUTS) {
            LogDebug(LogCategory::TXPACKAGES, "   invalid orphan tx {} (wtxid={}) from peer={}. {}",
                     orphan->GetTxid().GetHex(), orphan->GetWtxid().GetHex(), peer.id, result.state.ToString());
            if (result.state.IsInvalid()) ProcessInvalidTx(peer.id, orphan, result.state, /*first_time_failure=*/false);
            return true;
        }
        // Still missing inputs: it waits in the orphanage for another parent.
    }
    return false;
}

bool PeerManager::HaveTxWork(const Peer& peer) const
{
    return m_tx_relay.download && m_tx_relay.download->HaveMoreWork(peer.id);
}

// ---- serving getdata ----

TransactionRef PeerManager::FindTxForGetData(const Peer& peer, const Inv& inv)
{
    // Only what was in the pool before our last inv to this peer: anything
    // newer we have not announced to it, and answering would tell a spy
    // what we have as soon as we have it.
    {
        std::lock_guard pool_lock(m_tx_relay.mempool->GetMutex());
        const MempoolEntry* e = inv.type == MSG_WTX ? m_tx_relay.mempool->GetByWtxid(inv.hash)
                                                    : m_tx_relay.mempool->Get(inv.hash);
        if (e && e->GetSequence() < peer.tx_relay.last_inv_sequence) return e->GetSharedTx();
    }
    // Or one of the latest block's (Core's m_most_recent_block_txs): a peer
    // may ask for a transaction it saw announced just before the block took
    // it out of the pool (compact_relay.cpp).
    return FindRecentBlockTx(inv.hash);
}

void PeerManager::ProcessGetDataTx(Node& node, Peer& peer, std::vector<Inv>& not_found)
{
    auto& q = peer.getdata_requests;
    while (!q.empty() && IsTxInv(q.front().type)) {
        // A full send buffer pauses the answers until it drains.
        if (node.pause_send) break;
        const Inv inv = q.front();
        q.pop_front();
        // Peers we relay no transactions to get no answer at all (Core).
        if (!peer.tx_relay.enabled) continue;
        TransactionRef tx = m_tx_relay.mempool ? FindTxForGetData(peer, inv) : nullptr;
        if (!tx) {
            not_found.push_back(inv);
            continue;
        }
        // MSG_TX asks for the transaction without its witness.
        Push(node, msgtype::TX, SerializeTransactionBytes(*tx, inv.type != MSG_TX));
        // Someone has it now: no need to announce it again.
        std::lock_guard pool_lock(m_tx_relay.mempool->GetMutex());
        m_tx_relay.mempool->RemoveUnbroadcastTx(tx->GetTxid());
    }
}

// ---- sending ----

int64_t PeerManager::NextInvToInbounds(int64_t now)
{
    if (m_tx_relay.next_inv_to_inbounds_us < now) {
        m_tx_relay.next_inv_to_inbounds_us = now + m_tx_relay.rng.rand_exp(INBOUND_INVENTORY_BROADCAST_INTERVAL);
    }
    return m_tx_relay.next_inv_to_inbounds_us;
}

void PeerManager::MaybeSendTxInvs(Node& node, Peer& peer, int64_t now)
{
    TxRelayState& tx = peer.tx_relay;
    if (!tx.enabled || !m_tx_relay.mempool) return;
    // As Core: noban peers get our announcements at once, without waiting for their timer.
    bool trickle = node.HasPermission(NetPermissionFlags::NoBan);
    if (tx.next_inv_send_us < now) {
        trickle = true;
        tx.next_inv_send_us = node.IsInbound() ? NextInvToInbounds(now)
                                               : now + m_tx_relay.rng.rand_exp(OUTBOUND_INVENTORY_BROADCAST_INTERVAL);
    }
    if (!trickle) return;
    if (!tx.relay_txs) tx.to_send.clear();
    const FeeRate filter(peer.fee_filter);
    const uint32_t inv_type = peer.wtxid_relay ? MSG_WTX : MSG_TX;
    std::vector<Inv> invs;
    auto push = [&](const uint256& hash) {
        invs.push_back({inv_type, hash});
        if (invs.size() == MAX_INV_SZ) {
            Push(node, msgtype::INV, SerializeInvs(invs));
            invs.clear();
        }
    };
    TxMemPool& pool = *m_tx_relay.mempool;
    std::lock_guard pool_lock(pool.GetMutex());

    // BIP 35 answer: the whole pool, as far as the peer's feefilter wants it.
    if (tx.send_mempool) {
        tx.send_mempool = false;
        for (const MempoolEntry* e : pool.EntriesTopological()) {
            const uint256& hash = peer.wtxid_relay ? e->Wtxid() : e->Txid();
            tx.to_send.erase(e->Wtxid());
            if (e->GetFee() < filter.GetFee(e->GetTxSize())) continue;
            tx.known->Insert(hash);
            push(hash);
        }
    }

    // Parents first, then higher feerates: a heap, since only the first few may go now.
    std::vector<uint256> queue(tx.to_send.begin(), tx.to_send.end());
    auto later = [&](const uint256& a, const uint256& b) { return pool.CompareDepthAndScore(b, a); };
    std::make_heap(queue.begin(), queue.end(), later);
    const size_t broadcast_max =
        std::min<size_t>(INVENTORY_BROADCAST_MAX, INVENTORY_BROADCAST_TARGET + (tx.to_send.size() / 1000) * 5);
    size_t relayed = 0;
    while (!queue.empty() && relayed < broadcast_max) {
        std::pop_heap(queue.begin(), queue.end(), later);
        const uint256 wtxid = queue.back();
        queue.pop_back();
        tx.to_send.erase(wtxid);
        const MempoolEntry* e = pool.GetByWtxid(wtxid);
        if (!e) continue; // gone from the pool meanwhile
        const uint256& hash = peer.wtxid_relay ? e->Wtxid() : e->Txid();
        if (tx.known->Contains(hash)) continue;
        // The peer said it would not take this feerate (BIP 133).
        if (e->GetFee() < filter.GetFee(e->GetTxSize())) continue;
        push(hash);
        ++relayed;
        tx.known->Insert(hash);
    }
    // What was in the pool up to now may be asked for.
    tx.last_inv_sequence = pool.GetSequence();
    if (!invs.empty()) Push(node, msgtype::INV, SerializeInvs(invs));
}

void PeerManager::RequestTxs(Node& node, Peer& peer, int64_t now)
{
    if (!m_tx_relay.download) return;
    const uint32_t witness_flag = (peer.services & NODE_WITNESS) ? MSG_WITNESS_FLAG : 0;
    std::vector<Inv> getdata;
    for (const GenTxid& gtxid : m_tx_relay.download->GetRequestsToSend(node.id, now)) {
        getdata.push_back({gtxid.is_wtxid ? uint32_t(MSG_WTX) : (MSG_TX | witness_flag), gtxid.hash});
        if (getdata.size() >= MAX_GETDATA_SZ) {
            Push(node, msgtype::GETDATA, SerializeInvs(getdata));
            getdata.clear();
        }
    }
    if (!getdata.empty()) Push(node, msgtype::GETDATA, SerializeInvs(getdata));
}

void PeerManager::MaybeSendFeefilter(Node& node, Peer& peer, int64_t now)
{
    if (!m_opts.relay_txs || !m_tx_relay.mempool) return; // -blocksonly: we want no transactions anyway
    if (std::min(peer.version, PROTOCOL_VERSION) < FEEFILTER_VERSION) return;
    // Block-relay-only peers never announce transactions to us.
    if (node.conn_type == ConnectionType::BLOCK_RELAY) return;
    // Peers with forcerelay should not filter what they send us (Core).
    if (node.HasPermission(NetPermissionFlags::ForceRelay)) return;
    TxRelayState& tx = peer.tx_relay;
    Amount current;
    FeeRate min_relay;
    {
        std::lock_guard pool_lock(m_tx_relay.mempool->GetMutex());
        current = m_tx_relay.mempool->GetMinFee().GetFeePerK();
        min_relay = m_tx_relay.mempool->Options().min_relay_feerate;
    }
    const Amount max_filter = m_tx_relay.rounder.Round(MAX_MONEY); // the top bucket, whatever the draw
    if (m_chainman.IsInitialBlockDownload()) {
        // Transaction invs are ignored during IBD: ask peers not to send them.
        current = MAX_MONEY;
    } else if (tx.fee_filter_sent == max_filter) {
        // Out of IBD: the real filter at once.
        tx.next_send_feefilter_us = 0;
    }
    if (now > tx.next_send_feefilter_us) {
        const Amount to_send = std::max(m_tx_relay.rounder.Round(current), min_relay.GetFeePerK());
        if (to_send != tx.fee_filter_sent) {
            Push(node, msgtype::FEEFILTER, SerializeFeeFilter(to_send));
            tx.fee_filter_sent = to_send;
        }
        tx.next_send_feefilter_us = now + m_tx_relay.rng.rand_exp(AVG_FEEFILTER_BROADCAST_INTERVAL);
    } else if (now + MAX_FEEFILTER_CHANGE_DELAY < tx.next_send_feefilter_us &&
               (current < 3 * tx.fee_filter_sent / 4 || current > 4 * tx.fee_filter_sent / 3)) {
        // A big change: tell the peer within MAX_FEEFILTER_CHANGE_DELAY.
        tx.next_send_feefilter_us = now + int64_t(m_tx_relay.rng.randrange(MAX_FEEFILTER_CHANGE_DELAY));
    }
}

void PeerManager::SendTxMessages(Node& node, Peer& peer)
{
    const int64_t now = GetTimeMicros();
    MaybeSendTxInvs(node, peer, now);
    RequestTxs(node, peer, now);
    MaybeSendFeefilter(node, peer, now);
}

void PeerManager::FillTxRelayStats(const Peer& peer, PeerStats& stats) const
{
    stats.relay_txs = peer.tx_relay.enabled && peer.tx_relay.relay_txs;
    stats.min_fee_filter = peer.tx_relay.enabled ? peer.fee_filter : 0;
    stats.last_tx_time = peer.tx_relay.last_tx_time;
}

} // namespace cairn
