// Per-network prefixes of the encodings a user types or reads: Base58Check
// version bytes of addresses, WIF keys and BIP 32 extended keys, and the
// Bech32 human-readable part of segwit addresses. The values are fixed by
// the ecosystem (wallets everywhere use them), so they are data, not options.
#ifndef CAIRN_SCRIPT_ADDRESS_PARAMS_H
#define CAIRN_SCRIPT_ADDRESS_PARAMS_H

#include "util/chaintype.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace cairn {

struct AddressParams {
    // One byte each on every network; kept as arrays so that code comparing
    // prefixes does not assume their length.
    std::array<uint8_t, 1> pubkey_address; //!< P2PKH
    std::array<uint8_t, 1> script_address; //!< P2SH
    std::array<uint8_t, 1> secret_key;     //!< WIF
    std::array<uint8_t, 4> ext_public_key; //!< xpub / tpub
    std::array<uint8_t, 4> ext_secret_key; //!< xprv / tprv
    std::string_view bech32_hrp;
};

/** The prefixes of a network (static storage; never fails). */
const AddressParams& GetAddressParams(ChainType chain);

} // namespace cairn

#endif
