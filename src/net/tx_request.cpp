#include "net/tx_request.h"

#include "crypto/random.h"
#include "crypto/siphash.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace cairn {

namespace {

enum class State : uint8_t { CANDIDATE_DELAYED, CANDIDATE_READY, CANDIDATE_BEST, REQUESTED, COMPLETED };

bool IsCandidate(State s) { return s <= State::CANDIDATE_BEST; }
bool IsSelectable(State s) { return s == State::CANDIDATE_READY || s == State::CANDIDATE_BEST; }
bool IsSelected(State s) { return s == State::CANDIDATE_BEST || s == State::REQUESTED; }

struct Announcement {
    bool is_wtxid{false};
    bool preferred{false};
    State state{State::CANDIDATE_DELAYED};
    uint64_t sequence{0};
    /** DELAYED/READY/BEST: the request time; REQUESTED: the expiry. */
    int64_t time{0};
};

/** Announced hashes come from peers: the table is keyed with a random salt. */
struct SaltedHasher {
    uint64_t k0, k1;
    size_t operator()(const uint256& h) const { return size_t(SipHashUint256(k0, k1, h)); }
};

/** (time, txhash, peer): an announcement waiting for a point in time. */
using TimeKey = std::tuple<int64_t, uint256, NodeId>;

} // namespace

struct TxRequestTracker::Impl {
    explicit Impl(bool deterministic)
        : m_deterministic(deterministic), m_k0(GetRandUint64()), m_k1(GetRandUint64()),
          m_txs(0, SaltedHasher{GetRandUint64(), GetRandUint64()})
    {
    }

    struct PeerInfo {
        size_t total{0};
        size_t candidates{0};
        size_t requested{0};
        /** CANDIDATE_BEST announcements, by announcement order. */
        std::set<std::pair<uint64_t, uint256>> best;
        std::set<uint256> txhashes;
    };
    using AnnMap = std::map<NodeId, Announcement>;

    const bool m_deterministic;
    const uint64_t m_k0, m_k1;
    uint64_t m_sequence{0};
    std::unordered_map<uint256, AnnMap, SaltedHasher> m_txs;
    std::map<NodeId, PeerInfo> m_peers;
    size_t m_size{0};
    std::set<TimeKey> m_delayed;   // CANDIDATE_DELAYED by request time
    std::set<TimeKey> m_requested; // REQUESTED by expiry
    std::set<TimeKey> m_selectable; // CANDIDATE_READY/BEST by request time (for a clock moving backwards)

    uint64_t Priority(const uint256& txhash, NodeId peer, bool preferred) const
    {
        uint64_t low = 0;
        if (!m_deterministic) low = SipHasher(m_k0, m_k1).Write(txhash.span()).Write(uint64_t(peer)).Finalize() >> 1;
        return low | (uint64_t(preferred) << 63);
    }

    /** Every state change goes through here, so the indexes follow. */
    void SetState(const uint256& txhash, NodeId peer, Announcement& ann, State to)
    {
        PeerInfo& info = m_peers[peer];
        const TimeKey key{ann.time, txhash, peer};
        switch (ann.state) {
        case State::CANDIDATE_DELAYED: m_delayed.erase(key); break;
        case State::CANDIDATE_READY: m_selectable.erase(key); break;
        case State::CANDIDATE_BEST:
            m_selectable.erase(key);
            info.best.erase({ann.sequence, txhash});
            break;
        case State::REQUESTED: m_requested.erase(key); break;
        case State::COMPLETED: break;
        }
        info.candidates -= IsCandidate(ann.state);
        info.requested -= ann.state == State::REQUESTED;
        ann.state = to;
        info.candidates += IsCandidate(to);
        info.requested += to == State::REQUESTED;
        switch (to) {
        case State::CANDIDATE_DELAYED: m_delayed.insert(key); break;
        case State::CANDIDATE_READY: m_selectable.insert(key); break;
        case State::CANDIDATE_BEST:
            m_selectable.insert(key);
            info.best.insert({ann.sequence, txhash});
            break;
        case State::REQUESTED: m_requested.insert(key); break;
        case State::COMPLETED: break;
        }
    }

    /** Changes the time of an announcement (its state's index is keyed by it). */
    void SetTime(const uint256& txhash, NodeId peer, Announcement& ann, State to, int64_t time)
    {
        SetState(txhash, peer, ann, State::COMPLETED);
        ann.time = time;
        SetState(txhash, peer, ann, to);
    }

