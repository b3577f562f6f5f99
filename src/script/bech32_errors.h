// Why a string is not valid Bech32/Bech32m, and where: the diagnosis behind
// validateaddress's "error" and "error_locations". Decoding itself is in
// util/bech32.h; this runs only after decoding has failed.
#ifndef CAIRN_SCRIPT_BECH32_ERRORS_H
#define CAIRN_SCRIPT_BECH32_ERRORS_H

#include "util/bech32.h"

#include <string>
#include <string_view>
#include <vector>

namespace cairn {

struct Bech32Error {
    std::string message;        //!< Bitcoin Core's wording; empty if the string is valid
    std::vector<int> locations; //!< indexes into the string, ascending
};

/**
 * The first problem found, in this order: "Bech32 string too long" (the
 * characters past max_len), "Invalid character or mixed case" (each
 * character outside 33..126 and each letter of the minority case after the
 * first letter), "Missing separator", "Invalid separator position" (the
 * last '1'), "Invalid Base 32 character" (the first one), then a bad
 * checksum: when changing at most two data characters would make it valid
 * for one variant, "Invalid Bech32 checksum" or "Invalid Bech32m checksum"
 * with those characters (Bech32 preferred unless Bech32m needs fewer
 * changes), else "Invalid checksum" with no location.
 */
Bech32Error LocateBech32Errors(std::string_view str, size_t max_len = BECH32_MAX_LENGTH);

} // namespace cairn

#endif
