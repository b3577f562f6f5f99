#include "consensus/bip30.h"

namespace cairn {

namespace {
bool IsBlock(const BlockIndex& b, int height, const char* hash)
{
    return b.height == height && b.GetBlockHash() == *uint256::FromHex(hash);
}
} // namespace

bool IsBIP30Repeat(const BlockIndex& b)
{
    return IsBlock(b, 91842, "00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec") ||
           IsBlock(b, 91880, "00000000000743f190a18c5577a3c2d2a1f610ae9601ac046a38084ccb7cd721");
}

bool IsBIP30Unspendable(const BlockIndex& b)
{
    return IsBlock(b, 91722, "00000000000271a2dc26e7667f8419f2e15416dc6955e5a6c6cdf3f2574dd08e") ||
           IsBlock(b, 91812, "00000000000af0aed4792b1acee3d966af36cf5def14935db8de83d6f9306f2f");
}

} // namespace cairn
