// Argument helpers shared by the methods that take output descriptors
// (deriveaddresses, scantxoutset), with Bitcoin Core's error messages.
#ifndef CAIRN_RPC_METHODS_DESCRIPTOR_ARGS_H
#define CAIRN_RPC_METHODS_DESCRIPTOR_ARGS_H

#include <univalue.h>

#include <cstdint>
#include <utility>

namespace cairn {

/** A range given as `end` (meaning [0, end]) or `[begin, end]`; throws
 *  RPC_INVALID_PARAMETER for a negative begin, an end at or above 2^31, more
 *  than a million positions, or a malformed value. */
std::pair<int64_t, int64_t> ParseDescriptorRange(const UniValue& value);

} // namespace cairn

#endif
