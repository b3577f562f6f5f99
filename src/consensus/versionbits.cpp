#include "consensus/versionbits.h"

#include <stdexcept>

namespace cairn {

namespace {

using StateCache = std::unordered_map<const BlockIndex*, ThresholdState>;

/** The parameters of one threshold rule: a deployment, or an unknown bit. */
struct ThresholdRule {
    int64_t start_time;
    int64_t timeout;
    int period;
    int threshold;
    int min_activation_height;
};

ThresholdRule RuleOf(const BIP9Deployment& d)
{
    return {d.start_time, d.timeout, d.period, d.threshold, d.min_activation_height};
}

/** The last block of the period before the one `prev`'s child belongs to:
 *  every block of a period has the same state, stored under this block. */
const BlockIndex* PeriodKey(const BlockIndex* prev, int period)
{
    if (prev == nullptr) return nullptr;
    return prev->GetAncestor(prev->height - (prev->height + 1) % period);
}

/** The BIP 9 state machine. `signals(block)` says whether a block counts. */
template <typename Signals>
ThresholdState ComputeState(const BlockIndex* prev, const ThresholdRule& rule, StateCache& cache, Signals&& signals)
{
    if (rule.start_time == BIP9Deployment::ALWAYS_ACTIVE) return ThresholdState::ACTIVE;
    if (rule.start_time == BIP9Deployment::NEVER_ACTIVE) return ThresholdState::FAILED;
    if (rule.period <= 0) throw std::invalid_argument("version bits: period must be positive");

    // Walk back a period at a time to a state we know: a cached one, the
    // genesis block's (DEFINED), or one before the start time (DEFINED, and so
    // is everything before it, since median time past never decreases).
    const BlockIndex* key = PeriodKey(prev, rule.period);
    std::vector<const BlockIndex*> to_compute;
    ThresholdState state;
    while (true) {
        auto it = cache.find(key);
        if (it != cache.end()) {
            state = it->second;
            break;
        }
        if (key == nullptr || key->GetMedianTimePast() < rule.start_time) {
            state = ThresholdState::DEFINED;
            cache.emplace(key, state);
            break;
        }
        to_compute.push_back(key);
        key = key->GetAncestor(key->height - rule.period);
    }

    // Then forward, one period at a time. `end` is the last block of the
    // period just finished; the new state is that of the next period.
    while (!to_compute.empty()) {
        const BlockIndex* end = to_compute.back();
        to_compute.pop_back();
        switch (state) {
        case ThresholdState::DEFINED:
            if (end->GetMedianTimePast() >= rule.start_time) state = ThresholdState::STARTED;
            break;
        case ThresholdState::STARTED: {
            // Lock-in takes precedence over the timeout: a period that reached
            // the threshold locks in even if it also ran past the timeout.
            int count = 0;
            const BlockIndex* walk = end;
            for (int i = 0; i < rule.period && walk != nullptr; ++i, walk = walk->prev) {
                if (signals(*walk)) ++count;
            }
            if (count >= rule.threshold) {
                state = ThresholdState::LOCKED_IN;
            } else if (end->GetMedianTimePast() >= rule.timeout) {
                state = ThresholdState::FAILED;
            }
            break;
        }
        case ThresholdState::LOCKED_IN:
            // Activation waits for min_activation_height, checked at each period start.
            if (end->height + 1 >= rule.min_activation_height) state = ThresholdState::ACTIVE;
            break;
        case ThresholdState::ACTIVE:
        case ThresholdState::FAILED:
            break; // terminal
        }
        cache[end] = state;
    }
    return state;
}

template <typename Signals>
int ComputeStateSinceHeight(const BlockIndex* prev, const ThresholdRule& rule, StateCache& cache, Signals&& signals)
{
    if (rule.start_time == BIP9Deployment::ALWAYS_ACTIVE || rule.start_time == BIP9Deployment::NEVER_ACTIVE) return 0;
    const ThresholdState state = ComputeState(prev, rule, cache, signals);
    if (state == ThresholdState::DEFINED) return 0; // since genesis, by definition
    // Not DEFINED, so prev is a real block. Walk back while the previous period had the same state.
    const BlockIndex* key = PeriodKey(prev, rule.period);
    const BlockIndex* earlier = key->GetAncestor(key->height - rule.period);
    while (earlier != nullptr && ComputeState(earlier, rule, cache, signals) == state) {
        key = earlier;
        earlier = key->GetAncestor(key->height - rule.period);
    }
    return key->height + 1;
}

struct DeploymentSignals {
    int bit;
    bool operator()(const BlockIndex& b) const { return VersionSignals(b.version, bit); }
};

} // namespace

std::string_view ThresholdStateName(ThresholdState state)
{
    switch (state) {
    case ThresholdState::DEFINED: return "defined";
    case ThresholdState::STARTED: return "started";
    case ThresholdState::LOCKED_IN: return "locked_in";
    case ThresholdState::ACTIVE: return "active";
    case ThresholdState::FAILED: return "failed";
    }
    return "";
}

BIP9Stats VersionBitsStatistics(const BlockIndex* index, const ConsensusParams& params, DeploymentPos pos,
                                std::vector<bool>* signalling_blocks)
{
    const BIP9Deployment& d = params.deployments[pos];
    BIP9Stats stats;
    stats.period = d.period;
    stats.threshold = d.threshold;
    if (signalling_blocks) signalling_blocks->clear();
    if (index == nullptr || d.period <= 0) return stats;

    const int in_period = 1 + index->height % d.period;
    if (signalling_blocks) signalling_blocks->assign(in_period, false);
    int count = 0;
    const BlockIndex* walk = index;
    for (int i = in_period - 1; i >= 0 && walk != nullptr; --i, walk = walk->prev) {
        if (VersionSignals(walk->version, d.bit)) {
            ++count;
            if (signalling_blocks) (*signalling_blocks)[i] = true;
        }
    }
    stats.elapsed = in_period;
    stats.count = count;
    stats.possible = (stats.period - stats.threshold) >= (stats.elapsed - stats.count);
    return stats;
}

ThresholdState VersionBitsCache::State(const BlockIndex* prev, const ConsensusParams& params, DeploymentPos pos)
{
    const BIP9Deployment& d = params.deployments[pos];
    return ComputeState(prev, RuleOf(d), m_caches[pos], DeploymentSignals{d.bit});
}

int VersionBitsCache::StateSinceHeight(const BlockIndex* prev, const ConsensusParams& params, DeploymentPos pos)
{
    const BIP9Deployment& d = params.deployments[pos];
    return ComputeStateSinceHeight(prev, RuleOf(d), m_caches[pos], DeploymentSignals{d.bit});
}

BIP9Info VersionBitsCache::Info(const BlockIndex& block, const ConsensusParams& params, DeploymentPos pos)
{
    BIP9Info info;
    info.current_state = State(block.prev, params, pos);
    info.next_state = State(&block, params, pos);
    info.since = StateSinceHeight(block.prev, params, pos);
    if (info.current_state == ThresholdState::STARTED || info.current_state == ThresholdState::LOCKED_IN) {
        std::vector<bool> flags;
        info.stats = VersionBitsStatistics(&block, params, pos, &flags);
        info.signalling_blocks.reserve(flags.size());
        for (bool f : flags) info.signalling_blocks.push_back(f ? '#' : '-');
    }
    if (info.current_state == ThresholdState::ACTIVE) {
        info.active_since = info.since;
    } else if (info.next_state == ThresholdState::ACTIVE) {
        info.active_since = block.height + 1;
    }
    return info;
}

int32_t VersionBitsCache::ComputeBlockVersion(const BlockIndex* prev, const ConsensusParams& params)
{
    uint32_t version = VERSIONBITS_TOP_BITS;
    for (int i = 0; i < MAX_VERSION_BITS_DEPLOYMENTS; ++i) {
        const DeploymentPos pos = DeploymentPos(i);
        const ThresholdState state = State(prev, params, pos);
        if (state == ThresholdState::STARTED || state == ThresholdState::LOCKED_IN) {
            version |= VersionBitsMask(params, pos);
        }
    }
    return int32_t(version);
}

std::vector<std::pair<int, bool>> VersionBitsCache::CheckUnknownActivations(const BlockIndex* prev,
                                                                            const ConsensusParams& params)
{
    const ThresholdRule rule{0, BIP9Deployment::NO_TIMEOUT, params.miner_confirmation_window,
                             params.rule_change_activation_threshold, 0};
    // The version expected of a block is the same for all blocks of a
    // deployment period; remember it per parent period key to avoid
    // recomputing it for each of the counted blocks.
    bool uniform = params.deployments[0].period > 0;
    for (const BIP9Deployment& d : params.deployments) uniform = uniform && d.period == params.deployments[0].period;
    std::unordered_map<const BlockIndex*, int32_t> expected;
    auto expected_version = [&](const BlockIndex* parent) {
        const BlockIndex* key = uniform ? PeriodKey(parent, params.deployments[0].period) : parent;
        auto it = expected.find(key);
        if (it != expected.end()) return it->second;
        const int32_t v = ComputeBlockVersion(parent, params);
        expected.emplace(key, v);
        return v;
    };

    std::vector<std::pair<int, bool>> result;
    for (int bit = 0; bit < VERSIONBITS_NUM_BITS; ++bit) {
        auto unexpected = [&](const BlockIndex& b) {
            return b.height >= params.min_bip9_warning_height && VersionSignals(b.version, bit) &&
                   ((uint32_t(expected_version(b.prev)) >> bit) & 1) == 0;
        };
        const ThresholdState state = ComputeState(prev, rule, m_warning_caches[bit], unexpected);
        if (state == ThresholdState::ACTIVE || state == ThresholdState::LOCKED_IN) {
            result.emplace_back(bit, state == ThresholdState::ACTIVE);
        }
    }
    return result;
}

void VersionBitsCache::Clear()
{
    for (auto& c : m_caches) c.clear();
    for (auto& c : m_warning_caches) c.clear();
}

} // namespace cairn
