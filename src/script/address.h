// Addresses and WIF private keys as text, per network: Base58Check for
// P2PKH, P2SH and WIF; Bech32 (BIP 173) for witness v0, Bech32m (BIP 350)
// for v1 and later. Behaviour and error messages follow Bitcoin Core, since
// RPC users and tests compare them.
#ifndef CAIRN_SCRIPT_ADDRESS_H
#define CAIRN_SCRIPT_ADDRESS_H

#include "crypto/key.h"
#include "script/destination.h"
#include "util/chaintype.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

/** The address of `dest` on `chain`; "" for destinations without one
 *  (NoDestination, PubKeyDestination, a WitnessUnknown out of range). */
std::string EncodeDestination(const Destination& dest, ChainType chain);

/**
 * Parses an address of `chain`. On failure returns a NoDestination and sets
 * error_msg to Bitcoin Core's message (and, for Bech32 errors that can be
 * located, error_locations to the suspect character indexes); on success
 * error_msg is "" and error_locations is empty.
 *
 * A string that starts with the chain's HRP (in either case) is read only
 * as Bech32; anything else only as Base58Check.
 */
Destination DecodeDestination(std::string_view str, ChainType chain, std::string& error_msg,
                              std::vector<int>* error_locations = nullptr);
Destination DecodeDestination(std::string_view str, ChainType chain);

/** The string decodes to a destination with an address on `chain`. */
bool IsValidDestinationString(std::string_view str, ChainType chain);

/** WIF: Base58Check of (secret-key prefix, 32 key bytes, 0x01 if the public
 *  key is compressed). "" for an invalid key. */
std::string EncodeSecret(const Key& key, ChainType chain);

/** Parses WIF for `chain`; nullopt on any error, including a key out of range. */
std::optional<Key> DecodeSecret(std::string_view str, ChainType chain);

} // namespace cairn

#endif
