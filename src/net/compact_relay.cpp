// BIP 152 compact block relay, the compact block part of Bitcoin Core's
// net_processing, as PeerManager members (state in compact_relay.h):
//
// * Negotiation: sendcmpct(0, 2) to every peer at verack (peer_manager.cpp);
//   a peer that gave us a new valid block first while nothing else was in
//   flight is asked for high-bandwidth announcements with sendcmpct(1, 2),
//   at most 3 such peers (the oldest demoted with sendcmpct(0, 2)), keeping
//   at least one outbound among them.
// * Sending: a new block on the tip goes as cmpctblock to every peer that
//   asked us for high-bandwidth mode and has its parent as soon as the
//   engine reports it stored (NewPoWValidBlock: header, proof of work and
//   block checks passed), before it is connected; blocks not announced that
//   way go to such peers from SendMessages as a single-header announcement.
//   getdata(MSG_CMPCT_BLOCK) is answered with cmpctblock for the last 5
//   blocks, getblocktxn with blocktxn for the last 10, the full block
//   otherwise.
// * Extra transactions: orphans, rejected and replaced transactions are kept
//   in a ring of -blockreconstructionextratxn (default 100) for rebuilding
//   blocks whose transactions never entered our pool (tx_relay.cpp feeds it).
// * Receiving: cmpctblock → header accepted → if the block is at most two
//   past our tip and has more work, rebuilt from the mempool (and recent
//   extra transactions); missing ones are asked with getblocktxn, blocktxn
//   fills them; on a failure the whole block is fetched. Up to three peers
//   may race to deliver one block this way.
//
// Everything runs on the message handler with m_mutex held; the engine's
// lock is taken for tree reads only, never around ProcessNewBlock. The one
// exception to the thread is NewPoWValidBlock for a block submitted by RPC
// (or imported): it is queued for the handler (ProcessEvents).
#include "net/peer_manager.h"

#include "consensus/versionbits.h"
#include "crypto/random.h"
#include "util/log.h"
#include "util/time.h"

#include <algorithm>

