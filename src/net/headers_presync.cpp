#include "net/headers_presync.h"

#include "consensus/block_check.h"
#include "consensus/block_index.h"
#include "consensus/pow.h"
#include "crypto/siphash.h"

#include <algorithm>

namespace cairn {

HeadersPresync::HeadersPresync(const ConsensusParams& params, const PresyncStart& start,
                               const arith_uint256& minimum_work, int64_t now, uint64_t salt0, uint64_t salt1,
                               int commit_offset)
    : m_params(params), m_start(start), m_minimum_work(minimum_work), m_salt0(salt0), m_salt1(salt1),
      m_commit_offset(commit_offset), m_work(start.chain_work), m_last_hash(start.hash), m_last_height(start.height),
      m_last_time(start.median_time_past), m_last_bits(start.bits)
{
    // No valid chain can hold more blocks than 6 a second (the median-time-past
    // rule) from the start until two hours from now: more commitments than that
    // mean the peer is feeding us an impossible chain.
    const int64_t seconds = std::max<int64_t>(now - start.median_time_past, 0) + MAX_FUTURE_BLOCK_TIME;
    m_max_commitments = uint64_t(6 * seconds / HEADER_COMMITMENT_PERIOD);
}

bool HeadersPresync::CommitmentBit(const uint256& hash) const
{
    return SipHashUint256(m_salt0, m_salt1, hash) & 1;
}

void HeadersPresync::Finalize()
{
    m_phase = Phase::FINAL;
    m_commitments.clear();
    m_commitments.shrink_to_fit();
    m_buffer.clear();
    m_buffer.shrink_to_fit();
}

bool HeadersPresync::StorePresyncHeader(const BlockHeader& header)
{
    if (header.prev_block != m_last_hash) return false;
    const int height = m_last_height + 1;
    if (!PermittedDifficultyTransition(m_params, height, m_last_bits, header.bits)) return false;
    if (height % HEADER_COMMITMENT_PERIOD == m_commit_offset) {
        m_commitments.push_back(CommitmentBit(header.GetHash()));
        if (m_commitments.size() > m_max_commitments) return false;
    }
    m_work += GetBlockProof(header.bits);
    m_last_hash = header.GetHash();
    m_last_height = height;
    m_last_time = header.time;
    m_last_bits = header.bits;
    return true;
}

bool HeadersPresync::StoreRedownloadedHeader(const BlockHeader& header)
{
    if (header.prev_block != m_redownload_last_hash) return false;
    const int height = m_redownload_height + 1;
    if (!PermittedDifficultyTransition(m_params, height, m_redownload_last_bits, header.bits)) return false;
    const uint256 hash = header.GetHash();
    m_redownload_work += GetBlockProof(header.bits);
    if (m_redownload_work >= m_minimum_work) m_release_all = true;
    if (height % HEADER_COMMITMENT_PERIOD == m_commit_offset) {
        // Past the end of the first pass's commitments the work was
        // already enough there; a different chain shows up as a mismatch.
        if (m_commitments.empty() || m_commitments.front() != CommitmentBit(hash)) return false;
        m_commitments.pop_front();
    }
    if (m_buffer.empty()) m_buffer_first_prev = header.prev_block;
    m_buffer.push_back({header.version, header.merkle_root, header.time, header.bits, header.nonce});
    m_redownload_last_hash = hash;
    m_redownload_height = height;
    m_redownload_last_bits = header.bits;
    return true;
}

std::vector<BlockHeader> HeadersPresync::ReleaseBuffered()
{
    std::vector<BlockHeader> out;
    while (!m_buffer.empty() && (m_buffer.size() > REDOWNLOAD_BUFFER_SIZE || m_release_all)) {
        const Compressed& c = m_buffer.front();
        BlockHeader h;
        h.version = c.version;
        h.prev_block = m_buffer_first_prev;
        h.merkle_root = c.merkle_root;
        h.time = c.time;
        h.bits = c.bits;
        h.nonce = c.nonce;
        m_buffer_first_prev = h.GetHash();
        out.push_back(h);
        m_buffer.pop_front();
    }
    return out;
}

HeadersPresync::Result HeadersPresync::Process(std::span<const BlockHeader> headers, bool full_message)
{
    Result result;
    if (headers.empty() || m_phase == Phase::FINAL) return result;

    if (m_phase == Phase::PRESYNC) {
        for (const BlockHeader& h : headers) {
            if (!StorePresyncHeader(h)) {
                result.success = false;
                Finalize();
                return result;
            }
        }
        if (m_work >= m_minimum_work) {
            // Enough work: fetch the same chain again from the start.
            m_phase = Phase::REDOWNLOAD;
            m_redownload_last_hash = m_start.hash;
            m_redownload_height = m_start.height;
            m_redownload_last_bits = m_start.bits;
            m_redownload_work = m_start.chain_work;
            result.request_more = true;
            return result;
        }
        // A peer that stops before reaching the work has nothing we want.
        if (!full_message) {
            Finalize();
            return result;
        }
        result.request_more = true;
        return result;
    }

    // REDOWNLOAD
    for (const BlockHeader& h : headers) {
        if (!StoreRedownloadedHeader(h)) {
            result.success = false;
            Finalize();
            return result;
        }
    }
    result.to_process = ReleaseBuffered();
    if (m_release_all && m_buffer.empty()) {
        Finalize();
        return result;
    }
    if (!full_message) {
        // The peer stopped serving the chain it showed us before the work was reached.
        Finalize();
        return result;
    }
    result.request_more = true;
    return result;
}

std::vector<uint256> HeadersPresync::Locator() const
{
    if (m_phase == Phase::PRESYNC) return {m_last_hash, m_start.hash};
    if (m_phase == Phase::REDOWNLOAD) {
        if (m_redownload_last_hash == m_start.hash) return {m_start.hash};
        return {m_redownload_last_hash, m_start.hash};
    }
    return {};
}

} // namespace cairn
