// Hexadecimal encoding and decoding.
#ifndef CAIRN_UTIL_HEX_H
#define CAIRN_UTIL_HEX_H

#include "util/span.h"

#include <optional>
#include <string>
#include <string_view>

namespace cairn {

/** Lower-case hex of the bytes, in order. */
std::string HexStr(ByteSpan bytes);
/** Value of one hex digit, or -1. */
int HexDigit(char c);
/** True for a non-empty string of an even number of hex digits. */
bool IsHex(std::string_view s);
/** Decodes an even-length string of hex digits; nullopt on any other character or odd length. */
std::optional<Bytes> TryParseHex(std::string_view s);
/** Like TryParseHex but throws std::invalid_argument: for tests and constants. */
Bytes ParseHex(std::string_view s);

} // namespace cairn

#endif