namespace cairn {

namespace {

/** Blocks whose sender we remember until validation reports on them (as peer_manager.cpp). */
constexpr size_t MAX_CMPCT_BLOCK_SOURCES = 1024;

/** The peer manager whose message handler is inside ProcessNewBlock on this
 *  thread (it holds m_mutex there): the engine's NewPoWValidBlock is then
 *  handled at once, before the block is connected. */
thread_local const PeerManager* t_processing_block = nullptr;

/** malloc's share of an allocation of `n` bytes (16-byte steps plus a header), as Core's memusage. */
size_t MallocUsage(size_t n)
{
    return n == 0 ? 0 : ((n + 15) & ~size_t{15}) + 16;
}

/** The work a header claims, from its bits alone. */
arith_uint256 HeaderWork(const BlockHeader& header)
{
    return GetBlockProof(header.bits);
}

uint32_t FullBlockType(uint64_t services)
{
    return (services & NODE_WITNESS) ? uint32_t(MSG_WITNESS_BLOCK) : uint32_t(MSG_BLOCK);
}

} // namespace

// ---- helpers ----

size_t TransactionMemoryUsage(const Transaction& tx)
{
    size_t total = MallocUsage(sizeof(Transaction)) + MallocUsage(tx.vin.size() * sizeof(TxIn)) +
                   MallocUsage(tx.vout.size() * sizeof(TxOut));
    for (const TxIn& in : tx.vin) {
        total += MallocUsage(in.script_sig.size());
        total += MallocUsage(in.witness.stack.size() * sizeof(Bytes));
        for (const Bytes& item : in.witness.stack) total += MallocUsage(item.size());
    }
    for (const TxOut& out : tx.vout) total += MallocUsage(out.script_pubkey.size());
    return total;
}

bool PeerManager::ProcessBlockFromPeer(const std::shared_ptr<const Block>& block, bool force_processing,
                                       bool min_pow_checked, bool* new_block, BlockValidationState* state)
{
    const PeerManager* outer = t_processing_block;
    t_processing_block = this;
    bool ok;
    try {
        ok = m_chainman.ProcessNewBlock(block, force_processing, min_pow_checked, new_block, state);
    } catch (...) {
        t_processing_block = outer;
        throw;
    }
    t_processing_block = outer;
    return ok;
}

TransactionRef PeerManager::FindRecentBlockTx(const uint256& hash) const
{
    auto it = m_cmpct.recent_txs.find(hash);
    return it == m_cmpct.recent_txs.end() ? nullptr : it->second;
}

bool PeerManager::CanDirectFetchLocked() const
{
    const BlockIndex* tip = m_chainman.ActiveChain().Tip();
    const int64_t spacing = m_chainman.Params().consensus.pow_target_spacing;
    return tip && tip->GetBlockTime() > GetTime() - spacing * 20;
}

void PeerManager::PushFullBlockRequest(Node& node, const Peer& peer, const uint256& hash)
{
    Push(node, msgtype::GETDATA, SerializeInvs({{FullBlockType(peer.services), hash}}));
}

void PeerManager::RemoveCompactBlockRequest(const uint256& hash, std::optional<NodeId> from)
{
    auto [begin, end] = m_cmpct.downloads.equal_range(hash);
    for (auto it = begin; it != end;) {
        it = (!from || it->second.peer == *from) ? m_cmpct.downloads.erase(it) : std::next(it);
    }
    auto owner = m_blocks_in_flight.find(hash);
    if (owner == m_blocks_in_flight.end() || (from && owner->second != *from)) return;
    if (Peer* p = GetPeer(owner->second)) DropInFlight(*p, hash);
    m_blocks_in_flight.erase(owner);
}

void PeerManager::AddToCompactExtraTransactions(const TransactionRef& tx)
{
    if (m_cmpct.max_extra_txn == 0 || !tx) return;
    if (m_cmpct.extra_txn.size() < m_cmpct.max_extra_txn) {
        m_cmpct.extra_txn.push_back(tx);
    } else {
        m_cmpct.extra_txn[m_cmpct.extra_txn_next] = tx;
    }
    m_cmpct.extra_txn_next = (m_cmpct.extra_txn_next + 1) % m_cmpct.max_extra_txn;
}

void PeerManager::PunishForCompactBlock(NodeId id, const BlockValidationState& state, const std::string& what)
{
    switch (state.GetResult()) {
    // BIP 152 lets peers relay a compact block after checking its header
    // only: invalid transactions (or an invalid chain) are not their fault.
    case BlockResult::CONSENSUS:
    case BlockResult::MUTATED:
    case BlockResult::CACHED_INVALID:
        LogDebug(LogCategory::NET, "peer={}: {}: {} (compact block, not punished)", id, what, state.ToString());
        return;
    default:
        PunishForBlock(id, state, what);
    }
}

// ---- negotiation ----

void PeerManager::MaybeSetPeerAsAnnouncingHeaderAndIDs(NodeId id)
{
    // -blocksonly: our mempool could not rebuild the blocks anyway.
    if (!m_opts.relay_txs) return;
    Peer* peer = GetPeer(id);
    if (!peer || !peer->provides_cmpct) return;

    auto& hb = m_cmpct.hb_peers;
    size_t outbound_hb = 0;
    for (auto it = hb.begin(); it != hb.end(); ++it) {
        if (*it == id) { // already one: now the most recent
            hb.erase(it);
            hb.push_back(id);
            return;
        }
        if (const Peer* p = GetPeer(*it); p && !p->inbound) ++outbound_hb;
    }
    // An inbound newcomer must not push out our last outbound HB peer.
    if (peer->inbound && hb.size() >= MAX_HB_CMPCT_PEERS && outbound_hb == 1) {
        if (const Peer* front = GetPeer(hb.front()); front && !front->inbound) std::swap(hb.front(), *std::next(hb.begin()));
    }
    std::shared_ptr<Node> node;
    std::shared_ptr<Node> stop_node;
    for (const auto& n : m_connman->GetNodes()) {
        if (n->id == id) node = n;
        if (!hb.empty() && n->id == hb.front()) stop_node = n;
    }
    if (!node || node->disconnect || !node->successfully_connected) return;
    if (hb.size() >= MAX_HB_CMPCT_PEERS) {
        if (stop_node) {
            Push(*stop_node, msgtype::SENDCMPCT, SerializeSendCmpct({false, CMPCTBLOCKS_VERSION}));
            if (Peer* p = GetPeer(stop_node->id)) p->cmpct_hb_to = false;
        }
        hb.pop_front();
    }
    Push(*node, msgtype::SENDCMPCT, SerializeSendCmpct({true, CMPCTBLOCKS_VERSION}));
    peer->cmpct_hb_to = true;
    hb.push_back(id);
    LogDebug(LogCategory::NET, "selected peer={} as high-bandwidth compact block peer", id);
}

bool PeerManager::CompactRelayBlockChecked(const uint256& hash, bool valid)
{
    auto source = m_block_source.find(hash);
    // The block is valid and was the only one we were waiting for: its
    // sender is a fast source of new blocks; ask it for high-bandwidth relay.
    if (valid && source != m_block_source.end() &&
        (m_blocks_in_flight.empty() || (m_blocks_in_flight.size() == 1 && m_blocks_in_flight.count(hash))) &&
        !m_chainman.IsInitialBlockDownload()) {
        MaybeSetPeerAsAnnouncingHeaderAndIDs(source->second);
    }
    if (m_cmpct.via_compact.erase(hash) == 0) return false;
    // Rebuilt from a compact block: not punished if invalid (BIP 152; the
    // reject reason alone says consensus failure, which is exempt).
    if (source != m_block_source.end()) m_block_source.erase(source);
    return true;
}

void PeerManager::CompactRelayOnFinalize(NodeId id)
{
    for (auto it = m_cmpct.downloads.begin(); it != m_cmpct.downloads.end();) {
        it = it->second.peer == id ? m_cmpct.downloads.erase(it) : std::next(it);
    }
    // Core leaves departed peers in the list until they are pushed out; they
    // are dropped at once here so that the three slots go to live peers.
    m_cmpct.hb_peers.remove(id);
}

// ---- sending ----

void PeerManager::CompactRelayOnTip(const uint256& tip_hash)
{
    (void)tip_hash;
    std::lock_guard cs(m_chainman.GetMutex());
    // Downloads of blocks we now have are over, whoever delivered them.
    for (auto it = m_cmpct.downloads.begin(); it != m_cmpct.downloads.end();) {
        const BlockIndex* idx = m_chainman.Tree().Lookup(it->first);
        it = (!idx || (idx->status & BLOCK_HAVE_DATA)) ? m_cmpct.downloads.erase(it) : std::next(it);
    }
    // Sources forgotten meanwhile (the bounded source map) need no mark.
    std::erase_if(m_cmpct.via_compact, [&](const uint256& h) { return !m_block_source.count(h); });
}

void PeerManager::NewPoWValidBlock(const BlockIndex& index, const std::shared_ptr<const Block>& block)
{
    // Our own message handler, inside ProcessNewBlock with m_mutex held:
    // announce now, before the block is connected (the point of BIP 152's
    // high-bandwidth mode). Any other thread (an RPC, an import): queue it.
    if (t_processing_block == this) {
        CompactRelayNewPoWValidBlock(index, block);
        return;
    }
    {
        std::lock_guard lock(m_events_mutex);
        Event ev{Event::Kind::NEW_POW_VALID_BLOCK, index.GetBlockHash(), false, {}};
        ev.block = block;
        m_events.push_back(std::move(ev));
    }
    if (m_connman) m_connman->WakeMessageHandler();
}

void PeerManager::CompactRelayNewPoWValidBlock(const BlockIndex& index, const std::shared_ptr<const Block>& block)
{
    {
        std::lock_guard cs(m_chainman.GetMutex());
        if (index.height <= m_cmpct.highest_fast_announce) return;
        m_cmpct.highest_fast_announce = index.height;
        // Version 2 short ids are of wtxids: only blocks under segwit rules.
        if (!DeploymentActiveAt(index, m_chainman.Params().consensus, BuriedDeployment::SEGWIT)) return;
    }
    const uint256 hash = index.GetBlockHash();
    m_cmpct.recent_hash = hash;
    m_cmpct.recent_block = block;
    m_cmpct.recent_cmpct = SerializeHeaderAndShortIDs(HeaderAndShortIDs(*block, GetRandUint64()));
    m_cmpct.recent_txs.clear();
    for (const TransactionRef& tx : block->vtx) {
        m_cmpct.recent_txs.emplace(tx->GetTxid(), tx);
        m_cmpct.recent_txs.emplace(tx->GetWtxid(), tx);
    }

    for (const auto& node : m_connman->GetNodes()) {
        Peer* peer = GetPeer(node->id);
        if (!peer || node->disconnect) continue;
        if (std::min(peer->version, PROTOCOL_VERSION) < INVALID_CB_NO_BAN_VERSION) continue;
        bool send;
        {
            std::lock_guard cs(m_chainman.GetMutex());
            ProcessBlockAvailability(*peer);
            // The peer has (or was sent) the parent but not this block.
            send = peer->cmpct_hb_from && !PeerHasHeader(*peer, &index) && PeerHasHeader(*peer, index.prev);
            if (send) peer->best_header_sent = &index;
        }
        if (!send) continue;
        LogDebug(LogCategory::NET, "{} sending header-and-ids {} to peer={}", "PeerManager::NewPoWValidBlock",
                 hash.GetHex(), node->id);
        Push(*node, msgtype::CMPCTBLOCK, m_cmpct.recent_cmpct);
    }
}

bool PeerManager::PushCompactAnnouncement(Node& node, Peer& peer, const BlockHeader& header)
{
    (void)peer;
    const uint256 hash = header.GetHash();
    if (m_cmpct.recent_hash == hash && !m_cmpct.recent_cmpct.empty()) {
        Push(node, msgtype::CMPCTBLOCK, m_cmpct.recent_cmpct);
    } else {
        const BlockIndex* index = m_chainman.Lookup(hash);
        std::optional<Block> block = index ? m_chainman.ReadBlock(*index) : std::nullopt;
        if (!block) return false;
        Push(node, msgtype::CMPCTBLOCK, SerializeHeaderAndShortIDs(HeaderAndShortIDs(*block, GetRandUint64())));
    }
    LogDebug(LogCategory::NET, "{} sending header-and-ids {} to peer={}", "SendMessages", hash.GetHex(), node.id);
    return true;
}

bool PeerManager::MaybePushCompactForGetData(Node& node, const BlockIndex& index, const Block& block)
{
    {
        std::lock_guard cs(m_chainman.GetMutex());
        // A peer asking for old blocks has no mempool to match them against.
        if (!CanDirectFetchLocked() || index.height < m_chainman.ActiveChain().Height() - MAX_CMPCTBLOCK_DEPTH) {
            return false;
        }
    }
    if (m_cmpct.recent_hash == index.GetBlockHash() && !m_cmpct.recent_cmpct.empty()) {
        Push(node, msgtype::CMPCTBLOCK, m_cmpct.recent_cmpct);
    } else {
        Push(node, msgtype::CMPCTBLOCK, SerializeHeaderAndShortIDs(HeaderAndShortIDs(block, GetRandUint64())));
    }
    return true;
}

bool PeerManager::WantCompactFetch(const Peer& peer, const std::vector<const BlockIndex*>& blocks)
{
    // Core fetches the tip's child as a compact block when it is the only
    // block wanted; our mempool probably holds most of its transactions.
    if (!m_opts.relay_txs || !m_tx_relay.mempool || !peer.provides_cmpct) return false;
    if (blocks.size() != 1 || !m_blocks_in_flight.empty()) return false;
    if (m_chainman.IsInitialBlockDownload()) return false;
    std::lock_guard cs(m_chainman.GetMutex());
    return blocks[0]->prev && blocks[0]->prev == m_chainman.ActiveChain().Tip() &&
           blocks[0]->prev->IsValid(BLOCK_VALID_CHAIN) && CanDirectFetchLocked();
}

void PeerManager::HandleGetBlockTxn(Node& node, Peer& peer, ByteSpan payload)
{
    const BlockTransactionsRequest req = DeserializeBlockTransactionsRequest(payload);
    if (m_cmpct.recent_block && m_cmpct.recent_hash == req.blockhash) {
        SendBlockTransactions(node, peer, *m_cmpct.recent_block, req);
        return;
    }
    const BlockIndex* index = nullptr;
    bool recent = false;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        index = m_chainman.Tree().Lookup(req.blockhash);
        if (!index || !(index->status & BLOCK_HAVE_DATA)) {
            LogDebug(LogCategory::NET, "Peer {} sent us a getblocktxn for a block we don't have", node.id);
            return;
        }
        recent = index->height >= m_chainman.ActiveChain().Height() - MAX_BLOCKTXN_DEPTH;
    }
    if (recent) {
        if (std::optional<Block> block = m_chainman.ReadBlock(*index)) {
            SendBlockTransactions(node, peer, *block, req);
            return;
        }
    }
    // Deeper blocks cost the asker the whole block (cheap disk reads for us
    // would otherwise be an easy way to load the node); served from the
    // getdata queue on the next turn.
    LogDebug(LogCategory::NET, "Peer {} sent us a getblocktxn for a block > {} deep", node.id, MAX_BLOCKTXN_DEPTH);
    peer.getdata_requests.push_back({MSG_WITNESS_BLOCK, req.blockhash});
}

