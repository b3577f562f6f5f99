// What the mining RPCs (mining.cpp, blocktemplate.cpp, mining_priority.cpp)
// share: the block assembler's options as the node's arguments set them,
// Core's decoding of a hex block and its BIP 22 answer for a checked block.
#ifndef CAIRN_RPC_METHODS_MINING_UTIL_H
#define CAIRN_RPC_METHODS_MINING_UTIL_H

#include "consensus/validation_state.h"
#include "mining/assembler_options.h"
#include "primitives/block.h"

#include <univalue.h>

#include <cstdint>
#include <optional>
#include <string>

namespace cairn {

struct RpcContext;

/** The defaults overridden by -blockmaxweight, -blockreservedweight,
 *  -blockmintxfee, -blockversion and -printpriority (Core's
 *  ApplyArgsManOptions, applied at every call as Core's RPCs do). */
BlockAssemblerOptions MiningOptions(const RpcContext& ctx);

/** Core's DecodeHexBlk: hex, then a block with witnesses; nullopt if either
 *  fails (trailing bytes are ignored, as in Core). */
std::optional<Block> DecodeHexBlock(const std::string& hex);

/** Core's BIP22ValidationResult: null when valid, the reject reason (or
 *  "rejected") when invalid; an engine error throws RPC_VERIFY_ERROR. */
UniValue Bip22Result(const BlockValidationState& state);

/** The target of compact `bits` as 64 hex digits. */
std::string TargetHex(uint32_t bits);

} // namespace cairn

#endif
