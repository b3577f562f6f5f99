// Base58: the bitcoin alphabet of 58 characters (no 0, O, I or l).
//
// A byte string is read as one big-endian number written in base 58, with
// each leading zero byte written as one leading '1'. The checksummed form
// (Base58Check) needs SHA-256 and lives in script/base58check.h.
#ifndef CAIRN_UTIL_BASE58_H
#define CAIRN_UTIL_BASE58_H

#include "util/span.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

/** Base58 of the bytes; the empty span gives the empty string. */
std::string EncodeBase58(ByteSpan bytes);

/**
 * Decodes base58. Leading and trailing whitespace (space, \t, \n, \v, \f, \r)
 * is skipped; any other character outside the alphabet, anywhere (NUL and
 * inner whitespace included), gives nullopt. So does a result longer than
 * max_len bytes: decoding stops as soon as that is certain, so the work is
 * bounded by max_len (quadratically) and the input length (linearly), never
 * by the input length squared.
 */
std::optional<Bytes> DecodeBase58(std::string_view str, size_t max_len);

} // namespace cairn

#endif