void PeerManager::SendBlockTransactions(Node& node, Peer& peer, const Block& block,
                                        const BlockTransactionsRequest& req)
{
    BlockTransactions resp;
    resp.blockhash = req.blockhash;
    resp.txn.reserve(req.indexes.size());
    for (uint16_t i : req.indexes) {
        if (i >= block.vtx.size()) {
            Misbehaving(peer, "getblocktxn with out-of-bounds tx indices");
            return;
        }
        resp.txn.push_back(block.vtx[i]);
    }
    Push(node, msgtype::BLOCKTXN, SerializeBlockTransactions(resp));
}

// ---- receiving ----

void PeerManager::HandleCmpctBlock(Node& node, Peer& peer, ByteSpan payload)
{
    const HeaderAndShortIDs cmpct = DeserializeHeaderAndShortIDs(payload);
    const uint256 hash = cmpct.header.GetHash();
    const bool ibd = m_chainman.IsInitialBlockDownload();

    bool received_new_header = false;
    const BlockIndex* best_header = nullptr;
    bool connects;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        const BlockIndex* prev = m_chainman.Tree().Lookup(cmpct.header.prev_block);
        connects = prev != nullptr;
        if (!prev) {
            best_header = m_chainman.Tree().BestHeader();
        } else if (prev->chain_work + HeaderWork(cmpct.header) < AntiDoSWorkThresholdLocked()) {
            LogDebug(LogCategory::NET, "Ignoring low-work compact block from peer {}", node.id);
            return;
        }
        received_new_header = connects && !m_chainman.Tree().Lookup(hash);
    }
    if (!connects) {
        // Doesn't connect (or is genesis): ask for the headers in between rather than judge it.
        if (!ibd) SendGetHeaders(node, peer, best_header);
        return;
    }

    BlockValidationState state;
    const BlockIndex* index = nullptr;
    if (!m_chainman.ProcessNewBlockHeaders({cmpct.header}, state, &index)) {
        if (state.IsInvalid()) {
            PunishForCompactBlock(peer.id, state, "invalid header via cmpctblock");
            return;
        }
    }
    if (!index) return;
    if (received_new_header) LogInfo("Saw new cmpctblock header hash={} peer={}", hash.GetHex(), node.id);

    bool process_blocktxn = false;
    bool revert_to_headers = false;
    auto block = std::make_shared<Block>();
    bool reconstructed = false;
    {
        std::lock_guard cs(m_chainman.GetMutex());
        UpdateBlockAvailability(peer, hash);
        // A new header with more work than our tip: the peer announced a block (outbound eviction).
        if (received_new_header && index->chain_work > m_chainman.ActiveChain().Tip()->chain_work) {
            peer.last_block_announcement = GetTime();
        }
        if (index->status & BLOCK_HAVE_DATA) return; // nothing to do

        // Who is fetching this block already: the in-flight owner first, then
        // further compact downloads in the order they started.
        const auto owner = m_blocks_in_flight.find(hash);
        const auto [dl_begin, dl_end] = m_cmpct.downloads.equal_range(hash);
        size_t already_in_flight = owner != m_blocks_in_flight.end() ? 1 : 0;
        bool requested_from_this_peer = owner != m_blocks_in_flight.end() && owner->second == peer.id;
        bool have_partial = false;
        for (auto it = dl_begin; it != dl_end; ++it) {
            if (it->second.peer == peer.id) {
                requested_from_this_peer = true;
                have_partial = true;
            }
            if (owner == m_blocks_in_flight.end() || it->second.peer != owner->second) ++already_in_flight;
        }
        const bool first_in_flight = owner != m_blocks_in_flight.end()
                                         ? owner->second == peer.id
                                         : (dl_begin == dl_end || dl_begin->second.peer == peer.id);

        const Chain& chain = m_chainman.ActiveChain();
        if (index->chain_work <= chain.Tip()->chain_work || index->tx_count != 0) {
            // We know something better, or had this block and pruned it: our
            // mempool is of no use; if we asked for it, take the whole block.
            if (requested_from_this_peer) PushFullBlockRequest(node, peer, hash);
            return;
        }
        // Far from the tip: leave it to the ordinary parallel download.
        if (already_in_flight == 0 && !CanDirectFetchLocked()) return;

        if (index->height <= chain.Height() + 2) {
            // This peer's downloads: its in-flight blocks plus compact races it joined.
            size_t peer_downloads = peer.blocks_in_flight.size();
            for (const auto& [h, dl] : m_cmpct.downloads) {
                const auto o = m_blocks_in_flight.find(h);
                if (dl.peer == peer.id && (o == m_blocks_in_flight.end() || o->second != peer.id)) ++peer_downloads;
            }
            if ((already_in_flight < MAX_CMPCTBLOCKS_INFLIGHT_PER_BLOCK &&
                 peer_downloads < MAX_BLOCKS_IN_TRANSIT_PER_PEER) ||
                requested_from_this_peer) {
                if (have_partial) {
                    LogDebug(LogCategory::NET, "Peer sent us compact block we were already syncing!");
                    return;
                }
                if (owner == m_blocks_in_flight.end()) MarkBlockInFlight(peer, index);
                auto dl = m_cmpct.downloads.emplace(
                    hash, CompactDownload{peer.id, peer.inbound, std::make_unique<PartiallyDownloadedBlock>()});
                PartiallyDownloadedBlock& partial = *dl->second.partial;
                const ReadStatus status = partial.InitData(cmpct, m_tx_relay.mempool, m_cmpct.extra_txn);
                if (status == READ_STATUS_INVALID) {
                    RemoveCompactBlockRequest(hash, peer.id); // in case the peer is not disconnected
                    Misbehaving(peer, "invalid compact block");
                    return;
                }
                if (status == READ_STATUS_FAILED) {
                    if (first_in_flight) {
                        // Colliding short ids: the block stays in flight, fetched whole.
                        PushFullBlockRequest(node, peer, hash);
                    } else {
                        RemoveCompactBlockRequest(hash, peer.id); // wait for the other download(s)
                    }
                    return;
                }
                BlockTransactionsRequest req;
                req.blockhash = hash;
                req.indexes = partial.MissingIndexes();
                if (req.indexes.empty()) {
                    process_blocktxn = true;
                } else if (first_in_flight ||
                           (peer.cmpct_hb_to &&
                            (!peer.inbound || IsBlockRequestedFromOutboundLocked(hash) ||
                             already_in_flight < MAX_CMPCTBLOCKS_INFLIGHT_PER_BLOCK - 1))) {
                    // The first download always round-trips; a racing one
                    // only from an outbound HB peer, or while a slot remains
                    // for an outbound one.
                    Push(node, msgtype::GETBLOCKTXN, SerializeBlockTransactionsRequest(req));
                } else {
                    RemoveCompactBlockRequest(hash, peer.id); // wait for the other download(s)
                }
            } else {
                // In flight elsewhere, or this peer is busy: try to rebuild it
                // anyway, for free if the mempool has everything.
                PartiallyDownloadedBlock temp;
                if (temp.InitData(cmpct, m_tx_relay.mempool, m_cmpct.extra_txn) != READ_STATUS_OK) return;
                const bool segwit = DeploymentActiveAfter(index->prev, m_chainman.Params().consensus,
                                                          BuriedDeployment::SEGWIT);
                reconstructed = temp.FillBlock(*block, {}, segwit) == READ_STATUS_OK;
            }
        } else if (requested_from_this_peer) {
            // Asked for but far ahead of our tip: the mempool is no help.
            PushFullBlockRequest(node, peer, hash);
            return;
        } else {
            revert_to_headers = true; // an announcement like a headers message
        }
    }

    if (process_blocktxn) {
        ProcessCompactBlockTxns(node, peer, BlockTransactions{hash, {}});
        return;
    }
    if (revert_to_headers) {
        // Not punished if the block turns out invalid (BIP 152: HB peers may
        // relay after checking the header); building on an invalid chain is.
        HandleHeaders(node, peer, {cmpct.header});
        return;
    }
    if (reconstructed) {
        // Another peer's download is overtaken; it is cleared once the block
        // is known valid enough that a malleated announcement cannot have
        // been used to interfere with the real one.
        ProcessReconstructedBlock(node, peer, block);
        std::lock_guard cs(m_chainman.GetMutex());
        if (index->IsValid(BLOCK_VALID_TRANSACTIONS)) RemoveCompactBlockRequest(hash, std::nullopt);
    }
}

