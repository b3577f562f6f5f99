// BIP 32 extended keys as text: Base58Check of the network's 4-byte version
// prefix (xpub/xprv on mainnet, tpub/tprv on the test networks) followed by
// the 74-byte serialization of crypto/bip32.h.
#ifndef CAIRN_SCRIPT_EXTKEY_H
#define CAIRN_SCRIPT_EXTKEY_H

#include "crypto/bip32.h"
#include "util/chaintype.h"

#include <optional>
#include <string>
#include <string_view>

namespace cairn {

std::string EncodeExtPubKey(const ExtPubKey& key, ChainType chain);
std::string EncodeExtKey(const ExtKey& key, ChainType chain);

/** nullopt for a bad checksum, a wrong length or version prefix for
 *  `chain`, or a key that ExtPubKey::Decode / ExtKey::Decode rejects. */
std::optional<ExtPubKey> DecodeExtPubKey(std::string_view str, ChainType chain);
std::optional<ExtKey> DecodeExtKey(std::string_view str, ChainType chain);

} // namespace cairn

#endif
