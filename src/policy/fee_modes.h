// The estimate_mode argument of estimatesmartfee (and, later, of the wallet's
// fee options): names, parsing and Core's error message.
#ifndef CAIRN_POLICY_FEE_MODES_H
#define CAIRN_POLICY_FEE_MODES_H

#include <string>
#include <string_view>

namespace cairn {

enum class FeeEstimateMode {
    UNSET,        //!< the caller's default (economical for estimatesmartfee)
    ECONOMICAL,   //!< short horizons may lower the estimate
    CONSERVATIVE, //!< longer horizons must agree
};

/** "unset", "economical" or "conservative", case-insensitively; false otherwise. */
bool FeeModeFromString(std::string_view name, FeeEstimateMode& mode);
/** The mode names joined by `delimiter`. */
std::string FeeModes(std::string_view delimiter);
/** Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative" */
std::string InvalidEstimateModeErrorMessage();

} // namespace cairn

#endif
