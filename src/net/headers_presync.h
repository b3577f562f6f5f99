// Anti-DoS header sync (Core's HeadersSyncState): a peer's header chain that
// forks below the work we would accept is first downloaded without being
// stored, keeping only one salted bit per ~600 headers, until its total work
// reaches the threshold; then it is downloaded a second time, checked
// against those bits, and only from then handed to validation. A peer
// feeding a long low-work chain costs us a few bytes per thousand headers,
// not the chain.
//
// Pure state over plain values (the chain start is copied, not referenced):
// the peer manager owns one per syncing peer and asks it what to request.
#ifndef CAIRN_NET_HEADERS_PRESYNC_H
#define CAIRN_NET_HEADERS_PRESYNC_H

#include "consensus/params.h"
#include "primitives/block.h"
#include "util/arith_uint256.h"
#include "util/uint256.h"

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

namespace cairn {

/** One header commitment bit is kept per this many headers. */
inline constexpr int HEADER_COMMITMENT_PERIOD = 624;
/** Redownloaded headers are held back until this many more have been checked on top. */
inline constexpr size_t REDOWNLOAD_BUFFER_SIZE = 14827;

/** The known block the peer's chain forks from. */
struct PresyncStart {
    uint256 hash;
    int height{0};
    arith_uint256 chain_work;
    uint32_t bits{0};
    int64_t median_time_past{0};
};

class HeadersPresync
{
public:
    enum class Phase { PRESYNC, REDOWNLOAD, FINAL };

    /** `now` bounds how long a valid chain can be (6 blocks a second since
     *  the start's MTP); `salt` keys the commitment bits; `commit_offset`
     *  (random in [0, HEADER_COMMITMENT_PERIOD)) picks which heights carry one. */
    HeadersPresync(const ConsensusParams& params, const PresyncStart& start, const arith_uint256& minimum_work,
                   int64_t now, uint64_t salt0, uint64_t salt1, int commit_offset);

    struct Result {
        /** Headers now cleared for validation (redownloaded, enough work on top). */
        std::vector<BlockHeader> to_process;
        /** False if the peer sent headers that break the rules of this sync
         *  (not connecting, impossible difficulty change, commitment
         *  mismatch, too long a chain): it may be punished. */
        bool success{true};
        /** Send getheaders with Locator() next. */
        bool request_more{false};
    };

    /** Feeds one headers message. `full_message`: it held the maximum
     *  number of headers, so the peer has more. */
    Result Process(std::span<const BlockHeader> headers, bool full_message);

    /** The locator for the next getheaders: the last header received in
     *  this phase, then the start. */
    std::vector<uint256> Locator() const;

    Phase GetPhase() const { return m_phase; }
    /** Progress of the first pass (Core logs and reports these). */
    int PresyncHeight() const { return m_last_height; }
    int64_t PresyncTime() const { return m_last_time; }
    const arith_uint256& PresyncWork() const { return m_work; }

private:
    bool StorePresyncHeader(const BlockHeader& header);
    bool StoreRedownloadedHeader(const BlockHeader& header);
    std::vector<BlockHeader> ReleaseBuffered();
    bool CommitmentBit(const uint256& hash) const;
    void Finalize();

    /** A buffered header without its previous-block hash (implied by order). */
    struct Compressed {
        int32_t version;
        uint256 merkle_root;
        uint32_t time, bits, nonce;
    };

    const ConsensusParams& m_params;
    const PresyncStart m_start;
    const arith_uint256 m_minimum_work;
    const uint64_t m_salt0, m_salt1;
    const int m_commit_offset;
    uint64_t m_max_commitments;
    Phase m_phase{Phase::PRESYNC};

    // First pass.
    std::deque<bool> m_commitments;
    arith_uint256 m_work;
    uint256 m_last_hash;
    int m_last_height;
    int64_t m_last_time;
    uint32_t m_last_bits;

    // Second pass.
    std::deque<Compressed> m_buffer;
    uint256 m_buffer_first_prev; // prev_block of m_buffer.front()
    uint256 m_redownload_last_hash;
    int m_redownload_height;
    uint32_t m_redownload_last_bits;
    arith_uint256 m_redownload_work;
    bool m_release_all{false};
};

} // namespace cairn

#endif
