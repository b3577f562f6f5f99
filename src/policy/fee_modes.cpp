#include "policy/fee_modes.h"

#include "util/strencodings.h"

#include <array>
#include <utility>

namespace cairn {

namespace {

constexpr std::array<std::pair<std::string_view, FeeEstimateMode>, 3> FEE_MODES{{
    {"unset", FeeEstimateMode::UNSET},
    {"economical", FeeEstimateMode::ECONOMICAL},
    {"conservative", FeeEstimateMode::CONSERVATIVE},
}};

} // namespace

bool FeeModeFromString(std::string_view name, FeeEstimateMode& mode)
{
    const std::string lower = ToLower(name);
    for (const auto& [n, m] : FEE_MODES) {
        if (lower == n) {
            mode = m;
            return true;
        }
    }
    return false;
}

std::string FeeModes(std::string_view delimiter)
{
    std::string out;
    for (const auto& [n, m] : FEE_MODES) {
        if (!out.empty()) out += delimiter;
        out += n;
    }
    return out;
}

std::string InvalidEstimateModeErrorMessage()
{
    return "Invalid estimate_mode parameter, must be one of: \"" + FeeModes("\", \"") + "\"";
}

} // namespace cairn