    /** Removes one announcement from every index. */
    void Erase(AnnMap& anns, AnnMap::iterator it, const uint256& txhash)
    {
        SetState(txhash, it->first, it->second, State::COMPLETED);
        auto pit = m_peers.find(it->first);
        pit->second.txhashes.erase(txhash);
        if (--pit->second.total == 0) m_peers.erase(pit);
        --m_size;
        anns.erase(it);
    }

    void EraseTxHash(const uint256& txhash)
    {
        auto tit = m_txs.find(txhash);
        if (tit == m_txs.end()) return;
        AnnMap& anns = tit->second;
        while (!anns.empty()) Erase(anns, anns.begin(), txhash);
        m_txs.erase(tit);
    }

    /** The READY announcement that should be BEST (nullptr if none). */
    AnnMap::iterator BestReady(const uint256& txhash, AnnMap& anns)
    {
        auto best = anns.end();
        uint64_t best_priority = 0;
        for (auto it = anns.begin(); it != anns.end(); ++it) {
            if (it->second.state != State::CANDIDATE_READY) continue;
            const uint64_t p = Priority(txhash, it->first, it->second.preferred);
            // Ties: the earlier announcement.
            if (best == anns.end() || p > best_priority ||
                (p == best_priority && it->second.sequence < best->second.sequence)) {
                best = it;
                best_priority = p;
            }
        }
        return best;
    }

    /** Moves `it` to state `to`; if it was the selected one, the best READY takes over. */
    void ChangeAndReselect(const uint256& txhash, AnnMap& anns, AnnMap::iterator it, State to)
    {
        const bool was_selected = IsSelected(it->second.state);
        SetState(txhash, it->first, it->second, to);
        if (was_selected && !IsSelected(to)) {
            auto next = BestReady(txhash, anns);
            if (next != anns.end()) SetState(txhash, next->first, next->second, State::CANDIDATE_BEST);
        }
    }

    /** COMPLETED, or everything forgotten if it was the last non-COMPLETED
     *  one. Returns false in the second case (the iterator is gone). */
    bool MakeCompleted(const uint256& txhash, AnnMap& anns, AnnMap::iterator it)
    {
        if (it->second.state == State::COMPLETED) return true;
        const bool only = std::none_of(anns.begin(), anns.end(), [&](const auto& e) {
            return e.first != it->first && e.second.state != State::COMPLETED;
        });
        if (only) {
            EraseTxHash(txhash);
            return false;
        }
        ChangeAndReselect(txhash, anns, it, State::COMPLETED);
        return true;
    }

    void PromoteReady(const uint256& txhash, AnnMap& anns, AnnMap::iterator it)
    {
        SetState(txhash, it->first, it->second, State::CANDIDATE_READY);
        for (auto other = anns.begin(); other != anns.end(); ++other) {
            if (other == it) continue;
            if (other->second.state == State::REQUESTED) return;
            if (other->second.state == State::CANDIDATE_BEST) {
                // A better candidate replaces the chosen one; on a tie the chosen one stays.
                if (Priority(txhash, it->first, it->second.preferred) >
                    Priority(txhash, other->first, other->second.preferred)) {
                    SetState(txhash, other->first, other->second, State::CANDIDATE_READY);
                    SetState(txhash, it->first, it->second, State::CANDIDATE_BEST);
                }
                return;
            }
        }
        SetState(txhash, it->first, it->second, State::CANDIDATE_BEST);
    }

    AnnMap::iterator Find(const uint256& txhash, NodeId peer, AnnMap*& anns)
    {
        auto tit = m_txs.find(txhash);
        if (tit == m_txs.end()) {
            anns = nullptr;
            return {};
        }
        anns = &tit->second;
        return anns->find(peer);
    }

