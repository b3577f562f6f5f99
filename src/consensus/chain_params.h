// Everything that tells one network from another: its consensus parameters,
// its genesis block, its P2P magic and port, its DNS seeds and a few sizes.
//
// The values are Bitcoin Core's (they are facts about the networks, not
// choices). node/ turns -chain, -signetchallenge, -testactivationheight and
// -vbparams into a ChainParamsOptions and calls CreateChainParams once.
#ifndef CAIRN_CONSENSUS_CHAIN_PARAMS_H
#define CAIRN_CONSENSUS_CHAIN_PARAMS_H

#include "consensus/params.h"
#include "primitives/block.h"
#include "util/chaintype.h"

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cairn {

/** The four bytes that start every P2P message and every blk-file record. */
using MessageStart = std::array<uint8_t, 4>;

/** Regtest's -vbparams=deployment:start:end[:min_activation_height]. */
struct VBitsParams {
    int64_t start_time{0};
    int64_t timeout{0};
    int min_activation_height{0};
};

struct ChainParamsOptions {
    // Signet only.
    /** A custom challenge (-signetchallenge); none means the default signet. */
    std::optional<Bytes> signet_challenge;
    /** Replaces the DNS seeds when set (-signetseednode), even by an empty list. */
    std::optional<std::vector<std::string>> signet_seeds;

    // Regtest only.
    /** -testactivationheight=name@height. */
    std::map<BuriedDeployment, int> activation_heights;
    /** -vbparams. */
    std::map<DeploymentPos, VBitsParams> version_bits;
    /** -test=bip94: enforce BIP 94 on regtest. */
    bool enforce_bip94{false};
    /** -fastprune: prune after 100 blocks instead of 1000. */
    bool fast_prune{false};
};

struct ChainParams {
    ChainType chain_type{ChainType::MAIN};
    ConsensusParams consensus;
    MessageStart message_start{};
    uint16_t default_port{0};
    /** Pruning never deletes blocks below this height. */
    uint64_t prune_after_height{0};
    /** Rough disk use of a full node, in GB, for the warnings at start-up. */
    uint64_t assumed_blockchain_size{0};
    uint64_t assumed_chain_state_size{0};
    /** DNS seed host names (with Core's trailing dot). */
    std::vector<std::string> dns_seeds;
    Block genesis;
    /** Anything but mainnet. */
    bool is_test_chain{false};
    /** Whether -mocktime and similar test-only controls are allowed (regtest). */
    bool is_mockable_chain{false};
    /** Whether -checkblockindex and friends default to on (regtest). */
    bool default_consistency_checks{false};

    const Block& GenesisBlock() const { return genesis; }
    std::string_view GetChainTypeString() const { return ChainTypeToString(chain_type); }
};

/** The parameters of a network. Options that do not apply to `chain` (the
 *  signet ones elsewhere than signet, the regtest ones elsewhere than
 *  regtest) are ignored. */
std::unique_ptr<const ChainParams> CreateChainParams(ChainType chain, const ChainParamsOptions& options = {});

/** A genesis block: one coinbase paying `reward` to `output_script`, whose
 *  scriptSig pushes 486604799, 4 and the timestamp text, as in 2009. */
Block CreateGenesisBlock(std::string_view timestamp, const Script& output_script, uint32_t time, uint32_t nonce,
                         uint32_t bits, int32_t version, Amount reward);

/** BIP 325: a signet's magic is the first four bytes of the double SHA-256
 *  of its challenge script serialized with its length prefix. */
MessageStart SignetMessageStart(ByteSpan challenge);

/** Which standard network (default signet included) uses this magic. */
std::optional<ChainType> GetNetworkForMagic(const MessageStart& magic);

} // namespace cairn

#endif