bool PeerManager::IsBlockRequestedFromOutboundLocked(const uint256& hash) const
{
    if (auto owner = m_blocks_in_flight.find(hash); owner != m_blocks_in_flight.end()) {
        if (auto it = m_peers.find(owner->second); it != m_peers.end() && !it->second->inbound) return true;
    }
    const auto [begin, end] = m_cmpct.downloads.equal_range(hash);
    return std::any_of(begin, end, [](const auto& kv) { return !kv.second.inbound; });
}

void PeerManager::HandleBlockTxn(Node& node, Peer& peer, ByteSpan payload)
{
    ProcessCompactBlockTxns(node, peer, DeserializeBlockTransactions(payload));
}

void PeerManager::ProcessCompactBlockTxns(Node& node, Peer& peer, const BlockTransactions& txns)
{
    const uint256& hash = txns.blockhash;
    auto block = std::make_shared<Block>();
    {
        const auto owner = m_blocks_in_flight.find(hash);
        const auto [begin, end] = m_cmpct.downloads.equal_range(hash);
        auto mine = std::find_if(begin, end, [&](const auto& kv) { return kv.second.peer == peer.id; });
        if (mine == end) {
            LogDebug(LogCategory::NET, "Peer {} sent us block transactions for block we weren't expecting", node.id);
            return;
        }
        const bool first_in_flight = owner != m_blocks_in_flight.end() ? owner->second == peer.id
                                                                       : begin->second.peer == peer.id;
        PartiallyDownloadedBlock& partial = *mine->second.partial;
        bool segwit = true;
        if (!partial.Header().IsNull()) {
            std::lock_guard cs(m_chainman.GetMutex());
            segwit = DeploymentActiveAfter(m_chainman.Tree().Lookup(partial.Header().prev_block),
                                           m_chainman.Params().consensus, BuriedDeployment::SEGWIT);
        }
        const ReadStatus status = partial.FillBlock(*block, txns.txn, segwit);
        if (status == READ_STATUS_INVALID) {
            RemoveCompactBlockRequest(hash, peer.id); // in case the peer is not disconnected
            Misbehaving(peer, "invalid compact block/non-matching block transactions");
            return;
        }
        if (status == READ_STATUS_FAILED) {
            if (first_in_flight) {
                // Probably a short id collision: fetch the whole block. The
                // spent partial block stays, so another cmpctblock from this
                // peer for the same block is not taken up again.
                PushFullBlockRequest(node, peer, hash);
            } else {
                RemoveCompactBlockRequest(hash, peer.id);
                LogDebug(LogCategory::NET, "Peer {} sent us a compact block but it failed to reconstruct, waiting on "
                         "first download to complete", node.id);
            }
            return;
        }
        RemoveCompactBlockRequest(hash, peer.id);
    }
    ProcessReconstructedBlock(node, peer, block);
}