    void SetTimePoint(int64_t now, std::vector<std::pair<NodeId, GenTxid>>* expired)
    {
        // Waiting announcements whose time has come, oldest first, DELAYED
        // and REQUESTED merged in time order.
        for (;;) {
            const bool have_d = !m_delayed.empty() && std::get<0>(*m_delayed.begin()) <= now;
            const bool have_r = !m_requested.empty() && std::get<0>(*m_requested.begin()) <= now;
            if (!have_d && !have_r) break;
            const bool take_d = have_d && (!have_r || *m_delayed.begin() <= *m_requested.begin());
            const auto [time, txhash, peer] = take_d ? *m_delayed.begin() : *m_requested.begin();
            AnnMap& anns = m_txs.at(txhash);
            auto it = anns.find(peer);
            if (take_d) {
                PromoteReady(txhash, anns, it);
            } else {
                if (expired) expired->emplace_back(peer, GenTxid{it->second.is_wtxid, txhash});
                MakeCompleted(txhash, anns, it);
            }
        }
        // The clock went backwards: selectable announcements from the future wait again.
        while (!m_selectable.empty() && std::get<0>(*m_selectable.rbegin()) > now) {
            const auto [time, txhash, peer] = *m_selectable.rbegin();
            AnnMap& anns = m_txs.at(txhash);
            ChangeAndReselect(txhash, anns, anns.find(peer), State::CANDIDATE_DELAYED);
        }
    }
};

TxRequestTracker::TxRequestTracker(bool deterministic) : m_impl(std::make_unique<Impl>(deterministic)) {}

TxRequestTracker::~TxRequestTracker() = default;

void TxRequestTracker::ReceivedInv(NodeId peer, const GenTxid& gtxid, bool preferred, int64_t reqtime)
{
    Impl& d = *m_impl;
    auto& anns = d.m_txs[gtxid.hash];
    if (anns.count(peer)) return;
    Announcement& ann = anns[peer];
    ann.is_wtxid = gtxid.is_wtxid;
    ann.preferred = preferred;
    ann.sequence = d.m_sequence++;
    ann.time = reqtime;
    ann.state = State::COMPLETED; // SetState starts from a state with no index entry
    Impl::PeerInfo& info = d.m_peers[peer];
    ++info.total;
    info.txhashes.insert(gtxid.hash);
    ++d.m_size;
    d.SetState(gtxid.hash, peer, ann, State::CANDIDATE_DELAYED);
}

void TxRequestTracker::DisconnectedPeer(NodeId peer)
{
    Impl& d = *m_impl;
    auto pit = d.m_peers.find(peer);
    if (pit == d.m_peers.end()) return;
    const std::vector<uint256> txhashes(pit->second.txhashes.begin(), pit->second.txhashes.end());
    for (const uint256& txhash : txhashes) {
        Impl::AnnMap* anns;
        auto it = d.Find(txhash, peer, anns);
        if (!anns || it == anns->end()) continue;
        // Completing first hands the request on to the next candidate (or
        // forgets the txhash if nobody else announced it).
        if (d.MakeCompleted(txhash, *anns, it)) {
            d.Erase(*anns, it, txhash);
            if (anns->empty()) d.m_txs.erase(txhash);
        }
    }
}

void TxRequestTracker::ForgetTxHash(const uint256& txhash)
{
    m_impl->EraseTxHash(txhash);
}

std::vector<GenTxid> TxRequestTracker::GetRequestable(NodeId peer, int64_t now,
                                                      std::vector<std::pair<NodeId, GenTxid>>* expired)
{
    Impl& d = *m_impl;
    d.SetTimePoint(now, expired);
    std::vector<GenTxid> out;
    auto pit = d.m_peers.find(peer);
    if (pit == d.m_peers.end()) return out;
    for (const auto& [seq, txhash] : pit->second.best) {
        out.push_back({d.m_txs.at(txhash).at(peer).is_wtxid, txhash});
    }
    return out;
}

void TxRequestTracker::RequestedTx(NodeId peer, const uint256& txhash, int64_t expiry)
{
    Impl& d = *m_impl;
    Impl::AnnMap* anns;
    auto it = d.Find(txhash, peer, anns);
    if (!anns || it == anns->end()) return;
    if (it->second.state != State::CANDIDATE_BEST) {
        if (it->second.state != State::CANDIDATE_DELAYED && it->second.state != State::CANDIDATE_READY) return;
        // Only one BEST or REQUESTED per txhash: the old one steps aside.
        for (auto other = anns->begin(); other != anns->end(); ++other) {
            if (other->second.state == State::CANDIDATE_BEST) {
                d.SetState(txhash, other->first, other->second, State::CANDIDATE_READY);
            } else if (other->second.state == State::REQUESTED) {
                d.SetState(txhash, other->first, other->second, State::COMPLETED);
            }
        }
    }
    d.SetTime(txhash, peer, it->second, State::REQUESTED, expiry);
}

