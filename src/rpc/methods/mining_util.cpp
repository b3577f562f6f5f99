#include "rpc/methods/mining_util.h"

#include "consensus/pow.h"
#include "rpc/context.h"
#include "rpc/protocol.h"
#include "rpc/request.h"
#include "util/hex.h"

namespace cairn {

BlockAssemblerOptions MiningOptions(const RpcContext& ctx)
{
    BlockAssemblerOptions options;
    if (ctx.args) ApplyArgsManOptions(*ctx.args, options);
    return options;
}

std::optional<Block> DecodeHexBlock(const std::string& hex)
{
    const auto bytes = TryParseHex(hex);
    if (!bytes) return std::nullopt;
    try {
        Reader r(*bytes);
        return DeserializeBlock(r);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

UniValue Bip22Result(const BlockValidationState& state)
{
    if (state.IsValid()) return UniValue();
    if (state.IsError()) throw RpcError(RPC_VERIFY_ERROR, state.ToString());
    const std::string& reason = state.GetRejectReason();
    return reason.empty() ? UniValue("rejected") : UniValue(reason);
}

std::string TargetHex(uint32_t bits)
{
    arith_uint256 target;
    target.SetCompact(bits);
    return ArithToUint256(target).GetHex();
}

} // namespace cairn