void PeerManager::ProcessReconstructedBlock(Node& node, Peer& peer, const std::shared_ptr<const Block>& block)
{
    const uint256 hash = block->GetHash();
    // The source, to choose high-bandwidth peers once the block is found
    // valid; never punished for invalid transactions (BIP 152).
    m_block_source[hash] = node.id;
    m_block_source_order.push_back(hash);
    while (m_block_source_order.size() > MAX_CMPCT_BLOCK_SOURCES) {
        m_block_source.erase(m_block_source_order.front());
        m_cmpct.via_compact.erase(m_block_source_order.front());
        m_block_source_order.pop_front();
    }
    m_cmpct.via_compact.insert(hash);

    // Forced: we asked for it (or, rebuilt for free, it extends a chain with
    // more work than our tip, at most two blocks ahead), and min_pow_checked
    // because the header passed the anti-DoS work threshold above.
    bool new_block = false;
    BlockValidationState state;
    const bool ok = ProcessBlockFromPeer(block, true, true, &new_block, &state);
    if (!ok) {
        m_block_source.erase(hash);
        m_cmpct.via_compact.erase(hash);
        if (state.IsInvalid()) PunishForCompactBlock(peer.id, state, "");
        return;
    }
    if (new_block) {
        peer.last_block_time = GetTime();
        // Whoever else was asked for it need not deliver any more.
        MarkBlockReceived(hash, node.id);
        RemoveCompactBlockRequest(hash, std::nullopt);
    } else {
        m_block_source.erase(hash);
        m_cmpct.via_compact.erase(hash);
    }
}

} // namespace cairn
