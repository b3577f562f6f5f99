// Tor v3 onion names and the 32-byte keys BIP 155 carries (TORV3), as Tor's
// rend-spec-v3 defines them and Bitcoin Core reads and writes them:
//   name = base32(PUBKEY | CHECKSUM | VERSION) + ".onion", 56 characters before the suffix,
//   CHECKSUM = first 2 bytes of SHA3-256(".onion checksum" | PUBKEY | VERSION), VERSION = 3.
// Pure functions. SHA3-256 (FIPS 202) is here because nothing else needs it yet.
#ifndef CAIRN_NET_ONION_NAME_H
#define CAIRN_NET_ONION_NAME_H

#include "util/span.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

/** RFC 4648 base32, lower case, no padding (Tor and I2P names). */
std::string EncodeBase32(ByteSpan data);
/** Its inverse (either case); nullopt for another character or leftover bits that are not zero. */
std::optional<Bytes> DecodeBase32(std::string_view text);

/** "<52 base32 chars>.b32.i2p" for a 32-byte I2P destination hash (BIP 155 I2P), as Core writes it. */
std::string EncodeI2pName(ByteSpan hash);
/** The 32-byte hash of such a name (suffix in either case, as Core), else nullopt. */
std::optional<std::array<uint8_t, 32>> DecodeI2pName(std::string_view name);

/** FIPS 202 SHA3-256. */
std::array<uint8_t, 32> Sha3_256(ByteSpan data);

/** "<56 base32 chars>.onion" for a 32-byte ed25519 key; empty if the key is not 32 bytes. */
std::string EncodeOnionName(ByteSpan pubkey);

/** The key of a v3 onion name (lower-case ".onion" suffix; base32 in either case), checked: length,
 *  version 3 and checksum. nullopt for anything else (v2 names included). */
std::optional<std::array<uint8_t, 32>> DecodeOnionName(std::string_view name);

} // namespace cairn

#endif
