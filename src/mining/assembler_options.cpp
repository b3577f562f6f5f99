#include "mining/assembler_options.h"

#include "primitives/amount.h"
#include "util/args.h"

#include <algorithm>
#include <fmt/format.h>

namespace cairn {

BlockAssemblerOptions ClampOptions(BlockAssemblerOptions options)
{
    options.block_reserved_weight =
        std::clamp<int64_t>(options.block_reserved_weight, MINIMUM_BLOCK_RESERVED_WEIGHT, MAX_BLOCK_WEIGHT);
    options.coinbase_output_max_additional_sigops =
        std::clamp<int64_t>(options.coinbase_output_max_additional_sigops, 0, MAX_BLOCK_SIGOPS_COST);
    // The reserved weight may exceed -blockmaxweight: the template then holds no transaction.
    options.block_max_weight =
        std::clamp<int64_t>(options.block_max_weight, options.block_reserved_weight, MAX_BLOCK_WEIGHT);
    return options;
}

void ApplyArgsManOptions(const ArgsManager& args, BlockAssemblerOptions& options)
{
    options.block_max_weight = args.GetIntArg("-blockmaxweight", options.block_max_weight);
    options.block_reserved_weight = args.GetIntArg("-blockreservedweight", options.block_reserved_weight);
    if (const auto text = args.GetArg("-blockmintxfee")) {
        if (const auto parsed = ParseMoney(*text)) options.block_min_fee_rate = FeeRate(*parsed);
    }
    if (const auto version = args.GetIntArg("-blockversion")) options.block_version = int32_t(*version);
    options.print_modified_fee = args.GetBoolArg("-printpriority", options.print_modified_fee);
}

bool CheckMiningArgs(const ArgsManager& args, std::string& error)
{
    const int64_t max_weight = args.GetIntArg("-blockmaxweight", DEFAULT_BLOCK_MAX_WEIGHT);
    if (max_weight > int64_t(MAX_BLOCK_WEIGHT)) {
        error = fmt::format("Specified -blockmaxweight ({}) exceeds consensus maximum block weight ({})", max_weight,
                            MAX_BLOCK_WEIGHT);
        return false;
    }
    const int64_t reserved = args.GetIntArg("-blockreservedweight", DEFAULT_BLOCK_RESERVED_WEIGHT);
    if (reserved > int64_t(MAX_BLOCK_WEIGHT)) {
        error = fmt::format("Specified -blockreservedweight ({}) exceeds consensus maximum block weight ({})",
                            reserved, MAX_BLOCK_WEIGHT);
        return false;
    }
    if (reserved < MINIMUM_BLOCK_RESERVED_WEIGHT) {
        error = fmt::format("Specified -blockreservedweight ({}) is lower than minimum safety value of ({})", reserved,
                            MINIMUM_BLOCK_RESERVED_WEIGHT);
        return false;
    }
    if (const auto text = args.GetArg("-blockmintxfee"); text && !ParseMoney(*text)) {
        error = fmt::format("Invalid amount for -blockmintxfee=<amount>: '{}'", *text);
        return false;
    }
    return true;
}

std::optional<int64_t> ParseMoney(std::string_view text)
{
    if (text.find('\0') != std::string_view::npos) return std::nullopt;
    constexpr std::string_view SPACE = " \f\n\r\t\v";
    const size_t first = text.find_first_not_of(SPACE);
    if (first == std::string_view::npos) return std::nullopt;
    text = text.substr(first, text.find_last_not_of(SPACE) - first + 1);

    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    int64_t whole = 0;
    size_t whole_digits = 0;
    int64_t units = 0;
    size_t i = 0;
    for (; i < text.size() && text[i] != '.'; ++i) {
        if (!is_digit(text[i])) return std::nullopt;
        // More than ten digits could overflow; Core refuses them before looking further.
        if (++whole_digits > 10) return std::nullopt;
        whole = whole * 10 + (text[i] - '0');
    }
    if (i < text.size()) { // the decimal point: up to 8 digits after it, nothing else
        ++i;
        int64_t mult = COIN / 10;
        for (; i < text.size() && is_digit(text[i]) && mult > 0; ++i, mult /= 10) units += mult * (text[i] - '0');
        if (i != text.size()) return std::nullopt;
    }
    const int64_t value = whole * COIN + units;
    if (!MoneyRange(value)) return std::nullopt;
    return value;
}

} // namespace cairn
