// Fixed seeds: public nodes' addresses shipped with the node, tried when the
// address manager has nothing for a reachable network and the other sources
// (DNS seeds, -seednode, -addnode) were not given or did not help in time
// (Bitcoin Core's chainparamsseeds.h and ConvertSeeds).
//
// The lists are data, not code: contrib/seeds/nodes_*.txt, turned into
// fixed_seeds_data.cpp by contrib/seeds/generate_seeds.py (see its README).
// Regtest and custom signets (-signetchallenge) have none.
#ifndef CAIRN_NET_FIXED_SEEDS_H
#define CAIRN_NET_FIXED_SEEDS_H

#include "consensus/chain_params.h"
#include "net/messages.h"
#include "util/chaintype.h"
#include "util/span.h"

#include <cstdint>
#include <vector>

namespace cairn {

/** The chain's seeds as stored: per address a BIP 155 network id, the address length,
 *  the address and the port (big-endian). Empty for regtest. Generated data. */
ByteSpan FixedSeedBytes(ChainType chain);

/** Decodes FixedSeedBytes-shaped data; each address gets NODE_NETWORK | NODE_WITNESS and
 *  a time one to two weeks before `now`, drawn at random (Core's ConvertSeeds). Throws
 *  std::runtime_error on malformed data. */
std::vector<AddrEntry> DecodeFixedSeeds(ByteSpan data, int64_t now);

/** The chain's fixed seeds, decoded, timed relative to the current time. */
std::vector<AddrEntry> FixedSeeds(ChainType chain);

/** The fixed seeds of the standard network using this message start; none for any other
 *  (a custom signet's magic comes from its challenge, so -signetchallenge gets none, as Core). */
std::vector<AddrEntry> FixedSeedsForMagic(const MessageStart& magic);

} // namespace cairn

#endif