void TxRequestTracker::ReceivedResponse(NodeId peer, const uint256& txhash)
{
    Impl& d = *m_impl;
    Impl::AnnMap* anns;
    auto it = d.Find(txhash, peer, anns);
    if (!anns || it == anns->end()) return;
    d.MakeCompleted(txhash, *anns, it);
}

size_t TxRequestTracker::CountInFlight(NodeId peer) const
{
    auto it = m_impl->m_peers.find(peer);
    return it == m_impl->m_peers.end() ? 0 : it->second.requested;
}

size_t TxRequestTracker::CountCandidates(NodeId peer) const
{
    auto it = m_impl->m_peers.find(peer);
    return it == m_impl->m_peers.end() ? 0 : it->second.candidates;
}

size_t TxRequestTracker::Count(NodeId peer) const
{
    auto it = m_impl->m_peers.find(peer);
    return it == m_impl->m_peers.end() ? 0 : it->second.total;
}

size_t TxRequestTracker::Size() const { return m_impl->m_size; }

void TxRequestTracker::GetCandidatePeers(const uint256& txhash, std::vector<NodeId>& result_peers) const
{
    auto tit = m_impl->m_txs.find(txhash);
    if (tit == m_impl->m_txs.end()) return;
    for (const auto& [peer, ann] : tit->second) {
        if (ann.state != State::COMPLETED) result_peers.push_back(peer);
    }
}

uint64_t TxRequestTracker::ComputePriority(const uint256& txhash, NodeId peer, bool preferred) const
{
    return m_impl->Priority(txhash, peer, preferred);
}

void TxRequestTracker::SanityCheck() const
{
    const Impl& d = *m_impl;
    auto fail = [](const std::string& what) { throw std::logic_error("TxRequestTracker: " + what); };
    std::map<NodeId, Impl::PeerInfo> peers;
    size_t size = 0, delayed = 0, requested = 0, selectable = 0;
    for (const auto& [txhash, anns] : d.m_txs) {
        if (anns.empty()) fail("empty txhash entry");
        int selected = 0, completed = 0, ready = 0, requested_here = 0;
        uint64_t best_priority = 0, max_ready = 0;
        for (const auto& [peer, ann] : anns) {
            ++size;
            Impl::PeerInfo& info = peers[peer];
            ++info.total;
            info.candidates += IsCandidate(ann.state);
            info.requested += ann.state == State::REQUESTED;
            if (ann.state == State::CANDIDATE_BEST) info.best.insert({ann.sequence, txhash});
            info.txhashes.insert(txhash);
            selected += IsSelected(ann.state);
            completed += ann.state == State::COMPLETED;
            requested_here += ann.state == State::REQUESTED;
            delayed += ann.state == State::CANDIDATE_DELAYED;
            requested += ann.state == State::REQUESTED;
            selectable += IsSelectable(ann.state);
            const TimeKey key{ann.time, txhash, peer};
            if (ann.state == State::CANDIDATE_DELAYED && !d.m_delayed.count(key)) fail("delayed index");
            if (ann.state == State::REQUESTED && !d.m_requested.count(key)) fail("requested index");
            if (IsSelectable(ann.state) && !d.m_selectable.count(key)) fail("selectable index");
            const uint64_t p = d.Priority(txhash, peer, ann.preferred);
            if (ann.state == State::CANDIDATE_BEST) best_priority = p;
            if (ann.state == State::CANDIDATE_READY) {
                ++ready;
                max_ready = std::max(max_ready, p);
            }
        }
        if (selected > 1) fail("more than one BEST/REQUESTED");
        if (completed == int(anns.size())) fail("only COMPLETED announcements");
        if (ready > 0 && selected == 0) fail("READY without a BEST");
        if (ready > 0 && requested_here == 0 && max_ready > best_priority) fail("BEST is not the best");
    }
    if (size != d.m_size) fail("size");
    if (delayed != d.m_delayed.size() || requested != d.m_requested.size() || selectable != d.m_selectable.size()) {
        fail("time index sizes");
    }
    if (peers.size() != d.m_peers.size()) fail("peer count");
    for (const auto& [peer, info] : peers) {
        auto it = d.m_peers.find(peer);
        if (it == d.m_peers.end()) fail("missing peer");
        const Impl::PeerInfo& have = it->second;
        if (have.total != info.total || have.candidates != info.candidates || have.requested != info.requested ||
            have.best != info.best || have.txhashes != info.txhashes) {
            fail("peer counters of " + std::to_string(peer));
        }
    }
}

} // namespace cairn
