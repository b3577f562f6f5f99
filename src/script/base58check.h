// Base58Check: base58 of the payload followed by the first four bytes of its
// double SHA-256. Used by legacy addresses and WIF keys.
#ifndef CAIRN_SCRIPT_BASE58CHECK_H
#define CAIRN_SCRIPT_BASE58CHECK_H

#include "util/span.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

/** Base58 of payload || Hash256(payload)[0..4). */
std::string EncodeBase58Check(ByteSpan payload);

/**
 * Decodes base58 (whitespace rules as DecodeBase58), checks and strips the
 * four checksum bytes, and returns the payload. nullopt on a bad character,
 * fewer than four bytes, a wrong checksum, or a payload longer than max_len
 * bytes (the work is bounded by max_len, as in DecodeBase58).
 */
std::optional<Bytes> DecodeBase58Check(std::string_view str, size_t max_len);

} // namespace cairn

#endif
