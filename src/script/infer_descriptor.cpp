#include "script/infer_descriptor.h"

#include "script/address.h"
#include "script/descriptor_checksum.h"
#include "script/destination.h"
#include "script/solver.h"
#include "util/hex.h"

#include <optional>
#include <vector>

namespace cairn {

namespace {

/** A key a descriptor can name: compressed (02/03) or uncompressed (04).
 *  Hybrid keys (06/07) have no descriptor form. Points are not checked to
 *  be on the curve, as in Bitcoin Core. */
bool IsDescriptorKey(const Bytes& key)
{
    if (key.size() == PubKey::COMPRESSED_SIZE) return key[0] == 2 || key[0] == 3;
    if (key.size() == PubKey::UNCOMPRESSED_SIZE) return key[0] == 4;
    return false;
}

/** multi(k,KEY,...) from Solver's MULTISIG solutions ({m}, keys, {n});
 *  nullopt if a key has no descriptor form (or is uncompressed where only
 *  compressed keys are allowed, inside segwit). */
std::optional<std::string> MultiBody(const std::vector<Bytes>& solutions, bool compressed_only)
{
    std::string body = "multi(" + std::to_string(int(solutions.front()[0]));
    for (size_t i = 1; i + 1 < solutions.size(); ++i) {
        if (!IsDescriptorKey(solutions[i])) return std::nullopt;
        if (compressed_only && solutions[i].size() != PubKey::COMPRESSED_SIZE) return std::nullopt;
        body += "," + HexStr(solutions[i]);
    }
    return body + ")";
}

std::string AddrBody(const Destination& dest, ChainType chain)
{
    const std::string address = EncodeDestination(dest, chain);
    return address.empty() ? "" : "addr(" + address + ")";
}

std::string InferBody(const Script& spk, ChainType chain)
{
    std::vector<Bytes> solutions;
    const TxoutType type = Solver(spk, solutions);

    if (type == TxoutType::PUBKEY && IsDescriptorKey(solutions[0])) {
        return "pk(" + HexStr(solutions[0]) + ")";
    }
    if (type == TxoutType::MULTISIG) {
        if (auto body = MultiBody(solutions, /*compressed_only=*/false)) return *body;
    }
    if (type == TxoutType::WITNESS_V1_TAPROOT) {
        // Without the internal key and tree only the output key can be
        // named, and only if it is a point: rawtr() spends by key path.
        XOnlyPubKey output_key{solutions[0]};
        if (output_key.IsFullyValid()) return "rawtr(" + HexStr(solutions[0]) + ")";
    }

    Destination dest;
    if (ExtractDestination(spk, dest) && GetScriptForDestination(dest) == spk) {
        std::string body = AddrBody(dest, chain);
        if (!body.empty()) return body;
    }
    return "raw(" + HexStr(spk) + ")";
}

} // namespace

std::string InferDescriptorString(const Script& spk, ChainType chain)
{
    // Every character the bodies above can hold is in the descriptor
    // character set, so the checksum always exists.
    return AddDescriptorChecksum(InferBody(spk, chain));
}

} // namespace cairn

namespace cairn {

std::string InferP2WSHDescriptorString(const Script& witness_script, ChainType chain)
{
    std::vector<Bytes> solutions;
    if (Solver(witness_script, solutions) == TxoutType::MULTISIG) {
        if (auto body = MultiBody(solutions, /*compressed_only=*/true)) {
            return AddDescriptorChecksum("wsh(" + *body + ")");
        }
    }
    return AddDescriptorChecksum(AddrBody(WitnessV0ScriptHash(witness_script), chain));
}

} // namespace cairn
