// Base64 (RFC 4648, standard alphabet, '=' padding): HTTP Basic
// authentication and, later, PSBTs and signed messages.
#ifndef CAIRN_UTIL_BASE64_H
#define CAIRN_UTIL_BASE64_H

#include "util/span.h"

#include <optional>
#include <string>
#include <string_view>

namespace cairn {

/** Base64 of the bytes, padded with '=' to a multiple of four characters. */
std::string EncodeBase64(ByteSpan bytes);
inline std::string EncodeBase64(std::string_view s) { return EncodeBase64(AsBytes(s)); }

/**
 * Strict decoding, with Bitcoin Core's rules: the length must be a multiple
 * of four, at most two '=' may end it and nowhere else, every other
 * character must be in the alphabet (no whitespace, no URL-safe '-' '_'),
 * and the bits left over after the last whole byte must be zero. nullopt on
 * any violation.
 */
std::optional<Bytes> DecodeBase64(std::string_view s);

} // namespace cairn

#endif
