// The networks Cairn knows, and their names as Bitcoin Core spells them
// (-chain=..., getblockchaininfo's "chain", the test vectors' "chain").
//
// Lives in util/ rather than with the per-network parameters because every
// layer that has such parameters (consensus, address encoding, P2P) keys
// them by this one enum.
#ifndef CAIRN_UTIL_CHAINTYPE_H
#define CAIRN_UTIL_CHAINTYPE_H

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn {

enum class ChainType {
    MAIN,
    TESTNET, //!< testnet3
    TESTNET4,
    SIGNET,
    REGTEST,
};

inline constexpr std::array<ChainType, 5> ALL_CHAIN_TYPES{
    ChainType::MAIN, ChainType::TESTNET, ChainType::TESTNET4, ChainType::SIGNET, ChainType::REGTEST};

/** "main", "test", "testnet4", "signet" or "regtest". */
constexpr std::string_view ChainTypeToString(ChainType chain)
{
    switch (chain) {
    case ChainType::MAIN: return "main";
    case ChainType::TESTNET: return "test";
    case ChainType::TESTNET4: return "testnet4";
    case ChainType::SIGNET: return "signet";
    case ChainType::REGTEST: return "regtest";
    }
    return "";
}

/** Inverse of ChainTypeToString; exact, case-sensitive match only. */
constexpr std::optional<ChainType> ChainTypeFromString(std::string_view name)
{
    for (ChainType chain : ALL_CHAIN_TYPES) {
        if (ChainTypeToString(chain) == name) return chain;
    }
    return std::nullopt;
}

/** Bitcoin Core's default -rpcport of each network (the node and the RPC client share it). */
constexpr uint16_t DefaultRpcPort(ChainType chain)
{
    switch (chain) {
    case ChainType::MAIN: return 8332;
    case ChainType::TESTNET: return 18332;
    case ChainType::TESTNET4: return 48332;
    case ChainType::SIGNET: return 38332;
    case ChainType::REGTEST: return 18443;
    }
    return 8332;
}

} // namespace cairn

#endif
