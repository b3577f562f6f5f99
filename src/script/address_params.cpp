#include "script/address_params.h"

namespace cairn {

namespace {

// Every test network shares testnet3's Base58 prefixes, so an m/n/2 address
// or a c/9 key alone does not say which test network it is for; only the
// regtest HRP differs.
constexpr AddressParams MAIN_PARAMS{
    {0}, {5}, {128}, {0x04, 0x88, 0xB2, 0x1E}, {0x04, 0x88, 0xAD, 0xE4}, "bc"};
constexpr AddressParams TEST_PARAMS{
    {111}, {196}, {239}, {0x04, 0x35, 0x87, 0xCF}, {0x04, 0x35, 0x83, 0x94}, "tb"};
constexpr AddressParams REGTEST_PARAMS{
    {111}, {196}, {239}, {0x04, 0x35, 0x87, 0xCF}, {0x04, 0x35, 0x83, 0x94}, "bcrt"};

} // namespace

const AddressParams& GetAddressParams(ChainType chain)
{
    switch (chain) {
    case ChainType::MAIN: return MAIN_PARAMS;
    case ChainType::TESTNET:
    case ChainType::TESTNET4:
    case ChainType::SIGNET: return TEST_PARAMS;
    case ChainType::REGTEST: return REGTEST_PARAMS;
    }
    return MAIN_PARAMS; // unreachable: every enumerator is handled above
}

} // namespace cairn
