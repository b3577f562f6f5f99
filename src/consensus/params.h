// The consensus parameters of a network: the values the rule functions read
// (proof of work, subsidy, deployment heights and BIP 9 schedules). Plain
// data; consensus/chain_params.cpp fills one per network.
#ifndef CAIRN_CONSENSUS_PARAMS_H
#define CAIRN_CONSENSUS_PARAMS_H

#include "util/span.h"
#include "util/uint256.h"

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string_view>

namespace cairn {

/** Soft forks activated at a fixed height ("buried" in the code once long
 *  past): BIP 34, 65, 66, 68/112/113 and 141/143/147. */
enum class BuriedDeployment {
    HEIGHTINCB, //!< BIP 34: height in the coinbase
    CLTV,       //!< BIP 65: OP_CHECKLOCKTIMEVERIFY
    DERSIG,     //!< BIP 66: strict DER signatures
    CSV,        //!< BIP 68, 112, 113: relative lock-times
    SEGWIT,     //!< BIP 141, 143, 147: segregated witness
};

/** Soft forks deployed through BIP 9 version bits, indexing
 *  ConsensusParams::deployments. */
enum DeploymentPos : uint16_t {
    DEPLOYMENT_TESTDUMMY,
    DEPLOYMENT_TAPROOT, //!< BIP 340, 341, 342
    MAX_VERSION_BITS_DEPLOYMENTS,
};

/** One BIP 9 deployment. Times are compared with the median time past of the
 *  last block of a period. */
struct BIP9Deployment {
    /** Timeout meaning "never". */
    static constexpr int64_t NO_TIMEOUT = std::numeric_limits<int64_t>::max();
    /** start_time meaning the deployment is active from genesis on (tests). */
    static constexpr int64_t ALWAYS_ACTIVE = -1;
    /** start_time meaning the deployment never activates (its state is FAILED). */
    static constexpr int64_t NEVER_ACTIVE = -2;

    /** Bit of nVersion that signals readiness (0..28). */
    int bit{28};
    int64_t start_time{NEVER_ACTIVE};
    int64_t timeout{NEVER_ACTIVE};
    /** A LOCKED_IN deployment becomes ACTIVE no earlier than this height. */
    int min_activation_height{0};
    /** Blocks per signalling period and how many must signal to lock in. */
    int period{2016};
    int threshold{1815};
};

struct ConsensusParams {
    uint256 genesis_hash;
    int subsidy_halving_interval{210000};

    /** Historic blocks validated with fewer script flags than their height
     *  calls for, and the exact flags (consensus/script/script_flags.h) to use
     *  for each: the BIP 16 exception (no flags) and, on mainnet, the taproot
     *  exception (P2SH and WITNESS only). */
    std::map<uint256, uint32_t> script_flag_exceptions;

    /** Heights at which the buried deployments activate; INT_MAX for never. */
    int bip34_height{0};
    /** Hash of the block at bip34_height (null where BIP 34 is active from height 1). */
    uint256 bip34_hash;
    int bip65_height{0};
    int bip66_height{0};
    int csv_height{0};
    /** Segwit, and with it witness commitments and BIP 147. */
    int segwit_height{0};
    /** Below this height unknown version bits are not warned about (skips
     *  the CSV and segwit signalling on mainnet). */
    int min_bip9_warning_height{0};

    /** Network-wide BIP 9 period and threshold: the defaults of deployments
     *  and the parameters of the unknown-bit warnings. */
    int rule_change_activation_threshold{1815};
    int miner_confirmation_window{2016};
    std::array<BIP9Deployment, MAX_VERSION_BITS_DEPLOYMENTS> deployments{};

    // Proof of work
    uint256 pow_limit;
    /** Testnets: a block more than twice the target spacing after its parent
     *  may have the minimum difficulty. */
    bool pow_allow_min_difficulty_blocks{false};
    /** BIP 94 (testnet4): retarget from the first block of the period, and
     *  the timewarp rule on the first block of each period. */
    bool enforce_BIP94{false};
    /** Regtest: the target never changes. */
    bool pow_no_retargeting{false};
    int64_t pow_target_spacing{10 * 60};
    int64_t pow_target_timespan{14 * 24 * 60 * 60};
    int64_t DifficultyAdjustmentInterval() const { return pow_target_timespan / pow_target_spacing; }

    /** Headers chains with less work are not downloaded (anti-DoS). */
    uint256 minimum_chain_work;
    /** Script checks may be skipped for ancestors of this block (-assumevalid). */
    uint256 default_assume_valid;

    /** BIP 325: blocks carry a signet solution checked against this script. */
    bool signet_blocks{false};
    Bytes signet_challenge;

    /** Activation height of a buried deployment. */
    int DeploymentHeight(BuriedDeployment dep) const
    {
        switch (dep) {
        case BuriedDeployment::HEIGHTINCB: return bip34_height;
        case BuriedDeployment::CLTV: return bip65_height;
        case BuriedDeployment::DERSIG: return bip66_height;
        case BuriedDeployment::CSV: return csv_height;
        case BuriedDeployment::SEGWIT: return segwit_height;
        }
        return std::numeric_limits<int>::max();
    }

    /** The script flags a listed historic block is validated with, if any. */
    std::optional<uint32_t> ScriptFlagException(const uint256& block_hash) const
    {
        auto it = script_flag_exceptions.find(block_hash);
        if (it == script_flag_exceptions.end()) return std::nullopt;
        return it->second;
    }
};

inline constexpr std::array<BuriedDeployment, 5> ALL_BURIED_DEPLOYMENTS{
    BuriedDeployment::HEIGHTINCB, BuriedDeployment::CLTV, BuriedDeployment::DERSIG,
    BuriedDeployment::CSV, BuriedDeployment::SEGWIT};

/** Names as getdeploymentinfo prints them: "bip34", "bip65", "bip66", "csv", "segwit". */
std::string_view DeploymentName(BuriedDeployment dep);
/** "testdummy", "taproot". */
std::string_view DeploymentName(DeploymentPos pos);
/** Whether getblocktemplate may set the bit without the client knowing the
 *  rule (BIP 9 "!" prefix absent); true for every current deployment. */
bool DeploymentGbtForce(DeploymentPos pos);

/** Names accepted by regtest's -testactivationheight=name@height:
 *  "segwit", "bip34", "dersig", "cltv", "csv". */
std::optional<BuriedDeployment> BuriedDeploymentFromTestName(std::string_view name);
/** Inverse of DeploymentName(DeploymentPos), for regtest's -vbparams. */
std::optional<DeploymentPos> DeploymentPosFromName(std::string_view name);

} // namespace cairn

#endif
