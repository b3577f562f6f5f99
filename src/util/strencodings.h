// Small string helpers used everywhere: ASCII case, strict integer parsing,
// splitting and trimming, and exact fixed-point amounts.
//
// Everything here is locale-independent: only ASCII letters change case and
// only the six ASCII whitespace characters count as whitespace.
#ifndef CAIRN_UTIL_STRENCODINGS_H
#define CAIRN_UTIL_STRENCODINGS_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

/** ASCII lower case; other bytes unchanged. */
std::string ToLower(std::string_view s);
/** ASCII upper case; other bytes unchanged. */
std::string ToUpper(std::string_view s);

/**
 * Strict decimal integer parsing: the whole string must be an optional sign
 * ('-', or one '+' kept for strtol compatibility; '-' never for unsigned)
 * followed by one or more digits, and the value must fit the type. No
 * whitespace, no trailing characters, no "0x". On success stores the value
 * in *out (if out is not null) and returns true; on failure *out is untouched.
 */
bool ParseInt64(std::string_view s, int64_t* out);
bool ParseInt32(std::string_view s, int32_t* out);
bool ParseUInt32(std::string_view s, uint32_t* out);

/** Splits at every sep: n separators give n + 1 pieces ("" gives {""}). */
std::vector<std::string> SplitString(std::string_view s, char sep);

/** Without leading and trailing " \t\n\v\f\r". */
std::string TrimString(std::string_view s);

/**
 * Parses a JSON number ("-1.5", "0.00000001", "1e-8", "0.1E+2") exactly into
 * an integer count of 10^-decimals units: ParseFixedPoint("1.23", 8) is
 * 123000000. nullopt when the string is not a JSON number (no leading zeros
 * like "01", no ".5", no "1.", no whitespace, no '+' before the digits), when
 * the value has non-zero digits below 10^-decimals ("1e-9" with 8 decimals;
 * trailing zeros like "0.00000001000" are fine), or when the magnitude of the
 * result exceeds INT64_MAX. Exponents of any size are handled exactly.
 */
std::optional<int64_t> ParseFixedPoint(std::string_view s, int decimals);

/** An amount with exactly 8 decimals ("-0.00000001", "1.00000000"): the
 *  form of amounts in JSON-RPC results. */
std::string FormatAmount(int64_t sats);
/** An amount the way Bitcoin Core writes it in messages: at least two
 *  decimals, trailing zeros dropped ("1.00", "0.0001"). */
std::string FormatMoney(int64_t sats);

} // namespace cairn

#endif
