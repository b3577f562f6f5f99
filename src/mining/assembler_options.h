// What block assembly may put in a template: its weight budget, the weight
// and sigops kept for the coinbase, the lowest fee rate worth mining, and
// regtest's version override (Bitcoin Core's BlockAssembler::Options with
// its -blockmaxweight, -blockreservedweight, -blockmintxfee, -blockversion
// and -printpriority arguments).
#ifndef CAIRN_MINING_ASSEMBLER_OPTIONS_H
#define CAIRN_MINING_ASSEMBLER_OPTIONS_H

#include "consensus/consensus.h"
#include "policy/feerate.h"
#include "policy/policy.h"

#include <cstdint>
#include <optional>
#include <string>

namespace cairn {

class ArgsManager;

/** Default for -blockmaxweight: as large as consensus allows. */
inline constexpr int64_t DEFAULT_BLOCK_MAX_WEIGHT{MAX_BLOCK_WEIGHT};
/** Default for -blockreservedweight: weight kept free for the header, the
 *  transaction count and the coinbase the mining software will write. */
inline constexpr int64_t DEFAULT_BLOCK_RESERVED_WEIGHT{8000};
/** The lowest -blockreservedweight accepted: a minimal coinbase and the
 *  header with a safety margin. */
inline constexpr int64_t MINIMUM_BLOCK_RESERVED_WEIGHT{2000};
/** Sigop cost kept free for the coinbase's outputs. */
inline constexpr int64_t DEFAULT_COINBASE_OUTPUT_MAX_ADDITIONAL_SIGOPS{400};
/** Default for -printpriority. */
inline constexpr bool DEFAULT_PRINT_MODIFIED_FEE{false};

struct BlockAssemblerOptions {
    /** -blockmaxweight; clamped to [block_reserved_weight, MAX_BLOCK_WEIGHT]. */
    int64_t block_max_weight{DEFAULT_BLOCK_MAX_WEIGHT};
    /** -blockreservedweight; in [MINIMUM_BLOCK_RESERVED_WEIGHT, MAX_BLOCK_WEIGHT]. */
    int64_t block_reserved_weight{DEFAULT_BLOCK_RESERVED_WEIGHT};
    int64_t coinbase_output_max_additional_sigops{DEFAULT_COINBASE_OUTPUT_MAX_ADDITIONAL_SIGOPS};
    /** -blockmintxfee: packages paying less (modified fees) are left out. */
    FeeRate block_min_fee_rate{DEFAULT_BLOCK_MIN_TX_FEE};
    /** -blockversion: replaces the computed version (regtest only). */
    std::optional<int32_t> block_version;
    /** -printpriority: log each selected transaction's modified fee rate. */
    bool print_modified_fee{DEFAULT_PRINT_MODIFIED_FEE};
    /** Check the template like a block (generateblock and tests may skip it). */
    bool test_block_validity{true};
};

/** The options with the weights brought into their ranges, as Core's
 *  ClampOptions does (a reserved weight outside its range is clamped too,
 *  where Core would assert: start-up has refused such a value already). */
BlockAssemblerOptions ClampOptions(BlockAssemblerOptions options);

/** Overrides `options` with whichever of -blockmaxweight, -blockreservedweight,
 *  -blockmintxfee (if it parses), -blockversion and -printpriority are set. */
void ApplyArgsManOptions(const ArgsManager& args, BlockAssemblerOptions& options);

/** Start-up checks of the same arguments, with Core's messages: "Specified
 *  -blockmaxweight (N) exceeds consensus maximum block weight (4000000)",
 *  the same two for -blockreservedweight ("... is lower than minimum safety
 *  value of (2000)"), and "Invalid amount for -blockmintxfee=<amount>: 'x'".
 *  False with `error` set on the first failure. */
bool CheckMiningArgs(const ArgsManager& args, std::string& error);

/** Bitcoin Core's ParseMoney: a decimal amount in BTC ("0.0001", "1.",
 *  ".5", surrounding whitespace allowed) with at most 8 decimals and no
 *  sign, within MAX_MONEY; nullopt otherwise. */
std::optional<int64_t> ParseMoney(std::string_view text);

} // namespace cairn

#endif
