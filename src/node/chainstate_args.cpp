#include "node/chainstate_args.h"

#include "storage/block_files.h"
#include "util/hex.h"
#include "util/log.h"
#include "util/strencodings.h"

#include <algorithm>
#include <thread>

namespace cairn {

namespace {

constexpr int MAX_SCRIPTCHECK_THREADS = 15;

std::optional<BuriedDeployment> BuriedDeploymentFromName(std::string_view name)
{
    if (name == "bip34") return BuriedDeployment::HEIGHTINCB;
    if (name == "dersig") return BuriedDeployment::DERSIG;
    if (name == "cltv") return BuriedDeployment::CLTV;
    if (name == "csv") return BuriedDeployment::CSV;
    if (name == "segwit") return BuriedDeployment::SEGWIT;
    return std::nullopt;
}

/** The values -test=<option> accepts (Core's TEST_OPTIONS_DOC). */
constexpr std::string_view TEST_OPTIONS[] = {"addrman", "reindex_after_failure_noninteractive_yes", "bip94"};

bool ParseVbParams(const std::string& arg, ChainParamsOptions& opts, std::string& error)
{
    const std::vector<std::string> parts = SplitString(arg, ':');
    if (parts.size() < 3 || parts.size() > 4) {
        error = "Version bits parameters malformed, expecting deployment:start:end[:min_activation_height]";
        return false;
    }
    VBitsParams vb;
    if (!ParseInt64(parts[1], &vb.start_time)) {
        error = "Invalid nStartTime (" + parts[1] + ")";
        return false;
    }
    if (!ParseInt64(parts[2], &vb.timeout)) {
        error = "Invalid nTimeout (" + parts[2] + ")";
        return false;
    }
    if (parts.size() == 4) {
        int32_t height;
        if (!ParseInt32(parts[3], &height)) {
            error = "Invalid min_activation_height (" + parts[3] + ")";
            return false;
        }
        vb.min_activation_height = height;
    }
    for (int i = 0; i < MAX_VERSION_BITS_DEPLOYMENTS; ++i) {
        if (parts[0] == DeploymentName(DeploymentPos(i))) {
            opts.version_bits[DeploymentPos(i)] = vb;
            LogInfo("Setting version bits activation parameters for {} to start={}, timeout={}, min_activation_height={}",
                    parts[0], vb.start_time, vb.timeout, vb.min_activation_height);
            return true;
        }
    }
    error = "Invalid deployment (" + parts[0] + ")";
    return false;
}

} // namespace

bool ApplyArgsToChainParamsOptions(const ArgsManager& args, ChainType chain, ChainParamsOptions& opts, std::string& error)
{
    const std::vector<std::string> tests = args.GetArgs("-test");
    if (!tests.empty() && chain != ChainType::REGTEST) {
        error = "-test=<option> can only be used with regtest";
        return false;
    }
    for (const std::string& t : tests) {
        if (std::find(std::begin(TEST_OPTIONS), std::end(TEST_OPTIONS), t) == std::end(TEST_OPTIONS)) {
            error = "Unrecognised option \"" + t + "\" provided in -test=<option>.";
            return false;
        }
    }
    if (chain == ChainType::SIGNET) {
        const std::vector<std::string> challenges = args.GetArgs("-signetchallenge");
        if (challenges.size() > 1) {
            error = "-signetchallenge cannot be multiple values.";
            return false;
        }
        if (challenges.size() == 1) {
            auto bytes = TryParseHex(challenges[0]);
            if (!bytes) {
                error = "-signetchallenge must be hex, not '" + challenges[0] + "'.";
                return false;
            }
            opts.signet_challenge = *bytes;
        }
        if (args.IsArgSet("-signetseednode")) opts.signet_seeds = args.GetArgs("-signetseednode");
    }
    if (chain == ChainType::REGTEST) {
        for (const std::string& arg : args.GetArgs("-testactivationheight")) {
            const size_t at = arg.find('@');
            if (at == std::string::npos) {
                error = "Invalid format (" + arg + ") for -testactivationheight=name@height.";
                return false;
            }
            const auto dep = BuriedDeploymentFromName(arg.substr(0, at));
            int32_t height;
            if (!ParseInt32(arg.substr(at + 1), &height) || height < 0 || height >= std::numeric_limits<int>::max()) {
                error = "Invalid height value (" + arg + ") for -testactivationheight=name@height.";
                return false;
            }
            if (!dep) {
                error = "Invalid name (" + arg + ") for -testactivationheight=name@height.";
                return false;
            }
            opts.activation_heights[*dep] = height;
        }
        opts.fast_prune = args.GetBoolArg("-fastprune", false);
        opts.enforce_bip94 = std::find(tests.begin(), tests.end(), "bip94") != tests.end();
        for (const std::string& arg : args.GetArgs("-vbparams")) {
            if (!ParseVbParams(arg, opts, error)) return false;
        }
    }
    return true;
}

bool ApplyArgsToChainstateOptions(const ArgsManager& args, ChainstateOptions& opts, std::string& error)
{
    const int64_t dbcache = std::max<int64_t>(args.GetIntArg("-dbcache", DEFAULT_DB_CACHE_MIB), MIN_DB_CACHE_MIB);
    opts.db_cache_bytes = size_t(dbcache) << 20;
    opts.blocks_xor = args.GetBoolArg("-blocksxor", DEFAULT_BLOCKS_XOR);

    // -par counts the validating thread; 0 means one per core, negative leaves cores free.
    int par = int(args.GetIntArg("-par", 0));
    if (par <= 0) par += int(std::max(1u, std::thread::hardware_concurrency()));
    opts.script_threads = std::clamp(par - 1, 0, MAX_SCRIPTCHECK_THREADS);

    if (auto sigcache = args.GetIntArg("-maxsigcachesize")) {
        opts.signature_cache_bytes = size_t(std::max<int64_t>(*sigcache, 0)) << 20;
    }
    if (auto av = args.GetArg("-assumevalid")) {
        // "0" disables; otherwise a block hash.
        if (*av == "0" || args.IsArgNegated("-assumevalid")) {
            opts.assume_valid = uint256{};
        } else if (auto hash = uint256::FromHex(*av)) {
            opts.assume_valid = *hash;
        } else {
            error = "Invalid assumevalid block hash specified (" + *av + "), must be up to 64 hex digits (or 0 to disable).";
            return false;
        }
    }
    if (auto mcw = args.GetArg("-minimumchainwork")) {
        std::string hex = *mcw;
        if (hex.rfind("0x", 0) == 0) hex = hex.substr(2);
        if (hex.empty() || hex.size() > 64 || !std::all_of(hex.begin(), hex.end(), [](char c) { return HexDigit(c) >= 0; })) {
            error = "Invalid minimum work specified (" + *mcw + "), must be up to 64 hex digits";
            return false;
        }
        opts.minimum_chain_work = *uint256::FromHex(std::string(64 - hex.size(), '0') + hex);
    }
    if (auto batch = args.GetIntArg("-dbbatchsize")) {
        // As Core: any value is taken, a tiny one only makes flushes slower.
        opts.db_batch_bytes = size_t(std::max<int64_t>(*batch, 1));
    }
    opts.reindex = args.GetBoolArg("-reindex", false);
    opts.reindex_chainstate = args.GetBoolArg("-reindex-chainstate", false);
    opts.stop_at_height = int(args.GetIntArg("-stopatheight", 0));
    opts.max_tip_age = args.GetIntArg("-maxtipage", opts.max_tip_age);

    const int64_t prune = args.GetIntArg("-prune", 0);
    if (prune < 0) {
        error = "Prune cannot be configured with a negative value.";
        return false;
    }
    if (prune > 1 && uint64_t(prune) < MIN_PRUNE_TARGET_MIB) {
        error = "Prune configured below the minimum of " + std::to_string(MIN_PRUNE_TARGET_MIB) + " MiB.  Please use a higher number.";
        return false;
    }
    opts.prune_target_bytes = prune == 1 ? std::numeric_limits<uint64_t>::max() : uint64_t(prune) << 20;
    return true;
}

} // namespace cairn
