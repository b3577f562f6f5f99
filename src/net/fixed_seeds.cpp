// Decoding of the generated seed bytes (fixed_seeds_data.cpp) with the node's
// own BIP 155 reader, so the list and peers.dat share one decoder.
#include "net/fixed_seeds.h"

#include "net/addr_encoding.h"
#include "net/fast_random.h"
#include "net/protocol.h"
#include "util/serialize.h"
#include "util/time.h"

#include <algorithm>
#include <stdexcept>

namespace cairn {

std::vector<AddrEntry> DecodeFixedSeeds(ByteSpan data, int64_t now)
{
    constexpr int64_t ONE_WEEK = 7 * 24 * 60 * 60;
    FastRandom rng;
    std::vector<AddrEntry> out;
    Reader r(data);
    while (!r.empty()) {
        AddrEntry e;
        const NetAddr addr = ReadNetAddrV2(r);
        if (!addr.IsValid()) throw std::runtime_error("fixed seeds: an address of an unknown network");
        const ByteSpan port = r.ReadBytes(2);
        e.addr = Service(addr, uint16_t((port[0] << 8) | port[1]));
        e.services = NODE_NETWORK | NODE_WITNESS;
        // As Core: seen one to two weeks ago, so real announcements are preferred and the
        // seeds age out of the address manager if they stop answering.
        e.time = uint32_t(std::max<int64_t>(0, now - ONE_WEEK - int64_t(rng.randrange(ONE_WEEK))));
        out.push_back(e);
    }
    return out;
}

std::vector<AddrEntry> FixedSeeds(ChainType chain)
{
    return DecodeFixedSeeds(FixedSeedBytes(chain), GetTime());
}

std::vector<AddrEntry> FixedSeedsForMagic(const MessageStart& magic)
{
    const std::optional<ChainType> chain = GetNetworkForMagic(magic);
    return chain ? FixedSeeds(*chain) : std::vector<AddrEntry>{};
}

} // namespace cairn
